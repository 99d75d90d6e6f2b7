/**
 * hostKinds: the snapshot's kinds, read through the confinement: a file, a directory, a refused
 * path (outside, a link out, a FIFO); a missing path is left out.
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Confinement } from '../../src/discover/confine.js';
import { contextEntries, hostKinds } from '../../src/discover/host.js';

test('each path once: file, dir or refused; a missing one is not listed', (t) => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-host-'));
  t.teardown(() => fs.rmSync(parent, { recursive: true, force: true }));
  const dir = path.join(parent, 'repo');
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'go.mod'), 'module x\n');
  fs.writeFileSync(path.join(parent, 'secret'), 'x\n');
  fs.symlinkSync(path.join(parent, 'secret'), path.join(dir, 'link'));
  execFileSync('mkfifo', [path.join(dir, 'fifo')]);
  const at = (name: string) => path.join(dir, name);
  const kinds = hostKinds(new Confinement(dir), [
    dir,
    at('src'),
    at('go.mod'),
    at('link'),
    at('fifo'),
    at('none'),
    path.join(parent, 'secret'),
  ]);
  t.deepEqual(
    [...kinds],
    [
      [dir, 'dir'],
      [at('src'), 'dir'],
      [at('go.mod'), 'file'],
      [at('link'), 'refused'],
      [at('fifo'), 'refused'],
      [path.join(parent, 'secret'), 'refused'],
    ],
  );
});

test('contextEntries: every path below the directory, links not followed, nothing outside the confinement', (t) => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-host-'));
  t.teardown(() => fs.rmSync(parent, { recursive: true, force: true }));
  const dir = path.join(parent, 'repo');
  fs.mkdirSync(path.join(dir, 'docker', 'empty'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'docker', 'notes.txt'), 'x\n');
  fs.writeFileSync(path.join(dir, '.dockerignore'), '*.log\n');
  fs.mkdirSync(path.join(parent, 'out'));
  fs.writeFileSync(path.join(parent, 'out', 'secret'), 'x\n');
  fs.symlinkSync(path.join(parent, 'out'), path.join(dir, 'link'));
  const confinement = new Confinement(dir);
  t.deepEqual(contextEntries(confinement, dir), [
    '.dockerignore',
    'docker',
    'docker/empty',
    'docker/notes.txt',
    'link',
  ]);
  t.deepEqual(contextEntries(confinement, path.join(dir, 'docker')), ['empty', 'notes.txt']);
  t.deepEqual(contextEntries(confinement, path.join(dir, 'link')), [], 'a link out of the directory is not walked');
  t.deepEqual(contextEntries(confinement, path.join(dir, 'none')), []);
});
