/**
 * A streaming tar reader for root file systems (`docker export`, the layers of `docker save`).
 *
 * Contract:
 * - Reads ustar, GNU (long names 'L', long link names 'K', base-256 numbers) and pax
 *   ('x' for the next entry, 'g' for all following ones: path, linkpath, size, uid, gid, mtime,
 *   uname, gname; an empty value in 'x' cancels the global or header value).
 * - Hashes file content (sha256) as chunks arrive: memory stays bounded by the largest chunk plus
 *   the pax/long-name metadata cap, whatever the archive or file size.
 * - Backpressure: `readTar` pulls the next chunk only when its consumer asks for the next entry.
 * - Header-only types (hard link, symlink, char, block, dir, fifo) carry no data, whatever their
 *   size field says (GNU tar and Go's archive/tar read them that way).
 * - The archive must end with an end-of-archive block (a zero block): a stream cut short throws,
 *   so a broken `docker export` can never pass for a smaller file system.
 * - Names are returned as recorded (after pax/GNU overrides); normalizing them is the caller's job.
 */
import { createHash, type Hash } from 'node:crypto';
import { parsePax, type PaxKey } from './pax.js';
import { BLOCK, cString, isZeroBlock, readNumber, TarFormatError, verifyChecksum } from './tar-header.js';

export { TarFormatError } from './tar-header.js';

export type TarEntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo';

export interface TarEntry {
  readonly name: string;
  readonly type: TarEntryType;
  /** Permission and setuid/setgid/sticky bits (0o7777). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly uname: string;
  readonly gname: string;
  /** Content length for files; 0 for header-only types. */
  readonly size: number;
  /** Seconds since the epoch, fractional pax times floored. */
  readonly mtime: number;
  /** Symlink target, or the earlier archived path of a hard link; '' otherwise. */
  readonly linkName: string;
  readonly devMajor: number;
  readonly devMinor: number;
  /** Hex sha256 of the content, files only. */
  readonly sha256?: string;
}

/** Upper bound for one pax header or GNU long name: keeps memory bounded on hostile input. */
const MAX_META_BYTES = 4 * 1024 * 1024;

const ENTRY_TYPES: Readonly<Record<string, TarEntryType>> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file', // contiguous file: a regular file everywhere but on a few historic systems
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'char',
  '4': 'block',
  '5': 'dir',
  '6': 'fifo',
};

type MetaKind = 'pax' | 'paxGlobal' | 'longName' | 'longLink';
const META_TYPES: Readonly<Record<string, MetaKind>> = { x: 'pax', g: 'paxGlobal', L: 'longName', K: 'longLink' };

interface EntryBody {
  readonly kind: 'entry';
  readonly entry: Omit<TarEntry, 'sha256'>;
  readonly hash: Hash | undefined;
}
interface MetaBody {
  readonly kind: MetaKind;
  readonly chunks: Buffer[];
}

/**
 * Incremental tar parser: feed chunks of any size with `push`, then call `end`.
 * `push` returns the entries whose content ended inside that chunk, in archive order.
 */
export class TarParser {
  private state: 'header' | 'body' | 'padding' | 'end' = 'header';
  private readonly headerBuffer = Buffer.alloc(BLOCK);
  private headerFill = 0;
  private body: EntryBody | MetaBody | undefined;
  private remaining = 0;
  private padding = 0;
  /** Archive offset of the next byte to consume. */
  private position = 0;
  private zeroBlocks = 0;
  private readonly paxGlobal = new Map<string, string>();
  private paxLocal: Map<string, string> | undefined;
  private longName: string | undefined;
  private longLink: string | undefined;

