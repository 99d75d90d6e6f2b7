/** Emitting: edits spliced into the legacy text, the files joined, hoisted ARGs and directives on top. */
import test from 'ava';
import { applyEdits, emitDockerfile, emitDockerfileWithOrigins } from '../../src/emit/dockerfile.js';
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

/** Each character's origin: its own in the legacy file when kept, else where restage's edit went in. */
function origins(plan: StagePlan): string[] {
  const emitted = emitDockerfileWithOrigins(plan);
  return [...emitted.text].map((c, i) => {
    const o = emitted.origin(i);
    if (!o) return `${JSON.stringify(c)} own`;
    return `${JSON.stringify(c)} ${o.file.file}@${o.offset}${o.kept ? '' : ' edit'}`;
  });
}

test('origins: kept characters point at themselves, written ones at their edit, across joins and hoisted ARGs', (t) => {
  const base = planOf(['# b\nFROM a\n\n', '\nFROM b\nCOPY x y\n'], {
    hoistedArgs: ['ARG V'],
    directives: ['# escape=`'],
  });
  const plan: StagePlan = {
    ...base,
    files: [
      { ...base.files[0]!, edits: [{ start: 10, end: 10, text: ' AS s' }] },
      { ...base.files[1]!, edits: [{ start: 13, end: 14, text: '--from=s z' }] },
    ],
  };
  const emitted = emitDockerfileWithOrigins(plan);
  t.is(emitted.text, '# escape=`\n# b\nARG V\nFROM a AS s\n\nFROM b\nCOPY --from=s z y\n');
  t.is(emitted.text, emitDockerfile(plan));
  const at = (needle: string) => origins(plan)[emitted.text.indexOf(needle)];
  t.is(at('# escape'), '"#" own');
  t.is(at('# b'), '"#" f0@0');
  t.is(at('ARG V'), '"A" f0@4 edit');
  t.is(at('FROM a'), '"F" f0@4');
  t.is(at(' AS s'), '" " f0@10 edit');
  t.is(at('FROM b'), '"F" f1@1');
  t.is(at('--from'), '"-" f1@13 edit');
  t.is(at(' y'), '" " f1@14');
});

test("origins: every kept character of a planned builder pattern is the legacy file's own", (t) => {
  const plan = planMigration(analysisOf(BUILDER_PATTERN), { root: PROJ, output: `${PROJ}/Dockerfile`, display })!;
  const emitted = emitDockerfileWithOrigins(plan);
  let kept = 0;
  for (let i = 0; i < emitted.text.length; i++) {
    const o = emitted.origin(i);
    if (!o?.kept) continue;
    kept++;
    t.is(o.file.text[o.offset], emitted.text[i], `offset ${i}`);
  }
  t.true(kept > emitted.text.length / 2);
});
