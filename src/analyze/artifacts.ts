/**
 * Gathers facts first, decides at the end: replays the flow's host-side effects (docker cp's
 * directory rules, mkdir, mv, rm) to know which host path holds which container path at the
 * time of each build, then matches every runtime COPY/ADD source against them.
 *
 * docker cp, as observed on a real engine: `c:/d ./new` makes ./new with d's
 * content; `c:/d ./existing` makes ./existing/d; `c:/d/. ./x` merges d's content into ./x;
 * a file to an existing directory lands inside it.
 */
import path from 'node:path';
import { diagnostic, type Diagnostic, type Location } from '../model/diagnostic.js';
import type { Instruction, ParsedDockerfile, Stage } from '../model/dockerfile.js';
import type { BuildFlow, ContainerCreate, CopyOut, HostOperation, ImageBuild, RunMount } from '../model/flow.js';
import { hostPaths, MODELLED_OPS } from '../shared/host-ops.js';
import type {
  Artifact,
  ArtifactSource,
  Consumption,
  ContainerRun,
  HostSnapshot,
  StagedSource,
} from '../model/analysis.js';
import { stagedFile } from './staging.js';
import { Placement, type Placed } from './placement.js';
import { ContainerRuns } from './started.js';
import { neverHeld } from './never-held.js';
import { stdoutRead } from './stdout.js';
import { exportedPathProblem, isWholeExport } from './export-stream.js';
import { isWithin } from '../shared/paths.js';
import { globCovers } from '../shared/glob.js';
import { isContextSource, readsContext } from '../shared/context-copy.js';
import { imageKey } from '../shared/image-ref.js';
import { streamedSourceProblem } from './build-stdin.js';
import { isUndecided, isUnknown } from './build-ignore.js';
import { contextSourcePath, ignoredIn, ignoreRules, kindBefore, refusedBefore, sourceText } from './host-snapshot.js';

export interface MatchInput {
  readonly flow: BuildFlow;
  readonly root: string;
  /** The directory before the script runs: at least every path `hostPathsAsked` names for this flow and these Dockerfiles. */
  readonly host: HostSnapshot;
  /** Parsed Dockerfiles by absolute path (the builds' Dockerfiles that exist). */
  readonly dockerfiles: ReadonlyMap<string, ParsedDockerfile>;
  readonly display: (absolutePath: string) => string;
  /** The script analysis already failed (an extraction restage could not follow): a missing COPY source is then a consequence, not news. */
  readonly scriptFailed: boolean;
}

export interface MatchResult {
  readonly artifacts: Artifact[];
  readonly consumptions: Consumption[];
  readonly runtime: ImageBuild | null;
  readonly diagnostics: Diagnostic[];
  /** COPY sources a staging step put into the context from the tree (staging.ts). */
  readonly staged: StagedSource[];
}