  push(chunk: Uint8Array): TarEntry[] {
    const out: TarEntry[] = [];
    const data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let pos = 0;
    while (pos < data.length) {
      const available = data.length - pos;
      switch (this.state) {
        case 'header': {
          let block: Buffer;
          if (this.headerFill === 0 && available >= BLOCK) {
            block = data.subarray(pos, pos + BLOCK);
            pos += BLOCK;
          } else {
            const n = Math.min(BLOCK - this.headerFill, available);
            data.copy(this.headerBuffer, this.headerFill, pos, pos + n);
            this.headerFill += n;
            pos += n;
            if (this.headerFill < BLOCK) break;
            this.headerFill = 0;
            block = this.headerBuffer;
          }
          this.position += BLOCK;
          this.onHeader(block, this.position - BLOCK, out);
          break;
        }
        case 'body': {
          const n = Math.min(this.remaining, available);
          this.onData(data.subarray(pos, pos + n));
          pos += n;
          this.position += n;
          this.remaining -= n;
          if (this.remaining === 0) this.finishBody(out);
          break;
        }
        case 'padding': {
          const n = Math.min(this.padding, available);
          pos += n;
          this.position += n;
          this.padding -= n;
          if (this.padding === 0) this.state = 'header';
          break;
        }
        case 'end':
          // Writers pad archives to a record size (10 KiB for GNU tar): anything after the end is ignored.
          this.position += available;
          pos = data.length;
          break;
      }
    }
    return out;
  }

  /** Declares the input complete; throws if the archive stopped before its end. */
  end(): void {
    if (this.state === 'end' || (this.state === 'header' && this.headerFill === 0 && this.zeroBlocks > 0)) return;
    const where =
      this.state === 'header'
        ? this.headerFill === 0
          ? 'before the end-of-archive block'
          : 'inside a header'
        : 'inside an entry';
    throw new TarFormatError(`tar stream ended ${where}`, this.position);
  }

  private onHeader(block: Buffer, offset: number, out: TarEntry[]): void {
    if (isZeroBlock(block)) {
      this.zeroBlocks += 1;
      if (this.zeroBlocks === 2) this.state = 'end';
      return;
    }
    this.zeroBlocks = 0;
    verifyChecksum(block, offset);
    const flag = String.fromCharCode(block[156] ?? 0);
    const headerSize = readNumber(block, 124, 12, 'size', offset);
    const metaKind = META_TYPES[flag];
    if (metaKind !== undefined) {
      if (headerSize > MAX_META_BYTES) {
        throw new TarFormatError(`${metaKind} header of ${headerSize} bytes exceeds ${MAX_META_BYTES}`, offset);
      }
      this.startBody({ kind: metaKind, chunks: [] }, headerSize, out);
      return;
    }
    const type = ENTRY_TYPES[flag];
    const entry = this.entryFromHeader(block, type, flag, offset);
    const size = entry.type === 'file' ? entry.size : 0;
    // A pre-POSIX directory is a regular-file entry: its data, if any, is still in the stream.
    const dataSize = type === 'file' ? entry.size : 0;
    const hash = entry.type === 'file' ? createHash('sha256') : undefined;
    this.startBody({ kind: 'entry', entry: { ...entry, size }, hash }, dataSize, out);
  }

