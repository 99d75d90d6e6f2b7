/**
 * The lint registry: every rule file in src/lint is registered, every registered rule has its
 * file and its table test, one code each; and findings on an emitted Dockerfile are located in
 * the legacy file their text comes from.
 */
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { emitDockerfileWithOrigins } from '../../src/emit/dockerfile.js';
import { lintEmitted, RULES } from '../../src/lint/index.js';
import { CATALOGUE } from '../../src/model/diagnostic.js';
import type { StagePlan } from '../../src/model/plan.js';
import { parseDockerfile } from '../../src/parse/dockerfile.js';
import { ROOT } from '../helpers/fixtures.js';

/** The registry (index.ts) and the rules' contract (rule.ts) are no rules. */
const NOT_RULES = new Set(['index.ts', 'rule.ts']);

test('every file in src/lint is a registered rule, and every registered rule has its file', (t) => {
  const files = fs
    .readdirSync(path.join(ROOT, 'src/lint'))
    .filter((f) => !NOT_RULES.has(f))
    .sort();
  t.deepEqual(files, RULES.map((r) => `${r.name}.ts`).sort());
});

test('every registered rule has a table test in test/lint', (t) => {
  for (const r of RULES) t.true(fs.existsSync(path.join(ROOT, 'test/lint', `${r.name}.test.ts`)), r.name);
});

test('each rule has its own code, from the catalogue, and reports only that code', async (t) => {
  const codes = RULES.map((r) => r.code);
  t.is(new Set(codes).size, codes.length);
  for (const r of RULES) {
    t.true(r.code in CATALOGUE);
    const mod = (await import(`../../src/lint/${r.name}.js`)) as Record<string, unknown>;
    t.true(Object.values(mod).includes(r), `${r.name}.ts exports the registered rule`);
  }
  const everything =
    "FROM golang AS Build\nCOPY --from=later /x /x\nCMD ['a']\nFROM scratch AS later\nCMD x\nFROM a:1 AS later\n";
  const dockerfile = parseDockerfile('Dockerfile', everything).dockerfile;
  for (const r of RULES) {
    const found = r.check(dockerfile);
    t.true(found.length > 0, r.name);
    t.true(
      found.every((d) => d.code === r.code && d.severity === CATALOGUE[r.code].severity),
      r.name,
    );
  }
});

const plan = (files: [name: string, text: string, edits: StagePlan['files'][number]['edits']][]): StagePlan => ({
  stages: [],
  files: files.map(([name, text, edits]) => ({ dockerfile: parseDockerfile(name, text).dockerfile, edits })),
  hoistedArgs: [],
  directives: ['# escape=\\'],
  buildCommand: '',
  builder: null,
  context: '/p',
  obsolete: [],
  diagnostics: [],
});

test('lintEmitted: kept text at its own place, restage-written text where its edit went in, across files', (t) => {
  const builder = '\n# builder\nFROM golang AS Build\nRUN go build\n';
  const runtime = 'FROM alpine:3 AS build\nCOPY app /app\n';
  const emitted = emitDockerfileWithOrigins(
    plan([
      ['Dockerfile.build', builder, []],
      ['Dockerfile', runtime, [{ start: 28, end: 31, text: '--from=biuld /src/app' }]],
    ]),
  );
  t.is(
    emitted.text,
    '# escape=\\\n\n# builder\nFROM golang AS Build\nRUN go build\n\nFROM alpine:3 AS build\nCOPY --from=biuld /src/app /app\n',
  );
  t.deepEqual(
    lintEmitted(emitted, 'out/Dockerfile').map((d) => `${d.code} ${d.file}:${d.line}:${d.column}`),
    [
      'RS207 Dockerfile.build:3:6', // kept: FROM golang
      'RS211 Dockerfile:2:6', // written by restage in place of `app`
      'RS210 Dockerfile:1:18', // kept; a duplicate only once the files are merged
      'RS209 Dockerfile.build:3:16', // kept: AS Build
    ],
  );
});
