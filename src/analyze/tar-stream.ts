/**
 * Tar streams out of a container (issue 10): `docker run [--rm] IMG tar -c … ` and
 * `docker cp C:/p -` write a tar archive to their standard output, into a pipe or a host file
 * (`> out.tar`); a `tar -x` on the host that reads it (from the pipe, or `-f out.tar`) unpacks
 * its members below its directory. Each member becomes a copy out `via: 'tar'` at the `tar -x`
 * line, placed by the shared model of tar extraction (src/shared/host-ops.ts tarExtraction).
 *
 * Docker and tar facts (test/e2e/routes-tar.test.ts shows them on a real engine): `docker cp C:/d -`
 * holds `d/…` (the directory under its name), `C:/d/. -` holds `./…`; GNU tar -x run as root keeps
 * the archive's modes (and owners, which the context COPY then makes 0:0 anyway), so the member
 * reaches the runtime image with the builder's mode, as through `docker cp`.
 */
import path from 'node:path';
import { diagnostic } from '../model/diagnostic.js';
import {
  isContainerStream,
  isFetched,
  type CommandCall,
  type FlowSink,
  type Redirect,
  type TarStream,
} from './command.js';
import type { Word } from './shell/values.js';
import { commandOf, recordContainer } from './docker/create.js';
import { hasFlag, lastValue, type ParsedWords } from '../shared/docker-options.js';
import { cpStreamEntry, tarCreateEntry, tarExtraction, type TarEntry } from '../shared/host-ops.js';
import { isPattern, parseTar } from '../shared/tar-cli.js';
import { CHANGES_READ, redirectTarget, STDOUT_TO_FILE } from './run-stdout.js';
import { exportMembers } from './export-stream.js';
import { fetchedUnpack } from './fetch.js';

const TARS = new Set(['tar', '/bin/tar', '/usr/bin/tar']);

/**
 * `docker run [--rm] IMG tar -c[z][f -] [-C DIR] MEMBERS` whose output goes into a pipe or a
 * host file: the stream waits for the `tar -x` that unpacks it (src/analyze/tar-extract.ts), which
 * turns each member into a copy out `via: 'tar'` of the container this run makes. Returns false
 * when the run is no such tar (the caller goes on); true when it is, declined or not.
 */
export function tarStreamOut(
  call: CommandCall,
  sink: FlowSink,
  parsed: ParsedWords<Word>,
  command: readonly Word[],
  toFile: Redirect | undefined,
): boolean {
  const entrypoint = lastValue(parsed, 'entrypoint');
  const words = entrypoint ? [entrypoint, ...command] : command;
  if (words.length === 0 || !TARS.has(words[0]!.text) || words[0]!.unresolved !== null) return false;
  const tar = parseTar(words.slice(1).map((w) => w.text));
  if (tar.mode !== 'create' || (tar.file !== null && tar.file !== '-')) return false;
  const piped = call.pipedOut && !call.captured;
  if (!piped && !toFile) return false;
  const written = words.map((w) => w.written).join(' ');
  const decline = (at: CommandCall['at'], why: string) => {
    sink.report(
      diagnostic(
        'RS340',
        at,
        `\`${written}\` streams a tar archive whose members restage cannot know: ${why}; restage migrates \`tar -c [-z] [-C /DIR] MEMBER…\` with members named literally (or \`.\`): write it so, or migrate this step by hand`,
      ),
    );
    return true;
  };
  if (tar.refused) return decline(words[tar.refused.word + 1]?.at ?? call.at, tar.refused.why);
  if (toFile && (toFile.operator.includes('>>') || toFile.operator.startsWith('&')))
    return decline(
      call.at,
      `\`${toFile.operator}\` ${toFile.operator.includes('>>') ? 'appends the stream to what the file held' : 'mixes the error output into the archive'}`,
    );
  for (const [option, why] of CHANGES_READ) {
    const given = parsed.options.find((o) => o.name === option);
    if (given) return decline(given.words[0]!.at, `\`${given.words.map((w) => w.written).join(' ')}\`: ${why}`);
  }
  for (const w of words) if (sink.require(w, 'word of the tar command') === null) return true;
  const workdirWord = lastValue(parsed, 'workdir');
  const workdir = workdirWord ? sink.require(workdirWord, 'working directory') : null;
  if (workdirWord && workdir === null) return true;
  if (tar.members.length === 0) return decline(call.at, 'it names no member (tar refuses to make an empty archive)');
  const entries: TarEntry[] = [];
  for (const m of tar.members) {
    if (isPattern(m.operand)) return decline(call.at, `the member \`${m.operand}\` is a pattern`);
    const entry = tarCreateEntry(m.operand, m.dir, workdir !== null && workdir.startsWith('/') ? workdir : null);
    if (typeof entry === 'string') return decline(call.at, entry);
    entries.push(entry);
  }
  let hostPath: string | null = null;
  let target = '(pipe)';
  if (!piped && toFile) {
    const word = { ...toFile.target!, at: { ...toFile.target!.at, file: call.at.file } };
    hostPath = redirectTarget(word, sink);
    if (hostPath === null) return true;
    target = word.text;
  }
  const handle = recordContainer(call, sink, parsed, commandOf(parsed, command), { at: call.at, how: 'run' });
  if (handle === undefined) return true;
  const shown = words.map((w) => w.text);
  const stream: TarStream = {
    at: call.at,
    container: handle,
    entries,
    gzip: tar.gzip,
    removeAfter: hasFlag(parsed, 'rm') && piped,
    command: shown.join(' '),
    reader: { command: shown.join(' '), target, entrypointOverridden: entrypoint !== null, relativePath: null },
  };
  if (hostPath !== null) archiveInto(sink, hostPath, stream);
  else sink.streams?.toPipe(stream);
  return true;
}

