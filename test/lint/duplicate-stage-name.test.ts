/** RS210: a stage named like an earlier one, at the later name. */
import test from 'ava';
import { lintDuplicateStageName } from '../../src/lint/duplicate-stage-name.js';
import { parseDockerfile } from '../../src/parse/dockerfile.js';

const lint = (text: string) => lintDuplicateStageName(parseDockerfile('Dockerfile', text).dockerfile);

const cases: [name: string, text: string, expected: [line: number, column: number, message: string][]][] = [
  ['distinct names', 'FROM a AS x\nFROM b AS y\n', []],
  ['unnamed stages', 'FROM a\nFROM a\n', []],
  [
    'the same name',
    'FROM a AS x\nRUN true\nFROM b AS x\n',
    [[3, 11, 'the stage name x is already the name of the stage at line 1']],
  ],
  ['in another case', 'FROM a AS Build\nFROM b AS build\n', [[2, 11, 'stage name build']]],
  [
    'three times',
    'FROM a AS x\nFROM b AS x\nFROM c AS x\n',
    [
      [2, 11, 'line 1'],
      [3, 11, 'line 1'],
    ],
  ],
];
for (const [name, text, expected] of cases) {
  test(name, (t) => {
    const found = lint(text);
    t.deepEqual(
      found.map((d) => [d.code, d.severity, d.line, d.column]),
      expected.map(([line, column]) => ['RS210', 'warning', line, column]),
    );
    expected.forEach(([, , message], i) => t.true(found[i]!.message.includes(message), found[i]!.message));
  });
}
