/**
 * A file extracted through standard output (`docker run IMG cat PATH > FILE`, a CopyOut
 * `via: 'stdout'`), judged against the image it reads: which container path `cat` reads, whether
 * the words after the image are a command at all, and what mode the host file gets.
 *
 * Docker facts (test/e2e/routes.test.ts shows each on a real engine):
 * - the words after the image replace CMD but are arguments to the image's ENTRYPOINT when it has
 *   one; `--entrypoint cat` makes cat the command whatever the image says;
 * - a relative PATH is read from the image's WORKDIR (or the run's `-w`);
 * - cat follows a symlink, as `COPY --from` does at the top level;
 * - the shell creates FILE with mode 0666 less its umask (0644 under umask 022), owned by whoever
 *   runs the script, whatever mode and owner PATH has in the image; a FILE that already exists
 *   keeps its mode.
 */
import path from 'node:path';
import { diagnostic, type Diagnostic } from '../model/diagnostic.js';
import type { Instruction, ParsedDockerfile, Stage } from '../model/dockerfile.js';
import type { CopyOut } from '../model/flow.js';
import type { ArtifactSource, ModeChange } from '../model/analysis.js';

/** The mode of a new file under umask 022: 0666 & ~022. */
export const REDIRECT_MODE = '644';

export interface StdoutRead {
  /** Absolute container path cat reads. */
  readonly containerPath: string;
  /** The mode the redirection gives the host file, as the artifact's first mode change. */
  readonly modes: readonly ModeChange[];
  readonly diagnostics: readonly Diagnostic[];
}

