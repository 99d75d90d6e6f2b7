/**
 * Host-side commands that matter between extraction and the runtime build: `cd` (and
 * `pushd`/`popd`) move the working directory; `mkdir`, `rm`, `mv`, `cp`, `chmod` act on extracted
 * artifacts in ways restage models (src/shared/host-ops.ts); an unpack of an archive file
 * (src/analyze/unpack.ts) and a fetch from outside (src/analyze/fetch.ts) are recorded as such;
 * `chown`, redirections into a file and any other command that may write what it names are
 * recorded as `other`/`chown`, so an artifact they touch is reported instead of silently dropped.
 * Commands that only read (echo, test, ls, …) are inert.
 *
 * A path operand whose value the script does not fix — a variable it never sets (the shell makes
 * it empty: `rm -rf "$X/probe"` is `rm -rf /probe`), `~`, a command's output — is undecidable:
 * recorded as such, never resolved to a guessed path.
 */
import path from 'node:path';
import type { CommandAnalyzer, CommandCall, FlowSink } from './command.js';
import type { HostOperation, UndecidablePath } from '../model/flow.js';
import type { Word } from './shell/values.js';
import { isMode } from '../shared/host-ops.js';
import { tarExtract } from './tar-stream.js';
import { decompressUnpack, tarUnpack, unzipUnpack } from './unpack.js';
import { FETCHERS } from './fetch.js';
import { hostTarStream } from './build-stdin.js';
import { undecidable } from './host-word.js';

const operands = (args: readonly Word[]) => args.filter((w) => !(w.text.startsWith('-') && w.text.length > 1));
const recursiveFlag = (args: readonly Word[]) =>
  args.some((w) => /^-[a-zA-Z]*[rR]/.test(w.text) || w.text === '--recursive');

function record(
  op: HostOperation['op'],
  call: CommandCall,
  sink: FlowSink,
  words: readonly Word[],
  extra: { mode?: string | null; recursive?: boolean; decide?: boolean; written?: readonly string[] } = {},
): undefined {
  const paths: string[] = [];
  const unknown: UndecidablePath[] = [];
  for (const w of words) {
    const why = undecidable(w);
    if (why === null) paths.push(path.resolve(sink.cwd, w.text));
    else if (extra.decide !== false) unknown.push({ at: w.at, written: w.written, ...why });
  }
  if (op === 'other' && paths.length === 0 && unknown.length === 0) return undefined;
  sink.emit({
    kind: 'host',
    at: call.at,
    op,
    paths,
    command: [call.name.written, ...call.args.map((a) => a.written)].join(' '),
    mode: extra.mode ?? null,
    recursive: extra.recursive ?? false,
    undecidable: unknown,
    ...(extra.written ? { written: extra.written } : {}),
  });
  return undefined;
}

/**
 * `strip` options that change only how much is stripped; one taking a value (`-o FILE`, `-R
 * SECTION`) or writing elsewhere makes the command unmodelled (`other`).
 */
const STRIP_OPTION =
  /^(-[sgSdxXDpU]+|--strip-all|--strip-debug|--strip-unneeded|--strip-dwo|--discard-all|--discard-locals|--preserve-dates|--enable-deterministic-archives)$/;

/** `strip [options] FILE…`: the files, with the options repeated in the image (src/plan/modes.ts). */
const stripCommand: CommandAnalyzer = (call, sink) => {
  const options = call.args.filter((w) => w.text.startsWith('-'));
  if (options.some((w) => !STRIP_OPTION.test(w.text)))
    return record('other', call, sink, operands(call.args), { decide: false });
  return record('strip', call, sink, operands(call.args), { written: options.map((w) => w.text) });
};

/**
 * `ln -s TARGET LINK` (`-f`, `-n` too): `paths` holds the link, `written` the options and the target as written.
 * A hard link, a link named by its target alone, or several targets are not modelled (`other`).
 */
const lnCommand: CommandAnalyzer = (call, sink) => {
  const options = call.args.filter((w) => w.text.startsWith('-') && w.text.length > 1);
  const names = operands(call.args);
  const symbolic =
    options.length > 0 && options.every((w) => /^-[sfnv]+$/.test(w.text)) && options.some((w) => w.text.includes('s'));
  if (!symbolic || names.length !== 2 || undecidable(names[0]!) !== null)
    return record('other', call, sink, names, { decide: false });
  return record('ln', call, sink, [names[1]!], { written: [...options.map((w) => w.text), names[0]!.text] });
};

/** Commands that read what they name and write nothing but their output (a redirection still counts). */
const READ_ONLY = new Set([
  'echo',
  'printf',
  'test',
  '[',
  '[[',
  'ls',
  'cat',
  'file',
  'stat',
  'du',
  'df',
  'wc',
  'head',
  'tail',
  'grep',
  'egrep',
  'diff',
  'cmp',
  'sha256sum',
  'sha1sum',
  'md5sum',
  'readlink',
  'realpath',
  'basename',
  'dirname',
  'true',
  'false',
  ':',
  'sleep',
  'set',
  'shift',
  'trap',
  'wait',
  'read',
  'return',
  'local',
  'export',
  'unset',
  'readonly',
  'declare',
  'source',
  '.',
  'type',
  'which',
  'hash',
  'ldd',
  'od',
  'xxd',
  'hexdump',
  'tree',
  'date',
  'env',
  'id',
  'uname',
  'whoami',
  'exit',
]);

