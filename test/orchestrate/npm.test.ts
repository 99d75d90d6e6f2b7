/** `npm run NAME` as a shell script, mapped back to the package.json characters it came from. */
import test from 'ava';
import { npmScript, packageLocation, runsScript } from '../../src/orchestrate/npm.js';
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
