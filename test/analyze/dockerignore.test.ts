/** Docker's .dockerignore rules; the same cases run against the engine in test/e2e/dockerignore.test.ts. */
import test from 'ava';
import {
  decidingRule,
  dockerignore,
  dockerignoreLines,
  ignoredBy,
  parseDockerignore,
  rerootRule,
  ruleText,
} from '../../src/analyze/dockerignore.js';
import { DOCKERIGNORE_CASES } from '../helpers/dockerignore-cases.js';

for (const { name, ignore, excluded, included } of DOCKERIGNORE_CASES) {
  test(name, (t) => {
    const filter = dockerignore(ignore);
    t.deepEqual(
      excluded.filter((p) => !filter(p)),
      [],
      'excluded paths the matcher keeps',
    );
    t.deepEqual(
      included.filter((p) => filter(p)),
      [],
      'included paths the matcher drops',
    );
  });
}

test('parseDockerignore: the cleaned patterns in order, `!` as an exception, comments, blank lines and a bare `!` left out', (t) => {
  t.deepEqual(parseDockerignore('\uFEFF# c\n ./out/ \n\n!  out/keep\n!\n/abs\n'), [
    { exception: false, pattern: 'out' },
    { exception: true, pattern: 'out/keep' },
    { exception: false, pattern: 'abs' },
  ]);
});

test('ignoredBy: the parsed rules decide as the filter does, the last matching rule winning', (t) => {
  const rules = parseDockerignore('out\n!out/keep\n');
  t.true(ignoredBy(rules, 'out'));
  t.true(ignoredBy(rules, 'out/app'));
  t.false(ignoredBy(rules, 'out/keep'));
  t.false(ignoredBy(rules, 'src'));
  t.false(ignoredBy([], 'out'));
});

test('an empty or comment-only file excludes nothing', (t) => {
  t.false(dockerignore('')('a'));
  t.false(dockerignore('# a\n\n   \n')('a'));
});

test('the context root itself is never excluded', (t) => {
  t.false(dockerignore('*\n**\n.\n')(''));
  t.false(dockerignore('*\n**\n')('.'));
});

test('a path is cleaned before matching', (t) => {
  t.true(dockerignore('a/b')('./a//b/'));
});

// Docker 20.10's matcher put `+`, `(`, `)`, `|`, `{` and `}` into its regular expression as they
// were (`a+b` matched `aab`, not `a+b`; an engine of that version keeps `a+b(c).x` here); later
// versions, and this matcher, take them literally. So this case is not in the engine table.
test('regular expression characters are literal', (t) => {
  const filter = dockerignore('a+b(c).x\nq{1}|r\n');
  t.true(filter('a+b(c).x'));
  t.false(filter('aab(c).x'));
  t.false(filter('abc.x'));
  t.true(filter('q{1}|r'));
  t.false(filter('q'));
});

test('a leading ** followed by literal text matches any path ending in it', (t) => {
  const filter = dockerignore('**.bak\n');
  t.true(filter('a.bak'));
  t.true(filter('x/y/a.bak'));
  t.false(filter('a.bakx'));
});

test('dockerignoreLines: each rule with the line it is on', (t) => {
  t.deepEqual(dockerignoreLines('# c\n\nout\n!out/keep\n'), [
    { exception: false, pattern: 'out', line: 3 },
    { exception: true, pattern: 'out/keep', line: 4 },
  ]);
});

test('decidingRule: the last rule matching the path or a parent, -1 when none', (t) => {
  const rules = parseDockerignore('out\n!out/keep\n*.md\n');
  t.is(decidingRule(rules, 'out/app'), 0);
  t.is(decidingRule(rules, 'out/keep/x'), 1);
  t.is(decidingRule(rules, 'README.md'), 2);
  t.is(decidingRule(rules, 'src/a.c'), -1);
});

// Re-rooted below `ctx`, every engine-checked case decides for `ctx/P` as it did for `P`, and
// nothing outside `ctx`.
for (const { name, ignore, excluded, included } of DOCKERIGNORE_CASES) {
  test(`re-rooted below ctx/: ${name}`, (t) => {
    const rules = parseDockerignore(ignore);
    const rerooted = rules.flatMap((r) => rerootRule(r, 'ctx') ?? []);
    for (const p of [...excluded, ...included, '.dockerignore'])
      t.is(ignoredBy(rerooted, `ctx/${p}`), ignoredBy(rules, p), p);
    for (const p of [...excluded, ...included]) t.false(ignoredBy(rerooted, p), `outside ctx/: ${p}`);
  });
}

test('re-rooting a leading ** followed by literal text keeps its suffix meaning', (t) => {
  const rules = parseDockerignore('**.log\n**/tmp\n**o/bar\n');
  const rerooted = rules.flatMap((r) => rerootRule(r, 'a/b') ?? []);
  t.deepEqual(rerooted.map(ruleText), ['a/b/**/*.log', 'a/b/**/tmp', 'a/b/**/*o/bar']);
  for (const p of ['x.log', 'd/x.log', '.log', 'tmp', 'd/tmp', 'xtmp', 'o/bar', 'xo/bar', 'd/xo/bar', 'bar'])
    t.is(ignoredBy(rerooted, `a/b/${p}`), ignoredBy(rules, p), p);
});

test('re-rooting: a rule matching nothing is dropped, the prefix’s glob characters are escaped', (t) => {
  for (const text of ['.\n', '/\n', '../x\n', '..\n']) t.is(rerootRule(parseDockerignore(text)[0]!, 'sub'), null, text);
  const rule = rerootRule({ exception: true, pattern: 'x' }, 'we*rd[1]')!;
  t.is(ruleText(rule), '!we\\*rd\\[1\\]/x');
  t.false(ignoredBy([{ exception: false, pattern: rule.pattern }], 'weXrd1/x'));
  t.true(ignoredBy([{ exception: false, pattern: rule.pattern }], 'we*rd[1]/x'));
});
