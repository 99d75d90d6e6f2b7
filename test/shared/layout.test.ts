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