/**
 * Output redirected into a file (`echo x > app`, `cmd >> log`): the file is written. The target
 * is taken as written, without expansion; one that expands something is left out (the replay
 * runs no redirection, and the analysis only needs to see a write into an artifact it knows).
 */
export const hostRedirections: CommandAnalyzer = (call, sink) => {
  const targets = call.redirects
    .filter((r) => /^(\d*|&)>>?\|?$/.test(r.operator) && r.target)
    .map((r) => r.target!.text.replace(/^"(.*)"$|^'(.*)'$/, '$1$2'))
    .filter((t) => t !== '/dev/null' && !/[$`]/.test(t));
  if (targets.length === 0) return undefined;
  sink.emit({
    kind: 'host',
    at: call.at,
    op: 'other',
    paths: targets.map((t) => path.resolve(sink.cwd, t)),
    command: [call.name.written, ...call.args.map((a) => a.written)].join(' '),
    mode: null,
    recursive: false,
    undecidable: [],
  });
  return undefined;
};

/** Any command without an analyzer of its own: it may change what it names (`strip app`, `touch app`), and so may its redirections. */
export const otherHostCommand: CommandAnalyzer = (call, sink) =>
  record('other', call, sink, READ_ONLY.has(path.basename(call.name.text)) ? [] : operands(call.args), {
    decide: false,
  });

/** Host analyzers for one script run (the `pushd` stack is per run). */
export function hostAnalyzers(): Readonly<Record<string, CommandAnalyzer>> {
  const stack: string[] = [];
  return {
    cd: (call, sink) => {
      const target = call.args.find((w) => !w.text.startsWith('-') || w.text === '-');
      if (!target) return undefined;
      const dir = sink.hostPath(target, 'directory of cd');
      if (dir) sink.changeDirectory(dir);
      return undefined;
    },
    pushd: (call, sink) => {
      const target = operands(call.args)[0];
      const dir = target && sink.hostPath(target, 'directory of pushd');
      if (dir) {
        stack.push(sink.cwd);
        sink.changeDirectory(dir);
      }
      return undefined;
    },
    popd: (_call, sink) => {
      const back = stack.pop();
      if (back) sink.changeDirectory(back);
      return undefined;
    },
    mkdir: (call, sink) => record('mkdir', call, sink, operands(call.args)),
    rm: (call, sink) => record('rm', call, sink, operands(call.args), { recursive: recursiveFlag(call.args) }),
    mv: (call, sink) => record('mv', call, sink, operands(call.args)),
    cp: (call, sink) => record('cp', call, sink, operands(call.args), { recursive: recursiveFlag(call.args) }),
    chmod: (call, sink) => {
      // `chmod -x file` is a mode, not an option: the first argument that is not -R/-v/… is the mode.
      const args = call.args.filter((w) => !/^-[RvcfH]+$|^--(recursive|verbose|changes|silent|quiet)$/.test(w.text));
      const mode = args[0];
      const known = mode && undecidable(mode) === null && isMode(mode.text) ? mode.text : null;
      return record(known ? 'chmod' : 'other', call, sink, args.slice(1), {
        mode: known,
        recursive: recursiveFlag(call.args.filter((w) => w !== mode)),
      });
    },
    strip: stripCommand,
    ln: lnCommand,
    chown: (call, sink) =>
      record('chown', call, sink, operands(call.args).slice(1), { recursive: recursiveFlag(call.args) }),
    chgrp: (call, sink) =>
      record('chown', call, sink, operands(call.args).slice(1), { recursive: recursiveFlag(call.args) }),
    // A tar -x of a stream the script made unpacks artifacts (src/analyze/tar-stream.ts); of an
    // archive file, and unzip's, gunzip's…, is an unpack (src/analyze/unpack.ts).
    // A tar -c into a pipe is also a stream a `docker build -` may read (src/analyze/build-stdin.ts).
    tar: (call, sink) => {
      // `tar -c` to standard output writes nothing on the host.
      if (hostTarStream(call, sink)) return undefined;
      return tarExtract(call, sink) || tarUnpack(call, sink)
        ? undefined
        : record('other', call, sink, operands(call.args), { decide: false, recursive: true });
    },
    unzip: (call, sink) =>
      unzipUnpack(call, sink)
        ? undefined
        : record('other', call, sink, operands(call.args), { decide: false, recursive: true }),
    ...Object.fromEntries(
      ['gunzip', 'gzip', 'unxz', 'xz', 'bunzip2', 'bzip2'].map((n): [string, CommandAnalyzer] => [
        n,
        (call, sink) =>
          decompressUnpack(call, sink)
            ? undefined
            : record('other', call, sink, operands(call.args), { decide: false }),
      ]),
    ),
    ...FETCHERS,
    // tar -x/-C, and the others below, act on whole trees: a directory holding an artifact counts.
    ...Object.fromEntries(
      ['find', 'rsync', 'cpio'].map((n): [string, CommandAnalyzer] => [
        n,
        (call, sink) => record('other', call, sink, operands(call.args), { decide: false, recursive: true }),
      ]),
    ),
  };
}
