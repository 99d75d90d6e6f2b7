import test from 'ava';
import { ColumnManifest, makeManifest } from '../../../src/verify/manifest/manifest.js';
import type { FileEntry, Manifest } from '../../../src/verify/model.js';
import { dir, file, hardlink, symlink } from '../helpers/facts.js';

const BASE: readonly FileEntry[] = [
  dir('/'),
  file('/a', 'aa'),
  file('/b', 'bbb'),
  hardlink('/c', '/a', 'aa'),
  symlink('/d', 'a'),
];

const shared = (manifest: Manifest): number => (manifest as ColumnManifest).shared;

test('a path given twice keeps its last entry and its first position, as a Map would', (t) => {
  const manifest = makeManifest([file('/x', '1'), dir('/y'), file('/x', '22')]);
  t.deepEqual([...manifest.entries.keys()], ['/x', '/y']);
  t.deepEqual(manifest.entries.get('/x'), file('/x', '22'));
  t.is(manifest.entries.size, 2);
  t.is(manifest.totalSize, 2);
});

test('the entries read as a Map: get, has, size, keys, values, entries, forEach', (t) => {
  const manifest = makeManifest(BASE);
  const map = new Map(BASE.map((entry) => [entry.path, entry]));
  t.is(manifest.entries.size, map.size);
  t.deepEqual([...manifest.entries], [...map]);
  t.deepEqual([...manifest.entries.values()], [...map.values()]);
  t.deepEqual([...manifest.entries.entries()], [...map.entries()]);
  const seen: string[] = [];
  manifest.entries.forEach((entry, path, self) => {
    seen.push(`${path}=${entry.type}`);
    t.is(self, manifest.entries);
  });
  t.deepEqual(seen, ['/=dir', '/a=file', '/b=file', '/c=hardlink', '/d=symlink']);
  t.true(manifest.entries.has('/d'));
  t.false(manifest.entries.has('/e'));
  t.is(manifest.entries.get('/e'), undefined);
});

test('totalSize counts regular files only, so each hard-link group once', (t) => {
  t.is(makeManifest(BASE).totalSize, 5);
});

test('fold: entries equal to the fold are shared; the rest, and new paths, are own', (t) => {
  const base = makeManifest(BASE);
  const folded = makeManifest([dir('/'), file('/a', 'aa'), file('/b', 'changed'), file('/new', 'n')], base);
  t.is(shared(folded), 2);
  t.is(folded.entries.size, 4);
  // Own entries first, in their order, then the shared ones, in the fold's.
  t.deepEqual([...folded.entries.keys()], ['/b', '/new', '/', '/a']);
  t.deepEqual(folded.entries.get('/a'), file('/a', 'aa'));
  t.deepEqual(folded.entries.get('/b'), file('/b', 'changed'));
  t.false(folded.entries.has('/c'));
  t.is(folded.totalSize, 2 + 7 + 1);
  t.is(base.entries.size, BASE.length, 'the fold is not changed');
});

test('fold: a shared path archived again with another entry becomes own; an own one stays own', (t) => {
  const base = makeManifest(BASE);
  const folded = makeManifest([file('/a', 'aa'), file('/b', 'x'), file('/a', 'other'), file('/b', 'bbb')], base);
  t.is(shared(folded), 0);
  t.deepEqual(folded.entries.get('/a'), file('/a', 'other'));
  t.deepEqual(folded.entries.get('/b'), file('/b', 'bbb'));
  t.is(folded.entries.size, 2);
  t.is(folded.totalSize, 5 + 3);
});

test('equalAt: equal entries whether shared, own or in unrelated manifests; false where a side lacks the path', (t) => {
  const base = makeManifest(BASE);
  const folded = makeManifest([...BASE.slice(0, 3), file('/d', 'not a link')], base);
  const unrelated = makeManifest([...BASE].reverse());
  for (const path of ['/', '/a', '/b']) {
    t.true(base.equalAt(folded, path), path);
    t.true(folded.equalAt(base, path), path);
    t.true(folded.equalAt(unrelated, path), path);
    t.true(unrelated.equalAt(folded, path), path);
  }
  t.false(base.equalAt(folded, '/d'));
  t.false(folded.equalAt(unrelated, '/d'));
  t.false(base.equalAt(folded, '/c'));
  t.true(base.equalAt(unrelated, '/c'));
  t.false(base.equalAt(unrelated, '/missing'));
});

test('hardlinks: every entry with a hardlinkTo, own or shared, and no other', (t) => {
  const base = makeManifest([...BASE, hardlink('/e', '/a', 'aa')]);
  const folded = makeManifest([file('/a', 'aa'), hardlink('/c', '/a', 'aa'), hardlink('/f', '/a', 'aa')], base);
  const sorted = (manifest: Manifest) => [...manifest.hardlinks()].map(([path, to]) => `${path}>${to}`).sort();
  t.deepEqual(sorted(base), ['/c>/a', '/e>/a']);
  t.deepEqual(sorted(folded), ['/c>/a', '/f>/a']);
});
