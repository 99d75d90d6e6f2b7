/** Stage names: claimed per role, unique, never reserved; `FROM x` → `FROM x AS name` in the user's case. */
import test from 'ava';
import { nameStage, StageNames } from '../../src/plan/names.js';
import { applyEdits } from '../../src/emit/dockerfile.js';
import { parseDockerfile } from '../../src/parse/dockerfile.js';

const claims: [existing: string[], role: string, preferred: string | null, expected: string][] = [
  [[], 'builder', null, 'builder'],
  [['builder'], 'builder', null, 'builder-2'],
  [['builder', 'builder-2'], 'builder', null, 'builder-3'],
  [['Builder'], 'builder', null, 'builder-2'],
  [[], 'runtime', 'Build', 'build'],
  [[], 'builder', 'scratch', 'builder'],
  [[], 'builder', 'CONTEXT', 'builder'],
  [[], 'scratch', null, 'scratch-2'],
];
for (const [existing, role, preferred, expected] of claims) {
  test(`claim ${role} (preferred ${preferred ?? 'none'}) beside [${existing.join(', ')}] → ${expected}`, (t) => {
    t.is(new StageNames(existing).claim(role, preferred), expected);
  });
}

test('names claimed once are taken for the next claim', (t) => {
  const names = new StageNames([]);
  t.deepEqual(
    [names.claim('builder'), names.claim('builder'), names.claim('runtime')],
    ['builder', 'builder-2', 'runtime'],
  );
});

const froms: [text: string, expected: string][] = [
  ['FROM golang:1.22\n', 'FROM golang:1.22 AS builder\n'],
  ['from golang:1.22\n', 'from golang:1.22 as builder\n'],
  ['FROM --platform=linux/amd64 golang\nRUN true\n', 'FROM --platform=linux/amd64 golang AS builder\nRUN true\n'],
];
for (const [text, expected] of froms) {
  test(`nameStage: ${JSON.stringify(text)}`, (t) => {
    const f = parseDockerfile('Dockerfile', text).dockerfile;
    t.is(applyEdits(f.text, [nameStage(f, f.stages[0]!.from, 'builder')]), expected);
  });
}
