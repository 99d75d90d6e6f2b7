/**
 * Host commands that unpack an archive file: `tar -x[z|J|j]f FILE [-C DIR]` (a file no tar stream
 * of the script wrote: src/analyze/tar-stream.ts reads those), `unzip [-q] [-o] FILE [-d DIR]`,
 * and the one-file decompressors `gunzip FILE.gz`/`gzip -d`, `xz -d`/`unxz FILE.xz`,
 * `bunzip2 FILE.bz2`/`bzip2 -d`. Recorded as an `unpack` host operation (HostUnpack); whether the
 * archive is an extracted artifact is decided by the placement (src/analyze/placement.ts), which
 * replays the unpack in the image into a scratch directory.
 *
 * Tool facts (test/e2e/routes-archive.test.ts measures them under both builders): tar -x as root
 * keeps the members' modes; unzip restores the unix modes a zip records; gunzip, xz -d and
 * bunzip2 give the decompressed file the compressed file's mode and remove the compressed file
 * (unless `-k`). tar -C needs the directory to exist; unzip -d makes it.
 */
import path from 'node:path';
import type { CommandCall, FlowSink } from './command.js';
import type { HostUnpack } from '../model/flow.js';
import type { Word } from './shell/values.js';
import { parseTar } from '../shared/tar-cli.js';
import { undecidable } from './host-word.js';

/** The one-file decompressors: the option that makes the compressor decompress, and the suffix it drops. */
const DECOMPRESSORS: Readonly<Record<string, { readonly needs: string | null; readonly suffix: string }>> = {
  gunzip: { needs: null, suffix: '.gz' },
  gzip: { needs: 'd', suffix: '.gz' },
  unxz: { needs: null, suffix: '.xz' },
  xz: { needs: 'd', suffix: '.xz' },
  bunzip2: { needs: null, suffix: '.bz2' },
  bzip2: { needs: 'd', suffix: '.bz2' },
};

/** Options of a decompressor that change nothing of the result: force, verbosity, keep (read apart). */
const DECOMPRESS_LETTERS = /^-[dfvqk]+$/;
const DECOMPRESS_LONG = new Set(['--decompress', '--uncompress', '--force', '--verbose', '--quiet', '--keep']);

/** unzip options that change nothing of what lands where in an empty directory. */
const UNZIP_HARMLESS = /^-(q{1,2}|o|qo|oq|qqo|oqq)$/;

