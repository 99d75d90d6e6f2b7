/** Emitting: edits spliced into the legacy text, the files joined, hoisted ARGs and directives on top. */
import test from 'ava';
import { applyEdits, emitDockerfile } from '../../src/emit/dockerfile.js';
import { parseDockerfile } from '../../src/parse/dockerfile.js';
import { planMigration } from '../../src/plan/index.js';
import type { StagePlan, TextEdit } from '../../src/model/plan.js';
import { analysisOf, BUILDER_PATTERN, display, PROJ } from '../helpers/analysis.js';

const edits: [name: string, text: string, edits: TextEdit[], expected: string][] = [
  ['no edit', 'FROM a\n', [], 'FROM a\n'],
  ['an insertion', 'FROM a\n', [{ start: 6, end: 6, text: ' AS b' }], 'FROM a AS b\n'],
  ['a replacement', 'COPY app .\n', [{ start: 5, end: 8, text: '/src/app' }], 'COPY /src/app .\n'],
  ['a deletion', 'ARG X\nFROM a\n', [{ start: 0, end: 6, text: '' }], 'FROM a\n'],
  [
    'several, in any order, offsets of the original text',
    'COPY a b c\n',
    [
      { start: 9, end: 10, text: 'C' },
      { start: 5, end: 6, text: 'AA' },
      { start: 7, end: 8, text: 'BBB' },
    ],
    'COPY AA BBB C\n',
  ],
];
for (const [name, text, list, expected] of edits) {
  test(`applyEdits: ${name}`, (t) => t.is(applyEdits(text, list), expected));
}

const planOf = (files: string[], extra: Partial<StagePlan> = {}): StagePlan => ({
  stages: [],
  files: files.map((text, i) => ({ dockerfile: parseDockerfile(`f${i}`, text).dockerfile, edits: [] })),
  hoistedArgs: [],
  directives: [],
  buildCommand: '',
  builder: null,
  context: PROJ,
  obsolete: [],
  diagnostics: [],
  ...extra,
});

const joins: [name: string, plan: StagePlan, expected: string][] = [
  [
    'one blank line between files, whatever they end or start with',
    planOf(['FROM a\n\n\n', '\n\nFROM b\n']),
    'FROM a\n\nFROM b\n',
  ],
  ['a final newline is added', planOf(['FROM a\n', 'FROM b']), 'FROM a\n\nFROM b\n'],
  [
    'hoisted ARGs go before the first FROM, after its comments',
    planOf(['# builder\nFROM a\n', 'FROM b\n'], { hoistedArgs: ['ARG V=1'] }),
    '# builder\nARG V=1\nFROM a\n\nFROM b\n',
  ],
  ['directives first', planOf(['FROM a\n'], { directives: ['# escape=`'] }), '# escape=`\nFROM a\n'],
];
for (const [name, plan, expected] of joins) {
  test(`emitDockerfile: ${name}`, (t) => t.is(emitDockerfile(plan), expected));
}

test('emitDockerfile of a planned builder pattern', (t) => {
  const plan = planMigration(analysisOf(BUILDER_PATTERN), {
    root: PROJ,
    output: `${PROJ}/Dockerfile`,
    display,
  })!;
  t.is(
    emitDockerfile(plan),
    'FROM golang:1.22 AS builder\nWORKDIR /src\nCOPY main.go .\nRUN go build -o app .\n\nFROM alpine:3.19 AS runtime\nCOPY --from=builder --chown=0:0 /src/app /usr/local/bin/app\nCMD ["app"]\n',
  );
});
