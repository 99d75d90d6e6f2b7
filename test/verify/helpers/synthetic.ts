/**
 * A large synthetic root file system as a tar byte stream, produced on demand and never held:
 * content comes from one reused pattern buffer, so the producer's own memory stays flat and any
 * growth measured while reading is the reader's.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { END_OF_ARCHIVE, entryBlocks, header } from './tar-writer.js';

const PATTERN = Buffer.alloc(64 * 1024);
for (let i = 0; i < PATTERN.length; i += 1) PATTERN[i] = (i * 31 + 7) % 256;

export interface SyntheticPlan {
  /** Size of one big file, in bytes. */
  readonly bigFile: number;
  /** Number of small files (each followed by a hard link to it every tenth file). */
  readonly smallFiles: number;
  readonly smallFileSize: number;
}

/** Content of a synthetic file of `size` bytes: the pattern repeated. */
function* content(size: number): Generator<Buffer> {
  for (let offset = 0; offset < size; offset += PATTERN.length)
    yield PATTERN.subarray(0, Math.min(PATTERN.length, size - offset));
}

export function syntheticSha256(size: number): string {
  const hash = createHash('sha256');
  for (const piece of content(size)) hash.update(piece);
  return hash.digest('hex');
}

function* fileBlocks(name: string, size: number, pax?: Readonly<Record<string, string>>): Generator<Buffer> {
  yield* entryBlocks({ name, size, mode: 0o755, uid: 1000, gid: 1000, ...(pax ? { pax } : {}) });
  yield* content(size);
  const padding = (512 - (size % 512)) % 512;
  if (padding) yield Buffer.alloc(padding);
}

function* archive(plan: SyntheticPlan): Generator<Buffer> {
  yield header({ name: './', type: '5', size: 0, mode: 0o755 });
  yield header({ name: './data/', type: '5', size: 0, mode: 0o755 });
  yield* fileBlocks('./data/big.bin', plan.bigFile, { mtime: '1700000000.5' });
  for (let i = 0; i < plan.smallFiles; i += 1) {
    const name = `./usr/lib/${'long-directory-name/'.repeat(i % 7)}file-${i}.so`;
    yield* fileBlocks(name, plan.smallFileSize, name.length > 100 ? { path: name } : undefined);
    if (i % 10 === 0)
      yield* entryBlocks({
        name: `./usr/lib/link-${i}`,
        type: '1',
        linkName: name,
        ...(name.length > 100 ? { pax: { linkpath: name } } : {}),
      });
  }
  yield END_OF_ARCHIVE;
}

/** Total archive size of a plan, for throughput figures. */
export function syntheticBytes(plan: SyntheticPlan): number {
  let total = 0;
  for (const piece of archive(plan)) total += piece.length;
  return total;
}

/**
 * The archive as a byte-mode Readable, like a child process's stdout; `onProgress` runs after
 * every `every` bytes handed out.
 */
export function syntheticTar(
  plan: SyntheticPlan,
  onProgress?: (bytes: number) => void,
  every = 8 * 1024 * 1024,
): Readable {
  const pieces = archive(plan);
  let produced = 0;
  let nextReport = every;
  return new Readable({
    read() {
      for (;;) {
        const next = pieces.next();
        if (next.done) {
          this.push(null);
          return;
        }
        produced += next.value.length;
        if (onProgress && produced >= nextReport) {
          nextReport += every;
          onProgress(produced);
        }
        if (!this.push(next.value)) return;
      }
    },
  });
}
