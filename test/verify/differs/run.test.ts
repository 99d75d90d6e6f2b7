import test from 'ava';
import { differ } from '../../../src/verify/differs/run.js';
import { defaultCompareOptions, type Difference, type RunOutcome } from '../../../src/verify/model.js';
import { side } from '../helpers/facts.js';

const ok: RunOutcome = { exitCode: 0, stdout: 'hello\nworld\n', stderr: '', timedOut: false };

const run = test.macro(
  (t, legacy: RunOutcome | undefined, migrated: RunOutcome | undefined, expected: readonly Partial<Difference>[]) => {
    const found = differ.compare(
      side(legacy ? { run: legacy } : {}),
      side(migrated ? { run: migrated } : {}),
      defaultCompareOptions,
    );
    t.deepEqual(
      found.map((d) => d.field),
      expected.map((d) => d.field),
    );
    expected.forEach((want, i) => t.like(found[i], { aspect: 'run', kind: 'difference', subject: 'run', ...want }));
  },
);

test('same outcome', run, ok, { ...ok }, []);
test('skipped when the legacy side was not run', run, undefined, { ...ok, exitCode: 1 }, []);
test('skipped when the migrated side was not run', run, ok, undefined, []);

test('exit code', run, ok, { ...ok, exitCode: 127 }, [
  { field: 'exitCode', legacy: 0, migrated: 127, message: 'exit code: 127 in the migrated image, 0 in the legacy one' },
]);

test('stdout names the first line that differs', run, ok, { ...ok, stdout: 'hello\nthere\n' }, [
  {
    field: 'stdout',
    legacy: 'hello\nworld\n',
    migrated: 'hello\nthere\n',
    message: 'stdout differs from line 2: "there" in the migrated image, "world" in the legacy one',
  },
]);

test('output cut short', run, ok, { ...ok, stdout: 'hello' }, [
  {
    field: 'stdout',
    message: 'stdout differs from line 2: end of output in the migrated image, "world" in the legacy one',
  },
]);

test('stderr and a timeout', run, ok, { ...ok, stderr: 'sh: ./app: not found\n', timedOut: true }, [
  {
    field: 'timedOut',
    legacy: false,
    migrated: true,
    message: 'timed out in the migrated image, finished in the legacy one',
  },
  {
    field: 'stderr',
    message: 'stderr differs from line 1: "sh: ./app: not found" in the migrated image, "" in the legacy one',
  },
]);

test(
  'long lines are cut in the message, kept whole in the finding',
  run,
  { ...ok, stdout: 'a'.repeat(200) },
  { ...ok, stdout: 'b'.repeat(200) },
  [
    {
      field: 'stdout',
      migrated: 'b'.repeat(200),
      message: `stdout differs from line 1: "${'b'.repeat(80)}…" in the migrated image, "${'a'.repeat(80)}…" in the legacy one`,
    },
  ],
);

/** Findings of both kinds, for the cases where information matters. */
const all = (legacy: RunOutcome, migrated: RunOutcome) =>
  differ.compare(side({ run: legacy }), side({ run: migrated }), defaultCompareOptions);

test('output that changes between two runs of the same image is nondeterministic: information, not a difference', (t) => {
  const legacy: RunOutcome = { ...ok, stdout: '4242\n', rerun: { ...ok, stdout: '17\n' } };
  const migrated: RunOutcome = { ...ok, stdout: '9001\n', rerun: { ...ok, stdout: '3\n' } };
  const found = all(legacy, migrated);
  t.deepEqual(
    found.filter((f) => f.kind === 'difference'),
    [],
  );
  t.like(found[0], {
    kind: 'info',
    field: 'stdout',
    message: 'stdout changes from one run of the legacy image to the next (nondeterministic): not compared',
  });
  t.like(found[1], {
    kind: 'info',
    field: 'stdout',
    message: 'stdout changes from one run of the migrated image to the next (nondeterministic): not compared',
  });
});

