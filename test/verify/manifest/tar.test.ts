import { Readable } from 'node:stream';
import test from 'ava';
import { readTar, TarFormatError, type TarEntry } from '../../../src/verify/manifest/tar.js';
import { sha256 } from '../helpers/facts.js';
import { chunkedStream, END_OF_ARCHIVE, entryBlocks, header, tarArchive } from '../helpers/tar-writer.js';

/** Every archive is read whole, in 13-byte chunks and one byte at a time: the entries must not change. */
const DELIVERIES: readonly number[] = [Number.MAX_SAFE_INTEGER, 13, 1];

type Expected = readonly Partial<TarEntry>[] | { readonly throws: RegExp };

async function collect(stream: Readable): Promise<TarEntry[]> {
  const entries: TarEntry[] = [];
  for await (const entry of readTar(stream)) entries.push(entry);
  return entries;
}

const read = test.macro(async (t, archive: Buffer, expected: Expected) => {
  for (const chunkSize of DELIVERIES) {
    const reading = collect(chunkedStream(archive, chunkSize));
    if ('throws' in expected) {
      await t.throwsAsync(reading, { instanceOf: TarFormatError, message: expected.throws }, `chunks of ${chunkSize}`);
      continue;
    }
    const entries = await reading;
    t.is(entries.length, expected.length, `chunks of ${chunkSize}`);
    expected.forEach((want, i) => t.like(entries[i], want, `entry ${i}, chunks of ${chunkSize}`));
  }
});

const big = Buffer.alloc(200_000, 0);
for (let i = 0; i < big.length; i += 1) big[i] = (i * 7919) % 251;

test(
  'ustar entries of every type',
  read,
  tarArchive([
    { name: 'app/', type: '5', mode: 0o755 },
    { name: 'app/hello', data: 'hi\n', uid: 1000, gid: 1001, mtime: 1_700_000_000 },
    { name: 'app/link', type: '2', linkName: 'hello', mode: 0o777 },
    { name: 'app/hard', type: '1', linkName: 'app/hello' },
    { name: 'dev/null', type: '3', devMajor: 1, devMinor: 3, mode: 0o666 },
    { name: 'dev/sda', type: '4', devMajor: 8, devMinor: 0 },
    { name: 'run/fifo', type: '6' },
    { name: 'old', type: '7', data: 'contiguous' },
  ]),
  [
    { name: 'app/', type: 'dir', mode: 0o755, size: 0 },
    { name: 'app/hello', type: 'file', size: 3, sha256: sha256('hi\n'), uid: 1000, gid: 1001, mtime: 1_700_000_000 },
    { name: 'app/link', type: 'symlink', linkName: 'hello', mode: 0o777 },
    { name: 'app/hard', type: 'hardlink', linkName: 'app/hello', size: 0 },
    { name: 'dev/null', type: 'char', devMajor: 1, devMinor: 3 },
    { name: 'dev/sda', type: 'block', devMajor: 8, devMinor: 0 },
    { name: 'run/fifo', type: 'fifo' },
    { name: 'old', type: 'file', sha256: sha256('contiguous') },
  ],
);

test(
  'setuid, setgid and sticky bits survive',
  read,
  tarArchive([
    { name: 'usr/bin/su', mode: 0o4755, data: 'x' },
    { name: 'usr/bin/wall', mode: 0o2755, data: 'y' },
    { name: 'tmp/', type: '5', mode: 0o1777 },
  ]),
  [{ mode: 0o4755 }, { mode: 0o2755 }, { mode: 0o1777 }],
);

test(
  'ustar prefix joins the name; a GNU header ignores the prefix area',
  read,
  tarArchive([
    { name: 'file', prefix: 'p'.repeat(150), data: 'a' },
    { name: 'gnu-file', prefix: 'atime-junk', magic: 'gnu', data: 'b' },
    { name: 'v7-dir/', magic: 'v7' },
  ]),
  [{ name: `${'p'.repeat(150)}/file` }, { name: 'gnu-file', sha256: sha256('b') }, { name: 'v7-dir/', type: 'dir' }],
);

const longPath = `deep/${'segment-of-a-long-path/'.repeat(12)}file.txt`;
const longTarget = `../${'up/'.repeat(40)}target`;

test(
  'GNU long names and long link names',
  read,
  tarArchive([
    { name: longPath, data: 'long', gnuLongNames: true },
    { name: `${longPath}.link`, type: '2', linkName: longTarget, gnuLongNames: true },
    { name: 'short', data: 'after the long ones' },
  ]),
  [
    { name: longPath, sha256: sha256('long') },
    { name: `${longPath}.link`, type: 'symlink', linkName: longTarget },
    { name: 'short', linkName: '' },
  ],
);

test(
  'pax headers override path, linkpath, ids, size and mtime for one entry',
  read,
  tarArchive([
    {
      name: 'truncated',
      data: 'pax data',
      pax: {
        path: `päx/${longPath}`,
        uid: '3000000',
        gid: '4000000',
        mtime: '1700000000.75',
        uname: 'builder',
        'SCHILY.xattr.user.x': 'ignored',
      },
    },
    { name: 'link', type: '2', linkName: 'short', pax: { linkpath: longTarget } },
    { name: 'plain', data: 'no pax', uid: 5 },
  ]),
  [
    {
      name: `päx/${longPath}`,
      uid: 3_000_000,
      gid: 4_000_000,
      mtime: 1_700_000_000,
      uname: 'builder',
      sha256: sha256('pax data'),
    },
    { name: 'link', linkName: longTarget },
    { name: 'plain', uid: 5, uname: '' },
  ],
);

