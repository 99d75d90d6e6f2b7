/**
 * A tar writer for tests: builds the exact header variants the reader must handle (ustar with
 * prefix, GNU long names, pax local and global headers, base-256 numbers), so tests never depend
 * on the system `tar` and stay byte-for-byte deterministic.
 */
import { Readable } from 'node:stream';

export type NumericField = 'uid' | 'gid' | 'size' | 'mtime';

export interface TarSpec {
  readonly name: string;
  /** Typeflag character; '0' by default. */
  readonly type?: string;
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly mtime?: number;
  readonly data?: string | Buffer;
  /** Header size field when it must differ from the data length (header-only types). */
  readonly size?: number;
  readonly linkName?: string;
  readonly devMajor?: number;
  readonly devMinor?: number;
  /** ustar prefix field; the reader joins it as prefix/name. */
  readonly prefix?: string;
  /** 'ustar' (POSIX, default), 'gnu' ("ustar  ": prefix area unused) or 'v7' (no magic). */
  readonly magic?: 'ustar' | 'gnu' | 'v7';
  /** Fields written in GNU base-256 instead of octal. */
  readonly base256?: readonly NumericField[];
  /** Records of a pax 'x' header written just before this entry. */
  readonly pax?: Readonly<Record<string, string>>;
  /** Write the name through a GNU 'L' entry (and the link name through 'K'). */
  readonly gnuLongNames?: boolean;
}

const BLOCK = 512;

function writeString(block: Buffer, text: string, offset: number, length: number): void {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > length) throw new Error(`"${text}" does not fit in ${length} bytes`);
  bytes.copy(block, offset);
}

function writeOctal(block: Buffer, value: number, offset: number, length: number): void {
  const digits = value.toString(8);
  if (value < 0 || digits.length > length - 1) throw new Error(`${value} does not fit in a ${length}-byte octal field`);
  writeString(block, `${digits.padStart(length - 1, '0')}\0`, offset, length);
}

function writeBase256(block: Buffer, value: number, offset: number, length: number): void {
  let encoded = value < 0 ? (1n << BigInt(8 * length)) + BigInt(value) : BigInt(value);
  for (let i = offset + length - 1; i >= offset; i -= 1) {
    block[i] = Number(encoded & 0xffn);
    encoded >>= 8n;
  }
  if (value >= 0) block[offset] = (block[offset] ?? 0) | 0x80;
}

const NUMERIC: Readonly<Record<NumericField, readonly [offset: number, length: number]>> = {
  uid: [108, 8],
  gid: [116, 8],
  size: [124, 12],
  mtime: [136, 12],
};

/** One 512-byte header with a correct checksum. */
export function header(spec: TarSpec & { readonly size: number }): Buffer {
  const block = Buffer.alloc(BLOCK);
  writeString(block, spec.name, 0, 100);
  writeOctal(block, spec.mode ?? 0o644, 100, 8);
  const numbers: Record<NumericField, number> = {
    uid: spec.uid ?? 0,
    gid: spec.gid ?? 0,
    size: spec.size,
    mtime: spec.mtime ?? 0,
  };
  for (const field of Object.keys(NUMERIC) as NumericField[]) {
    const [offset, length] = NUMERIC[field];
    (spec.base256?.includes(field) ? writeBase256 : writeOctal)(block, numbers[field], offset, length);
  }
  block[156] = (spec.type ?? '0').charCodeAt(0);
  writeString(block, spec.linkName ?? '', 157, 100);
  const magic = spec.magic ?? 'ustar';
  if (magic === 'ustar') writeString(block, 'ustar\x0000', 257, 8);
  if (magic === 'gnu') writeString(block, 'ustar  \0', 257, 8);
  writeOctal(block, spec.devMajor ?? 0, 329, 8);
  writeOctal(block, spec.devMinor ?? 0, 337, 8);
  writeString(block, spec.prefix ?? '', 345, 155);
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  writeString(block, `${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return block;
}

/** pax records, each "LENGTH key=value\n" with LENGTH counting itself. */
export function paxRecords(records: Readonly<Record<string, string>>): Buffer {
  return Buffer.concat(
    Object.entries(records).map(([key, value]) => {
      const body = ` ${key}=${value}\n`;
      const bodyLength = Buffer.byteLength(body);
      let length = bodyLength + 1;
      while (String(length).length + bodyLength !== length) length += 1;
      return Buffer.from(`${length}${body}`);
    }),
  );
}

function padding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

/** A metadata entry ('x', 'g', 'L', 'K') carrying `body`. */
export function metaEntry(type: string, body: Buffer): Buffer[] {
  return [
    header({
      name: type === 'L' || type === 'K' ? '././@LongLink' : 'PaxHeaders/meta',
      type,
      size: body.length,
      magic: type === 'L' || type === 'K' ? 'gnu' : 'ustar',
    }),
    body,
    padding(body.length),
  ];
}

const truncate = (text: string): string => Buffer.from(text).subarray(0, 100).toString('latin1');

/**
 * The blocks of one entry, with its pax or GNU long-name prefix entries. Names that a pax
 * `path`/`linkpath` or a GNU long name carries are truncated in the header, as real writers do.
 * Without `data`, the header announces `size` and the caller writes content and padding.
 */
export function entryBlocks(spec: TarSpec): Buffer[] {
  const data = typeof spec.data === 'string' ? Buffer.from(spec.data) : (spec.data ?? Buffer.alloc(0));
  const before: Buffer[] = [];
  let { name, linkName } = spec;
  if (spec.pax) {
    before.push(...metaEntry('x', paxRecords(spec.pax)));
    if (spec.pax.path !== undefined) name = truncate(name);
    if (spec.pax.linkpath !== undefined && linkName !== undefined) linkName = truncate(linkName);
  }
  if (spec.gnuLongNames) {
    before.push(...metaEntry('L', Buffer.from(`${name}\0`)));
    name = truncate(name);
    if (linkName !== undefined) {
      before.push(...metaEntry('K', Buffer.from(`${linkName}\0`)));
      linkName = truncate(linkName);
    }
  }
  return [...before, header({ ...spec, name, linkName, size: spec.size ?? data.length }), data, padding(data.length)];
}

export const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);

/** A whole archive, ended by two zero blocks unless `end` is false. */
export function tarArchive(
  specs: readonly TarSpec[],
  options: { readonly end?: boolean; readonly global?: Readonly<Record<string, string>> } = {},
): Buffer {
  const globalHeader = options.global ? metaEntry('g', paxRecords(options.global)) : [];
  return Buffer.concat([
    ...globalHeader,
    ...specs.flatMap(entryBlocks),
    ...(options.end === false ? [] : [END_OF_ARCHIVE]),
  ]);
}

/**
 * A stream delivering `bytes` in chunks of exactly `chunkSize` (1 for the worst case). Object mode
 * keeps each chunk separate: a byte stream would let the consumer read several at once.
 */
export function chunkedStream(bytes: Buffer, chunkSize: number): Readable {
  function* chunks(): Generator<Buffer> {
    for (let offset = 0; offset < bytes.length; offset += chunkSize) yield bytes.subarray(offset, offset + chunkSize);
  }
  return Readable.from(chunks());
}
