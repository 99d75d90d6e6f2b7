/** Which JS/TS build script a command line runs, its arguments, and the packages it needs besides node. */
import test from 'ava';
import { isJsScriptName, jsRun } from '../../src/shared/js-runner.js';

const cases: [words: string, expected: ReturnType<typeof jsRun>][] = [
  ['node scripts/build.mjs', { file: 'scripts/build.mjs', args: [], fileIndex: 1, packages: [] }],
  ['node ./ci/build.js --prod', { file: './ci/build.js', args: ['--prod'], fileIndex: 1, packages: [] }],
  ['tsx scripts/build.ts', { file: 'scripts/build.ts', args: [], fileIndex: 1, packages: ['tsx'] }],
  ['ts-node -P tsconfig.json build.ts x', { file: 'build.ts', args: ['x'], fileIndex: 3, packages: ['ts-node'] }],
  ['node --import tsx build.ts', { file: 'build.ts', args: [], fileIndex: 3, packages: ['tsx'] }],
  ['node --import=tsx build.ts', { file: 'build.ts', args: [], fileIndex: 2, packages: ['tsx'] }],
  ['node --loader ts-node/esm build.ts', { file: 'build.ts', args: [], fileIndex: 3, packages: ['ts-node'] }],
  [
    'node -r @swc-node/register build.ts',
    { file: 'build.ts', args: [], fileIndex: 3, packages: ['@swc-node/register'] },
  ],
  ['node --require ./setup.js build.js', { file: 'build.js', args: [], fileIndex: 3, packages: [] }],
  ['npx tsx build.ts', { file: 'build.ts', args: [], fileIndex: 2, packages: ['tsx'] }],
  ['npx --no-install tsx build.ts', { file: 'build.ts', args: [], fileIndex: 3, packages: ['tsx'] }],
  ['node --enable-source-maps -- build.cjs', { file: 'build.cjs', args: [], fileIndex: 3, packages: [] }],
  ['node -e "require(1)"', null],
  ['node --check build.js', null],
  ['node --test', null],
  ['node server', null],
  ['node types.d.ts', null],
  ['deno run build.ts', null],
  ['sh ci/build.sh', null],
  ['node', null],
];
for (const [words, expected] of cases) test(`jsRun: ${words}`, (t) => t.deepEqual(jsRun(words.split(' ')), expected));

test('isJsScriptName: JS and TS modules, not declarations', (t) => {
  for (const n of ['a.js', 'a.mjs', 'a.cjs', 'a.ts', 'a.mts', 'a.cts']) t.true(isJsScriptName(n), n);
  for (const n of ['a.d.ts', 'a.json', 'a.sh', 'a']) t.false(isJsScriptName(n), n);
});
