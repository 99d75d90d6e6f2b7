import test from 'ava';
import { PathTable } from '../../../src/verify/manifest/path-table.js';

test('rows are numbered by first arrival; a path added again keeps its row', (t) => {
  const table = new PathTable();
  t.is(table.add('/b'), 0);
  t.is(table.add('/a'), 1);
  t.is(table.add('/b'), 0);
  t.is(table.size, 2);
  t.is(table.find('/a'), 1);
  t.is(table.find('/c'), -1);
  t.is(table.path(0), '/b');
});

test('prefixes, the empty path and non-ASCII paths are paths of their own', (t) => {
  const table = new PathTable();
  const paths = ['/a', '/ab', '/a/b', '', '/', '/caf\u00e9', '/cafe\u0301', '/\u{1f600}', '/\\xff'];
  for (const path of paths) table.add(path);
  t.is(table.size, paths.length);
  paths.forEach((path, row) => {
    t.is(table.find(path), row, path);
    t.is(table.path(row), path);
  });
});

test('every path is found again after the index and the arena have grown many times', (t) => {
  const table = new PathTable();
  const path = (i: number): string => `/data/${i % 97}/${'x'.repeat(i % 300)}${i}`;
  for (let i = 0; i < 20_000; i += 1) t.is(table.add(path(i)), i);
  let found = 0;
  for (let i = 0; i < 20_000; i += 1) if (table.find(path(i)) === i && table.path(i) === path(i)) found += 1;
  t.is(found, 20_000);
  t.is(table.find('/data/0/'), -1);
});

test('a string that is not well-formed Unicode is refused, never confused with U+FFFD', (t) => {
  const table = new PathTable();
  table.add('/\ufffd');
  t.throws(() => table.add('/\ud800'), { message: /not well-formed/ });
  t.is(table.find('/\ud800'), -1);
  t.is(table.size, 1);
});
