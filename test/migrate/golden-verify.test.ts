/**
 * Every golden case that migrates says how the e2e suite proves it on the real engine
 * (test/e2e/goldens.test.ts): a verify.json with the image map and verdict, or why the case cannot
 * be built here. A new migrated case without one fails here, not silently unproven; a case migrated
 * with a warning (needs-attention) may have one.
 */
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { caseInput, MIGRATE_FIXTURES, migrateCases, ROOT } from '../helpers/fixtures.js';
import { caseVerify } from '../helpers/golden-verify.js';

const TEST_IMAGES = new Set(
  [...fs.readFileSync(path.join(ROOT, 'scripts', 'test-images.sh'), 'utf8').matchAll(/^build (testbase\/\S+) /gm)].map(
    (m) => m[1]!,
  ),
);

const status = (name: string): string =>
  (
    JSON.parse(fs.readFileSync(path.join(MIGRATE_FIXTURES, name, 'expected', 'result.json'), 'utf8')) as {
      status: string;
    }
  ).status;

test('the test images are known', (t) => {
  t.true(TEST_IMAGES.has('testbase/busybox:latest'), [...TEST_IMAGES].join(', '));
});

for (const name of migrateCases()) {
  const spec = caseVerify(name);
  // A case that migrates with a warning (needs-attention) may say how it is verified, and is then checked alike.
  if (status(name) !== 'migrated' && !(status(name) === 'needs-attention' && spec !== null)) {
    test(`${name}: a case that does not migrate${status(name) === 'needs-attention' ? ' cleanly' : ''} has nothing to verify`, (t) => {
      t.is(spec, null, 'verify.json belongs to migrated cases only');
    });
    continue;
  }
  test(`${name}: says how the e2e suite verifies it`, (t) => {
    if (spec === null) return t.fail(`test/fixtures/migrate/${name}/verify.json is missing`);
    const given = [spec.imageMap, spec.provenBy, spec.unverified].filter((v) => v !== undefined);
    t.is(given.length, 1, 'exactly one of imageMap, provenBy and unverified');
    if (spec.unverified !== undefined) return t.true(spec.unverified.length >= 30, 'say why it cannot be built here');
    if (spec.provenBy !== undefined) {
      const file = path.join(ROOT, spec.provenBy);
      t.true(/^test\/e2e\/[\w-]+\.test\.ts$/.test(spec.provenBy) && fs.existsSync(file), `${spec.provenBy}`);
      // The case by name, or the sample it is a copy of (`samples/dir-artifact`).
      const names = [name, path.relative(ROOT, caseInput(name))].map((n) => `'${n}'`);
      const text = fs.readFileSync(file, 'utf8');
      return t.true(
        names.some((n) => text.includes(n)),
        `${spec.provenBy} names ${names.join(' or ')}`,
      );
    }
    t.true(spec.verdict === 'equivalent' || spec.verdict === 'different', `verdict: ${String(spec.verdict)}`);
    t.true(spec.legacy === undefined || spec.legacy === 'run' || spec.legacy === 'replay', `legacy: ${spec.legacy}`);
    const targets = Object.values(spec.imageMap!);
    t.true(targets.length > 0);
    for (const to of targets) t.true(TEST_IMAGES.has(to), `${to} is not built by scripts/test-images.sh`);
  });
}
