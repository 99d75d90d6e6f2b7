/**
 * Tests mirror src/: every directory under src/ has the directory at the same path under test/, holding
 * at least one `*.test.ts` of its own (not only in folders below it), so a module's tests are found where
 * the module is.
 */
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/fixtures.js';

/** Every directory below `dir`, as paths relative to it, parents before children. */
function directoriesBelow(dir: string, prefix = ''): string[] {
  return fs
    .readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(prefix, entry.name))
    .sort()
    .flatMap((rel) => [rel, ...directoriesBelow(dir, rel)]);
}

function hasTestFile(dir: string): boolean {
  return (
    fs.existsSync(dir) &&
    fs.readdirSync(dir, { withFileTypes: true }).some((entry) => entry.isFile() && entry.name.endsWith('.test.ts'))
  );
}

test('every directory under src/ has a directory of tests at the same path under test/', (t) => {
  const folders = directoriesBelow(path.join(ROOT, 'src'));
  t.true(folders.includes(path.join('verify', 'manifest')), `the walk reads src/ (found ${folders.join(', ')})`);
  const untested = folders.filter((rel) => !hasTestFile(path.join(ROOT, 'test', rel)));
  t.deepEqual(untested, [], 'src folders whose test/ folder holds no *.test.ts');
});

/** Files under `dir` (relative to ROOT) whose name ends in one of `extensions`. */
function filesBelow(dir: string, extensions: readonly string[]): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && extensions.some((x) => e.name.endsWith(x)))
    .map((e) => path.relative(ROOT, path.join(e.parentPath ?? e.path, e.name)));
}

test('every test file that code comments, scripts and the documents cite exists (tests moved, citations stay true)', (t) => {
  const citing = [
    ...filesBelow('src', ['.ts']),
    ...filesBelow('scripts', ['.mjs', '.sh']),
    'README.md',
    'CHANGELOG.md',
    'SECURITY.md',
  ];
  const cited = citing.flatMap((file) =>
    [...fs.readFileSync(path.join(ROOT, file), 'utf8').matchAll(/\btest\/[\w./-]+\.test\.ts\b/g)].map((m) => ({
      file,
      cites: m[0],
    })),
  );
  t.true(cited.length > 5, `citations found: ${cited.length}`);
  t.deepEqual(
    cited.filter((c) => !fs.existsSync(path.join(ROOT, c.cites))),
    [],
  );
});
