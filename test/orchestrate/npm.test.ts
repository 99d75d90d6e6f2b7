/** `npm run NAME` as a shell script, mapped back to the package.json characters it came from. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { npmScript, packageJson, packageLocation, runsScript, type FollowJs } from '../../src/orchestrate/npm.js';
import { readPackageScripts } from '../../src/parse/package-json.js';

const scriptsOf = (scripts: Record<string, string>) => {
  const read = readPackageScripts(JSON.stringify({ scripts }, null, 2));
  if ('error' in read) throw new Error(read.error);
  return read.scripts;
};

const has = (n: string) => ['build', 'image'].includes(n);
const calls: [words: string, expected: ReturnType<typeof runsScript>][] = [
  ['npm run build', { name: 'build', args: [], ifPresent: false }],
  ['npm run-script --silent build', { name: 'build', args: [], ifPresent: false }],
  ['npm run --if-present lint', { name: 'lint', args: [], ifPresent: true }],
  ['npm test', { name: 'test', args: [], ifPresent: false }],
  ['yarn build', { name: 'build', args: [], ifPresent: false }],
  ['yarn run image -- --x', { name: 'image', args: ['--', '--x'], ifPresent: false }],
  ['pnpm image', { name: 'image', args: [], ifPresent: false }],
  ['yarn install', null],
  ['yarn lint', null],
  ['npm ci', null],
  ['npm run', null],
  ['docker build .', null],
];
for (const [words, expected] of calls)
  test(`runsScript: ${words}`, (t) => t.deepEqual(runsScript(words.split(' '), has), expected));

test('npmScript: hooks and npm run calls in place, each entry in its own subshell', (t) => {
  const scripts = scriptsOf({
    prebuild: 'rm -f out',
    build: 'npm run image && docker push x; echo done',
    image: 'docker build -t x .',
    postbuild: 'echo ok',
  });
  const got = npmScript('package.json', scripts, 'build');
  t.deepEqual(got.diagnostics, []);
  t.is(
    got.text,
    [
      '(',
      'rm -f out',
      ')',
      '(',
      '(',
      'docker build -t x .',
      ')',
      'docker push x',
      'echo done',
      ')',
      '(',
      'echo ok',
      ')',
      '',
    ].join('\n'),
  );
  // `docker push x` (line 8 of the script) starts 17 characters into "build"'s string, which opens at column 14.
  t.deepEqual(packageLocation(got, 'package.json', { line: 8, column: 1 }), {
    file: 'package.json',
    line: 4,
    column: 32,
  });
  t.deepEqual(packageLocation(got, 'package.json', { line: 6, column: 7 }), {
    file: 'package.json',
    line: 5,
    column: 21,
  });
});

test('npmScript: what npm would do that restage does not follow is declined on the JSON string', (t) => {
  const codes = (scripts: Record<string, string>, name = 'build') =>
    npmScript('package.json', scriptsOf(scripts), name).diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`);
  t.deepEqual(codes({ build: 'npm run image -- --push', image: 'docker build .' }), ['RS380@3:15']);
  t.deepEqual(codes({ build: 'test -n "$CI" || npm run image', image: 'docker build .' }), ['RS380@3:34']); // after two escaped quotes
  t.deepEqual(codes({ build: 'npm run build' }), ['RS380@3:15']);
  t.deepEqual(codes({ build: 'npm run missing' }), ['RS381@3:15']);
  t.deepEqual(codes({ build: 'npm run --if-present missing' }), []);
  t.deepEqual(codes({ image: 'docker build .' }), ['RS381@1:1']);
});

/** A follow that reads every build script as one docker build, at line 3 of the file, and records how it was asked. */
const stubFollow = (asked: { file: string; at: string; argv: string | undefined }[] = []): FollowJs => {
  return (run, at, argv) => {
    asked.push({ file: run.file, at: `${at.line}:${at.column}`, argv });
    if (run.file.includes('missing')) return null;
    return {
      file: run.file,
      abs: `/repo/${run.file}`,
      script: { text: `docker build -t ${run.file} .\n`, origins: [{ line: 3, column: 1 }], diagnostics: [] },
    };
  };
};

