/** RS203: shell-form CMD/ENTRYPOINT on FROM scratch, with the exec form that fixes it when there is one. */
import test from 'ava';
import { lintScratchShellForm } from '../../src/lint/scratch-shell-form.js';
import { parseDockerfile } from '../../src/parse/dockerfile.js';

const lint = (text: string) => lintScratchShellForm(parseDockerfile('Dockerfile', text).dockerfile);

const cases: [name: string, text: string, fix: string | null | undefined][] = [
  ['exec form on scratch', 'FROM scratch\nCMD ["./hello"]\n', undefined],
  ['shell form on an image with a shell', 'FROM alpine\nCMD ./hello\n', undefined],
  ['shell form on scratch', 'FROM scratch\nCMD ./hello -v\n', 'CMD ["./hello", "-v"]'],
  ['single-quoted JSON on scratch', "FROM scratch\nENTRYPOINT ['./hello', '-v']\n", 'ENTRYPOINT ["./hello", "-v"]'],
  ['shell syntax has no mechanical fix', 'FROM scratch\nCMD ./hello $PORT\n', null],
  ['an array item that is not one quoted string', "FROM scratch\nCMD ['./a' + 'b']\n", null],
  ['SCRATCH in any case', 'FROM SCRATCH\nCMD ./hello\n', 'CMD ["./hello"]'],
];
for (const [name, text, fix] of cases) {
  test(name, (t) => {
    const found = lint(text);
    if (fix === undefined) return t.deepEqual(found, []);
    t.deepEqual(
      found.map((d) => [d.code, d.line, d.column]),
      [['RS203', 2, text.split('\n')[1]!.indexOf(' ') + 2]],
    );
    if (fix === null) t.regex(found[0]!.message, /a JSON array of the program and its arguments/);
    else t.true(found[0]!.message.endsWith(`Write it in exec form: ${fix}`), found[0]!.message);
  });
}

test('only the scratch stage of a multi-stage file', (t) => {
  const found = lint('FROM alpine AS a\nCMD ./x\nFROM scratch\nCOPY --from=a /x /x\nCMD /x\n');
  t.deepEqual(
    found.map((d) => d.line),
    [5],
  );
});

test('a stage built on an earlier scratch stage has no shell either', (t) => {
  const found = lint('FROM scratch AS base\nCOPY x /x\nFROM base\nCMD /x\nFROM alpine AS other\nFROM other\nCMD /x\n');
  t.deepEqual(
    found.map((d) => d.line),
    [4],
  );
});
