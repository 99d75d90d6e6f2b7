import test from 'ava';
import { Records, sameEntry } from '../../../src/verify/manifest/records.js';
import type { FileEntry } from '../../../src/verify/model.js';
import { device, dir, file, hardlink, sha256, symlink } from '../helpers/facts.js';

const KINDS: readonly FileEntry[] = [
  file('/f', 'content', { mode: 0o4755, uid: 1000, gid: 4294967295, mtime: 1_700_000_000 }),
  file('/empty', '', { mtime: -86_400 }),
  { ...file('/no-hash'), sha256: undefined },
  dir('/d', { mode: 0o1777 }),
  symlink('/l', '../target'),
  hardlink('/h', '/f', 'content'),
  device('/dev/null', 'char', 1, 3),
  device('/dev/sda', 'block', 8, 0),
  { path: '/p', type: 'fifo', mode: 0o600, uid: 0, gid: 0, size: 0, mtime: 0 },
  { ...file('/big'), size: 2 ** 40 + 1 },
];

/** Values the record cannot hold: kept whole beside it. */
const ODD: readonly FileEntry[] = [
  { ...file('/upper'), sha256: sha256('x').toUpperCase() },
  { ...file('/short'), sha256: 'abc' },
  { ...file('/mode'), mode: 0o200000 },
  { ...file('/uid'), uid: 2 ** 33 },
  { ...file('/gid'), gid: -1 },
  { ...dir('/type'), type: 'socket' as never },
];

const withoutUndefined = (entry: FileEntry): FileEntry =>
  Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== undefined)) as unknown as FileEntry;

test('every kind of entry, and every value the record cannot hold, comes back as it went in', (t) => {
  const records = new Records();
  const all = [...KINDS, ...ODD];
  all.forEach((entry, row) => records.set(row, entry));
  all.forEach((entry, row) => t.deepEqual(records.get(row, entry.path), withoutUndefined(entry), entry.path));
});

test('rows in later chunks, written out of order', (t) => {
  const records = new Records();
  const rows = [40_000, 3, 16_384, 16_383];
  for (const row of rows) records.set(row, file(`/r${row}`, String(row)));
  for (const row of rows) t.is(records.get(row, 'x').sha256, sha256(String(row)));
  t.is(records.fileSize(40_000), 5);
});

test('fileSize: the length of a regular file, kept in the record or whole; 0 for any other type', (t) => {
  const records = new Records();
  const entries = [
    file('/f', 'abc'),
    { ...file('/odd', 'abcd'), sha256: 'ABC' },
    hardlink('/h', '/f', 'abc'),
    dir('/d'),
  ];
  entries.forEach((entry, row) => records.set(row, entry));
  t.deepEqual(
    entries.map((_, row) => records.fileSize(row)),
    [3, 4, 0, 0],
  );
});

test('a row set again holds only the new entry (no symlink target or device left over)', (t) => {
  const records = new Records();
  records.set(0, symlink('/x', 'a'));
  records.set(1, device('/y', 'char', 1, 1));
  records.set(2, { ...file('/z'), mode: 0o200000 });
  records.set(0, file('/x', 'now a file'));
  records.set(1, dir('/y'));
  records.set(2, file('/z', 'plain'));
  t.deepEqual(records.get(0, '/x'), file('/x', 'now a file'));
  t.deepEqual(records.get(1, '/y'), dir('/y'));
  t.deepEqual(records.get(2, '/z'), file('/z', 'plain'));
  t.deepEqual([...records.hardlinks()], []);
});

/** Each entry changed in one field at a time. */
const CHANGES: ReadonlyArray<readonly [string, (entry: FileEntry) => FileEntry]> = [
  ['type', (e) => ({ ...e, type: e.type === 'dir' ? 'fifo' : 'dir' })],
  ['mode', (e) => ({ ...e, mode: e.mode ^ 0o1 })],
  ['uid', (e) => ({ ...e, uid: e.uid + 1 })],
  ['gid', (e) => ({ ...e, gid: e.gid === 0 ? 7 : 0 })],
  ['size', (e) => ({ ...e, size: e.size + 1 })],
  ['mtime', (e) => ({ ...e, mtime: e.mtime + 1 })],
  ['sha256', (e) => ({ ...e, sha256: sha256(`${e.sha256 ?? ''}!`) })],
  ['linkTarget', (e) => ({ ...e, linkTarget: `${e.linkTarget ?? ''}/other` })],
  ['hardlinkTo', (e) => ({ ...e, hardlinkTo: `${e.hardlinkTo ?? ''}/other` })],
  ['device', (e) => ({ ...e, device: { major: e.device?.major ?? 0, minor: (e.device?.minor ?? 0) + 1 } })],
];

test('an entry matches a row, and equals a row of other records, exactly when sameEntry says so', (t) => {
  const [mine, theirs] = [new Records(), new Records()];
  const all = [...KINDS, ...ODD];
  all.forEach((entry, row) => {
    mine.set(row, entry);
    theirs.set(row, entry);
  });
  all.forEach((entry, row) => {
    t.true(mine.matches(row, entry), entry.path);
    t.true(mine.equals(row, theirs, row), entry.path);
    for (const [field, change] of CHANGES) {
      const changed = change(entry);
      theirs.set(row, changed);
      const same = sameEntry(entry, changed);
      t.is(mine.matches(row, changed), same, `${entry.path} ${field}`);
      t.is(mine.equals(row, theirs, row), same, `${entry.path} ${field}`);
      theirs.set(row, entry);
    }
  });
});
