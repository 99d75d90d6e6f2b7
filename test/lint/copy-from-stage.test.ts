/** RS211: COPY --from naming no earlier stage, at the flag. */
import test from 'ava';
import { lintCopyFromStage } from '../../src/lint/copy-from-stage.js';
import { parseDockerfile } from '../../src/parse/dockerfile.js';

const lint = (text: string) => lintCopyFromStage(parseDockerfile('Dockerfile', text).dockerfile);

const cases: [name: string, text: string, expected: [line: number, column: number, message: string][]][] = [
  ['an earlier stage', 'FROM a AS build\nFROM b\nCOPY --from=build /x /x\n', []],
  ['an earlier stage, in another case', 'FROM a AS Build\nFROM b\nCOPY --from=BUILD /x /x\n', []],
  ['an earlier stage by index', 'FROM a\nFROM b\nCOPY --from=0 /x /x\n', []],
  [
    'an image with a tag, a digest, a path',
    'FROM b\nCOPY --from=nginx:1 /x /x\nCOPY --from=a@sha256:00 /x /x\nCOPY --from=ghcr.io/a /x /x\n',
    [],
  ],
  ['a variable', 'FROM b\nARG S\nCOPY --from=$S /x /x\n', []],
  ['other instructions', 'FROM b\nRUN --mount=from=nowhere true\nADD x /x\n', []],
  [
    'no such stage',
    'FROM a AS build\nFROM b\nCOPY --chown=0:0 --from=biuld /x /x\n',
    [[3, 18, 'COPY --from=biuld names no stage of this file: Docker reads biuld as the image biuld:latest']],
  ],
  [
    'a later stage',
    'FROM a AS first\nCOPY --from=second /x /x\nFROM b AS second\n',
    [[2, 6, 'COPY --from=second names the stage at line 3, which comes later: BuildKit builds it from that stage']],
  ],
  ['its own stage', 'FROM a AS self\nCOPY --from=self /x /x\n', [[2, 6, 'names the stage it is in']]],
  ['a later index', 'FROM a\nCOPY --from=1 /x /x\nFROM b\n', [[2, 6, 'names the stage at line 3, which comes later']]],
  [
    'an index past the last stage',
    'FROM a\nFROM b\nCOPY --from=5 /x /x\n',
    [[3, 6, 'names stage 5, which the file does not have']],
  ],
];
for (const [name, text, expected] of cases) {
  test(name, (t) => {
    const found = lint(text);
    t.deepEqual(
      found.map((d) => [d.code, d.severity, d.line, d.column]),
      expected.map(([line, column]) => ['RS211', 'warning', line, column]),
    );
    expected.forEach(([, , message], i) => t.true(found[i]!.message.includes(message), found[i]!.message));
  });
}
