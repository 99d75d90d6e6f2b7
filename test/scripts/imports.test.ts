/**
 * The scripts `npm run bench` and CI run are plain .mjs files that no type check reads: every
 * relative module they import or require must exist (bench-tar.mjs once imported a module after it
 * had moved, and the bench failed only when run).
 */
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';

const dir = 'scripts';
const specifiers = (text: string) =>
  [
    ...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|createRequire\([^)]*\)\(\s*)'(\.{1,2}\/[^']+)'/g),
  ].map((m) => m[1]!);

/** Block comments and whole-line comments, which may quote an import. */
const withoutComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.mjs'))) {
  test(`${name} imports only files that exist`, (t) => {
    const text = withoutComments(fs.readFileSync(path.join(dir, name), 'utf8'));
    const missing = specifiers(text).filter((s) => {
      if (s.startsWith('../dist/')) return false; // made by `npm run build`
      return !fs.existsSync(path.resolve(dir, s));
    });
    t.deepEqual(missing, []);
  });
}

test('the specifier reader finds each form', (t) => {
  t.deepEqual(
    specifiers(
      `import a from './a.ts';\nconst b = await import('../b.ts');\nrequire('./c.cjs');\ncreateRequire(import.meta.url)('../d.cjs');`,
    ),
    ['./a.ts', '../b.ts', './c.cjs', '../d.cjs'],
  );
});
