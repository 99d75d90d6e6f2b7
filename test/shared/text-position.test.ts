import test from 'ava';
import { lineStartOf, lineStarts, locate, offsetAt, positionAt } from '../../src/shared/text-position.js';

const TEXT = 'ab\ncd\r\nef\rgh\n';

test('lines end at \\n; a lone \\r ends one only with loneCr', (t) => {
  t.deepEqual(lineStarts(TEXT), [0, 3, 7, 13]);
  t.deepEqual(lineStarts(TEXT, true), [0, 3, 7, 10, 13]);
  t.deepEqual(lineStarts(''), [0]);
});

test('positionAt and offsetAt are inverse', (t) => {
  const starts = lineStarts(TEXT, true);
  for (let offset = 0; offset <= TEXT.length; offset++) t.is(offsetAt(starts, positionAt(starts, offset)), offset);
  t.deepEqual(positionAt(starts, 0), { line: 0, character: 0 });
  t.deepEqual(positionAt(starts, 2), { line: 0, character: 2 });
  t.deepEqual(positionAt(starts, 3), { line: 1, character: 0 });
  t.deepEqual(positionAt(starts, 11), { line: 3, character: 1 });
  t.deepEqual(positionAt(starts, 13), { line: 4, character: 0 });
});

test('locate is 1-based, with lines ending at \\n', (t) => {
  t.deepEqual(locate(TEXT, 0), { line: 1, column: 1 });
  t.deepEqual(locate(TEXT, 4), { line: 2, column: 2 });
  t.deepEqual(locate(TEXT, 11), { line: 3, column: 5 });
});

test('lineStartOf finds the start of the line holding an offset', (t) => {
  t.is(lineStartOf(TEXT, 0), 0);
  t.is(lineStartOf(TEXT, 2), 0);
  t.is(lineStartOf(TEXT, 3), 3);
  t.is(lineStartOf(TEXT, 5), 3);
});
