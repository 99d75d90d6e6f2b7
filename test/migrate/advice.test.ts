/**
 * Advice must be true, and restage never chooses silently: each case below is one where a
 * diagnostic's suggested action (or the obsolete list, or the chosen script) would be wrong.
 */
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { runMigrate } from '../../src/cli/migrate.js';
import { MIGRATE_FIXTURES, tempCopy } from '../helpers/fixtures.js';

const input = (name: string) => path.join(MIGRATE_FIXTURES, name, 'input');
const run = (name: string, options: { script?: string } = {}) =>
  runMigrate(input(name), { displayBase: MIGRATE_FIXTURES, ...options });
const codes = (r: ReturnType<typeof run>) => r.result.diagnostics.map((d) => d.code);

test('two pipelines are never chosen between: RS110 names both and --script, exit 2, nothing migrated', (t) => {
  const r = run('two-pipelines');
  t.is(r.exitCode, 2);
  t.is(r.result.status, 'error');
  t.is(r.result.dockerfile, null);
  const d = r.result.diagnostics.find((x) => x.code === 'RS110');
  t.truthy(d);
  t.regex(d!.message, /two-pipelines\/input\/build\.armhf\.sh, two-pipelines\/input\/build\.sh/);
  t.regex(d!.message, /--script FILE/);
  t.notRegex(d!.message, /deploy\.sh|run\.sh/, 'a launcher and a deploy script are no candidates');
  t.deepEqual([d!.file, d!.line, d!.column], ['two-pipelines/input/build.armhf.sh', 1, 1]);
});

test('--script picks one of several pipelines (relative to the directory)', (t) => {
  for (const [script, tag] of [
    ['build.sh', 'app:latest'],
    ['build.armhf.sh', 'app:armhf'],
  ] as const) {
    const r = run('two-pipelines', { script });
    t.is(r.exitCode, 0, JSON.stringify(r.result.diagnostics));
    t.false(codes(r).includes('RS110'));
    t.regex(r.result.buildCommand!, new RegExp(`-t ${tag} `));
  }
  const armhf = run('two-pipelines', { script: 'build.armhf.sh' });
  t.regex(armhf.result.dockerfile!, /GOARCH=arm/);
});

test('--script naming no file of the directory is a located error (RS111)', (t) => {
  for (const script of ['nope.sh', '../two-pipelines/input/build.sh', '/etc/passwd']) {
    const r = run('two-pipelines', { script });
    t.is(r.exitCode, 2, script);
    const d = r.result.diagnostics.find((x) => x.code === 'RS111');
    t.truthy(d, script);
    t.is(d!.file, 'two-pipelines/input');
    t.regex(d!.message, /relative to it/);
  }
});

test('a launcher that copies from a running container is no candidate, even when it sorts first', (t) => {
  const r = run('launcher-sorts-first');
  t.is(r.result.status, 'migrated');
  t.false(codes(r).includes('RS107'));
  t.true(r.result.files.some((f) => f.path.endsWith('/build.sh') && f.role === 'orchestrator'));
  t.false(r.result.files.some((f) => f.path.endsWith('archive-logs.sh')));
});

test('RS504 "can go" only when the multi-stage Dockerfile does all the script did', (t) => {
  const stale = run('already-migrated-stale-script');
  t.is(stale.result.status, 'nothing-to-migrate');
  t.deepEqual(stale.result.obsolete, [
    'already-migrated-stale-script/input/build.sh',
    'already-migrated-stale-script/input/Dockerfile.build',
  ]);
  t.regex(stale.result.diagnostics.find((d) => d.code === 'RS504')!.message, /can go$/);

  for (const [name, why] of [
    ['already-migrated-builds-more', /also builds app:debug/],
    ['already-migrated-extracts-more', /extracts \/src\/app\.sha256/],
  ] as const) {
    const r = run(name);
    t.is(r.result.status, 'nothing-to-migrate', name);
    t.deepEqual(r.result.obsolete, [], name);
    const d = r.result.diagnostics.find((x) => x.code === 'RS504');
    t.truthy(d, name);
    t.notRegex(d!.message, /can go/, name);
    t.regex(d!.message, why);
    t.regex(d!.message, /keep the script/);
  }
});

test('the plan lists nothing obsolete when the script builds an image the migration does not replace (RS507)', (t) => {
  const r = run('pipeline-builds-more');
  t.is(r.result.status, 'migrated');
  t.deepEqual(r.result.obsolete, []);
  const d = r.result.diagnostics.find((x) => x.code === 'RS507')!;
  t.is(d.severity, 'info');
  t.deepEqual([d.file, d.line], ['pipeline-builds-more/input/build.sh', 8]);
  t.regex(d.message, /app:debug/);
});

test('the plan lists nothing obsolete when the script extracts a file no build consumes and does not remove it', (t) => {
  const dir = tempCopy(input('two-artifacts'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  // Keep the extracted config on the host: something outside the script may read it.
  const script = path.join(dir, 'build.sh');
  fs.writeFileSync(script, fs.readFileSync(script, 'utf8').replace('rm -f ./server ./server.toml', 'rm -f ./server'));
  fs.writeFileSync(
    path.join(dir, 'Dockerfile'),
    fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8').replace(/^COPY server\.toml.*\n/m, ''),
  );
  const r = runMigrate(dir);
  t.is(r.result.status, 'needs-attention');
  t.true(codes(r).includes('RS402'));
  t.true(codes(r).includes('RS507'));
  t.deepEqual(r.result.obsolete, []);
});

test('a COPY source with a variable that may name the artifact: no "not used" advice (RS402, RS106), a located RS304', (t) => {
  const r = run('copy-source-variable');
  t.is(r.exitCode, 2);
  t.false(codes(r).includes('RS402'));
  t.false(codes(r).includes('RS106'));
  const d = r.result.diagnostics.find((x) => x.code === 'RS304')!;
  t.deepEqual([d.file, d.line, d.column], ['copy-source-variable/input/Dockerfile', 3, 6]);
});

test('an artifact moved into a new directory on the host is reported as consumed', (t) => {
  const r = run('moved-into-new-dir');
  t.is(r.result.status, 'migrated');
  t.false(codes(r).includes('RS402'));
  t.is(r.result.artifacts.length, 1);
  t.deepEqual(
    r.result.artifacts[0]!.consumers.map((c) => [c.file, c.line, c.instruction]),
    [['moved-into-new-dir/input/Dockerfile', 2, 'COPY bin/app /usr/local/bin/app']],
  );
});

test('RUN chown in a builder on a root base: the COPY --from is pinned to 0:0, as the host round trip gave', (t) => {
  const r = run('run-chown-root-builder');
  t.regex(r.result.dockerfile!, /^COPY --from=builder --chown=0:0 \/out\/app \/usr\/local\/bin\/app$/m);
  const d = r.result.diagnostics.find((x) => x.code === 'RS501')!;
  t.deepEqual([d.file, d.line], ['run-chown-root-builder/input/Dockerfile.build', 1]);
});