  private entryFromHeader(
    block: Buffer,
    type: TarEntryType | undefined,
    flag: string,
    offset: number,
  ): Omit<TarEntry, 'sha256'> {
    const pax = (key: PaxKey): string | undefined => {
      const value = this.paxLocal?.has(key) ? this.paxLocal.get(key) : this.paxGlobal.get(key);
      return value === '' ? undefined : value;
    };
    const paxInteger = (key: PaxKey): number | undefined => {
      const value = pax(key);
      if (value === undefined) return undefined;
      if (!/^\d+$/.test(value)) throw new TarFormatError(`pax ${key} "${value}" is not a non-negative integer`, offset);
      return Number(value);
    };
    if (this.paxLocal && [...this.paxLocal.keys()].some((key) => key.startsWith('GNU.sparse.'))) {
      throw new TarFormatError('sparse files (GNU.sparse pax records) are not supported', offset);
    }
    const magic = block.toString('latin1', 257, 263);
    const headerName = cString(block, 0, 100);
    // POSIX ustar splits long names into prefix/name; GNU's "ustar  " header uses that area for other fields.
    const prefix = magic === 'ustar\0' ? cString(block, 345, 155) : '';
    const name = pax('path') ?? this.longName ?? (prefix ? `${prefix}/${headerName}` : headerName);
    if (type === undefined) {
      throw new TarFormatError(`unsupported tar entry type '${flag === '\0' ? '\\0' : flag}' for ${name}`, offset);
    }
    const mtimeText = pax('mtime');
    if (mtimeText !== undefined && !/^-?\d+(\.\d+)?$/.test(mtimeText)) {
      throw new TarFormatError(`pax mtime "${mtimeText}" is not a number`, offset);
    }
    // Pre-POSIX archives mark directories by a trailing slash on a regular-file entry.
    const effectiveType = type === 'file' && name.endsWith('/') ? 'dir' : type;
    const entry = {
      name,
      type: effectiveType,
      mode: readNumber(block, 100, 8, 'mode', offset) & 0o7777,
      uid: paxInteger('uid') ?? readNumber(block, 108, 8, 'uid', offset),
      gid: paxInteger('gid') ?? readNumber(block, 116, 8, 'gid', offset),
      uname: pax('uname') ?? cString(block, 265, 32),
      gname: pax('gname') ?? cString(block, 297, 32),
      size: paxInteger('size') ?? readNumber(block, 124, 12, 'size', offset),
      mtime: mtimeText !== undefined ? Math.floor(Number(mtimeText)) : readNumber(block, 136, 12, 'mtime', offset),
      linkName: pax('linkpath') ?? this.longLink ?? cString(block, 157, 100),
      devMajor:
        effectiveType === 'char' || effectiveType === 'block' ? readNumber(block, 329, 8, 'devmajor', offset) : 0,
      devMinor:
        effectiveType === 'char' || effectiveType === 'block' ? readNumber(block, 337, 8, 'devminor', offset) : 0,
    };
    this.paxLocal = undefined;
    this.longName = undefined;
    this.longLink = undefined;
    return entry;
  }

  private startBody(body: EntryBody | MetaBody, dataSize: number, out: TarEntry[]): void {
    this.body = body;
    this.remaining = dataSize;
    this.padding = (BLOCK - (dataSize % BLOCK)) % BLOCK;
    this.state = 'body';
    if (dataSize === 0) this.finishBody(out);
  }

  private onData(piece: Buffer): void {
    const body = this.body;
    if (body === undefined) return;
    if (body.kind === 'entry') body.hash?.update(piece);
    // Copied: the chunk's memory belongs to the stream and may be reused once we return.
    else body.chunks.push(Buffer.from(piece));
  }

  private finishBody(out: TarEntry[]): void {
    const body = this.body;
    this.body = undefined;
    this.state = this.padding > 0 ? 'padding' : 'header';
    if (body === undefined) return;
    if (body.kind === 'entry') {
      out.push(body.hash ? { ...body.entry, sha256: body.hash.digest('hex') } : body.entry);
      return;
    }
    const bytes = Buffer.concat(body.chunks);
    switch (body.kind) {
      case 'pax':
        this.paxLocal = parsePax(bytes, new Map(this.paxLocal), this.position);
        break;
      case 'paxGlobal':
        parsePax(bytes, this.paxGlobal, this.position);
        break;
      case 'longName':
        this.longName = cString(bytes, 0, bytes.length);
        break;
      case 'longLink':
        this.longLink = cString(bytes, 0, bytes.length);
        break;
    }
  }
}

/**
 * Entries of a tar stream, in archive order. Reading is driven by the consumer: the source is
 * asked for more bytes only when the entries of the chunk already read have all been taken.
 * Breaking out of the loop releases (destroys) the source stream.
 */
export async function* readTar(source: AsyncIterable<unknown>): AsyncGenerator<TarEntry, void, undefined> {
  const parser = new TarParser();
  for await (const chunk of source) {
    if (!(chunk instanceof Uint8Array)) {
      throw new TypeError('readTar needs a byte stream: the source yielded a non-binary chunk');
    }
    yield* parser.push(chunk);
  }
  parser.end();
}
