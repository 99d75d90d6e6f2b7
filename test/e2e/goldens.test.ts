/**
 * Every golden case that migrates proves itself on the real engine: `restage verify` runs the
 * case's own script in the sandbox (the legacy run) and builds the golden Dockerfile restage
 * emits, and the two images must be `equivalent`. A case says how in its `verify.json`
 * (test/migrate/golden-verify.test.ts checks that every migrated case has one): the base images
 * it needs, mapped to the test images scripts/test-images.sh builds from Debian packages, or why
 * it cannot be built here (a toolchain no Debian-built test image provides). A case may say
 * `"legacy": "replay"`: the legacy image then comes from the replayed analysis, still built on the
 * engine and compared with the migration's (a case whose script needs what the sandbox withholds).
 *
 * The case's tree must be byte for byte what it was, and the session must leave nothing behind;
 * the JSON verify printed must be a verifyResult of the published schema (schema/restage-result.schema.json).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { caseInput, MIGRATE_FIXTURES, migrateCases } from '../helpers/fixtures.js';
import { e2eTest, unavailable } from './helpers/engine.js';
import { BASES, runLeftovers, verifyJson } from './helpers/verify-run.js';
import { treeHash } from './helpers/workspace.js';
import { caseVerify, type CaseVerify } from '../helpers/golden-verify.js';
import { resultValidator } from '../helpers/schemas.js';

const e2e = e2eTest(await unavailable(BASES));
const verifyResult = resultValidator('verifyResult');

function copyTree(from: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-test-golden-'));
  const to = path.join(dir, 'input');
  fs.cpSync(from, to, { recursive: true, verbatimSymlinks: true });
  return to;
}

/** The case's `options.json` as verify's flags (`--script-arg`, `--env`). */
function optionFlags(name: string): string[] {
  const file = path.join(MIGRATE_FIXTURES, name, 'options.json');
  if (!fs.existsSync(file)) return [];
  const o = JSON.parse(fs.readFileSync(file, 'utf8')) as { scriptArgs?: string[]; env?: Record<string, string> };
  return [
    ...(o.scriptArgs ?? []).flatMap((a) => ['--script-arg', a]),
    ...Object.entries(o.env ?? {}).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
  ];
}

const cases = migrateCases()
  .map((name) => [name, caseVerify(name)] as const)
  .filter(
    (
      c,
    ): c is readonly [string, CaseVerify & { imageMap: Record<string, string>; verdict: 'equivalent' | 'different' }] =>
      c[1]?.imageMap !== undefined && c[1].verdict !== undefined,
  );

for (const [name, spec] of cases) {
  const legacy = spec.legacy ?? 'run';
  const side = legacy === 'run' ? 'the sandboxed legacy run' : 'the replayed legacy flow';
  e2e(`golden ${name}: ${side} and the migration are ${spec.verdict}`, async (t) => {
    const dir = copyTree(caseInput(name));
    t.teardown(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));
    const before = treeHash(dir);
    const maps = Object.entries(spec.imageMap).flatMap(([from, to]) => ['--image-map', `${from}=${to}`]);
    const { code, json } = verifyJson([dir, '--legacy', legacy, ...maps, ...optionFlags(name), ...(spec.args ?? [])]);
    const detail = [
      ...json.differences.map((d) => `${d.aspect}: ${d.message}`),
      ...json.diagnostics.filter((d) => !d.code.startsWith('RS5')).map((d) => `${d.code} ${d.message}`),
      json.failure ? `failure (${json.failure.step}): ${json.failure.message}` : '',
    ].join('\n');
    t.is(json.status, spec.verdict, detail);
    t.is(code, spec.verdict === 'equivalent' ? 0 : 1, detail);
    t.deepEqual(verifyResult(json), [], 'the JSON is a verifyResult of schema/restage-result.schema.json');
    t.is(treeHash(dir), before, 'verify leaves the case tree as it was');
    t.deepEqual(runLeftovers(json.session ?? 'no-session'), []);
  });
}
