import test from 'ava';
import { readManifest, type ReadManifestOptions } from '../../../src/verify/manifest/read.js';
import type { FileEntry } from '../../../src/verify/model.js';
import { sha256 } from '../helpers/facts.js';
import { syntheticSha256, syntheticTar, type SyntheticPlan } from '../helpers/synthetic.js';
import { chunkedStream, tarArchive, type TarSpec } from '../helpers/tar-writer.js';

interface Case {
  readonly tar: readonly TarSpec[];
  readonly options?: ReadManifestOptions;
  /** Every path of the manifest, in order, with what its entry must hold. */
  readonly entries?: Readonly<Record<string, Partial<FileEntry>>>;
  readonly count?: number;
  readonly totalSize?: number;
  readonly throws?: RegExp;
}

const manifest = test.macro(async (t, { tar, options, entries, count, totalSize, throws }: Case) => {
  const reading = readManifest(chunkedStream(tarArchive(tar), 100), options);
  if (throws) {
    await t.throwsAsync(reading, { message: throws });
    return;
  }
  const result = await reading;
  if (entries) {
    t.deepEqual([...result.entries.keys()], Object.keys(entries));
    for (const [path, want] of Object.entries(entries)) t.like(result.entries.get(path), { path, ...want });
  }
  if (count !== undefined) t.is(result.entries.size, count);
  if (totalSize !== undefined) t.is(result.totalSize, totalSize);
});

const ENGINE_MADE: readonly TarSpec[] = [
  { name: '.dockerenv' },
  { name: 'etc/', type: '5' },
  { name: 'etc/hosts' },
  { name: 'etc/hosts.allow', data: 'ALL: ALL' },
  { name: 'etc/hostname' },
  { name: 'etc/resolv.conf' },
  { name: 'proc/', type: '5' },
  { name: 'sys/', type: '5' },
  { name: 'sys/fs/', type: '5' },
  { name: 'dev/', type: '5' },
  { name: 'dev/console', type: '3', devMajor: 5, devMinor: 1 },
  { name: 'devices/x', data: 'not under /dev' },
];

test('paths are normalized', manifest, {
  tar: [
    { name: './', type: '5' },
    { name: './usr/', type: '5' },
    { name: './usr/bin//x', data: 'x' },
    { name: 'usr/lib/./a/../b/', type: '5' },
    { name: '/abs/file', data: 'abs' },
  ],
  entries: {
    '/': { type: 'dir' },
    '/usr': { type: 'dir' },
    '/usr/bin/x': { sha256: sha256('x') },
    '/usr/lib/b': { type: 'dir' },
    '/abs/file': {},
  },
});

test('engine-made paths are dropped, neighbours kept', manifest, {
  tar: ENGINE_MADE,
  entries: { '/etc': { type: 'dir' }, '/etc/hosts.allow': { size: 8 }, '/devices/x': {} },
});

test('keepEnginePaths keeps them', manifest, {
  tar: ENGINE_MADE,
  options: { keepEnginePaths: true },
  count: ENGINE_MADE.length,
});

test('ignore globs drop matching paths', manifest, {
  tar: [
    { name: 'var/cache/', type: '5' },
    { name: 'var/cache/apt/pkgcache.bin', data: 'cache' },
    { name: 'app/main.py', data: 'print(1)' },
    { name: 'app/__pycache__/main.cpython-311.pyc', data: 'pyc' },
    { name: 'app/lib/x.pyc', data: 'pyc' },
  ],
  options: { ignore: ['/var/cache/**', '**/*.pyc'] },
  entries: { '/app/main.py': {} },
});

test('hard links point at the group root and carry its content', manifest, {
  tar: [
    { name: 'bin/busybox', data: 'bb', mode: 0o4755 },
    { name: 'bin/sh', type: '1', linkName: 'bin/busybox', mode: 0o4755 },
    { name: 'bin/ls', type: '1', linkName: './bin/sh', mode: 0o4755 },
  ],
  entries: {
    '/bin/busybox': { type: 'file', size: 2 },
    '/bin/sh': { type: 'hardlink', hardlinkTo: '/bin/busybox', size: 2, sha256: sha256('bb'), mode: 0o4755 },
    '/bin/ls': { type: 'hardlink', hardlinkTo: '/bin/busybox', sha256: sha256('bb') },
  },
  totalSize: 2,
});

test('when the archived target is ignored, the first kept link becomes the file', manifest, {
  tar: [
    { name: 'opt/skip/tool', data: 'tool' },
    { name: 'usr/bin/tool', type: '1', linkName: 'opt/skip/tool' },
    { name: 'usr/bin/tool2', type: '1', linkName: 'opt/skip/tool' },
  ],
  options: { ignore: ['/opt/**'] },
  entries: {
    '/usr/bin/tool': { type: 'file', size: 4, sha256: sha256('tool') },
    '/usr/bin/tool2': { type: 'hardlink', hardlinkTo: '/usr/bin/tool' },
  },
  totalSize: 4,
});

test('a hard link to a symlink is that symlink again', manifest, {
  tar: [
    { name: 'a', type: '2', linkName: 'target' },
    { name: 'b', type: '1', linkName: 'a' },
  ],
  entries: { '/a': { type: 'symlink' }, '/b': { type: 'symlink', linkTarget: 'target' } },
});

test('a hard link to nothing archived before it throws', manifest, {
  tar: [{ name: 'b', type: '1', linkName: 'missing' }],
  throws: /hard link \/b points to \/missing/,
});

test('the summary counts entries and content once per hard-link group', manifest, {
  tar: [
    { name: 'd/', type: '5' },
    { name: 'd/a', data: 'aaaa' },
    { name: 'd/b', data: 'bb' },
    { name: 'd/c', type: '1', linkName: 'd/a' },
    { name: 'd/l', type: '2', linkName: 'a' },
  ],
  count: 5,
  totalSize: 6,
});

test('a synthetic root file system: pax paths, hard links to them, the big file hashed as it streams', async (t) => {
  // Memory and throughput on the 200 MB version of this archive are measured by `npm run bench`.
  const plan: SyntheticPlan = { bigFile: 3 * 1024 * 1024 + 5, smallFiles: 40, smallFileSize: 1000 };
  const manifest = await readManifest(syntheticTar(plan, undefined, 64 * 1024));
  t.is(manifest.entries.size, 2 + 1 + plan.smallFiles + plan.smallFiles / 10);
  t.is(manifest.entries.get('/data/big.bin')?.sha256, syntheticSha256(plan.bigFile));
  t.is(manifest.totalSize, plan.bigFile + plan.smallFiles * plan.smallFileSize);
  t.is(
    manifest.entries.get('/usr/lib/link-20')?.hardlinkTo,
    '/usr/lib/long-directory-name/long-directory-name/long-directory-name/long-directory-name/long-directory-name/long-directory-name/file-20.so',
  );
});