const known = (w: Word) => undecidable(w) === null && !/[`$]/.test(w.text);

function emit(call: CommandCall, sink: FlowSink, unpack: HostUnpack): true {
  sink.emit({
    kind: 'host',
    at: call.at,
    op: 'unpack',
    paths: [unpack.archive, unpack.into],
    command: [call.name.written, ...call.args.map((a) => a.written)].join(' '),
    mode: null,
    recursive: true,
    undecidable: [],
    unpack,
  });
  return true;
}

/**
 * `tar -x -f FILE` on the host. Returns false when it is no extraction of a named file, or a word
 * is not known (the caller records it as another host command, which says why).
 */
export function tarUnpack(call: CommandCall, sink: FlowSink): boolean {
  if (!call.args.every(known)) return false;
  const tar = parseTar(
    call.args.map((w) => w.text),
    true,
  );
  if (tar.mode !== 'extract' || tar.file === null || tar.file === '-') return false;
  const refused = tar.refused
    ? `${call.args[tar.refused.word]?.written ?? 'an option'} ${tar.refused.why}`
    : tar.members.length > 0
      ? `it unpacks only the members it names (${tar.members.map((m) => m.operand).join(', ')})`
      : null;
  const options = ['-x', ...(tar.gzip ? ['-z'] : []), ...(tar.xz ? ['-J'] : []), ...(tar.bzip2 ? ['-j'] : [])];
  return emit(call, sink, {
    tool: 'tar',
    archive: path.resolve(sink.cwd, tar.file),
    result: 'tree',
    into: tar.directory === null ? sink.cwd : path.resolve(sink.cwd, tar.directory),
    options,
    refused,
  });
}

/** `unzip [-q] [-o] FILE [-d DIR]`; false when it names no file or a word is not known. */
export function unzipUnpack(call: CommandCall, sink: FlowSink): boolean {
  if (!call.args.every(known)) return false;
  const options: string[] = [];
  const operands: string[] = [];
  let into: string | null = null;
  let refused: string | null = null;
  for (let i = 0; i < call.args.length; i++) {
    const w = call.args[i]!.text;
    if (w === '-d' || (w.startsWith('-d') && w.length > 2)) {
      const value = w === '-d' ? call.args[++i]?.text : w.slice(2);
      if (value === undefined) refused ??= '-d needs a value';
      else into = value;
    } else if (UNZIP_HARMLESS.test(w)) options.push(w);
    else if (w.startsWith('-') && w.length > 1) refused ??= `${w} is an option restage does not model`;
    else operands.push(w);
  }
  if (operands.length === 0) return false;
  if (operands.length > 1) refused ??= `it unpacks only the members it names (${operands.slice(1).join(', ')})`;
  return emit(call, sink, {
    tool: 'unzip',
    archive: path.resolve(sink.cwd, operands[0]!),
    result: 'tree',
    into: into === null ? sink.cwd : path.resolve(sink.cwd, into),
    options,
    refused,
  });
}

/**
 * `gunzip FILE.gz`, `gzip -d FILE.gz` and the like: the file without its suffix replaces it.
 * Returns false when the command is no decompression (`gzip FILE` compresses) or a word is not known.
 */
export function decompressUnpack(call: CommandCall, sink: FlowSink): boolean {
  const name = path.basename(call.name.text);
  const spec = DECOMPRESSORS[name];
  if (!spec || !call.args.every(known)) return false;
  const options = call.args.filter((w) => w.text.startsWith('-') && w.text.length > 1).map((w) => w.text);
  const files = call.args.filter((w) => !(w.text.startsWith('-') && w.text.length > 1)).map((w) => w.text);
  const decompresses =
    spec.needs === null ||
    options.some(
      (o) => (/^-[a-zA-Z]+$/.test(o) && o.includes(spec.needs!)) || o === '--decompress' || o === '--uncompress',
    );
  if (!decompresses || files.length === 0) return false;
  const odd = options.find((o) => !DECOMPRESS_LETTERS.test(o) && !DECOMPRESS_LONG.has(o));
  const file = files[0]!;
  const refused = odd
    ? `${odd} is an option restage does not model`
    : files.length > 1
      ? 'it decompresses several files (restage replays one)'
      : !file.endsWith(spec.suffix) || file.length === spec.suffix.length
        ? `the file name does not end in ${spec.suffix}, so the name of the result is not the one restage reads`
        : null;
  const archive = path.resolve(sink.cwd, file);
  return emit(call, sink, {
    tool: name,
    archive,
    result: 'file',
    into: refused === null ? archive.slice(0, -spec.suffix.length) : archive,
    options,
    refused,
  });
}

/** Whether the decompressor keeps the compressed file (`-k`, `--keep`). */
export const keepsArchive = (u: HostUnpack) =>
  u.options.some((o) => o === '--keep' || (/^-[a-zA-Z]+$/.test(o) && o.includes('k')));

/**
 * The unpack as commands on container paths, in the scratch directory `scratch` (which must not
 * exist yet: `mkdir` without -p fails on a path the builder image already has, instead of
 * merging into it): the commands, and the container path of the result.
 */
export function unpackInImage(
  u: HostUnpack,
  archiveInImage: string,
  scratch: string,
): { readonly steps: readonly (readonly string[])[]; readonly result: string } {
  if (u.result === 'tree') {
    const run =
      u.tool === 'tar'
        ? ['tar', ...u.options, '-f', archiveInImage, '-C', scratch]
        : ['unzip', ...u.options, archiveInImage, '-d', scratch];
    return { steps: [['mkdir', scratch], run], result: scratch };
  }
  const copy = path.posix.join(scratch, path.basename(u.archive));
  return {
    steps: [
      ['mkdir', scratch],
      ['cp', '-p', archiveInImage, copy],
      [u.tool, ...u.options, copy],
    ],
    result: path.posix.join(scratch, path.basename(u.into)),
  };
}
