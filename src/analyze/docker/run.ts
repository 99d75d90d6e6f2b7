/**
 * `docker run` / `docker container run`. A named run leaves a container `docker cp` can read,
 * but unlike `docker create` its command has run (in the foreground, or still running with
 * `-d`), and may have written the files a later `docker cp` reads: the container is recorded as
 * started, with its command and options as a RunSpec (src/analyze/run-spec.ts).
 *
 * A run with a writable bind mount (`-v "$PWD/out:/out"`, `--mount type=bind,…`) leaves what its
 * command wrote below the mount point in the host directory: a copy out `via: 'bind'` of the
 * mount point's content into that directory, as if `docker cp c:/out/. ./out` had run after it.
 *
 * A run that reads one file to its output redirected into a host file
 * (`docker run --rm IMG cat PATH > FILE`, or `--entrypoint cat IMG PATH`) extracts PATH to FILE:
 * a copy out `via: 'stdout'` of the container it makes (removed again with `--rm`). The
 * analysis later resolves a relative PATH against the image's WORKDIR and checks the image's
 * ENTRYPOINT (src/analyze/stdout.ts). Any other way a run writes to the host — another
 * command's output (`tar -c`, several files), a pipe — is an extraction form restage does not
 * migrate yet, and says so (RS307) rather than guess.
 */
import path from 'node:path';
import { diagnostic } from '../../model/diagnostic.js';
import type { StdoutReader } from '../../model/flow.js';
import type { CommandAnalyzer, CommandCall, FlowSink, Redirect } from '../command.js';
import { known, type Word } from '../shell/values.js';
import { commandOf, parseContainerWords, recordContainer } from './create.js';
import { runSpec } from '../run-spec.js';
import { allValues, hasFlag, lastValue, type ParsedWords } from '../../shared/docker-options.js';

export const verbs = [['run'], ['container', 'run']];

/** Standard output into a file: `>`, `1>`, `>|` (a new or truncated file), `>>` (appended), `&>` (stderr too). */
const STDOUT_TO_FILE = /^1?(>>?|>\|)$|^&>>?$/;
/** The single-file readers restage migrates: `cat` with one operand. */
const READERS = new Set(['cat', '/bin/cat', '/usr/bin/cat']);

/**
 * Run options that change what `cat` reads or what reaches the file, with why: restage does not
 * model them on this route. `-w` is not among them: a relative PATH is resolved against it.
 */
const CHANGES_READ: ReadonlyArray<readonly [string, string]> = [
  ['volume', 'a volume may hide the image\u2019s files at the path cat reads'],
  ['mount', 'a mount may hide the image\u2019s files at the path cat reads'],
  ['volumes-from', 'another container\u2019s volumes may hide the image\u2019s files'],
  ['tmpfs', 'a tmpfs hides the image\u2019s files below it'],
  ['user', 'another user may not be allowed to read the file'],
  ['env', 'the environment may change what the image runs'],
  ['env-file', 'the environment may change what the image runs'],
  ['tty', 'a TTY turns each line feed of the output into CR LF'],
  ['detach', 'a detached run prints the container id, not the file'],
];

export const analyze: CommandAnalyzer = (call, sink) => {
  const { parsed, command } = parseContainerWords(call.args);
  const binds = [...allValues(parsed, 'volume'), ...allValues(parsed, 'mount')].filter(
    (w) => /^[./$~]|type=bind|source=|src=/.test(w.text) || w.text.includes(':/'),
  );
  const toFile = call.redirects.find(
    (r) => STDOUT_TO_FILE.test(r.operator) && r.target && r.target.text !== '/dev/null',
  );
  const reader = toFile && !toFile.operator.startsWith('&') ? singleFileReader(parsed, command) : null;
  if (binds.length === 0 && toFile && reader && !call.pipedOut && !call.captured)
    return extractThroughStdout(call, sink, parsed, command, reader, toFile);
  if (toFile || (call.pipedOut && !call.captured)) {
    const how = toFile
      ? `its output redirected to \`${toFile.target!.text}\``
      : 'its output piped into another command';
    sink.report(
      diagnostic(
        'RS307',
        call.at,
        `this \`docker run\` writes artifacts to the host through ${how}; that extraction form is not supported yet — restage migrates \`docker create\` + \`docker cp\`, a bind-mounted output directory, and \`docker run IMG cat PATH > FILE\`. Rewrite the extraction as create/cp/rm (or into a bind-mounted directory), or migrate this step by hand with \`COPY --from=<stage>\``,
      ),
    );
    return undefined;
  }
  // A detached run leaves a container whatever the script does with the id it prints (the legacy
  // run's trace, which cannot tell whether the id was captured, reads it the same way).
  if (lastValue(parsed, 'name') || call.captured || binds.length > 0 || hasFlag(parsed, 'detach')) {
    const spec = runSpec(call.at, parsed, command, sink.cwd);
    const handle = recordContainer(
      call,
      sink,
      parsed,
      commandOf(parsed, command),
      { at: call.at, how: 'run', attached: !hasFlag(parsed, 'detach') },
      spec,
    );
    if (handle === undefined) return undefined;
    // What the command wrote under a writable bind mount is in the host directory once it ended.
    for (const m of spec.mounts) {
      if (m.kind !== 'bind' || m.readOnly) continue;
      sink.emit({
        kind: 'copy-out',
        at: m.at,
        container: handle,
        containerPath: m.target === '/' ? '/.' : `${m.target}/.`,
        hostPath: m.source,
        followLink: false,
        via: 'bind',
        reader: null,
      });
    }
    if (hasFlag(parsed, 'rm')) sink.emit({ kind: 'remove', at: call.at, containers: [handle] });
    return known(handle);
  }
  return undefined;
};

