/**
 * A COPY/ADD path word as Docker reads it (src/parse/dockerfile-word.ts). Each row was measured on
 * docker 20.10 with the classic builder and BuildKit (a context holding `x`, `ab` and `a\b`; the
 * word's value is the file the build copied): both builders agree on the value. BuildKit then
 * fails to find a file whose name holds a backslash, which the classic builder copies.
 */
import test from 'ava';
import { dockerWord, writeDockerWord } from '../../src/parse/dockerfile-word.js';
import { parseDockerfile } from '../../src/parse/dockerfile.js';

const values: [string, string, string][] = [
  ["'x'", 'x', 'single quotes are removed (in the JSON form too: `["\'x\'", "/o"]` copies x)'],
  ["x''", 'x', 'an empty quoted part adds nothing'],
  ['a\\b', 'ab', 'outside quotes the escape character takes the next character literally'],
  ['"a\\b"', 'a\\b', 'inside double quotes an escape before another character stays'],
  ["'a\\b'", 'a\\b', 'inside single quotes nothing is an escape'],
  ['"a\\"b"', 'a"b', 'inside double quotes the escape character escapes a double quote'],
  ['"a\\$b"', 'a$b', '… and a dollar'],
  ['$X/"app"', '$X/app', 'a dollar is left for the analysis'],
];
for (const [raw, value, why] of values)
  test(`dockerWord(${raw}) is ${value}: ${why}`, (t) => {
    t.deepEqual(dockerWord(raw), { value });
  });

test('another escape character (`# escape=`` ` ``): a backslash is an ordinary character', (t) => {
  t.deepEqual(dockerWord('a\\b', '`'), { value: 'a\\b' });
  t.deepEqual(dockerWord('a`b', '`'), { value: 'ab' });
});

test('an unclosed quote is the error both builders give', (t) => {
  t.deepEqual(dockerWord("it's.txt"), {
    error: 'unexpected end of statement while looking for matching single-quote',
    offset: 2,
  });
  t.deepEqual(dockerWord('"a'), {
    error: 'unexpected end of statement while looking for matching double-quote',
    offset: 0,
  });
});

test('parse: COPY/ADD path words carry their value; an unclosed quote in the JSON form is RS201 at the word', (t) => {
  const ok = parseDockerfile('D', 'FROM x\nCOPY ["\'x\'", "/o"]\nADD a\\b /c/\nRUN echo \'x\'\n');
  t.deepEqual(ok.diagnostics, []);
  const [copy, add, run] = ok.dockerfile.stages[0]!.instructions;
  t.deepEqual(
    copy!.args.map((a) => a.value),
    ['x', '/o'],
  );
  t.deepEqual(
    add!.args.map((a) => a.value),
    ['ab', '/c/'],
  );
  t.is(run!.args[0]!.value, undefined);
  const bad = parseDockerfile('D', 'FROM x\nCOPY ["it\'s.txt", "/n.txt"]\n');
  t.deepEqual(
    bad.diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`),
    ['RS201 2:7'],
  );
  t.regex(bad.diagnostics[0]!.message, /matching single-quote in `it's.txt`: .*both builders fail here/);
});

test("writeDockerWord is read back as the value; `$` escaped unless the path is the user's", (t) => {
  for (const value of ["it's", 'a"b', 'a\\b', 'a$b', '/go/src/x', 'a`b'])
    for (const esc of ['\\', '`']) t.deepEqual(dockerWord(writeDockerWord(value, esc), esc), { value });
  t.is(writeDockerWord('$HOME/app', '\\', true), '$HOME/app');
  t.is(writeDockerWord('$HOME/app'), '\\$HOME/app');
});