test('a stable output that differs is still a difference when the other facet is nondeterministic', (t) => {
  const legacy: RunOutcome = {
    ...ok,
    stdout: 'a\n',
    stderr: 'pid 1\n',
    rerun: { ...ok, stdout: 'a\n', stderr: 'pid 2\n' },
  };
  const migrated: RunOutcome = {
    ...ok,
    stdout: 'b\n',
    stderr: 'pid 7\n',
    rerun: { ...ok, stdout: 'b\n', stderr: 'pid 7\n' },
  };
  const found = all(legacy, migrated);
  t.deepEqual(
    found.filter((f) => f.kind === 'difference').map((f) => f.field),
    ['stdout'],
  );
  t.deepEqual(
    found.filter((f) => f.kind === 'info').map((f) => f.field),
    ['stderr'],
  );
});

test('the same lines in another order (find, ls -f) are a note, not a difference', (t) => {
  const legacy: RunOutcome = { ...ok, stdout: '/app\n/app/b\n/app/a\n' };
  const migrated: RunOutcome = { ...ok, stdout: '/app\n/app/a\n/app/b\n' };
  const found = all(legacy, migrated);
  t.is(found.length, 1);
  t.like(found[0], {
    kind: 'info',
    field: 'stdout',
    message:
      "stdout holds the same lines in another order (the order of a file system listing is not the program's): not a difference",
  });
});

test('other lines are still a difference, where the same lines in another order are only a note', (t) => {
  const legacy: RunOutcome = { ...ok, stdout: '/app/a\n/app/b\n' };
  t.deepEqual(
    all(legacy, { ...ok, stdout: '/app/a\n/app/c\n' }).map((f) => [f.kind, f.field]),
    [['difference', 'stdout']],
  );
  t.deepEqual(
    all(legacy, { ...ok, stdout: '/app/b\n/app/a\n' }).map((f) => [f.kind, f.field]),
    [['info', 'stdout']],
  );
});

test('when neither image starts, the finding says so with both exit codes and the first lines of stderr', (t) => {
  const broken: RunOutcome = {
    exitCode: 127,
    stdout: '',
    stderr: 'exec: "/app/tool": not found\nmore\n',
    timedOut: false,
  };
  const found = all(broken, { ...broken });
  t.deepEqual(
    found.filter((f) => f.kind === 'difference'),
    [],
  );
  t.is(found.length, 1);
  t.like(found[0], {
    kind: 'info',
    field: 'failed',
    legacy: 'exit 127, stderr: "exec: \\"/app/tool\\": not found\\nmore"',
    message:
      'neither image\'s default command succeeded — migrated: exit 127, stderr: "exec: \\"/app/tool\\": not found\\nmore"; legacy: exit 127, stderr: "exec: \\"/app/tool\\": not found\\nmore"; the comparison of what they do proves little',
  });
});

test('one side failing is a difference, not the both-failed note, which both sides failing alike are', (t) => {
  const failing: RunOutcome = { ...ok, exitCode: 1 };
  t.deepEqual(
    all(ok, failing).map((f) => [f.kind, f.field]),
    [['difference', 'exitCode']],
  );
  t.deepEqual(
    all(failing, { ...failing }).map((f) => [f.kind, f.field]),
    [['info', 'failed']],
  );
});

test("the text report says when neither image's command succeeded, with both exit codes and stderr", async (t) => {
  const { renderVerifyText } = await import('../../../src/verify/report.js');
  const summary = { exitCode: 127, timedOut: false, stderrHead: ['exec: "/app": not found'], nondeterministic: [] };
  const text = renderVerifyText({
    status: 'equivalent',
    directory: 'd',
    migratedFrom: 'restage migrate',
    engine: null,
    differences: [],
    info: [],
    sizes: null,
    times: null,
    diagnostics: [],
    failure: null,
    kept: [],
    session: 'restage-00000000',
    leftovers: [{ what: 'container c', command: 'docker rm --force --volumes c' }],
    runs: { legacy: summary, migrated: summary },
    legacy: null,
  });
  t.regex(
    text,
    /^restage verify: d: equivalent \(but neither image's default command succeeded\)\nlegacy image: exit 127, stderr:\n {2}\| exec: "\/app": not found\nmigrated image: exit 127/,
  );
  t.regex(
    text,
    /left on the engine or disk \(cleanup failed\); remove with:\n {2}docker rm --force --volumes c {4}# container c/,
  );
});