/** What the host gets from a copy out through stdout, read against its image; null for `docker cp`. */
export function stdoutRead(
  copy: CopyOut,
  source: ArtifactSource,
  destination: 'file' | 'dir' | null,
  dockerfiles: ReadonlyMap<string, ParsedDockerfile>,
  display: (absolutePath: string) => string,
): StdoutRead | null {
  const { reader } = copy;
  if (!reader) return null;
  const diagnostics: Diagnostic[] = [];
  const file = source.kind === 'build' ? dockerfiles.get(source.build.dockerfile) : undefined;
  const target = source.kind === 'build' ? source.build.target?.toLowerCase() : undefined;
  const stage = file && ((target && file.stages.find((s) => s.name === target)) || file.stages[file.stages.length - 1]);
  const chain = file && stage ? stageChain(file, stage) : [];
  const image = source.kind === 'build' ? (source.build.tags[0] ?? 'the image') : source.image;
  const shown = display(copy.hostPath);
  const decline = (message: string) => diagnostics.push(diagnostic('RS307', copy.at, message));
  if (reader.runsCommand) return commandOutput(copy, source, destination, chain, image, shown, file?.text ?? '');
  let containerPath = copy.containerPath;
  // `cat`, or `tar` for a member of a tar stream (src/analyze/tar-stream.ts): its mode is the builder's.
  const program = path.posix.basename(reader.command.split(' ')[0] ?? 'cat');
  const tar = copy.via === 'tar';

  if (source.kind === 'image' && (!reader.entrypointOverridden || reader.relativePath !== null)) {
    decline(
      `\`${reader.command}\` runs in ${image}, which the script does not build, so restage cannot read its ENTRYPOINT${reader.relativePath !== null ? ' or WORKDIR' : ''}: restage migrates a stdout extraction from such an image only as \`docker run --entrypoint ${program} ${image} ${tar ? '-c -C /ABSOLUTE/DIR MEMBER…' : '/ABSOLUTE/PATH > FILE'}\`; write it so, or migrate this step by hand`,
    );
  }
  const entrypoint = lastOf(chain, 'ENTRYPOINT');
  if (file && entrypoint && !(entrypoint.jsonForm && entrypoint.args.length === 0) && !reader.entrypointOverridden) {
    decline(
      `${image} has an ENTRYPOINT (\`${file.text.slice(entrypoint.start, entrypoint.end)}\`, ${file.file}:${entrypoint.line}), so the words \`${reader.command}\` after the image are its arguments, not a command: restage cannot tell what this run writes to ${shown}. To read ${tar ? 'the files' : 'the file'}, write \`docker run --rm --entrypoint ${program} ${image} ${tar ? reader.command.split(' ').slice(1).join(' ') : `${reader.relativePath ?? copy.containerPath} > ${reader.target}`}\` and run restage again`,
    );
  }
  if (file && reader.relativePath !== null) {
    const workdir = workdirOf(chain);
    if (workdir.dir !== null) containerPath = path.posix.join(workdir.dir, reader.relativePath);
    else
      decline(
        `\`${reader.command}\` reads a relative path, which docker resolves against the image's WORKDIR, and ${workdir.why}; write the absolute path (or give \`-w DIR\` to the run) and run restage again`,
      );
  }
  if (tar) {
    const base = chain.length > 0 ? chain[chain.length - 1]!.image : null;
    if (
      !diagnostics.some((d) => d.code === 'RS307') &&
      base !== null &&
      base.toLowerCase() !== 'scratch' &&
      !reader.entrypointOverridden &&
      !entrypoint
    )
      diagnostics.push(
        diagnostic(
          'RS346',
          copy.at,
          `restage assumes that the base image ${base} of ${image} sets no ENTRYPOINT (the Dockerfile sets none): with one, the words \`${reader.command}\` would be its arguments and the stream something else; if it does, add \`--entrypoint tar\` to the run`,
        ),
      );
    return { containerPath: containerPath.replace(/(.)\/\.$/, '$1').replace(/^\/\.$/, '/'), modes: [], diagnostics };
  }
  if (destination === 'dir') {
    decline(
      `the output of \`${reader.command}\` is redirected into ${shown}, which is a directory at this point: the shell cannot write it and the script fails here as written; fix the path and run restage again`,
    );
  } else if (destination === 'file') {
    diagnostics.push(
      diagnostic(
        'RS308',
        copy.at,
        `${shown} already exists when \`${reader.command}\` is redirected into it, and a redirection keeps an existing file's mode, which restage does not know: the migrated image gives it ${REDIRECT_MODE} as if the file were new; remove the file before this line (\`rm -f ${shown}\`) if that is what the build means, and run restage again`,
      ),
    );
  }
  const base = chain.length > 0 ? chain[chain.length - 1]!.image : null;
  const baseEntrypoint =
    base !== null && base.toLowerCase() !== 'scratch' && !reader.entrypointOverridden && !entrypoint
      ? ` It also assumes that the base image ${base} sets no ENTRYPOINT (the Dockerfile sets none; with one, \`${reader.command}\` would be its arguments): if it does, add \`--entrypoint cat\` to the run.`
      : '';
  if (!diagnostics.some((d) => d.code === 'RS307'))
    diagnostics.push(
      diagnostic(
        'RS323',
        copy.at,
        `restage assumes umask 022: the shell creates ${shown} with mode 0${REDIRECT_MODE} (0666 less the umask) whatever mode ${containerPath} has in the image, owned by whoever runs the script; through the build context that gave 0:0 and 0${REDIRECT_MODE}, so the migrated Dockerfile copies it from the builder with --chown=0:0 through a stage that runs \`chmod ${REDIRECT_MODE}\` (and any later host chmod). Under another umask the legacy image differs from the migrated one.${baseEntrypoint}`,
      ),
    );
  return {
    containerPath,
    modes: [{ at: copy.at, origin: 'redirect', mode: REDIRECT_MODE, recursive: false, containerPath }],
    diagnostics,
  };
}

/**
 * A command's output redirected into a host file (src/analyze/stdout-command.ts): the run stage
 * writes it through `/bin/sh`, which the image must have; the host file gets the redirection's mode.
 */
