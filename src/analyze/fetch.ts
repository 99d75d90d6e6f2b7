/**
 * Host commands that fetch files from outside the builder: `curl -o FILE`/`-O`/`--output-dir`,
 * `curl URL > FILE`, `wget [-O FILE|-P DIR]`, `gsutil cp SRC… DEST`, `aws s3 cp|sync SRC DEST`,
 * `buildkite-agent artifact download PATTERN DEST`, `gh run download [-D DIR]`,
 * `gh release download [-D DIR|-O FILE]`. Recorded as a `fetch` host operation whose paths are
 * what it writes (a file, or a directory it writes below). Their content is known to no step
 * restage migrates: a runtime COPY of it is declined on the fetching line (RS359,
 * src/analyze/artifacts.ts).
 *
 * `curl URL` and `wget -O- URL` write to standard output: into a pipe, the output waits for the
 * next command; a `tar -x` that reads it (src/analyze/tar-stream.ts) writes members nobody knows
 * below its directory, recorded as a fetch of that directory at the fetching word.
 */
import path from 'node:path';
import type { CommandAnalyzer, CommandCall, FetchedStream, FlowSink } from './command.js';
import type { Word } from './shell/values.js';
import type { TarCommand } from '../shared/tar-cli.js';
import { undecidable } from './host-word.js';

const URL = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Redirections of standard output (`>`, `1>`, `>|`, `&>`). */
const STDOUT = /^(1|&)?>\|?$/;

/**
 * `toStdout`: the command writes what it fetches to standard output; into a pipe (and no file
 * redirection), the next command of the pipeline reads it.
 */
