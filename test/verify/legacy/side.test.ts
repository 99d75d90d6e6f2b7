/** The legacy command: --legacy-cmd, else the build script through the interpreter its #! line names. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { findExecutable, legacyCommand } from '../../../src/verify/legacy/side.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-side-test-'));
test.after.always(() => fs.rmSync(dir, { recursive: true, force: true }));

const script = (name: string, text: string) => {
  fs.writeFileSync(path.join(dir, name), text);
  return path.join(dir, name);
};

const commands = test.macro({
  exec(t, first: string, expected: (file: string) => string[]) {
    const file = script(`s${first.length}.sh`, `${first}\ndocker build .\n`);
    t.deepEqual(
      legacyCommand({ root: dir, script: file, make: null }, { scriptArgs: ['v1'] })?.command,
      expected(file),
    );
  },
  title: (_p, first: string) => `#! line ${JSON.stringify(first)}`,
});
test(commands, '#!/bin/sh', (f) => ['/bin/sh', f, 'v1']);
test(commands, '#!/usr/bin/env bash', (f) => ['/usr/bin/env', 'bash', f, 'v1']);
test(commands, '#! /bin/bash -e', (f) => ['/bin/bash', '-e', f, 'v1']);
test(commands, '# no shebang here', (f) => ['sh', f, 'v1']);

test('--legacy-cmd runs with sh -c, in --legacy-cwd (relative to the current directory) or the directory', (t) => {
  t.deepEqual(legacyCommand({ root: dir, script: null, make: null }, { legacyCmd: 'make image' }), {
    command: ['sh', '-c', 'make image'],
    cwd: dir,
  });
  t.is(
    legacyCommand({ root: dir, script: null, make: null }, { legacyCmd: 'make', legacyCwd: 'sub' })?.cwd,
    path.resolve('sub'),
  );
});

test('a Makefile orchestrator runs as make -f MAKEFILE VAR=value… GOAL in the directory', (t) => {
  const file = script('Makefile', 'image:\n\tdocker build .\n');
  t.deepEqual(legacyCommand({ root: dir, script: file, make: { goal: 'image', args: ['TAG=2'] } }, {}), {
    command: ['make', '-f', file, 'TAG=2', 'image'],
    cwd: dir,
  });
});

test('a package.json orchestrator runs as npm run NAME in the package directory, unless --legacy-cwd says where', (t) => {
  fs.mkdirSync(path.join(dir, 'pkg'), { recursive: true });
  const file = script('pkg/package.json', '{"scripts": {"image": "docker build ."}}');
  const migration = { root: dir, script: file, make: null, npm: { script: 'image', packages: [] } };
  t.deepEqual(legacyCommand(migration, {}), { command: ['npm', 'run', 'image'], cwd: path.join(dir, 'pkg') });
  t.is(legacyCommand(migration, { legacyCwd: dir })?.cwd, dir);
});

test('a JS build script runs with node, a TS one with tsx', (t) => {
  const js = script('build.mjs', "import { execSync } from 'node:child_process';\n");
  t.deepEqual(legacyCommand({ root: dir, script: js, make: null }, {})?.command, ['node', js]);
  const tsFile = script('build.ts', "import { execSync } from 'node:child_process';\n");
  t.deepEqual(legacyCommand({ root: dir, script: tsFile, make: null }, {})?.command, [
    'npx',
    '--no-install',
    'tsx',
    tsFile,
  ]);
});

test('the argument restage chose for a case "$1" dispatch is given to the script, unless --script-arg gives others', (t) => {
  const file = script('d.sh', '#!/bin/sh\ncase "$1" in build) docker build .;; esac\n');
  const migration = { root: dir, script: file, make: null, scriptArgs: ['build'] };
  t.deepEqual(legacyCommand(migration, {})?.command, ['/bin/sh', file, 'build']);
  t.deepEqual(legacyCommand(migration, { scriptArgs: ['other'] })?.command, ['/bin/sh', file, 'other']);
});

test('without a script or --legacy-cmd there is nothing to run', (t) => {
  t.is(legacyCommand({ root: dir, script: null, make: null }, {}), null);
});

test('findExecutable walks PATH and skips what is not an executable file', (t) => {
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(path.join(bin, 'tool'), '#!/bin/sh\n', { mode: 0o755 });
  fs.writeFileSync(path.join(bin, 'plain'), 'x', { mode: 0o644 });
  t.is(findExecutable('tool', `/nonexistent:${bin}`), path.join(bin, 'tool'));
  t.is(findExecutable('plain', bin), null);
  t.is(findExecutable('/abs/docker', bin), '/abs/docker');
});
