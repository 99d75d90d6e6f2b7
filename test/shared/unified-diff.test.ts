import test from 'ava';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { unifiedDiff } from '../../src/shared/unified-diff.js';
import { tempCopy } from '../helpers/fixtures.js';

const names = { from: 'a/f', to: 'b/f' };

test('equal texts give no diff', (t) => {
  t.is(unifiedDiff('a\nb\n', 'a\nb\n', names), '');
  t.is(unifiedDiff(null, null, names), '');
});

test('a changed line with three lines of context, as diff -u prints it', (t) => {
  const before = 'l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\n';
  const after = 'l1\nl2\nl3\nl4\nL5\nl6\nl7\nl8\n';
  t.is(
    unifiedDiff(before, after, names),
    '--- a/f\n+++ b/f\n@@ -2,7 +2,7 @@\n l2\n l3\n l4\n-l5\n+L5\n l6\n l7\n l8\n',
  );
});

test('a new file, a removed file, and a last line without a newline', (t) => {
  t.is(unifiedDiff(null, 'x\ny\n', names), '--- /dev/null\n+++ b/f\n@@ -0,0 +1,2 @@\n+x\n+y\n');
  t.is(unifiedDiff('x\n', null, names), '--- a/f\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n');
  t.is(unifiedDiff('x\n', 'x', names), '--- a/f\n+++ b/f\n@@ -1 +1 @@\n-x\n+x\n\\ No newline at end of file\n');
});

test('changes far apart are separate hunks; close ones share one', (t) => {
  const lines = Array.from({ length: 20 }, (_, i) => `l${i}`);
  const far = [...lines];
  far[1] = 'X';
  far[18] = 'Y';
  t.is((unifiedDiff(`${lines.join('\n')}\n`, `${far.join('\n')}\n`, names).match(/^@@/gm) ?? []).length, 2);
  const near = [...lines];
  near[5] = 'X';
  near[11] = 'Y';
  t.is((unifiedDiff(`${lines.join('\n')}\n`, `${near.join('\n')}\n`, names).match(/^@@/gm) ?? []).length, 1);
});

// Any two texts: `git apply` of the diff turns the first into the second.
test('git apply takes the diff of any two texts to the second', (t) => {
  const text = fc
    .tuple(fc.array(fc.constantFrom('a', 'b', 'c', 'd', ''), { maxLength: 14 }), fc.boolean())
    .map(([ls, eol]) => (ls.length === 0 ? '' : `${ls.join('\n')}${eol ? '\n' : ''}`));
  const dir = tempCopy();
  try {
    spawnSync('git', ['init', '-q'], { cwd: dir });
    let applied = 0;
    fc.assert(
      fc.property(text, text, (before, after) => {
        const file = path.join(dir, 'f');
        fs.writeFileSync(file, before);
        const diff = unifiedDiff(before, after, names);
        if (before === after) return diff === '';
        const r = spawnSync('git', ['apply', '-'], { cwd: dir, input: diff, encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`git apply: ${r.stderr}\n${diff}`);
        applied++;
        return fs.readFileSync(file, 'utf8') === after;
      }),
      { numRuns: 150 },
    );
    // fc.assert throws on a counterexample; most of the 150 pairs differ and went through git apply.
    t.true(applied > 100, `${applied} diffs applied`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
