/** parseShell: the script's syntax tree, or the located reason it cannot be read as written. */
import test from 'ava';
import { parseShell, unterminatedQuote } from '../../src/parse/shell.js';

test('a script parses to a tree rooted at `program`', (t) => {
  const { script, diagnostics } = parseShell('build.sh', 'docker build -t a .\n');
  t.deepEqual(diagnostics, []);
  t.is(script?.root.type, 'program');
  t.is(script?.file, 'build.sh');
});

test('CRLF line endings: RS303 at the first one, and no tree', (t) => {
  const { script, diagnostics } = parseShell('build.sh', '#!/bin/sh\r\ndocker build .\r\n');
  t.is(script, null);
  t.deepEqual(
    diagnostics.map((d) => [d.code, d.line, d.column]),
    [['RS303', 1, 10]],
  );
});

test('a backslash followed by spaces: RS302 per line, the continuation reading is analysed', (t) => {
  const { script, diagnostics } = parseShell(
    'build.sh',
    'docker build \\  \n  -t a .\n# comment \\ \necho x \\\t\n y\n',
  );
  t.truthy(script);
  t.deepEqual(
    diagnostics.map((d) => [d.code, d.line, d.column]),
    [
      ['RS302', 1, 14],
      ['RS302', 4, 8],
    ],
  );
  t.regex(diagnostics[0]!.message, /followed by 2 spaces/);
  t.regex(diagnostics[1]!.message, /followed by 1 space at/);
});

const syntaxErrors: [text: string, line: number, column: number, message: RegExp][] = [
  ['docker build .\necho )\n', 2, 6, /^shell syntax error: unexpected "\)"/],
  ['docker build .\necho "abc\n', 2, 6, /^unterminated double quote/],
];
for (const [text, line, column, message] of syntaxErrors) {
  test(`a syntax error is a located RS301 and no tree: ${JSON.stringify(text)}`, (t) => {
    const { script, diagnostics } = parseShell('build.sh', text);
    t.is(script, null);
    t.deepEqual(
      diagnostics.map((d) => [d.code, d.line, d.column]),
      [['RS301', line, column]],
    );
    t.regex(diagnostics[0]!.message, message);
  });
}

const quotes: [text: string, expected: ReturnType<typeof unterminatedQuote>][] = [
  ['echo "a b"', null],
  ["echo 'it'\\''s'", null],
  ['echo "a \\" b', { index: 5, char: '"' }],
  ["echo 'a\necho b", { index: 5, char: "'" }],
  ['echo \\"', null],
];
for (const [text, expected] of quotes) {
  test(`unterminatedQuote ${JSON.stringify(text)}`, (t) => t.deepEqual(unterminatedQuote(text), expected));
}
