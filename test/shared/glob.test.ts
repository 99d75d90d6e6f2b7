import test from 'ava';
import { caseMatches, globMatcher } from '../../src/shared/glob.js';

const matches = test.macro({
  exec(t, patterns: readonly string[], path: string, expected: boolean) {
    t.is(globMatcher(patterns)(path), expected);
  },
  title: (_title, patterns: readonly string[], path: string, expected: boolean) =>
    `${JSON.stringify(patterns)} ${expected ? 'matches' : 'does not match'} ${path}`,
});

const CASES: ReadonlyArray<readonly [readonly string[], string, boolean]> = [
  [['/etc/*.conf'], '/etc/ld.so.conf', true],
  [['/etc/*.conf'], '/etc/ld.so.conf.d/x.conf', false],
  [['/etc/*'], '/etc', false],
  [['/tmp/?'], '/tmp/a', true],
  [['/tmp/?'], '/tmp/ab', false],
  [['/tmp/?'], '/tmp/', false],
  [['/var/cache/**'], '/var/cache', true],
  [['/var/cache/**'], '/var/cache/apt/archives/partial', true],
  [['/var/cache/**'], '/var/cached', false],
  [['/**/*.pyc'], '/x.pyc', true],
  [['/**/*.pyc'], '/usr/lib/python3/a/b.pyc', true],
  [['/**/*.pyc'], '/usr/lib/python3/a/b.py', false],
  [['/usr/**/bin/*'], '/usr/bin/x', true],
  [['/usr/**/bin/*'], '/usr/local/bin/x', true],
  [['/usr/**/bin/*'], '/usr/local/sbin/x', false],
  [['var/log/*'], '/var/log/dpkg.log', true],
  [['/var/log/'], '/var/log', true],
  [['/app/*'], '/app/.hidden', true],
  [['/a.b'], '/aXb', false],
  [['/a+b(c)'], '/a+b(c)', true],
  [['/literal\\*'], '/literal*', true],
  [['/literal\\*'], '/literalX', false],
  [['/**'], '/', true],
  [['/'], '/', true],
  [['/'], '/etc', false],
  [[], '/anything', false],
  [['', '  '], '/', false],
  [['/one', '/two/*'], '/two/x', true],
  [['/one', '/two/*'], '/three', false],
  [['/x/*'], './x/y', true],
];

for (const [patterns, path, expected] of CASES) test(matches, patterns, path, expected);

test('a class matches one character of it, braces and negation are literal', (t) => {
  t.true(globMatcher(['/lib/[ab].so'])('/lib/a.so'));
  t.false(globMatcher(['/lib/[ab].so'])('/lib/c.so'));
  t.true(globMatcher(['/etc/{a,b}'])('/etc/{a,b}'));
  t.false(globMatcher(['/etc/{a,b}'])('/etc/a'));
  t.true(globMatcher(['!x'])('/!x'));
  t.false(globMatcher(['!x'])('/y'));
});

test('a case pattern: * spans slashes, a class matches one character, quoting is literal', (t) => {
  t.true(caseMatches('*', ''));
  t.false(caseMatches('a*', ''));
  t.true(caseMatches('*', 'a/b'));
  t.true(caseMatches('arm*', 'arm64'));
  t.false(caseMatches('arm*', 'x86_64'));
  t.true(caseMatches('*.sh', 'dir/x.sh'));
  t.true(caseMatches('[ab]', 'a'));
  t.false(caseMatches('[ab]', 'c'));
  t.false(caseMatches('x.y', 'xzy'));
  t.true(caseMatches('a\\*', 'a*'));
  t.false(caseMatches('a\\*', 'ab'));
});