test('npmScript: a command that runs a JS/TS build script is replaced by what the script runs, at its JS lines', (t) => {
  const asked: { file: string; at: string; argv: string | undefined }[] = [];
  const scripts = scriptsOf({ build: 'rm -f out && tsx ci/b.ts --prod; node missing.js && echo done' });
  const got = npmScript('package.json', scripts, 'build', false, stubFollow(asked));
  t.deepEqual(got.diagnostics, []);
  t.is(got.text, ['(', 'rm -f out', 'docker build -t ci/b.ts .', 'node missing.js', 'echo done', ')', ''].join('\n'));
  // The followed line is the JS file's; the others stay on package.json's string (which opens at 3:14).
  t.deepEqual(packageLocation(got, 'package.json', { line: 3, column: 5 }), { file: 'ci/b.ts', line: 3, column: 1 });
  t.deepEqual(packageLocation(got, 'package.json', { line: 4, column: 1 }), {
    file: 'package.json',
    line: 3,
    column: 48,
  });
  t.deepEqual(got.included, ['/repo/ci/b.ts']);
  t.deepEqual(got.packages, [{ name: 'tsx', at: { file: 'package.json', line: 3, column: 28 } }]);
  t.deepEqual(asked, [
    { file: 'ci/b.ts', at: '3:28', argv: 'package.json:3:28 runs it with `--prod`' },
    { file: 'missing.js', at: '3:48', argv: undefined },
  ]);
});

test('npmScript: a build script restage cannot follow is declined on the JSON string (RS380)', (t) => {
  const codes = (build: string) =>
    npmScript('package.json', scriptsOf({ build }), 'build', false, stubFollow()).diagnostics.map(
      (d) => `${d.code}@${d.line}:${d.column}`,
    );
  t.deepEqual(codes('cd web && node build.mjs'), ['RS380@3:25']); // after a cd: another directory
  t.deepEqual(codes('node "$DIR/build.mjs"'), ['RS380@3:15']); // a computed path
  t.deepEqual(codes('node build.mjs | tee log'), ['RS380@3:20']); // inside a pipe
  t.deepEqual(codes('node missing.js | tee log'), []); // a file restage would not follow anyway
  t.deepEqual(codes('cd web && node missing.js'), []);
});

test('packageJson.read: follows node FILE into the build script, relative to the package, with its diagnostics', (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-npm-test-'));
  t.teardown(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.mkdirSync(path.join(root, 'ci'));
  fs.writeFileSync(
    path.join(root, 'package.json'),
    JSON.stringify({ scripts: { image: 'node ./ci/build.js --prod', ts: 'node --import tsx ci/build.ts' } }, null, 2),
  );
  fs.writeFileSync(
    path.join(root, 'ci/build.js'),
    "const { execSync } = require('child_process');\nconst prod = process.argv[2];\nexecSync('docker build -t app .');\n",
  );
  fs.writeFileSync(
    path.join(root, 'ci/build.ts'),
    "import { execSync } from 'node:child_process';\nconst T: string = 'app:1';\nexecSync(`docker build -t ${T} .`);\n",
  );
  const context = {
    root,
    readText: (abs: string) => (fs.existsSync(abs) ? fs.readFileSync(abs, 'utf8') : null),
    display: (abs: string) => path.relative(root, abs),
    scriptArgs: undefined,
    env: undefined,
    makeTarget: undefined,
  };
  const image = packageJson.read(context, 'package.json', 'image');
  t.deepEqual(
    image.diagnostics.map((d) => `${d.code}@${d.file}:${d.line}:${d.column}`),
    ['RS384@ci/build.js:2:14'],
  );
  t.regex(image.diagnostics[0]!.message, /package\.json:3:15 runs it with `--prod`, which restage does not model/);
  t.deepEqual(image.included, [path.join(root, 'ci/build.js')]);
  t.deepEqual(image.packages, []);

  const typed = packageJson.read(context, 'package.json', 'ts');
  t.deepEqual(typed.diagnostics, []);
  t.is(typed.shell?.script?.text ?? '', '(\ndocker build -t app:1 .\n)\n');
  t.deepEqual(typed.packages, [{ name: 'tsx', at: { file: 'package.json', line: 4, column: 12 } }]);
});
