/** `restage scan` as a user runs it: the table on stdout, the summary and reasons on stderr, JSON, exit codes, nothing written. */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, caseInput } from '../helpers/fixtures.js';

function restage(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tree(t: { teardown: (f: () => void) => void }): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-test-scan-cli-'));
  t.teardown(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.cpSync(caseInput('href-counter'), path.join(root, 'apps', 'href counter'), { recursive: true });
  fs.cpSync(caseInput('make-orchestrator'), path.join(root, 'ci'), { recursive: true });
  fs.cpSync(caseInput('add-tar-declined-copy'), path.join(root, 'web'), { recursive: true });
  return root;
}

const listing = (dir: string) => fs.readdirSync(dir, { recursive: true, withFileTypes: false }).sort();

test('the table lists each pattern; the summary and the first reasons go to stderr; exit 0; nothing written', (t) => {
  const root = tree(t);
  const before = listing(root);
  const r = restage(['scan', '.'], root);
  t.is(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  t.regex(lines[0]!, /^DIRECTORY +BUILD DOCKERFILE +ORCHESTRATOR +ROUTE +STATUS$/);
  t.regex(
    lines[1]!,
    /^apps\/href counter +apps\/href counter\/Dockerfile\.build +apps\/href counter\/build\.sh +docker cp +migratable$/,
  );
  t.regex(lines[2]!, /^ci +ci\/Dockerfile\.build +ci\/Makefile +docker cp +migratable$/);
  t.regex(lines[3]!, /^web +- +web\/build\.sh +- +needs-attention \(RS344\)$/);
  t.is(lines.length, 4);
  t.regex(
    r.stderr,
    /scanned \d+ directories \(\d+ files\) under \.: 3 builder patterns, 2 migratable, 1 needs attention/,
  );
  t.regex(r.stderr, /\n {2}web\/Dockerfile:2:6 error RS344 /);
  t.deepEqual(listing(root), before);
});

test('--json: the same as one object, patterns with their first reason as a located diagnostic', (t) => {
  const root = tree(t);
  const r = restage(['scan', root, '--json'], os.tmpdir());
  t.is(r.code, 0);
  t.is(r.stderr, '');
  const json = JSON.parse(r.stdout) as {
    command: string;
    patterns: {
      directory: string;
      status: string;
      route: string | null;
      reason: { code: string; line: number } | null;
    }[];
  };
  t.is(json.command, 'scan');
  t.deepEqual(
    json.patterns.map((p) => [path.basename(p.directory), p.status, p.route, p.reason?.code ?? null]),
    [
      ['href counter', 'migratable', 'docker cp', null],
      ['ci', 'migratable', 'docker cp', null],
      ['web', 'needs-attention', null, 'RS344'],
    ],
  );
});

test('a ROOT that is no directory: exit 2 with a located diagnostic, in JSON too', (t) => {
  const r = restage(['scan', 'no/such/dir'], os.tmpdir());
  t.is(r.code, 2);
  t.regex(r.stderr, /^restage: no\/such\/dir:1:1 error RS101 /);
  const j = restage(['scan', 'no/such/dir', '--json'], os.tmpdir());
  t.is(j.code, 2);
  t.is((JSON.parse(j.stdout) as { diagnostics: { code: string }[] }).diagnostics[0]!.code, 'RS101');
  t.is(restage(['scan'], os.tmpdir()).code, 2);
});

test('an empty tree: no table, a summary that says so', (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-test-scan-cli-'));
  t.teardown(() => fs.rmSync(root, { recursive: true, force: true }));
  const r = restage(['scan', '.'], root);
  t.is(r.code, 0);
  t.is(r.stdout, '');
  t.regex(r.stderr, /scanned 1 directory \(0 files\) under \.: no builder pattern/);
});
