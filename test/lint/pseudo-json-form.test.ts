/** RS208: a single-quoted array in CMD/ENTRYPOINT/RUN, which Docker runs as a shell string. */
import test from 'ava';
import { lintPseudoJsonForm } from '../../src/lint/pseudo-json-form.js';
import { parseDockerfile } from '../../src/parse/dockerfile.js';

const lint = (text: string) => lintPseudoJsonForm(parseDockerfile('Dockerfile', text).dockerfile);

const cases: [name: string, text: string, expected: [line: number, column: number, message: string][]][] = [
  ['exec form', 'FROM alpine\nCMD ["./app", "-v"]\n', []],
  ['shell form', 'FROM alpine\nCMD ./app -v\n', []],
  [
    'single quotes in CMD',
    "FROM alpine\nCMD ['./app', '-v']\n",
    [[2, 5, 'named `[./app,`: the command fails; write it in exec form: CMD ["./app", "-v"]']],
  ],
  [
    'single quotes in ENTRYPOINT, no space',
    "FROM alpine\nENTRYPOINT ['./app','-v']\n",
    [[2, 12, 'named `[./app,-v]`: the command fails; write it in exec form: ENTRYPOINT ["./app", "-v"]']],
  ],
  [
    'single quotes in RUN, a space inside an item',
    'FROM alpine\nRUN [\'my app\', "x"]\n',
    [[2, 5, 'named `[my app,`: the command fails; write it in exec form: RUN ["my app", "x"]']],
  ],
  ['a shell test is shell form', 'FROM alpine\nRUN [ -f /x ] && [ "$a" = \'b\' ]\n', []],
  ['an item that is not one quoted string', "FROM alpine\nCMD ['./a' + 'b']\n", []],
  ['CMD and ENTRYPOINT on scratch are RS203', "FROM scratch\nCMD ['./app']\nENTRYPOINT ['./app']\n", []],
  ['on a stage built on scratch too', "FROM scratch AS s\nFROM s\nCMD ['./app']\n", []],
  ['RUN on scratch', "FROM scratch\nRUN ['./app']\n", [[2, 5, 'named `[./app]`']]],
  ['other instructions', "FROM alpine\nLABEL x=['a']\nHEALTHCHECK CMD ['./app']\n", []],
];
for (const [name, text, expected] of cases) {
  test(name, (t) => {
    const found = lint(text);
    t.deepEqual(
      found.map((d) => [d.code, d.severity, d.line, d.column]),
      expected.map(([line, column]) => ['RS208', 'warning', line, column]),
    );
    expected.forEach(([, , message], i) => t.true(found[i]!.message.includes(message), found[i]!.message));
  });
}
