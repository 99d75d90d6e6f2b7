/** pax extended headers ('x' for the next entry, 'g' for all following ones). */
import { decodeName, TarFormatError } from './tar-header.js';

/** Keys of pax headers the reader applies; others (xattrs, atime, ctime, charset) are ignored. */
export type PaxKey = 'path' | 'linkpath' | 'size' | 'uid' | 'gid' | 'mtime' | 'uname' | 'gname';

/** pax extended header records: "LENGTH key=value\n", LENGTH counting the whole record. */
export function parsePax(bytes: Buffer, into: Map<string, string>, offset: number): Map<string, string> {
  let pos = 0;
  while (pos < bytes.length && bytes[pos] !== 0) {
    const space = bytes.indexOf(0x20, pos);
    const lengthText = space === -1 ? '' : bytes.toString('latin1', pos, space);
    const length = Number(lengthText);
    if (
      !/^\d+$/.test(lengthText) ||
      length <= space - pos ||
      pos + length > bytes.length ||
      bytes[pos + length - 1] !== 0x0a
    ) {
      throw new TarFormatError('malformed pax record', offset);
    }
    const record = bytes.subarray(space + 1, pos + length - 1);
    const equals = record.indexOf(0x3d);
    if (equals <= 0) throw new TarFormatError('pax record without a key', offset);
    into.set(decodeName(record.subarray(0, equals)), decodeName(record.subarray(equals + 1)));
    pos += length;
  }
  return into;
}
