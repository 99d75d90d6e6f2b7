/** package.json scripts with the line and column of every decoded character. */
import test from 'ava';
import { readPackageScripts } from '../../src/parse/package-json.js';

test('readPackageScripts: each decoded character keeps its place, escapes included', (t) => {
  const text =
    '{\n  "name": "x",\n  "config": {"scripts": {"no": "1"}},\n  "scripts": {\n    "a": "say \\"hi\\"\\n\\u0041b"\n  }\n}\n';
  const read = readPackageScripts(text);
  if ('error' in read) return t.fail(read.error);
  t.deepEqual([...read.scripts.keys()], ['a']);
  const a = read.scripts.get('a')!;
  t.is(a.value.text, 'say "hi"\nAb');
  t.deepEqual(a.key.start, { line: 5, column: 5 });
  t.deepEqual(a.value.start, { line: 5, column: 10 });
  // s a y ␠ \" h i \" \n \u0041 b
  t.deepEqual(
    a.value.at.map((p) => p.column),
    [11, 12, 13, 14, 15, 17, 18, 19, 21, 23, 29],
  );
});

test('readPackageScripts: what is no package.json with string scripts is said', (t) => {
  t.regex((readPackageScripts('{"scripts": ') as { error: string }).error, /not valid JSON/);
  t.is((readPackageScripts('[]') as { error: string }).error, 'it is not a JSON object');
  t.is(
    (readPackageScripts('{"scripts": {"a": 1}}') as { error: string }).error,
    'a value of "scripts" is not a string',
  );
  const none = readPackageScripts('{"name": "x"}');
  t.false('error' in none);
  if (!('error' in none)) t.is(none.scripts.size, 0);
});
