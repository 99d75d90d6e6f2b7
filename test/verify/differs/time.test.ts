import test from 'ava';
import { differ } from '../../../src/verify/differs/time.js';
import { defaultCompareOptions, type Difference } from '../../../src/verify/model.js';
import { side } from '../helpers/facts.js';

const time = test.macro((t, legacySeconds: number, migratedSeconds: number, expected: Partial<Difference>) => {
  const found = differ.compare(
    side({ buildSeconds: legacySeconds }),
    side({ buildSeconds: migratedSeconds }),
    defaultCompareOptions,
  );
  t.is(found.length, 1);
  t.like(found[0], {
    aspect: 'time',
    kind: 'info',
    subject: 'build',
    legacy: legacySeconds,
    migrated: migratedSeconds,
    ...expected,
  });
});

test('a faster multi-stage build', time, 1.11, 0.86, {
  message: 'the multi-stage build took 0.86 s, the legacy flow 1.11 s (0.77×)',
});
test('a slower one is still only information', time, 0.5, 2, {
  message: 'the multi-stage build took 2.00 s, the legacy flow 0.50 s (4.00×)',
});
test('a zero legacy time has no ratio', time, 0, 1, {
  message: 'the multi-stage build took 1.00 s, the legacy flow 0.00 s (n/a)',
});
