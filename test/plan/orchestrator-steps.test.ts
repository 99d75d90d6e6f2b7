/** Which events of an analysed flow are the builder pattern `--write` removes from the orchestrator. */
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { analyzeDirectory } from '../../src/migrate.js';
import { patternSteps } from '../../src/plan/orchestrator-steps.js';
import { diagnostic } from '../../src/model/diagnostic.js';
import { MIGRATE_FIXTURES, tempCopy } from '../helpers/fixtures.js';

function stepsOf(dir: string) {
  const m = analyzeDirectory(dir, { displayBase: dir });
  if (!m.analysis || !m.plan) throw new Error(JSON.stringify(m.result.diagnostics));
  return patternSteps(
    m.analysis,
    m.plan,
    m.root,
    (p) => path.relative(dir, p) || '.',
    (at, why) => diagnostic('RS610', at, why),
  );
}

/** A tree with the welcome sample's Dockerfiles and this build script. */
function tree(t: { teardown(f: () => void): void }, script: string): string {
  const dir = tempCopy(path.join(MIGRATE_FIXTURES, 'layout-ci-script', 'input'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.rmSync(path.join(dir, 'ci'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'build.sh'), script);
  return dir;
}

const PATTERN = [
  '#!/bin/sh',
  'set -e',
  'docker build -t t:build -f Dockerfile.build .',
  'docker create --name x t:build',
  'docker cp x:/src/tool ./tool',
  'docker rm x',
];

test('the Makefile golden: every pattern line of the goal followed, the runtime build marked, the builder names', (t) => {
  const found = stepsOf(path.join(MIGRATE_FIXTURES, 'make-orchestrator', 'input'));
  if ('refusal' in found) return t.fail(found.refusal.message);
  t.deepEqual(
    found.steps.map((s) => [s.at.line, s.runtime ?? false]),
    [
      [10, false],
      [13, false],
      [14, false],
      [15, false],
      [18, true],
      [19, false],
    ],
  );
  t.true(found.builderNames.includes('saltmarsh/envdump:build'));
  t.true(found.builderNames.includes('envdump-extract'));
});

test('host commands on the extracted file are steps; a command running it is none, and its path is listed', (t) => {
  const ok = stepsOf(
    tree(t, [...PATTERN, 'chmod 755 tool', 'docker build -t t:latest .', 'rm -f tool', ''].join('\n')),
  );
  if ('refusal' in ok) return t.fail(ok.refusal.message);
  t.deepEqual(
    ok.steps.map((s) => s.at.line),
    [3, 4, 5, 6, 7, 8, 9],
  );
  // A command that runs the extracted file is no step: it stays, and the rewrite refuses it
  // (src/emit/orchestrator-rewrite.ts) as a use of a path the pattern extracted.
  const dir = tree(t, [...PATTERN, './tool --version', 'docker build -t t:latest .', ''].join('\n'));
  const used = stepsOf(dir);
  if ('refusal' in used) return t.fail(used.refusal.message);
  t.false(used.steps.some((s) => s.at.line === 7));
  t.true(
    used.extracted.includes(path.join(fs.realpathSync(dir), 'tool')) || used.extracted.includes(path.join(dir, 'tool')),
  );
});

test('a run of the runtime image after its build is kept, not a step', (t) => {
  const found = stepsOf(
    tree(t, [...PATTERN, 'docker build -t t:latest .', 'docker run --rm t:latest /usr/local/bin/tool', ''].join('\n')),
  );
  if ('refusal' in found) return t.fail(found.refusal.message);
  t.false(found.steps.some((s) => s.at.line === 8));
});

test('another build consuming the artifacts (RS108): refused, the extraction stays for it', (t) => {
  const found = stepsOf(path.join(MIGRATE_FIXTURES, 'add-and-two-runtimes', 'input'));
  if (!('refusal' in found)) return t.fail('not refused');
  t.regex(found.refusal.message, /another build also takes artifacts from the builder \(RS108\)/);
});