/** The run's reader for one member: a member relative to the image's WORKDIR carries it, as a relative `cat PATH` does. */
function readerOf(stream: TarStream, entry: TarEntry): TarStream['reader'] {
  return stream.reader && entry.relative !== undefined
    ? { ...stream.reader, relativePath: entry.relative }
    : stream.reader;
}

/**
 * The copy outs a stream's entries make below `into`, as `tar -x -C into` as root places them
 * (`mustExist`: into must already be a directory; a build context streamed to `docker build -`
 * is no directory of the host, src/analyze/build-stdin.ts).
 */
export function streamCopies(
  sink: FlowSink,
  stream: TarStream,
  entries: readonly TarEntry[],
  into: string,
  at: CommandCall['at'],
  mustExist: boolean,
): void {
  for (const copy of tarExtraction(entries, into))
    sink.emit({
      kind: 'copy-out',
      at,
      container: stream.container,
      containerPath: copy.containerPath,
      hostPath: copy.hostPath,
      followLink: false,
      via: 'tar',
      ...(mustExist ? { extractedInto: into } : {}),
      reader: readerOf(stream, copy),
      ...(stream.exported ? { exportedAt: stream.at } : {}),
    });
}

/** A stream redirected into a host file: kept for a later `tar -x -f`, and put in the flow as the archive's members (a runtime `ADD` unpacks them). */
export function archiveInto(sink: FlowSink, hostPath: string, stream: TarStream): void {
  sink.streams?.toFile(hostPath, stream);
  for (const entry of stream.entries)
    sink.emit({
      kind: 'copy-out',
      at: stream.at,
      container: stream.container,
      containerPath: entry.containerPath,
      hostPath,
      followLink: false,
      via: 'tar',
      archiveMember: entry.name,
      reader: readerOf(stream, entry),
      ...(stream.exported ? { exportedAt: stream.at } : {}),
    });
}

/**
 * `docker cp C:/p -` (with `from` its container side): the stream of p goes into a pipe or a host
 * file; any other destination of the output is declined (RS342). Where no script runs (verify
 * reading its trace: no `streams`), nothing is recorded.
 */
export function cpStreamOut(call: CommandCall, sink: FlowSink, container: string, containerPath: string): void {
  if (!sink.streams) return;
  const command = ['docker', ...(call.verb ?? ['cp']), ...call.args.map((w) => w.written)].join(' ');
  const entry = cpStreamEntry(containerPath);
  if (typeof entry === 'string') {
    sink.report(
      diagnostic(
        'RS340',
        call.at,
        `\`${command}\` streams a tar archive whose members restage cannot know: ${entry}; copy out the directory that holds the artifact, or migrate this step by hand`,
      ),
    );
    return;
  }
  const toFile = call.redirects.find((r) => STDOUT_TO_FILE.test(r.operator) && r.target);
  const stream: TarStream = {
    at: call.at,
    container,
    entries: [entry],
    gzip: false,
    removeAfter: false,
    command,
    reader: null,
  };
  if (call.pipedOut && !call.captured) return sink.streams.toPipe(stream);
  if (toFile && toFile.operator === '>' && toFile.target!.text !== '/dev/null') {
    const hostPath = redirectTarget({ ...toFile.target!, at: { ...toFile.target!.at, file: call.at.file } }, sink);
    if (hostPath !== null) archiveInto(sink, hostPath, stream);
    return;
  }
  sink.report(
    diagnostic(
      'RS342',
      call.at,
      `\`${command}\` writes a tar archive to ${toFile ? `\`${toFile.operator} ${toFile.target!.text}\`` : 'the script\u2019s output'}, where no \`tar -x\` restage reads unpacks it: restage cannot tell which files land where; pipe it into \`tar -x -C DIR\` (or write it with \`> FILE.tar\` and unpack that), or copy out with \`docker cp C:PATH HOSTPATH\``,
    ),
  );
}