function emit(
  call: CommandCall,
  sink: FlowSink,
  written: readonly string[],
  words: readonly Word[] = [],
  toStdout = false,
): undefined {
  const redirected = call.redirects
    .filter((r) => /^1?>\|?$/.test(r.operator) && r.target && !/[$`]/.test(r.target.text))
    .map((r) => r.target!.text.replace(/^"(.*)"$|^'(.*)'$/, '$1$2'))
    .filter((t) => t !== '/dev/null');
  if (toStdout && call.pipedOut && !call.captured && !call.redirects.some((r) => STDOUT.test(r.operator))) {
    const stream: FetchedStream = {
      fetched: true,
      at: call.name.at,
      command: [call.name.written, ...call.args.map((a) => a.written)].join(' '),
    };
    sink.streams?.toPipe(stream);
  }
  const known = words.filter((w) => undecidable(w) === null).map((w) => w.text);
  const paths = [...written, ...known, ...redirected].map((p) => path.resolve(sink.cwd, p));
  if (paths.length === 0) return undefined;
  sink.emit({
    kind: 'host',
    at: call.at,
    op: 'fetch',
    paths,
    command: [call.name.written, ...call.args.map((a) => a.written)].join(' '),
    mode: null,
    recursive: false,
    undecidable: [],
  });
  return undefined;
}

/**
 * The value of an option given as `-o V`, `-fsSLo V` (bundled after flags), `-oV`, `-qO-`, `--output V` or
 * `--output=V`, for each time it is given.
 */
function values(args: readonly Word[], short: string | null, long: readonly string[]): Word[] {
  const out: Word[] = [];
  const bundled = short ? new RegExp(`^-[a-zA-Z]*?${short.slice(1)}(.*)$`) : null;
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!.text;
    const eq = long.find((l) => w.startsWith(`${l}=`));
    const inShort = bundled?.exec(w);
    if (eq) out.push({ ...args[i]!, text: w.slice(eq.length + 1) });
    else if (long.includes(w) || inShort?.[1] === '') {
      if (args[i + 1]) out.push(args[++i]!);
    } else if (inShort) out.push({ ...args[i]!, text: inShort[1]! });
  }
  return out;
}

const urlName = (u: string) => path.posix.basename(u.replace(/[?#].*$/, ''));

const curl: CommandAnalyzer = (call, sink) => {
  const files = values(call.args, '-o', ['--output']);
  const dir = values(call.args, null, ['--output-dir'])[0];
  const remote = call.args.some((w) => w.text === '-O' || w.text === '--remote-name' || /^-[a-zA-Z]*O$/.test(w.text));
  const urls = call.args.filter((w) => URL.test(w.text)).map((w) => urlName(w.text));
  const named = remote ? urls : [];
  const base = dir && undecidable(dir) === null ? dir.text : '.';
  // `-o -` is standard output, as no `-o` at all.
  const toFiles = files.filter((f) => f.text !== '-');
  return emit(
    call,
    sink,
    named.map((n) => path.join(base, n)),
    toFiles.map((f) => (dir ? { ...f, text: path.join(base, f.text) } : f)),
    !remote && toFiles.length === 0,
  );
};

const wget: CommandAnalyzer = (call, sink) => {
  // `-O -` writes to standard output (a redirection of it still counts).
  const given = values(call.args, '-O', ['--output-document']);
  const dir = values(call.args, '-P', ['--directory-prefix'])[0];
  if (given.length > 0) {
    const toFiles = given.filter((f) => f.text !== '-');
    return emit(call, sink, [], toFiles, toFiles.length === 0);
  }
  const base = dir && undecidable(dir) === null ? dir.text : '.';
  const urls = call.args.filter((w) => URL.test(w.text)).map((w) => path.join(base, urlName(w.text)));
  return emit(call, sink, urls);
};

/** The last operand of a copy whose sources are remote (`gsutil cp gs://b/app .`, `aws s3 cp s3://b/app app`). */
function remoteCopy(operands: readonly Word[], call: CommandCall, sink: FlowSink): undefined {
  const dest = operands[operands.length - 1];
  if (operands.length < 2 || !dest || URL.test(dest.text)) return undefined;
  if (!operands.slice(0, -1).some((w) => URL.test(w.text))) return undefined;
  return emit(call, sink, [], [dest]);
}

const operandsOf = (args: readonly Word[]) => args.filter((w) => !w.text.startsWith('-'));

const gsutil: CommandAnalyzer = (call, sink) => {
  const words = operandsOf(call.args);
  const verb = words.findIndex((w) => w.text === 'cp' || w.text === 'rsync');
  return verb < 0 ? undefined : remoteCopy(words.slice(verb + 1), call, sink);
};

const aws: CommandAnalyzer = (call, sink) => {
  const words = operandsOf(call.args);
  if (words[0]?.text !== 's3' || !['cp', 'sync', 'mv'].includes(words[1]?.text ?? '')) return undefined;
  return remoteCopy(words.slice(2), call, sink);
};

/** `buildkite-agent artifact download PATTERN DEST`: below DEST, the pattern's directories before its first wildcard. */
const buildkite: CommandAnalyzer = (call, sink) => {
  const words = operandsOf(call.args);
  if (words[0]?.text !== 'artifact' || words[1]?.text !== 'download' || words.length < 4) return undefined;
  const dest = words[words.length - 1]!;
  const pattern = words[2]!.text;
  const literal = pattern.slice(0, pattern.search(/[*?[]|$/));
  const prefix = literal.includes('/')
    ? literal.slice(0, literal.lastIndexOf('/'))
    : /[*?[]/.test(pattern)
      ? ''
      : literal;
  return emit(call, sink, [], [{ ...dest, text: path.join(dest.text, prefix) }]);
};

const gh: CommandAnalyzer = (call, sink) => {
  const words = operandsOf(call.args);
  if (!(['run', 'release'].includes(words[0]?.text ?? '') && words[1]?.text === 'download')) return undefined;
  const dir = values(call.args, '-D', ['--dir']);
  const file = values(call.args, '-O', ['--output']);
  if (dir.length === 0 && file.length === 0) return emit(call, sink, ['.']);
  return emit(call, sink, [], [...dir, ...file]);
};

/**
 * `tar -x` reading from the pipe what a fetch wrote into it (`tar`: its command line, read):
 * every member lands below its directory (the `-C` one, else the working directory), and none is
 * known, so that directory is recorded as fetched, at the fetching word, with the tar that
 * unpacked it. False when a word of the tar is not known (the caller records it as another host
 * command).
 */
export function fetchedUnpack(call: CommandCall, sink: FlowSink, stream: FetchedStream, tar: TarCommand): boolean {
  if (call.args.some((w) => undecidable(w) !== null || /[`$]/.test(w.text))) return false;
  const into = tar.directory === null ? sink.cwd : path.resolve(sink.cwd, tar.directory);
  sink.emit({
    kind: 'host',
    at: stream.at,
    op: 'fetch',
    paths: [into],
    command: stream.command,
    mode: null,
    recursive: true,
    undecidable: [],
    pipedInto: { command: [call.name.written, ...call.args.map((a) => a.written)].join(' '), at: call.name.at },
  });
  return true;
}

/** Fetching commands, by name. */
export const FETCHERS: Readonly<Record<string, CommandAnalyzer>> = {
  curl,
  wget,
  gsutil,
  aws,
  'buildkite-agent': buildkite,
  gh,
};
