import test from 'ava';
import { differ } from '../../src/verify/differs/run.js';
import { defaultCompareOptions, type Difference, type RunOutcome } from '../../src/verify/model.js';
import { side } from './helpers/facts.js';

const ok: RunOutcome = { exitCode: 0, stdout: 'hello\nworld\n', stderr: '', timedOut: false };

const run = test.macro((t, legacy: RunOutcome | undefined, migrated: RunOutcome | undefined, expected: readonly Partial<Difference>[]) => {
  const found = differ.compare(side(legacy ? { run: legacy } : {}), side(migrated ? { run: migrated } : {}), defaultCompareOptions);
  t.deepEqual(found.map((d) => d.field), expected.map((d) => d.field));
  expected.forEach((want, i) => t.like(found[i], { aspect: 'run', kind: 'difference', subject: 'run', ...want }));
});

test('same outcome', run, ok, { ...ok }, []);
test('skipped when the legacy side was not run', run, undefined, { ...ok, exitCode: 1 }, []);
test('skipped when the migrated side was not run', run, ok, undefined, []);

test('exit code', run, ok, { ...ok, exitCode: 127 }, [
  { field: 'exitCode', legacy: 0, migrated: 127, message: 'exit code: 127 in the migrated image, 0 in the legacy one' },
]);

test('stdout names the first line that differs', run, ok, { ...ok, stdout: 'hello\nthere\n' }, [
  { field: 'stdout', legacy: 'hello\nworld\n', migrated: 'hello\nthere\n', message: 'stdout differs from line 2: "there" in the migrated image, "world" in the legacy one' },
]);

test('output cut short', run, ok, { ...ok, stdout: 'hello' }, [
  { field: 'stdout', message: 'stdout differs from line 2: end of output in the migrated image, "world" in the legacy one' },
]);

test('stderr and a timeout', run, ok, { ...ok, stderr: 'sh: ./app: not found\n', timedOut: true }, [
  { field: 'timedOut', legacy: false, migrated: true, message: 'timed out in the migrated image, finished in the legacy one' },
  { field: 'stderr', message: 'stderr differs from line 1: "sh: ./app: not found" in the migrated image, "" in the legacy one' },
]);

test('long lines are cut in the message, kept whole in the finding', run, { ...ok, stdout: 'a'.repeat(200) }, { ...ok, stdout: 'b'.repeat(200) }, [
  { field: 'stdout', migrated: 'b'.repeat(200), message: `stdout differs from line 1: "${'b'.repeat(80)}…" in the migrated image, "${'a'.repeat(80)}…" in the legacy one` },
]);
