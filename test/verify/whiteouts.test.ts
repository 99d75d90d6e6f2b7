import test from 'ava';
import { makeManifest } from '../../src/verify/manifest/manifest.js';
import { applyWhiteouts } from '../../src/verify/manifest/read.js';
import type { FileEntry } from '../../src/verify/model.js';
import { dir, file, hardlink } from './helpers/facts.js';

/** Layers lowest first; expected: every path of the merged file system with its type (and link root). */
const merge = test.macro((t, layers: readonly (readonly FileEntry[])[], expected: Readonly<Record<string, string>>) => {
  const merged = applyWhiteouts(layers.map(makeManifest));
  const shape = Object.fromEntries(
    [...merged.entries.values()].map((entry) => [
      entry.path,
      entry.hardlinkTo ? `hardlink→${entry.hardlinkTo}` : entry.type,
    ]),
  );
  t.deepEqual(shape, expected);
  t.is(merged.count, Object.keys(expected).length);
});

test(
  'upper layers add and replace entries',
  merge,
  [
    [dir('/app'), file('/app/a', 'old')],
    [file('/app/a', 'new'), file('/app/b')],
  ],
  { '/app': 'dir', '/app/a': 'file', '/app/b': 'file' },
);

test(
  '.wh.NAME deletes a file of a lower layer',
  merge,
  [[dir('/etc'), file('/etc/keep'), file('/etc/gone')], [file('/etc/.wh.gone')]],
  { '/etc': 'dir', '/etc/keep': 'file' },
);

test(
  '.wh.NAME deletes a whole directory tree, not its namesakes',
  merge,
  [
    [dir('/var'), dir('/var/cache'), dir('/var/cache/apt'), file('/var/cache/apt/x'), file('/var/cache2')],
    [file('/var/.wh.cache')],
  ],
  { '/var': 'dir', '/var/cache2': 'file' },
);

test('a whiteout at the root', merge, [[dir('/tmp'), file('/tmp/x'), file('/top')], [file('/.wh.tmp')]], {
  '/top': 'file',
});

test(
  'an opaque directory hides lower children and keeps its own',
  merge,
  [
    [dir('/opt'), dir('/opt/app'), file('/opt/app/old'), dir('/opt/app/sub'), file('/opt/app/sub/deep')],
    [dir('/opt/app'), file('/opt/app/.wh..wh..opq'), file('/opt/app/new')],
  ],
  { '/opt': 'dir', '/opt/app': 'dir', '/opt/app/new': 'file' },
);

test('whiteouts never delete entries of their own layer', merge, [[dir('/d')], [file('/d/x'), file('/d/.wh.x')]], {
  '/d': 'dir',
  '/d/x': 'file',
});

test(
  'AUFS bookkeeping names are not files',
  merge,
  [
    [dir('/d'), file('/d/x')],
    [dir('/.wh..wh.plnk'), file('/.wh..wh.aufs')],
  ],
  { '/d': 'dir', '/d/x': 'file' },
);

test(
  'a re-created path after a whiteout stays',
  merge,
  [[file('/f', 'one')], [file('/.wh.f')], [file('/f', 'three')]],
  { '/f': 'file' },
);

test(
  'hard links whose target a later layer replaced regroup among themselves',
  merge,
  [
    [
      file('/bin/a', 'x'),
      hardlink('/bin/b', '/bin/a', 'x'),
      hardlink('/bin/c', '/bin/a', 'x'),
      file('/lib/k', 'k'),
      hardlink('/lib/l', '/lib/k', 'k'),
    ],
    [file('/bin/a', 'replaced')],
  ],
  { '/bin/a': 'file', '/bin/b': 'file', '/bin/c': 'hardlink→/bin/b', '/lib/k': 'file', '/lib/l': 'hardlink→/lib/k' },
);