interface SingleFileReader {
  readonly operand: Word;
  readonly entrypointOverridden: boolean;
}

/** `cat PATH` after the image, or `--entrypoint cat` with PATH after the image; null for any other command. */
function singleFileReader(parsed: ParsedWords<Word>, command: readonly Word[]): SingleFileReader | null {
  const entrypoint = lastValue(parsed, 'entrypoint');
  const words = entrypoint ? [entrypoint, ...command] : command;
  if (words.length !== 2 || !READERS.has(words[0]!.text) || words[0]!.unresolved !== null) return null;
  if (words[1]!.text.startsWith('-') || words[1]!.text === '') return null;
  return { operand: words[1]!, entrypointOverridden: entrypoint !== null };
}

function extractThroughStdout(
  call: CommandCall,
  sink: FlowSink,
  parsed: ParsedWords<Word>,
  command: readonly Word[],
  reader: SingleFileReader,
  toFile: Redirect,
): undefined {
  const target = { ...toFile.target!, at: { ...toFile.target!.at, file: call.at.file } };
  const cat = `cat ${reader.operand.written}`;
  if (toFile.operator.includes('>>')) {
    sink.report(
      diagnostic(
        'RS307',
        target.at,
        `\`>>\` appends the output of \`${cat}\` to ${target.text}, so the file holds whatever it held before and then the artifact; restage migrates a stdout extraction into a new file only: write \`> ${target.text}\` if the file starts empty (or remove it first), or migrate this step by hand`,
      ),
    );
    return undefined;
  }
  for (const [option, why] of CHANGES_READ) {
    const given = parsed.options.find((o) => o.name === option);
    if (!given) continue;
    sink.report(
      diagnostic(
        'RS307',
        given.words[0]!.at,
        `this \`docker run\` reads ${reader.operand.written} to ${target.text} with \`${given.words.map((w) => w.written).join(' ')}\`: ${why}, which restage does not model on a stdout extraction; drop the option (with \`docker run --rm IMAGE ${cat} > ${target.text}\` the file is read from the image as built), or migrate this step by hand`,
      ),
    );
    return undefined;
  }
  const operand = sink.require(reader.operand, 'path cat reads');
  const workdirWord = lastValue(parsed, 'workdir');
  const workdir = workdirWord ? sink.require(workdirWord, 'working directory') : null;
  const hostPath = redirectTarget(target, sink);
  if (operand === null || (workdirWord && workdir === null) || hostPath === null) return undefined;
  if (workdir !== null && !workdir.startsWith('/')) {
    sink.report(
      diagnostic(
        'RS307',
        workdirWord!.at,
        `\`-w ${workdir}\` is not an absolute path, which docker refuses ("the working directory is invalid"): the script fails here as written; write an absolute directory and run restage again`,
      ),
    );
    return undefined;
  }
  const relative = !operand.startsWith('/') && workdir === null;
  const handle = recordContainer(call, sink, parsed, commandOf(parsed, command), { at: call.at, how: 'run' });
  if (handle === undefined) return undefined;
  const stdoutReader: StdoutReader = {
    command: `cat ${operand}`,
    target: target.text,
    entrypointOverridden: reader.entrypointOverridden,
    relativePath: relative ? operand : null,
  };
  sink.emit({
    kind: 'copy-out',
    at: call.at,
    container: handle,
    containerPath: path.posix.normalize(path.posix.join('/', workdir ?? '', operand)).replace(/(.)\/+$/, '$1'),
    hostPath,
    followLink: true,
    via: 'stdout',
    reader: stdoutReader,
  });
  if (hasFlag(parsed, 'rm')) sink.emit({ kind: 'remove', at: call.at, containers: [handle] });
  return undefined;
}

/**
 * The redirection's file as an absolute host path. Redirection targets reach the analyzers as
 * written (src/analyze/shell/flow-sink.ts toRedirect): one that expands something is not guessed (RS304).
 */
function redirectTarget(target: Word, sink: FlowSink): string | null {
  const text = target.text.replace(/^"(.*)"$|^'(.*)'$/, '$1$2');
  if (/[$`]/.test(text) || text.startsWith('~')) {
    sink.report(
      diagnostic(
        'RS304',
        target.at,
        `the file the output goes to, \`${target.text}\`, is expanded by the shell, and restage reads a redirection's target as written; write the path literally (relative to the script's directory) and run restage again`,
      ),
    );
    return null;
  }
  return path.resolve(sink.cwd, text);
}
