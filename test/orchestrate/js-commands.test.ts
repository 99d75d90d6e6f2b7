/** The commands a JS/TS build script runs, as shell lines at their JS locations, or declined there. */
import test from 'ava';
import * as ts from 'typescript';
import { jsCommands } from '../../src/orchestrate/js-commands.js';
import { shellQuote } from '../../src/shared/shell-quote.js';

const read = (text: string, file = 'build.js') => {
  const got = jsCommands(ts, file, text);
  return {
    lines: got.text.split('\n').filter((l) => l !== ''),
    origins: got.origins.map((o) => `${o.line}:${o.column}`),
    declined: got.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`),
  };
};

test('shellQuote: a word the shell reads back unchanged', (t) => {
  t.is(shellQuote('tally:2.1'), 'tally:2.1');
  t.is(shellQuote('a b'), "'a b'");
  t.is(shellQuote("it's"), "'it'\\''s'");
  t.is(shellQuote(''), "''");
});

const cases: [name: string, text: string, lines: string[], origins: string[], declined: string[]][] = [
  [
    'execSync strings and templates over constants',
    "const { execSync } = require('child_process');\nconst T = 'x';\nconst N = `${T}-c`;\nexecSync(`docker create --name ${N} ${T}:b`, { stdio: 'inherit' });\nexecSync('docker rm ' + N);\n",
    ['docker create --name x-c x:b', 'docker rm x-c'],
    ['4:1', '5:1'],
    [],
  ],
  [
    'spawnSync and execa argv arrays, quoted word by word',
    "import { execa } from 'execa';\nconst A = ['-t', 'a b'];\nspawnSync('docker', ['build', ...A, '.']);\nawait execa('docker', ['push', \"it's\"]);\n",
    ["docker build -t 'a b' .", "docker push 'it'\\''s'"],
    ['3:1', '4:7'],
    [],
  ],
  [
    "zx's $ quotes each value as a word",
    "const TAG = 'v 1';\nawait $`docker build -t app:${TAG} .`;\n",
    ["docker build -t app:'v 1' ."],
    ['2:7'],
    [],
  ],
  [
    'a function of the file called from the top level, and main().catch()',
    "function step() { execSync('docker build .'); }\nasync function main() { step(); }\nmain().catch(() => process.exit(1));\n",
    ['docker build .'],
    ['1:19'],
    [],
  ],
  [
    'an unknown variable, a loop, a condition, options that change where it runs',
    "execSync(`docker build -t ${process.env.TAG} .`);\nfor (const a of ['x']) execSync(a);\nif (process.env.CI) execSync('docker push x');\nexecSync('docker build .', { cwd: 'sub' });\n",
    [],
    [],
    ['RS384@1:10', 'RS384@2:1', 'RS384@3:1', 'RS384@4:30'],
  ],
  [
    'a file written, a directory changed, the environment set',
    "fs.writeFileSync('VERSION', '1');\nprocess.chdir('app');\nprocess.env.TAG = 'x';\nconsole.log('ok');\n",
    [],
    [],
    ['RS384@1:1', 'RS384@2:1', 'RS384@3:1'],
  ],
  [
    'a function with arguments, recursion',
    "function b(tag) { execSync('docker build -t ' + tag + ' .'); }\nb('x');\nfunction r() { r(); }\nr();\n",
    [],
    [],
    ['RS384@2:1', 'RS384@3:16'],
  ],
];
for (const [name, text, lines, origins, declined] of cases)
  test(`jsCommands: ${name}`, (t) => {
    const got = read(text, 'build.mts');
    t.deepEqual(got, { lines, origins, declined });
  });

test('TypeScript-only wrappers change no value: `as const`, `satisfies`, `!` are read through', (t) => {
  const got = read(
    "import { execSync, spawnSync, type ExecSyncOptions } from 'node:child_process';\n" +
      "const TAG = 'x:1' as const;\n" +
      "const ARGS = ['build', '-t', TAG, '.'] satisfies string[];\n" +
      "execSync(`docker pull ${TAG}`, { stdio: 'inherit' } satisfies ExecSyncOptions);\n" +
      "spawnSync('docker', ARGS as string[], { stdio: 'inherit' } as ExecSyncOptions);\n",
    'build.ts',
  );
  t.deepEqual(got, {
    lines: ['docker pull x:1', 'docker build -t x:1 .'],
    origins: ['4:1', '5:1'],
    declined: [],
  });
});

test("a command built from the script's arguments is declined, and says process.argv", (t) => {
  const got = jsCommands(
    ts,
    'build.js',
    "const { execSync } = require('child_process');\nexecSync(`docker build -t app:${process.argv[2]} .`);\n",
  );
  t.deepEqual(
    got.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`),
    ['RS384@2:10'],
  );
  t.regex(got.diagnostics[0]!.message, /^the command is built from the script's arguments \(process\.argv\)/);
});

test('given arguments, the first read of process.argv is declined there, even outside a command', (t) => {
  const text =
    "const { execSync } = require('child_process');\nconst prod = process.argv.includes('--prod');\nexecSync('docker build -t app .');\n";
  const given = jsCommands(ts, 'build.js', text, { argv: 'package.json:3:14 runs it with `--prod`' });
  t.deepEqual(
    given.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`),
    ['RS384@2:14'],
  );
  t.regex(
    given.diagnostics[0]!.message,
    /process\.argv\), and package\.json:3:14 runs it with `--prod`, which restage does not model;/,
  );
  // Without arguments, a read that runs nothing changes nothing; arguments a script never reads change nothing either.
  t.deepEqual(jsCommands(ts, 'build.js', text).diagnostics, []);
  const unread = "const { execSync } = require('child_process');\nexecSync('docker build -t app .');\n";
  t.deepEqual(jsCommands(ts, 'build.js', unread, { argv: 'package.json:3:14 runs it with `--prod`' }).diagnostics, []);
});
