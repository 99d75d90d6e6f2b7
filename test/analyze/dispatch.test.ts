/** `case "$1"` dispatch: the literal words of the branches, the script's first argument only. */
import test from 'ava';
import { parseShell } from '../../src/parse/shell.js';
import { dispatchWords } from '../../src/analyze/dispatch.js';

const words = (text: string) => dispatchWords(parseShell('build.sh', text).script!);

const cases: [name: string, text: string, expected: string[], line: number | null][] = [
  [
    'quoted and unquoted words, alternatives, patterns left out',
    'set -e\ncase "$1" in\n  build|all) b;;\n  "clean") c;;\n  push-*) p;;\n  *) u;;\nesac\n',
    ['build', 'all', 'clean'],
    2,
  ],
  ['${1:-build}', 'case ${1:-build} in build) b;; test) t;; esac\n', ['build', 'test'], 1],
  ['another variable is no dispatch', 'case "$MODE" in build) b;; esac\n', [], null],
  ['a function body: its $1 is its own', 'f() {\n  case "$1" in x) a;; esac\n}\nf x\n', [], null],
  ['nested in an if, each word once', 'if true; then\n  case $1 in a) x;; b) y;; a) z;; esac\nfi\n', ['a', 'b'], 2],
];
for (const [name, text, expected, line] of cases) {
  test(`dispatchWords: ${name}`, (t) => {
    const d = words(text);
    t.deepEqual(d.words, expected);
    t.is(d.at?.line ?? null, line);
  });
}