function commandOutput(
  copy: CopyOut,
  source: ArtifactSource,
  destination: 'file' | 'dir' | null,
  chain: readonly Stage[],
  image: string,
  shown: string,
  builderText: string,
): StdoutRead {
  const reader = copy.reader!;
  const diagnostics: Diagnostic[] = [];
  const dir = path.posix.dirname(copy.containerPath);
  if (builderText.includes(dir))
    diagnostics.push(
      diagnostic(
        'RS333',
        copy.at,
        `the migrated Dockerfile would write the output of \`${reader.command}\` to ${copy.containerPath}, and the builder Dockerfile of ${image} names ${dir} itself: the path may not be fresh; migrate this step by hand`,
      ),
    );
  const base = chain.length > 0 ? chain[chain.length - 1]!.image : null;
  const noShell =
    source.kind === 'image'
      ? `${image} is not built by the script, so restage cannot tell whether it has /bin/sh`
      : base === null
        ? 'restage cannot read the Dockerfile that builds it'
        : base.toLowerCase() === 'scratch'
          ? `${image} is built FROM scratch, which has no /bin/sh unless a step copies one in`
          : /distroless|chainguard\/static/i.test(base)
            ? `${image} is built FROM ${base}, a base image without a shell`
            : null;
  if (noShell !== null)
    diagnostics.push(
      diagnostic(
        'RS334',
        copy.at,
        `the migrated Dockerfile writes the output of \`${reader.command}\` to a file with a \`RUN ["/bin/sh", "-c", …]\` step in ${image} (a redirection needs a shell), and ${noShell}; build the builder from an image with /bin/sh, or extract a file the image holds (\`docker create\` + \`docker cp\`), and run restage again`,
      ),
    );
  if (destination === 'dir')
    diagnostics.push(
      diagnostic(
        'RS333',
        copy.at,
        `the output of \`${reader.command}\` is redirected into ${shown}, which is a directory at this point: the shell cannot write it and the script fails here as written; fix the path and run restage again`,
      ),
    );
  else if (destination === 'file')
    diagnostics.push(
      diagnostic(
        'RS308',
        copy.at,
        `${shown} already exists when \`${reader.command}\` is redirected into it, and a redirection keeps an existing file's mode, which restage does not know: the migrated image gives it ${REDIRECT_MODE} as if the file were new; remove the file before this line (\`rm -f ${shown}\`) if that is what the build means, and run restage again`,
      ),
    );
  if (!diagnostics.some((d) => d.severity === 'error'))
    diagnostics.push(
      diagnostic(
        'RS335',
        copy.at,
        `restage assumes umask 022: the shell creates ${shown} with mode 0${REDIRECT_MODE} holding what \`${reader.command}\` prints (its standard error is not in it); the migrated Dockerfile runs the command in a run stage as \`RUN ["/bin/sh", "-c", "exec \\"$0\\" \\"$@\\" > ${copy.containerPath}", …]\` (so ${base ?? image} must have /bin/sh and mkdir) and copies ${copy.containerPath} from it with --chown=0:0 through a stage that runs \`chmod ${REDIRECT_MODE}\` (and any later host chmod). Under another umask the legacy image differs from the migrated one.`,
      ),
    );
  return {
    containerPath: copy.containerPath,
    modes: [
      { at: copy.at, origin: 'redirect', mode: REDIRECT_MODE, recursive: false, containerPath: copy.containerPath },
    ],
    diagnostics,
  };
}

/** The stage and the stages of the same file it derives from (`FROM build AS final`), nearest first. */
export function stageChain(file: ParsedDockerfile, stage: Stage): Stage[] {
  const chain: Stage[] = [];
  for (let s: Stage | undefined = stage; s && chain.length < 64 && !chain.includes(s);) {
    chain.push(s);
    const from: string = s.image.toLowerCase();
    const index: number = s.index;
    s = [...file.stages].reverse().find((p) => p.index < index && p.name === from);
  }
  return chain;
}

export function lastOf(chain: readonly Stage[], keyword: string): Instruction | undefined {
  for (const s of chain) {
    const found = s.instructions.filter((i) => i.keyword === keyword).pop();
    if (found) return found;
  }
  return undefined;
}

/** The WORKDIR the chain leaves, or null with why it cannot be known. */
export function workdirOf(chain: readonly Stage[]): { dir: string; why?: never } | { dir: null; why: string } {
  const root = chain[chain.length - 1];
  if (!root) return { dir: null, why: 'restage cannot read the Dockerfile' };
  let dir: string | null = root.image.toLowerCase() === 'scratch' ? '/' : null;
  for (const s of [...chain].reverse()) {
    for (const inst of s.instructions.filter((i) => i.keyword === 'WORKDIR')) {
      const value = inst.args.map((a) => a.raw).join(' ');
      if (/[$"'\\]/.test(value))
        return {
          dir: null,
          why: `the WORKDIR at line ${inst.line} (${value}) depends on a variable or quoting restage does not expand`,
        };
      dir = value.startsWith('/') ? path.posix.normalize(value) : dir === null ? null : path.posix.join(dir, value);
    }
  }
  return dir === null
    ? { dir: null, why: `it comes from the base image ${root.image}, which restage does not read` }
    : { dir };
}
