/**
 * `restage migrate DIR` on a tree with several builder patterns: one section each (a `==> FILE <==`
 * header before each Dockerfile on stdout), a JSON array, --write all or none, and
 * --build-dockerfile / --runtime-dockerfile picking one pattern (RS116 when none uses the file).
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, caseInput, commitAll, snapshot, tempCopy } from '../helpers/fixtures.js';

function restage(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A repository with two services laid out as real ones are, and a folder with nothing to migrate. */
function monorepo(t: { teardown: (f: () => void) => void }, broken = false): string {
  const root = tempCopy();
  t.teardown(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.cpSync(caseInput('href-counter'), path.join(root, 'services', 'href counter'), { recursive: true });
  fs.cpSync(caseInput('layout-ci-script'), path.join(root, 'services', 'envdump'), { recursive: true });
  fs.cpSync(caseInput(broken ? 'bad-image-space' : 'hello-c'), path.join(root, 'tools-c'), { recursive: true });
  fs.mkdirSync(path.join(root, 'docs'));
  fs.writeFileSync(path.join(root, 'docs', 'Dockerfile'), 'FROM nginx\nCOPY . /usr/share/nginx/html\n');
  return root;
}

test('several patterns: one report section each in walk order, each Dockerfile under a header, exit 0, nothing written', (t) => {
  const root = monorepo(t);
  const before = snapshot(root);
  const r = restage(['migrate', '.'], root);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stderr, /^restage: 3 builder patterns, 3 migrated\n/);
  const sections = [...r.stderr.matchAll(/^restage: (.+): (migrated.*)$/gm)].map((m) => m[1]);
  t.deepEqual(sections, ['services/envdump', 'services/href counter', 'tools-c']);
  const headers = [...r.stdout.matchAll(/^==> (.+) <==$/gm)].map((m) => m[1]);
  t.deepEqual(headers, ['services/envdump/Dockerfile', 'services/href counter/Dockerfile', 'tools-c/Dockerfile']);
  t.regex(r.stdout, /COPY --from=builder/);
  t.deepEqual(snapshot(root), before);
});

test('--json on several patterns: an array of the one-pattern objects', (t) => {
  const root = monorepo(t);
  const r = restage(['migrate', '.', '--json'], root);
  t.is(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout) as { schemaVersion: number; status: string; directory: string }[];
  t.true(Array.isArray(json));
  t.deepEqual(
    json.map((o) => [o.schemaVersion, o.directory, o.status]),
    [
      [1, 'services/envdump', 'migrated'],
      [1, 'services/href counter', 'migrated'],
      [1, 'tools-c', 'needs-attention'],
    ],
  );
});

test('one pattern below DIR: the one object of old, for that directory', (t) => {
  const root = tempCopy();
  t.teardown(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.cpSync(caseInput('href-counter'), path.join(root, 'services', 'href counter'), { recursive: true });
  const r = restage(['migrate', '.', '--json'], root);
  t.is(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout) as { directory: string; status: string };
  t.false(Array.isArray(json));
  t.deepEqual([json.directory, json.status], ['services/href counter', 'migrated']);
});

test('--build-dockerfile picks the pattern that builds its builder from that file', (t) => {
  const root = monorepo(t);
  const r = restage(['migrate', '.', '--build-dockerfile', 'services/href counter/Dockerfile.build', '--json'], root);
  t.is(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout) as { directory: string; status: string };
  t.is(json.directory, 'services/href counter');
  t.is(json.status, 'migrated');
});

test('a Dockerfile no pattern uses in that role: exit 2, RS116 at the file, naming what restage found', (t) => {
  const root = monorepo(t);
  const r = restage(['migrate', '.', '--runtime-dockerfile', 'docs/Dockerfile'], root);
  t.is(r.code, 2, r.stderr);
  t.regex(
    r.stderr,
    /^docs\/Dockerfile:1:1 error RS116 --runtime-dockerfile docs\/Dockerfile: no builder pattern under \. builds it; restage found runtime dockerfiles services\/envdump\/Dockerfile, services\/href counter\/Dockerfile, tools-c\/Dockerfile$/m,
  );
  const role = restage(['migrate', 'tools-c', '--build-dockerfile', 'Dockerfile', '--script', 'build.sh'], root);
  t.is(role.code, 2, role.stderr);
  t.regex(
    role.stderr,
    /RS116 --build-dockerfile tools-c\/Dockerfile: the pipeline in tools-c uses it as its runtime dockerfile/,
  );
});

test('--write on several patterns writes every runtime Dockerfile when all migrate', (t) => {
  const root = monorepo(t);
  commitAll(root);
  const r = restage(['migrate', '.', '--write'], root);
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, '');
  for (const dir of ['services/envdump', 'services/href counter', 'tools-c']) {
    t.regex(fs.readFileSync(path.join(root, dir, 'Dockerfile'), 'utf8'), /COPY --from=builder/, dir);
    t.regex(r.stderr, new RegExp(`wrote: ${dir}/Dockerfile`));
  }
});

test('--write on several patterns writes none when one cannot be migrated (RS117 on the others, exit 2)', (t) => {
  const root = monorepo(t, true);
  commitAll(root);
  const before = snapshot(root);
  const r = restage(['migrate', '.', '--write', '--json'], root);
  t.is(r.code, 2, r.stderr);
  const json = JSON.parse(r.stdout) as { directory: string; written: string[]; diagnostics: { code: string }[] }[];
  t.deepEqual(
    json.map((o) => [o.directory, o.written.length, o.diagnostics.some((d) => d.code === 'RS117')]),
    [
      ['services/envdump', 0, true],
      ['services/href counter', 0, true],
      ['tools-c', 0, false],
    ],
  );
  t.deepEqual(snapshot(root), before);
});

test('verify on a tree with several patterns: exit 2 naming them, before any engine is asked', (t) => {
  const root = monorepo(t);
  const r = restage(['verify', '.', '--engine', 'podman', '--legacy', 'replay'], root);
  t.is(r.code, 2, r.stderr);
  t.regex(
    r.stderr,
    /\. holds 3 builder patterns \(services\/envdump, services\/href counter, tools-c\); verify proves one at a time: restage verify services\/envdump/,
  );
});
