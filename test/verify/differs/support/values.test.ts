/** Docker's "unset": null, undefined, "", [] and {} are one value when the differs compare inspect fields. */
import test from 'ava';
import { isUnset, sameValue } from '../../../../src/verify/differs/support/values.js';

const unset = test.macro({
  exec(t, value: unknown, expected: boolean) {
    t.is(isUnset(value), expected);
  },
  title: (provided, value: unknown, expected: boolean) =>
    provided ?? `${JSON.stringify(value) ?? 'undefined'} is ${expected ? '' : 'not '}unset`,
});

test(unset, null, true);
test(unset, undefined, true);
test(unset, '', true);
test(unset, [], true);
test(unset, {}, true);
test(unset, 0, false);
test(unset, false, false);
test(unset, ' ', false);
test(unset, [''], false);
test(unset, { a: null }, false);

const same = test.macro({
  exec(t, a: unknown, b: unknown, expected: boolean) {
    t.is(sameValue(a, b), expected);
    t.is(sameValue(b, a), expected, 'symmetric');
  },
  title: (provided, a: unknown, b: unknown, expected: boolean) =>
    provided ?? `${JSON.stringify(a) ?? 'undefined'} ${expected ? '=' : '≠'} ${JSON.stringify(b) ?? 'undefined'}`,
});

test(same, null, [], true);
test(same, {}, '', true);
test(same, undefined, null, true);
test(same, [], ['x'], false);
test(same, null, 0, false);
test(same, '1', 1, false);
test(same, [1, [2]], [1, [2]], true);
test('order matters in a list', same, [1, 2], [2, 1], false);
test('a list is not a map', same, ['a'], { 0: 'a' }, false);
test('an unset field equals a missing one', same, { a: 1, b: [] }, { a: 1 }, true);
test('unset forms are equal inside maps too', same, { a: {} }, { a: null }, true);
test(same, { a: { b: 'x' } }, { a: { b: 'y' } }, false);
