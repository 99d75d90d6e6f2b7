/**
 * The fields of a tar header block (POSIX ustar and GNU): numbers, names, the checksum. Every
 * reader throws TarFormatError with the archive offset of the block at fault.
 */
export class TarFormatError extends Error {
  constructor(
    message: string,
    /** Byte offset in the archive of the block at fault. */
    readonly offset: number,
  ) {
    super(`${message} (at byte ${offset})`);
    this.name = 'TarFormatError';
  }
}

export const BLOCK = 512;

export function isZeroBlock(block: Buffer): boolean {
  for (let i = 0; i < BLOCK; i += 1) if (block[i] !== 0) return false;
  return true;
}

/** The checksum field is the byte sum of the header with itself read as spaces; old writers summed signed bytes. */
export function verifyChecksum(block: Buffer, offset: number): void {
  const stored = readNumber(block, 148, 8, 'checksum', offset);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i += 1) {
    const byte = i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
    unsigned += byte;
    signed += byte >= 0x80 ? byte - 0x100 : byte;
  }
  if (stored !== unsigned && stored !== signed) {
    throw new TarFormatError(
      `header checksum ${stored} does not match the header's ${unsigned}: not a tar stream, or a corrupt one`,
      offset,
    );
  }
}

/**
 * A numeric header field: octal digits padded with spaces or NULs, or (GNU, and Go's writer for
 * values that do not fit) base-256: first byte 0x80 for a positive big-endian number, 0xff for
 * a negative one in two's complement.
 */
export function readNumber(block: Buffer, start: number, length: number, field: string, offset: number): number {
  const first = block[start] ?? 0;
  if (first & 0x80) {
    const negative = first === 0xff;
    let value = negative ? 0 : first & 0x7f;
    for (let i = start + 1; i < start + length; i += 1) {
      const byte = block[i] ?? 0;
      value = value * 256 + (negative ? 0xff - byte : byte);
      if (value > Number.MAX_SAFE_INTEGER) throw new TarFormatError(`base-256 ${field} is too large`, offset);
    }
    return negative ? -(value + 1) : value;
  }
  let value = 0;
  let i = start;
  const end = start + length;
  while (i < end && (block[i] === 0x20 || block[i] === 0)) i += 1;
  for (; i < end; i += 1) {
    const byte = block[i] ?? 0;
    if (byte < 0x30 || byte > 0x37) break;
    value = value * 8 + (byte - 0x30);
  }
  for (; i < end; i += 1) {
    if (block[i] !== 0x20 && block[i] !== 0) {
      throw new TarFormatError(
        `${field} field "${block.toString('latin1', start, end)}" is not an octal number`,
        offset,
      );
    }
  }
  return value;
}

/** A NUL-terminated (or field-filling) name. */
export function cString(bytes: Buffer, start: number, length: number): string {
  const field = bytes.subarray(start, start + length);
  const nul = field.indexOf(0);
  return decodeName(nul === -1 ? field : field.subarray(0, nul));
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Names are bytes; UTF-8 in practice. Invalid UTF-8 bytes are kept distinct as \xNN escapes. */
export function decodeName(bytes: Buffer): string {
  if (bytes.every((byte) => byte < 0x80)) return bytes.toString('latin1');
  try {
    return utf8.decode(bytes);
  } catch {
    return [...bytes]
      .map((byte) => (byte < 0x80 ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`))
      .join('');
  }
}
