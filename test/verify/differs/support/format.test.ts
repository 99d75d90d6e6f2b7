/** The differs' shared wording: modes as `ls` octal, sizes as `docker images` prints them, ratios, report cells. */
import test from 'ava';
import { bytes, contrast, octal, ratio, shown } from '../../../../src/verify/differs/support/format.js';

const formats = test.macro({
  exec(t, format: (value: never) => string, value: unknown, expected: string) {
    t.is(format(value as never), expected);
  },
  title: (provided, format: { name: string }, value: unknown, expected: string) =>
    provided ?? `${format.name}(${format === octal ? `0o${Number(value).toString(8)}` : String(value)}) is ${expected}`,
});

test(formats, octal, 0o755, '0755');
test(formats, octal, 0o4755, '4755');
test('octal keeps the special bits and drops the file type', formats, octal, 0o100644, '0644');
test(formats, octal, 0, '0000');

test(formats, bytes, 0, '0 B');
test(formats, bytes, 999, '999 B');
test('bytes are SI, as docker images counts them', formats, bytes, 1000, '1.0 kB');
test(formats, bytes, 1_500_000, '1.5 MB');
test(formats, bytes, 2_340_000_000, '2.3 GB');
test('terabytes are the largest unit', formats, bytes, 5_000_000_000_000_000, '5000.0 TB');

test('ratio(42, 100) is 0.42×', (t) => t.is(ratio(42, 100), '0.42×'));
test('ratio(3, 2) is 1.50×', (t) => t.is(ratio(3, 2), '1.50×'));
test('a ratio to zero is n/a', (t) => {
  t.is(ratio(5, 0), 'n/a');
  t.is(ratio(0, 0), 'n/a');
});

test('shown(null) reads unset', formats, shown, null, 'unset');
test('shown quotes a string', formats, shown, 'a b', '"a b"');
test('shown quotes the empty string, which is not unset', formats, shown, '', '""');
test(formats, shown, 3, '3');
test(formats, shown, false, 'false');

test('contrast names the migrated side first', (t) => {
  t.is(contrast('0755', '0644'), '0755 in the migrated image, 0644 in the legacy one');
});
