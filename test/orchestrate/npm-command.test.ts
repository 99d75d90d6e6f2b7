/** npm's command line as npm reads it: the script run, and which package (--prefix, -C, -w, --workspaces). */
import test from 'ava';
import { namesPackage, npmRun, type NpmRun } from '../../src/orchestrate/npm-command.js';

const run = (over: Partial<NpmRun>): NpmRun => ({
  name: 'build',
  args: [],
  ifPresent: false,
  prefix: null,
  workspaces: [],
  allWorkspaces: false,
  ...over,
});

// Each spelling below ran the script of the package named on npm 11.19.1 (see the module's comment).
const cases: [words: string, expected: NpmRun | null][] = [
  ['npm run build', run({})],
  ['npm --prefix web run build', run({ prefix: 'web' })],
  ['npm --prefix=web run build', run({ prefix: 'web' })],
  ['npm -C web run build', run({ prefix: 'web' })],
  ['npm run build --prefix web', run({ prefix: 'web' })],
  ['npm run build -C web', run({ prefix: 'web' })],
  ['npm --prefix a --prefix web run build', run({ prefix: 'web' })],
  ['npm run build -w web', run({ workspaces: ['web'] })],
  ['npm -w web --workspace=api run build', run({ workspaces: ['web', 'api'] })],
  ['npm run build --workspaces', run({ allWorkspaces: true })],
  ['npm run build -ws', run({ allWorkspaces: true })],
  ['npm run-script --silent --if-present build', run({ ifPresent: true })],
  ['npm --loglevel info run build', run({})],
  ['npm run build -- --prefix web', run({ args: ['--', '--prefix', 'web'] })],
  ['npm run build extra', run({ args: ['extra'] })],
  ['npm test', run({ name: 'test' })],
  ['npm -C web start', run({ name: 'start', prefix: 'web' })],
  ['npm ci', null],
  ['npm --prefix web install', null],
  ['npm run', null],
  ['yarn run build', null],
];
for (const [words, expected] of cases) test(`npmRun: ${words}`, (t) => t.deepEqual(npmRun(words.split(' ')), expected));

test('namesPackage: a prefix or a workspace names the package; the working directory does otherwise', (t) => {
  t.false(namesPackage(npmRun(['npm', 'run', 'x'])!));
  t.true(namesPackage(npmRun(['npm', '-C', 'web', 'run', 'x'])!));
  t.true(namesPackage(npmRun(['npm', 'run', 'x', '-w', 'web'])!));
  t.true(namesPackage(npmRun(['npm', 'run', 'x', '--workspaces'])!));
});
