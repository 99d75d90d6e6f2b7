/**
 * `docker build -` reading a tar stream (optionally gzip-compressed) in verify's sandboxed run:
 * the stream is the build's context and its Dockerfile (`Dockerfile`, or the `-f PATH` of the
 * stream) the file the run rewrites to its own image tags and base image mapping. The stream is
 * passed on as a plain tar with that one member's content replaced (size and checksum with it);
 * docker reads a plain or a gzip stream alike (test/e2e/routes-stdin.test.ts).
 */
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { BLOCK, cString, isZeroBlock, readNumber } from '../../manifest/tar-header.js';

/** Whether standard input holds a tar stream (gzip-compressed or not) rather than a Dockerfile's text. */
export function isTarStream(input: Buffer): boolean {
  return (input[0] === 0x1f && input[1] === 0x8b) || input.includes(0);
}

/**
 * The stream with its member `dockerfile` rewritten by `rewrite`; a string says why it cannot be
 * (no such member, a member whose size a pax or GNU long-name header also states).
 */
export function rewriteStreamDockerfile(
  input: Buffer,
  dockerfile: string,
  rewrite: (text: string) => string,
): Buffer | string {
  const tar = input[0] === 0x1f && input[1] === 0x8b ? gunzipSync(input) : input;
  const wanted = path.posix.normalize(dockerfile).replace(/^(\.\/)+/, '');
  const parts: Buffer[] = [];
  let found = false;
  let extended = false;
  for (let offset = 0; offset + BLOCK <= tar.length;) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (isZeroBlock(header)) {
      parts.push(tar.subarray(offset));
      break;
    }
    const size = readNumber(header, 124, 12, 'size', offset);
    const type = String.fromCharCode(header[156] ?? 0);
    const prefix =
      tar.subarray(offset + 257, offset + 262).toString('latin1') === 'ustar' ? cString(header, 345, 155) : '';
    const name = path.posix
      .normalize(prefix ? `${prefix}/${cString(header, 0, 100)}` : cString(header, 0, 100))
      .replace(/^(\.\/)+/, '');
    const end = offset + BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (!found && (type === '0' || type === '\0') && name === wanted) {
      if (extended) return `its Dockerfile ${wanted} has an extended (pax or GNU) header the run does not rewrite`;
      const text = Buffer.from(rewrite(tar.subarray(offset + BLOCK, offset + BLOCK + size).toString('utf8')));
      const next = Buffer.from(header);
      next.write(`${text.length.toString(8).padStart(11, '0')}\0`, 124, 12, 'latin1');
      next.fill(0x20, 148, 156);
      let sum = 0;
      for (const byte of next) sum += byte;
      next.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
      parts.push(next, text, Buffer.alloc((BLOCK - (text.length % BLOCK)) % BLOCK));
      found = true;
    } else parts.push(tar.subarray(offset, end));
    extended = type === 'x' || type === 'L';
    offset = end;
  }
  return found ? Buffer.concat(parts) : `the stream holds no Dockerfile ${wanted}`;
}