test(
  'a pax size decides how much data follows',
  read,
  Buffer.concat([
    ...entryBlocks({ name: 'sized', data: 'twelve bytes', size: 0, pax: { size: '12' } }),
    ...entryBlocks({ name: 'next', data: 'n' }),
    END_OF_ARCHIVE,
  ]),
  [
    { name: 'sized', size: 12, sha256: sha256('twelve bytes') },
    { name: 'next', sha256: sha256('n') },
  ],
);

test(
  'a global pax header applies to all later entries; local records and empty values override it',
  read,
  tarArchive(
    [
      { name: 'a', data: '1' },
      { name: 'b', data: '2', pax: { uid: '7' } },
      { name: 'c', data: '3', uid: 9, pax: { uid: '' } },
    ],
    { global: { uid: '42', gid: '43' } },
  ),
  [
    { name: 'a', uid: 42, gid: 43 },
    { name: 'b', uid: 7, gid: 43 },
    { name: 'c', uid: 9, gid: 43 },
  ],
);

test(
  'base-256 numbers: large ids, a negative mtime, a size',
  read,
  tarArchive([
    { name: 'ids', data: 'x', uid: 3_000_000, gid: 2 ** 40, base256: ['uid', 'gid'] },
    { name: 'old', data: 'y', mtime: -1, base256: ['mtime'] },
    { name: 'sized', data: 'z'.repeat(600), base256: ['size'] },
  ]),
  [{ uid: 3_000_000, gid: 2 ** 40 }, { mtime: -1 }, { size: 600, sha256: sha256('z'.repeat(600)) }],
);

test(
  'a file over 64 KiB is hashed across many chunks',
  read,
  tarArchive([
    { name: 'big.bin', data: big },
    { name: 'after', data: 'tail' },
  ]),
  [
    { name: 'big.bin', size: big.length, sha256: sha256(big) },
    { name: 'after', sha256: sha256('tail') },
  ],
);

test(
  'header-only types carry no data whatever their size field says',
  read,
  tarArchive([
    { name: 'target', data: 'content' },
    { name: 'link', type: '1', linkName: 'target', size: 7 },
    { name: 'after', data: 'still aligned' },
  ]),
  [{ name: 'target' }, { name: 'link', size: 0 }, { name: 'after', sha256: sha256('still aligned') }],
);

test(
  'record padding after the end of the archive is ignored',
  read,
  Buffer.concat([tarArchive([{ name: 'a', data: 'a' }]), Buffer.alloc(9 * 1024, 0xaa)]),
  [{ name: 'a' }],
);

test('a stream cut inside an entry throws', read, tarArchive([{ name: 'a', data: big }]).subarray(0, 4096), {
  throws: /ended inside an entry/,
});

test('a stream without an end-of-archive block throws', read, tarArchive([{ name: 'a', data: 'a' }], { end: false }), {
  throws: /before the end-of-archive block/,
});

test(
  'a corrupt header throws',
  read,
  (() => {
    const archive = tarArchive([{ name: 'a', data: 'a' }]);
    archive[0] = 'b'.charCodeAt(0);
    return archive;
  })(),
  { throws: /checksum/ },
);

test('sparse files are refused rather than hashed wrongly', read, tarArchive([{ name: 's', type: 'S', data: 'x' }]), {
  throws: /unsupported tar entry type 'S'/,
});

test('pax sparse records are refused', read, tarArchive([{ name: 's', data: 'x', pax: { 'GNU.sparse.major': '1' } }]), {
  throws: /sparse/,
});

test(
  'a non-octal numeric field throws',
  read,
  (() => {
    const block = header({ name: 'bad', size: 0 });
    block.write('9x', 108, 'latin1');
    block.fill(0x20, 148, 156);
    const sum = block.reduce((total, byte) => total + byte, 0);
    block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    return Buffer.concat([block, END_OF_ARCHIVE]);
  })(),
  { throws: /uid field .* is not an octal number/ },
);

/** A lazily produced archive of `files` files of `fileSize` bytes; `produced` counts what was pulled. */
function lazyArchive(files: number, fileSize: number): { stream: Readable; produced: () => number } {
  let produced = 0;
  const content = Buffer.alloc(fileSize, 1);
  function* parts(): Generator<Buffer> {
    for (let i = 0; i < files; i += 1) {
      for (const part of entryBlocks({ name: `f${i}`, data: content })) {
        produced += part.length;
        yield part;
      }
    }
    produced += END_OF_ARCHIVE.length;
    yield END_OF_ARCHIVE;
  }
  return { stream: Readable.from(parts()), produced: () => produced };
}

test('reading waits for the consumer (backpressure)', async (t) => {
  const { stream, produced } = lazyArchive(100, 512 * 1024);
  const iterator = readTar(stream);
  const first = await iterator.next();
  t.is(first.done ? undefined : first.value.name, 'f0');
  // Many turns of the event loop, so a reader that did not wait would have read far ahead.
  for (let turn = 0; turn < 200; turn += 1) await new Promise((resolve) => setImmediate(resolve));
  // The stream may buffer its high-water mark (16 parts here) ahead, never the 50 MiB archive.
  t.true(produced() < 20 * 512 * 1024, `produced ${produced()} bytes while the consumer paused`);
  let rest = 0;
  for await (const _entry of { [Symbol.asyncIterator]: () => iterator }) rest += 1;
  t.is(rest, 99);
});

test('leaving the loop early releases the stream', async (t) => {
  const { stream } = lazyArchive(10, 1024);
  for await (const entry of readTar(stream)) {
    t.is(entry.name, 'f0');
    break;
  }
  t.true(stream.destroyed);
});

test('a text stream is refused', async (t) => {
  await t.throwsAsync(collect(Readable.from(['not bytes'])), { instanceOf: TypeError });
});