const GLOB = /[*?[]/;
const ARCHIVE = /\.(tar|tgz|tar\.gz|tar\.bz2|tbz2|tar\.xz|txz|tar\.zst)$/;

/** A member of a tar archive streamed into a host file, with the container path it holds (a relative one resolved). */
interface ArchiveMember {
  readonly event: CopyOut;
  readonly source: ArtifactSource;
  readonly containerPath: string;
  /** The commands the container ran before the stream was read (a run stage), or null. */
  readonly run: ContainerRun | null;
}

export function matchArtifacts(input: MatchInput): MatchResult {
  const { flow, host } = input;
  const diagnostics: Diagnostic[] = [];
  const artifacts: Artifact[] = [];
  const consumptions: Consumption[] = [];
  const staged: StagedSource[] = [];
  const imagesByTag = new Map<string, ImageBuild>();
  const containers = new Map<string, ArtifactSource>();
  const creates = new Map<string, ContainerCreate>();
  /**
   * Every container made so far, kept after its removal: a tar stream written to a host file
   * (`docker cp c:/p - > p.tar`, then `docker rm c`) is unpacked later, and its members come from
   * the container as it was when the stream was written. A handle made twice is ambiguous then.
   */
  const madeOnce = new Map<string, ArtifactSource | null>();
  /** Tar archives streamed into host files, by host path: the members a runtime `ADD` of the file unpacks. */
  const archives = new Map<string, ArchiveMember[]>();
  /** The container each `docker export` read, by its line: its members unpacked later (from a file) come from it as it was then. */
  const exportsRead = new Map<string, ArtifactSource>();
  const placement = new Placement(host, input.display);
  /** Host paths the script's own commands write before the build at hand (`cp`, `mv`, `mkdir`, a redirection, an unknown command). */
  const written: HostOperation[] = [];
  /** Every host command before the build at hand, in order. */
  const hostSteps: HostOperation[] = [];
  /** What fetches from outside wrote (curl, wget, …, src/analyze/fetch.ts), and what unpacks of it made, with the fetch's line. */
  const fetched: HostOperation[] = [];
  const consumed = new Set<number>();
  const buildsWithConsumers: ImageBuild[] = [];
  const runs = new ContainerRuns(input.dockerfiles, input.display, host.envFiles);
  const said = new Set<string>();
  const sayOnce = (d: Diagnostic) => {
    const key = `${d.code}:${d.file}:${d.line}:${d.column}:${d.message}`;
    if (!said.has(key)) diagnostics.push(d);
    said.add(key);
  };

  for (const event of flow.events) {
    switch (event.kind) {
      case 'build':
        for (const tag of event.tags) imagesByTag.set(imageKey(tag), event);
        matchBuild(event);
        break;
      case 'create': {
        const build = imagesByTag.get(imageKey(event.image));
        containers.set(event.handle, build ? { kind: 'build', build } : { kind: 'image', image: event.image });
        madeOnce.set(event.handle, madeOnce.has(event.handle) ? null : containers.get(event.handle)!);
        creates.set(event.handle, event);
        runs.create(event);
        break;
      }
      case 'container':
        runs.call(event);
        break;
      case 'remove':
        for (const c of event.containers) containers.delete(c);
        break;
      case 'copy-out': {
        const source = event.exportedAt
          ? exportSource(event, event.exportedAt)
          : (containers.get(event.container) ?? (event.via === 'tar' ? madeOnce.get(event.container) : undefined));
        if (!source) {
          diagnostics.push(
            diagnostic(
              'RS401',
              event.at,
              `${event.exportedAt ? '`docker export` streams the file system of' : '`docker cp` reads from'} container "${event.container.startsWith('@') ? 'the captured id' : event.container}", which the script never created (or already removed) at this point; restage cannot tell which image the artifact comes from`,
            ),
          );
          break;
        }
        const destKind = placement.kindOf(event.hostPath);
        const read = stdoutRead(event, source, destKind, input.dockerfiles, input.display);
        // A tar stream's members are read one by one: what is said of the stream is said once.
        for (const d of read?.diagnostics ?? [])
          if (
            !diagnostics.some(
              (x) => x.code === d.code && x.message === d.message && (d.code === 'RS346' || x.line === d.line),
            )
          )
            diagnostics.push(d);
        const ran = runs.atCopy(event, source.kind === 'build' ? source.build : null, bindSource);
        ran.diagnostics.forEach(sayOnce);
        const builtBy = source.kind === 'build' ? input.dockerfiles.get(source.build.dockerfile) : undefined;
        const absent =
          builtBy && source.kind === 'build' && !event.reader && !creates.get(event.container)?.started
            ? neverHeld(builtBy, source.build, event.containerPath)
            : null;
        if (absent !== null) {
          sayOnce(
            diagnostic(
              'RS338',
              event.at,
              `\`docker cp\` reads ${event.containerPath.replace(/(.)\/\.$/, '$1')}, and ${absent}: docker fails here ("Could not find the file … in container") and the script stops as written; copy a path the image holds (or make the builder Dockerfile write it) and run restage again`,
            ),
          );
          break;
        }
        if (event.archiveMember !== undefined) {
          const held = archives.get(event.hostPath)?.filter((m) => m.event.at === event.at) ?? [];
          const resolved = read?.containerPath ?? event.containerPath.replace(/(.)\/\.$/, '$1');
          archives.set(event.hostPath, [...held, { event, source, containerPath: resolved, run: ran.run }]);
          break;
        }
        const contentOnly = event.containerPath.endsWith('/.');
        const containerPath =
          read?.containerPath ?? (contentOnly ? event.containerPath.slice(0, -2) || '/' : event.containerPath);
        // docker cp nests a copy into an existing directory; tar -x writes a member where its name says.
        const hostPath =
          event.via === 'cp' && !contentOnly && destKind === 'dir'
            ? path.join(event.hostPath, path.posix.basename(containerPath))
            : event.hostPath;
        if (event.via === 'tar' && !contentOnly && destKind === 'dir') {
          diagnostics.push(
            diagnostic(
              'RS343',
              event.at,
              `the tar member ${containerPath} lands on ${input.display(hostPath)}, which is a directory at this point: tar -x merges a directory member into it (and fails on a file member), which restage does not model; remove ${input.display(hostPath)} before this line (or unpack into a new directory) and run restage again`,
            ),
          );
          break;
        }
        const mounted = event.exportedAt && !contentOnly ? exportedPathProblem(containerPath, mountsOf(event)) : null;
        if (mounted !== null) {
          diagnostics.push(
            diagnostic(
              'RS348',
              event.at,
              `the member ${containerPath} of \`docker export ${event.container.startsWith('@') ? 'CONTAINER' : event.container}\` ${mounted}; restage maps a member to the same path of the container's image or run stage: unpack a path the image or the command made, and run restage again`,
            ),
          );
          break;
        }
        const into = event.extractedInto;
        const intoKind = into === undefined ? 'dir' : placement.kindOf(into);
        if (into !== undefined && intoKind !== 'dir') {
          diagnostics.push(
            diagnostic(
              'RS343',
              event.at,
              `tar -x unpacks into ${input.display(into)}, which ${intoKind === 'file' ? 'is a file' : 'does not exist'} at this point, so tar fails and the script stops here as written; make the directory first (\`mkdir -p ${input.display(into)}\`) and run restage again`,
            ),
          );
          break;
        }
        const artifact: Artifact = {
          id: artifacts.length + 1,
          copyOut: event,
          source,
          containerPath,
          contentOnly,
          hostPath,
          modes: read?.modes ?? [],
          changes: read?.modes ?? [],
          run: ran.run,
        };
        artifacts.push(artifact);
        const merged =
          contentOnly &&
          destKind === 'dir' &&
          kindBefore(host, hostPath) === 'dir' &&
          !placement.madeDirs.has(hostPath);
        placement.place({ artifact, hostPath, containerPath, merged });
        break;
      }
      case 'host':
        hostSteps.push(event);
        if (event.op !== 'rm' && event.op !== 'chmod' && event.op !== 'chown') written.push(event);
        if (event.op === 'fetch') fetched.push(event);
        if (event.unpack) {
          const from = fetched.find((f) => f.paths.some((p) => isWithin(event.unpack!.archive, p)));
          if (from) fetched.push({ ...from, paths: [event.unpack.into] });
        }
        diagnostics.push(...placement.applyHost(event));
        for (const id of placement.declinedUnpacks) consumed.add(id);
        break;
    }
  }

  // A build restage may not read (RS120-RS122) may consume any artifact: none is said to be unused.
  const blind = flow.events.some(
    (e) => e.kind === 'build' && (refusedBefore(host, e.context) || refusedBefore(host, e.dockerfile)),
  );
  for (const a of artifacts) {
    // A bind mount may as well carry sources in, or a cache: only what a build reads of it is an artifact.
    if (!consumed.has(a.id) && !blind && a.copyOut.via !== 'bind') {
      diagnostics.push(
        diagnostic(
          'RS402',
          a.copyOut.at,
          `the artifact ${a.containerPath} extracted to ${input.display(a.hostPath)} is not used by any later \`docker build\` in the script; the migrated Dockerfile does not need it (if something outside the script uses it, keep that step)`,
        ),
      );
    }
  }
  const runtime = buildsWithConsumers[buildsWithConsumers.length - 1] ?? null;
  // A build whose artifacts reach the runtime through another builder (a chained builder) is part of the migration.
  const feeds = new Set<ImageBuild>();
  for (let queue = runtime ? [runtime] : []; queue.length > 0;) {
    const b = queue.pop()!;
    for (const c of consumptions) {
      const src = c.artifact.source;
      if (c.build === b && src.kind === 'build' && !feeds.has(src.build)) {
        feeds.add(src.build);
        queue.push(src.build);
      }
    }
  }
  for (const other of buildsWithConsumers.slice(0, -1).filter((b) => !feeds.has(b))) {
    diagnostics.push(
      diagnostic(
        'RS108',
        other.at,
        `this build (${other.tags[0] ?? input.display(other.dockerfile)}) also copies extracted artifacts, but one migration makes one Dockerfile: restage migrated the last such build (${runtime!.tags[0] ?? input.display(runtime!.dockerfile)}); migrate this image separately`,
      ),
    );
  }
  return { artifacts, consumptions, runtime, diagnostics, staged };

  function matchBuild(build: ImageBuild): void {
    const ignore = host.buildIgnores?.get(build);
    if (ignore && isUndecided(ignore)) {
      const { own, context } = ignore.undecided;
      diagnostics.push(
        diagnostic(
          'RS391',
          build.dockerfileAt,
          `BuildKit filters this build's context through ${input.display(own)}, the Dockerfile's own ignore file, and the classic builder through ${context === null ? `${input.display(path.join(build.context, '.dockerignore'))}, which does not exist` : input.display(context)}; they differ, and ${build.invocation.client === 'podman' ? 'the build runs on podman, whose builder restage has not measured on this: make the two files the same' : 'the script leaves the builder to the engine (Docker 23+ builds with BuildKit, older engines with the classic builder): set DOCKER_BUILDKIT=1 (or 0) for this build in the script, or make the two files the same'}, and run restage again`,
        ),
      );
    }
    if (ignore && isUnknown(ignore))
      diagnostics.push(
        diagnostic(
          'RS392',
          ignore.unknown.at,
          `\`${ignore.unknown.command}\` changes ${input.display(path.join(build.context, '.dockerignore'))}, the ignore file of the build context ${input.display(build.context) || '.'} (${path.basename(build.at.file)}:${build.at.line}), and restage cannot tell its text when the build runs: which files that build copied is unknown; keep the file in the tree as the build needs it (or copy it there with a plain \`cp\` of a tree file), and run restage again`,
        ),
      );
    const dockerfile = input.dockerfiles.get(build.dockerfile);
    if (!dockerfile) return;
    const before = consumptions.length;
    for (const stage of dockerfile.stages) {
      if (build.streamed && isBuilderStage(stage, dockerfile)) continue;
      for (const inst of stage.instructions) {
        if (readsContext(inst)) matchInstruction(build, dockerfile, inst);
      }
    }
    if (consumptions.length > before) buildsWithConsumers.push(build);
  }

  /**
   * A stage of a streamed build's Dockerfile that repeats, step for step, a stage another build of
   * the script builds: the builder, merged into the runtime file by an earlier migration (the
   * script that streams its output into the build stays, RS610). Its COPY sources are the
   * builder's, read from the tree by the merged build, not from the stream.
   */
  function isBuilderStage(stage: Stage, file: ParsedDockerfile): boolean {
    const steps = (s: Stage, f: ParsedDockerfile) =>
      JSON.stringify(s.instructions.slice(1).map((i) => f.text.slice(i.start, i.end)));
    const own = steps(stage, file);
    return flow.events.some((e) => {
      if (e.kind !== 'build') return false;
      const f = input.dockerfiles.get(e.dockerfile);
      return f !== undefined && f !== file && f.stages.some((s) => steps(s, f) === own);
    });
  }

  function matchInstruction(build: ImageBuild, dockerfile: ParsedDockerfile, inst: Instruction): void {
    const sources = inst.args.slice(0, -1);
    sources.forEach((token, index) => {
      const raw = sourceText(inst, token);
      const at = { file: dockerfile.file, line: token.line, column: token.column };
      if (!isContextSource(raw)) return;
      if (raw.includes('$')) {
        // Which file a variable source names is decided at build time; one that may name an artifact is undecidable here.
        const maybe = placement.placed.find((x) =>
          globCovers(path.join(build.context, raw.replace(/\$(\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)/g, '*')), x.hostPath),
        );
        if (maybe) {
          diagnostics.push(
            diagnostic(
              'RS304',
              at,
              `the COPY source "${raw}" depends on a variable, so restage cannot tell whether it takes the extracted artifact ${input.display(maybe.hostPath)} from the context; restage does not guess: write the source literally and run restage again`,
            ),
          );
          consumed.add(maybe.artifact.id);
        }
        return;
      }
      const hostPath = contextSourcePath(build.context, inst, token);
      if (fromOutside(hostPath, raw, at)) return;
      const streamed = streamedSourceProblem(
        build,
        hostPath,
        placement.placed.some((x) => isWithin(hostPath, x.hostPath)),
        placement.placed.some((x) => isWithin(hostPath, x.hostPath) || isWithin(x.hostPath, hostPath))
          ? null
          : kindBefore(host, hostPath),
        ignoreRules(host, build),
        input.display(build.context) || '.',
      );
      if (streamed !== null) {
        diagnostics.push(diagnostic('RS336', at, `${inst.keyword} source "${raw}" ${streamed}`));
        return;
      }
      if (GLOB.test(raw)) {
        const covered = placement.placed.filter((x) => globCovers(hostPath, x.hostPath));
        if (covered.length > 0) {
          diagnostics.push(
            diagnostic(
              'RS407',
              at,
              `the pattern "${raw}" matches the extracted artifact ${input.display(covered[0]!.hostPath)}; restage does not rewrite a pattern into COPY --from: name the artifact explicitly (e.g. COPY ${path.relative(build.context, covered[0]!.hostPath)} …) and run restage again`,
            ),
          );
        }
        return;
      }
      const archive = archives.get(hostPath);
      if (archive && !placement.placed.some((x) => isWithin(hostPath, x.hostPath))) {
        unpack(build, dockerfile, inst, index, raw, at, archive);
        return;
      }
      const exact = placement.placed.find((x) => isWithin(hostPath, x.hostPath));
      if (exact && unpackedOver(exact, hostPath, raw, at)) return;
      if (
        exact?.artifact.copyOut.via === 'bind' &&
        hostPath !== exact.hostPath &&
        kindBefore(host, hostPath) !== null
      ) {
        diagnostics.push(
          diagnostic(
            'RS330',
            at,
            `COPY source "${raw}" lies in ${input.display(exact.hostPath)}, which the container sees at ${exact.containerPath} through the bind mount \`${bindWritten(exact.artifact.copyOut)}\`, and it already exists in your tree before the script runs: restage cannot tell whether the build reads the source file or what the command wrote over it (or a stale output); remove it from the tree (if it is output) or keep sources out of the mounted output directory, and run restage again`,
          ),
        );
        consumed.add(exact.artifact.id);
        return;
      }
      const wholeExport = exact !== undefined && isWholeExport(exact.artifact);
      if (wholeExport) {
        const sub = hostPath.slice(exact.hostPath.length).replace(/\/+$/, '');
        const why =
          exportedPathProblem(
            sub ? path.posix.join(exact.containerPath, sub) : exact.containerPath,
            mountsOf(exact.artifact.copyOut),
          ) ??
          (exact.merged && kindBefore(host, hostPath) !== null
            ? `is also a file of your tree, in ${input.display(exact.hostPath) || '.'}, which held files before the script: whether tar replaced it depends on what the container holds, which restage cannot list`
            : null);
        if (why !== null) {
          diagnostics.push(
            diagnostic(
              'RS349',
              at,
              `${inst.keyword} source "${raw}" lies in the file system \`docker export\` streams out of the container and \`tar -x\` unpacks into ${input.display(exact.hostPath) || '.'} (${path.basename(exact.artifact.copyOut.at.file)}:${exact.artifact.copyOut.at.line}), and ${why}: restage maps a source there to one path of the container's image; copy a file or directory the image or its command made (unpacked into a directory the script makes), or name it as a member of the \`tar -x\`, and run restage again`,
            ),
          );
          consumed.add(exact.artifact.id);
          return;
        }
      }
      // A directory holding context files with the artifact's content merged in: the context part stays.
      if (!wholeExport && exact?.merged && (hostPath === exact.hostPath || kindBefore(host, hostPath) !== null)) {
        // Artifacts placed inside it are copied too, each where it lies, in the order they were placed.
        if (hostPath === exact.hostPath)
          cover(
            build,
            dockerfile,
            inst,
            index,
            placement.placed.filter(
              (x) =>
                x === exact ||
                (x.hostPath !== hostPath &&
                  isWithin(x.hostPath, hostPath) &&
                  !(build.streamed === undefined && ignoredIn(host, build, x.hostPath))),
            ),
            hostPath,
          );
        return;
      }
      if (exact) {
        if (inst.keyword === 'ADD' && ARCHIVE.test(raw)) {
          diagnostics.push(
            diagnostic(
              'RS307',
              at,
              `ADD unpacks the archive ${raw} from the context, and COPY --from would not; restage does not migrate an archive artifact yet: unpack it in the builder stage and copy the result`,
            ),
          );
          // The archive is used (by this ADD): no RS402 says it is not.
          consumed.add(exact.artifact.id);
          return;
        }
        const sub = hostPath.slice(exact.hostPath.length).replace(/\/+$/, '');
        const containerPath = sub ? path.posix.join(exact.containerPath, sub) : exact.containerPath;
        consumptions.push({
          artifact: exact.artifact,
          build,
          dockerfile,
          instruction: inst,
          sourceIndex: index,
          containerPath,
          within: null,
        });
        consumed.add(exact.artifact.id);
        return;
      }
      const inside = placement.placed.filter(
        (x) => isWithin(x.hostPath, hostPath) && !(build.streamed === undefined && ignoredIn(host, build, x.hostPath)),
      );
      if (inside.length > 0) {
        cover(build, dockerfile, inst, index, inside, hostPath);
        return;
      }
      // A refused path or context (RS120-RS122) may well exist: restage does not look.
      if (
        placement.kindOf(hostPath) === null &&
        !input.scriptFailed &&
        !refusedBefore(host, hostPath) &&
        !refusedBefore(host, build.context)
      ) {
        const maker = written.find((e) => madeBy(e, hostPath));
        const fromTree = maker ? stagedFile(hostPath, hostSteps, host) : null;
        // A .dockerignore of a context holding the tree file that leaves it out gets an exception
        // for it in the merged context's .dockerignore (src/plan/dockerignore.ts).
        if (fromTree) {
          staged.push({ build, dockerfile, instruction: inst, sourceIndex: index, origin: fromTree.origin });
          const { step } = fromTree;
          diagnostics.push(
            diagnostic(
              'RS390',
              at,
              `COPY source "${raw}" is the tree's ${input.display(fromTree.origin)}, which \`${step.command}\` (${step.at.file}:${step.at.line}) puts into the build context ${input.display(build.context) || '.'}; the migrated build copies it from the tree${step.op === 'cp' && !/(^| )-[a-z]*p/.test(step.command) ? " (cp without -p gives the copy the tree file's mode as the umask leaves it: the same, for a file git checked out under the umask the script runs with)" : ''}`,
            ),
          );
          return;
        }
        const gone = maker ? null : removedBefore(build, hostPath);
        if (gone) {
          diagnostics.push(
            diagnostic(
              'RS339',
              at,
              `COPY source "${raw}" is ${input.display(gone.artifact.hostPath)}, which the script extracts (${path.basename(gone.artifact.copyOut.at.file)}:${gone.artifact.copyOut.at.line}) and then removes (\`${gone.rm.command}\`, ${path.basename(gone.rm.at.file)}:${gone.rm.at.line}) before this build: docker finds nothing there and the build fails as written; move the removal after the build (or drop it) and run restage again`,
            ),
          );
          return;
        }
        diagnostics.push(
          diagnostic(
            'RS403',
            at,
            maker
              ? `COPY source "${raw}" is written on the host by the script (\`${maker.command}\`, ${maker.at.file}:${maker.at.line}), which restage does not carry into the migration (the merged build would not find it): make it in a Dockerfile step or keep it as a file in the context, and run restage again`
              : `COPY source "${raw}" is neither in the build context (${input.display(build.context) || '.'}) nor produced by the script before this build; the build would fail: fix the path or the script`,
          ),
        );
      }
    });
  }

  /**
   * `ADD ARCHIVE DEST` of a tar archive the script streamed out of a container: ADD unpacks a local
   * tar archive with the archive's owners and modes (test/e2e/routes-tar.test.ts), and so does a
   * `COPY --from` of each member without --chown. A COPY of the archive, an ADD with flags or with
   * other sources are declined (RS344).
   */
  function unpack(
    build: ImageBuild,
    dockerfile: ParsedDockerfile,
    inst: Instruction,
    index: number,
    raw: string,
    at: { file: string; line: number; column: number },
    members: readonly ArchiveMember[],
  ): void {
    const first = members[0]!.event;
    if (first.exportedAt) {
      diagnostics.push(
        diagnostic(
          'RS349',
          at,
          `${raw} is the whole file system \`docker export\` streams into \`${input.display(first.hostPath)}\` (${path.basename(first.at.file)}:${first.at.line}), with what the engine adds to every container (\`.dockerenv\`, \`etc/hosts\`, \`proc/\`…), which no COPY --from of the image gives: unpack the members the image needs with \`tar -xf ${raw} -C DIR MEMBER…\` and COPY them, and run restage again`,
        ),
      );
      return;
    }
    const why =
      inst.keyword !== 'ADD'
        ? `${inst.keyword} copies the archive file itself, whose bytes (names, times, order) only the legacy run makes`
        : inst.flags.length > 0
          ? `ADD ${inst.flags.map((f) => `--${f.name}`).join(' ')} is not modelled on an unpacked archive`
          : inst.args.length !== 2
            ? 'the ADD has other sources besides the archive'
            : null;
    if (why !== null) {
      diagnostics.push(
        diagnostic(
          'RS344',
          at,
          `${raw} is the tar archive \`${input.display(first.hostPath)}\` the script streams out of a container (${path.basename(first.at.file)}:${first.at.line}), and ${why}: restage migrates \`ADD ${raw} DEST\` alone (unpacked into DEST); write it so, or migrate this step by hand`,
        ),
      );
      return;
    }
    for (const { event, source, containerPath, run } of members) {
      const contentOnly = event.containerPath.endsWith('/.');
      const artifact: Artifact = {
        id: artifacts.length + 1,
        copyOut: event,
        source,
        containerPath,
        contentOnly,
        hostPath: event.hostPath,
        modes: [],
        changes: [],
        unpackedAs: event.archiveMember!,
        run,
      };
      artifacts.push(artifact);
      consumed.add(artifact.id);
      consumptions.push({
        artifact,
        build,
        dockerfile,
        instruction: inst,
        sourceIndex: index,
        containerPath: artifact.containerPath,
        within: null,
      });
    }
    diagnostics.push(
      diagnostic(
        'RS345',
        at,
        `ADD unpacks the tar archive ${raw} (streamed out at ${path.basename(first.at.file)}:${first.at.line}) with the owners and modes the archive records, which are the builder's: restage copies each member with COPY --from and without --chown=0:0, which keeps them too`,
      ),
    );
  }

  /** The container a member of a `docker export` stream comes from: the one there when the export ran, else none. */
  function exportSource(event: CopyOut, at: Location): ArtifactSource | undefined {
    const key = `${event.container}\0${at.file}:${at.line}:${at.column}`;
    const now = containers.get(event.container);
    if (now && !exportsRead.has(key)) exportsRead.set(key, now);
    return exportsRead.get(key);
  }

  /** The mounts of the run of the container a copy reads (none for a container only created). */
  function mountsOf(copy: CopyOut): readonly RunMount[] {
    return creates.get(copy.container)?.run?.mounts ?? [];
  }

  /**
   * A COPY source the script fetched from outside (or a directory holding such a file): its
   * content is known to no step restage migrates, so it is declined on the fetching line (RS359).
   * A fetch into a directory counts for a source below it that the tree did not hold, or the
   * directory itself; a download unpacked by a piped `tar -x` for every source below its directory
   * (its members are unknown: any may have replaced what was there).
   */
  function fromOutside(hostPath: string, raw: string, at: { file: string; line: number; column: number }): boolean {
    const source = hostPath.replace(/\/+$/, '');
    const extracted = placement.placed.some((x) => isWithin(source, x.hostPath));
    const f = fetched.find((e) =>
      e.paths.some(
        (p) =>
          (isWithin(source, p) &&
            (p === source || e.pipedInto !== undefined || (kindBefore(host, source) === null && !extracted))) ||
          (p !== source && isWithin(p, source)),
      ),
    );
    if (!f) return false;
    const copied = `${raw}, ${path.basename(at.file)}:${at.line}`;
    const piped = f.pipedInto;
    diagnostics.push(
      diagnostic(
        'RS359',
        f.at,
        piped
          ? `\`${f.command}\` fetches from outside the builder a stream that \`${piped.command}\` (${path.basename(piped.at.file)}:${piped.at.line}) unpacks below ${input.display(f.paths[0]!) || '.'}, and the runtime build copies from there (${copied}); what the pipe writes there is unknown to restage, and the migrated build would not have it: fetch and unpack it in a RUN step of the builder's Dockerfile (\`RUN ${f.command} | ${piped.command}\`, with a directory of the image) and copy it out of the builder as the script does the artifact, or commit the unpacked files to the repository (dropping the download from the script), and run restage again`
          : `\`${f.command}\` fetches from outside the builder what the runtime build copies (${copied}); its content is unknown to restage, and the migrated build would not have it: keep the COPY from the context and commit the file to the repository (dropping the download from the script), or fetch it in the Dockerfile with \`ADD --checksum=sha256:… URL DEST\`, and run restage again`,
      ),
    );
    for (const x of placement.placed)
      if (isWithin(x.hostPath, source) || isWithin(source, x.hostPath)) consumed.add(x.artifact.id);
    return true;
  }

  /**
   * A source below the directory an archive was unpacked into (src/analyze/placement.ts), which
   * the tree or an earlier extraction already held there: whether the archive replaced it is not
   * knowable statically, so it is declined (RS358). The directory itself is not: its COPY stays
   * and the unpacked members are copied over it, as the unpack wrote over it.
   */
  function unpackedOver(exact: Placed, hostPath: string, raw: string, at: Location): boolean {
    const from = placement.placed.indexOf(exact);
    const over = placement.placed.find(
      (y, i) =>
        y.unpackedBy !== undefined &&
        hostPath !== y.hostPath &&
        isWithin(hostPath, y.hostPath) &&
        (y === exact ? y.merged && kindBefore(host, hostPath) !== null : i > from),
    );
    if (!over) return false;
    const by = over.unpackedBy!;
    diagnostics.push(
      diagnostic(
        'RS358',
        at,
        `COPY source "${raw}" lies in ${input.display(over.hostPath) || '.'}, which \`${by.command}\` (${path.basename(by.at.file)}:${by.at.line}) unpacks an extracted archive into, and ${heldBy(exact, over)} held it before: restage cannot tell whether the archive replaced it, since its members are not knowable statically; unpack into a directory of its own (\`mkdir x && tar -xf … -C x\`) and run restage again`,
      ),
    );
    consumed.add(over.artifact.id);
    consumed.add(exact.artifact.id);
    return true;
  }

  function heldBy(exact: Placed, over: Placed): string {
    return exact === over ? 'your tree' : `the extraction of ${exact.artifact.containerPath}`;
  }

  /** The mount as written, for messages. */
  function bindWritten(copy: CopyOut): string {
    const run = creates.get(copy.container)?.run;
    return run?.mounts.find((m) => m.at === copy.at)?.written ?? input.display(copy.hostPath);
  }

  /**
   * What a bind mount's host directory held when the run started: the tree's directory as it was
   * before the script (copied into the run stage), or nothing (docker or a `mkdir` made it). Any
   * other command of the script that wrote into it first is not carried: declined (RS332).
   */
  function bindSource(m: RunMount): string | null | Diagnostic {
    const decline = (why: string) =>
      diagnostic(
        'RS332',
        m.at,
        `the bind mount \`${m.written}\` shows ${input.display(m.source) || '.'} at ${m.target}, and ${why}; restage reproduces a bind-mounted directory as a COPY of it from the build context: mount a directory of your tree, or let docker make it, and run restage again`,
      );
    if (refusedBefore(host, m.source))
      return decline('restage does not read that path (outside the directory, or not a directory)');
    const before = kindBefore(host, m.source);
    if (before === 'file') return decline('it is a file, not a directory');
    const writer = written.find(
      (e) => !(e.op === 'mkdir' && hostPaths(e).makes.every((p) => isWithin(m.source, p))) && madeWithin(e, m.source),
    );
    if (writer)
      return decline(
        `the script writes into it before the run (\`${writer.command}\`, ${writer.at.file}:${writer.at.line}), which is not in your tree`,
      );
    const extracted = placement.placed.find((x) => isWithin(x.hostPath, m.source) && x.artifact.copyOut.at !== m.at);
    if (extracted)
      return decline(`an earlier extraction put ${input.display(extracted.hostPath)} in it, which is not in your tree`);
    if (before === 'dir') {
      for (const b of flow.events.flatMap((e) => (e.kind === 'build' ? [e] : []))) {
        const ctx = b.context;
        if (!isWithin(m.source, ctx)) continue;
        const rel = path.relative(ctx, m.source);
        const rule = ignoreRules(host, b).find(
          (r) =>
            !r.exception &&
            (rel === '' || r.pattern === rel || r.pattern.startsWith(`${rel}/`) || /^[*?[]/.test(r.pattern)),
        );
        if (rule)
          sayOnce(
            diagnostic(
              'RS331',
              m.at,
              `the container saw every file of ${input.display(m.source) || '.'} through the bind mount \`${m.written}\`, while the run stage copies it from the build context, where the .dockerignore rule \`${rule.pattern}\` of ${input.display(ctx) || '.'} may leave files out: check that the command does not need them (or add \`!\` exceptions) — verify compares the results`,
            ),
          );
      }
      return m.source;
    }
    if (
      m.written.includes('type=') &&
      !flow.events.some((e) => e.kind === 'host' && e.op === 'mkdir' && madeWithin(e, m.source))
    )
      return decline(
        'it does not exist: `--mount type=bind` refuses a missing source ("bind source path does not exist") and the script fails here as written',
      );
    return null;
  }

  function madeWithin(e: HostOperation, dir: string): boolean {
    const targets = MODELLED_OPS.has(e.op) ? hostPaths(e).makes : e.paths;
    return targets.some((t) => isWithin(t, dir));
  }

  /** Whether the host command `e` writes `p` (or a directory above it): a copy's or move's destination, what mkdir or another command names. */
  /** An artifact at (or below) p that a host `rm` removed before the build: the script breaks at the build. */
  function removedBefore(build: ImageBuild, p: string): { artifact: Artifact; rm: HostOperation } | null {
    const events = flow.events;
    const end = events.indexOf(build);
    for (const artifact of artifacts) {
      if (!isWithin(artifact.hostPath, p) && !isWithin(p, artifact.hostPath)) continue;
      const from = events.indexOf(artifact.copyOut);
      const rm = events
        .slice(from + 1, end < 0 ? undefined : end)
        .find(
          (e): e is HostOperation =>
            e.kind === 'host' && e.op === 'rm' && e.paths.some((q) => isWithin(p, q) || isWithin(artifact.hostPath, q)),
        );
      if (rm) return { artifact, rm };
    }
    return null;
  }

  function madeBy(e: HostOperation, p: string): boolean {
    const targets = MODELLED_OPS.has(e.op) ? hostPaths(e).makes : e.paths;
    return targets.some((t) => isWithin(p, t));
  }

  /** The source directory also holds artifacts: the COPY stays, each artifact gets a COPY --from into the same place. */
  function cover(
    build: ImageBuild,
    dockerfile: ParsedDockerfile,
    inst: Instruction,
    index: number,
    covered: readonly Placed[],
    dir: string,
  ): void {
    const onlyArtifacts =
      kindBefore(host, dir) === null &&
      written.every((e) =>
        (MODELLED_OPS.has(e.op) ? hostPaths(e).makes : e.paths).every(
          (t) => !isWithin(t, dir) || e.op === 'mkdir' || placement.placed.some((x) => x.hostPath === t),
        ),
      );
    for (const x of covered) {
      if (isWholeExport(x.artifact) && exportedPathProblem(x.containerPath, mountsOf(x.artifact.copyOut)) !== null) {
        diagnostics.push(
          diagnostic(
            'RS349',
            { file: dockerfile.file, line: inst.line, column: inst.column },
            `${inst.keyword} copies the directory ${input.display(dir) || '.'}, which holds ${input.display(x.hostPath)}, unpacked by \`tar -x\` from the whole file system \`docker export\` streams (${path.basename(x.artifact.copyOut.at.file)}:${x.artifact.copyOut.at.line}), and ${x.containerPath} ${exportedPathProblem(x.containerPath, mountsOf(x.artifact.copyOut))}: restage maps a COPY source there to one path of the container's image; copy the files the image or its command made by their own paths, and run restage again`,
          ),
        );
        consumed.add(x.artifact.id);
        continue;
      }
      if (x.link) {
        diagnostics.push(
          diagnostic(
            'RS352',
            { file: dockerfile.file, line: inst.line, column: inst.column },
            `${inst.keyword} copies the directory ${input.display(dir) || '.'}, which holds the symlink ${input.display(x.hostPath)} the script made on the host to an extracted artifact; COPY keeps a link inside a directory as a link, and restage does not make that link in the image: copy the link by its own name (COPY ${path.relative(build.context, x.hostPath)} …) or make it in a Dockerfile step, and run restage again`,
          ),
        );
        consumed.add(x.artifact.id);
        continue;
      }
      consumptions.push({
        artifact: x.artifact,
        build,
        dockerfile,
        instruction: inst,
        sourceIndex: index,
        containerPath: x.containerPath,
        within: path.relative(dir, x.hostPath),
        ...(onlyArtifacts ? { onlyArtifacts } : {}),
      });
      consumed.add(x.artifact.id);
    }
  }
}
