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

// --- .gitignore rules (restage scan), as git reads them. ---
import { gitignoreRules } from '../../src/shared/glob.js';

const ignores = test.macro({
  exec(t, text: string, relative: string, isDirectory: boolean, expected: boolean | null) {
    t.is(gitignoreRules(text).match(relative, isDirectory), expected);
  },
  title: (_p, text: string, relative: string, isDirectory: boolean, expected: boolean | null) =>
    `.gitignore ${JSON.stringify(text)}: ${relative}${isDirectory ? '/' : ''} → ${String(expected)}`,
});
test(ignores, 'build', 'build', true, true);
test(ignores, 'build', 'a/b/build', false, true);
test(ignores, 'build/', 'a/build', false, null);
test(ignores, 'build/', 'a/build', true, true);
test(ignores, '/build', 'a/build', true, null);
test(ignores, '/build', 'build', true, true);
test(ignores, 'docs/*.md', 'docs/a.md', false, true);
test(ignores, 'docs/*.md', 'x/docs/a.md', false, null);
test(ignores, 'docs/*.md', 'docs/sub/a.md', false, null);
test(ignores, '**/out', 'a/b/out', true, true);
test(ignores, 'a/**/z', 'a/z', true, true);
test(ignores, 'a/**/z', 'a/b/c/z', true, true);
test(ignores, '*.log\n!keep.log', 'keep.log', false, false);
test(ignores, '*.log\n!keep.log', 'x/other.log', false, true);
test(ignores, '!keep.log\n*.log', 'keep.log', false, true);
test(ignores, '# comment\n\n   \n', 'comment', false, null);
test(ignores, '\\#hash', '#hash', false, true);
test(ignores, '\\!bang', '!bang', false, true);
test(ignores, 'trailing   ', 'trailing', false, true);
test(ignores, '.env*', '.env.local', false, true);
test(ignores, 'x?z', 'x/z', false, null);
test(ignores, 'x[0-9]', 'x7', false, true);
test(ignores, 'ci\r\nout', 'out', true, true);
