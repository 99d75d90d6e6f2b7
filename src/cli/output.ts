/**
 * Printing without process.stdout/process.stderr where it can: the first touch of either builds a
 * stream over the descriptor (for a pipe, node:net and the whole stream stack), which
 * `restage migrate` otherwise never loads (test/cli/startup.test.ts). A write goes to the
 * descriptor directly and whole; a descriptor that would block (a non-blocking pipe, full) hands
 * the rest, and everything printed after it, to the stream, which keeps the order and waits for
 * the reader. A reader that went away (EPIPE) drops what is left, as quietOnClosedOutput does for
 * the streams.
 */
import fs from 'node:fs';

const streamed = new Set<1 | 2>();
/** Streams given the handler: once each, whatever other listeners they have (a pipe into them adds its own). */
const quieted = new WeakSet<NodeJS.WriteStream>();

/** Writes all of `text` to stdout (1) or stderr (2), in order with everything printed before. */
export function print(fd: 1 | 2, text: string): void {
  if (text === '') return;
  let rest: string | Buffer = text;
  if (!streamed.has(fd)) {
    const bytes = Buffer.from(text, 'utf8');
    let done = 0;
    try {
      while (done < bytes.length) done += fs.writeSync(fd, bytes, done);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return;
      if (code !== 'EAGAIN') throw error;
      streamed.add(fd);
      rest = bytes.subarray(done);
    }
  }
  quietOnClosedOutput();
  (fd === 1 ? process.stdout : process.stderr).write(rest);
}

/**
 * A reader that goes away (`restage … | head -1`) makes stream writes fail with EPIPE, emitted as
 * an 'error' event that would end the process unhandled — in the middle of verify, before its
 * cleanup. What is left to print has no reader: it is dropped. (verify also cancels itself then:
 * see runVerify.) Creates both streams: call it only on a path that uses them.
 */
export function quietOnClosedOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (quieted.has(stream)) continue;
    quieted.add(stream);
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    });
  }
}
