/** RS209: a stage name that is not lower-case, at the name. */
import test from 'ava';
import { lintStageNameCase } from '../../src/lint/stage-name-case.js';
import { parseDockerfile } from '../../src/parse/dockerfile.js';

const lint = (text: string) => lintStageNameCase(parseDockerfile('Dockerfile', text).dockerfile);

const cases: [name: string, text: string, expected: [line: number, column: number, message: string][]][] = [
  ['lower-case', 'FROM alpine AS build\n', []],
  ['no name', 'FROM alpine\n', []],
  [
    'upper-case',
    'FROM alpine AS Build\n',
    [[1, 16, 'the stage name Build is not lower-case: Docker reads it as build']],
  ],
  ['a lower-case AS keyword', 'FROM alpine as BUILD-2\n', [[1, 16, 'Docker reads it as build-2']]],
  ['after --platform', 'FROM --platform=$P alpine AS X\n', [[1, 30, 'Docker reads it as x']]],
  [
    'each stage',
    'FROM a AS A\nFROM b AS b\nFROM c AS C\n',
    [
      [1, 11, 'A'],
      [3, 11, 'C'],
    ],
  ],
];
for (const [name, text, expected] of cases) {
  test(name, (t) => {
    const found = lint(text);
    t.deepEqual(
      found.map((d) => [d.code, d.severity, d.line, d.column]),
      expected.map(([line, column]) => ['RS209', 'info', line, column]),
    );
    expected.forEach(([, , message], i) => t.true(found[i]!.message.includes(message), found[i]!.message));
  });
}