/**
 * `tar -x` on the host: when it reads a stream this script made (from the pipe, or `-f FILE`
 * that a stream was redirected into), emits one copy out per member, where the shared model puts
 * it, and the stream's container removal (`docker run --rm … |`); of what a fetch piped into it,
 * a fetch of its directory (src/analyze/fetch.ts). Returns false when the tar reads
 * no known stream (the caller records it as a host command that may change what it names).
 */
export function tarExtract(call: CommandCall, sink: FlowSink): boolean {
  const tar = parseTar(call.args.map((w) => w.text));
  if (tar.mode !== 'extract' || !sink.streams) return false;
  const fromPipe = tar.file === null || tar.file === '-';
  if (fromPipe && !call.pipedIn) return false;
  // A file named through something unknown is no stream restage can follow (the caller says why, RS309).
  if (!fromPipe && call.args.some((w) => w.unresolved !== null || w.environment.length > 0)) return false;
  const stream = fromPipe ? sink.streams.fromPipe() : sink.streams.fromFile(path.resolve(sink.cwd, tar.file));
  if (!stream) return false;
  if (isFetched(stream)) return fetchedUnpack(call, sink, stream, tar);
  // A host tar into a host tar (`tar -c . | tar -x -C dst`) is a host copy, recorded as another host command.
  if (!isContainerStream(stream)) return false;
  const written = [call.name.written, ...call.args.map((w) => w.written)].join(' ');
  const decline = (why: string) => {
    sink.report(
      stream.exported
        ? diagnostic(
            'RS348',
            call.at,
            `\`${written}\` unpacks the file system \`${stream.command}\` streams (${path.basename(stream.at.file)}:${stream.at.line}), but ${why}; restage reads \`tar -x [-f FILE] [-C DIR] MEMBER…\` with each member named as the stream names it (\`usr/local/bin/app\`, a directory as \`app/dist\`): write it so, or migrate this step by hand`,
          )
        : diagnostic(
            'RS342',
            call.at,
            `\`${written}\` unpacks the tar stream of \`${stream.command}\` (${path.basename(stream.at.file)}:${stream.at.line}), but ${why}; restage reads \`tar -x [-z] [-f FILE] [-C DIR]\` of the whole stream: write it so, or migrate this step by hand`,
          ),
    );
    return true;
  };
  if (tar.refused) return decline(`${call.args[tar.refused.word]?.written ?? 'an option'} ${tar.refused.why}`);
  let entries = stream.entries;
  if (stream.exported && tar.members.length > 0) {
    const picked = exportMembers(tar.members, tar.directory);
    if (typeof picked === 'string') return decline(picked);
    entries = picked;
  } else if (tar.members.length > 0)
    return decline(`it unpacks only the members it names (${tar.members.map((m) => m.operand).join(', ')})`);
  if (stream.gzip && !tar.gzip && fromPipe)
    return decline('the stream is gzip-compressed and this tar reads it without `-z` (it fails on a pipe)');
  if (!stream.gzip && tar.gzip)
    return decline('`-z` expects a gzip stream and this one is not compressed, so tar fails');
  for (const w of call.args) if (sink.require(w, 'word of the tar command') === null) return true;
  const into = tar.directory === null ? sink.cwd : path.resolve(sink.cwd, tar.directory);
  streamCopies(sink, stream, entries, into, call.at, true);
  sink.report(
    diagnostic(
      'RS341',
      call.at,
      `restage assumes the script runs \`${written}\` as root, as GNU tar then keeps the archive's modes (a copy from the builder keeps them too); run as another user, tar clears the umask's bits from each mode (0775 becomes 0755 under umask 022) and the legacy image differs from the migrated one`,
    ),
  );
  if (stream.removeAfter) sink.emit({ kind: 'remove', at: call.at, containers: [stream.container] });
  return true;
}
