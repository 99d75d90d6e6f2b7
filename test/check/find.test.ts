/** Where `restage check` looks, decided from names alone: a directory is a tree, a file its pattern's directory. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { checkTargets } from '../../src/check/find.js';

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-check-find-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

const PATTERN = {
  Dockerfile: 'FROM busybox\nCOPY app /app\n',
  'docker/Dockerfile.build': 'FROM busybox\nRUN echo > /app\n',
  'ci/build.sh': 'docker build -t b -f docker/Dockerfile.build .\n',
  'README.md': '# x\n',
};

test('a file in ci/ or docker/ belongs to the directory above; a file elsewhere of no pattern is dropped', (t) => {
  const root = tree(PATTERN);
  t.teardown(() => fs.rmSync(root, { recursive: true, force: true }));
  const got = checkTargets(['ci/build.sh', 'docker/Dockerfile.build', 'README.md'], root);
  if ('missing' in got) return t.fail(got.missing);
  t.deepEqual(got.trees, []);
  t.deepEqual([...got.dirs.keys()], [root]);
  t.deepEqual([...got.dirs.get(root)!.files].sort(), [
    path.join(root, 'ci', 'build.sh'),
    path.join(root, 'docker', 'Dockerfile.build'),
  ]);
});

test('a directory given is a tree when something below may be a pattern; a missing path is named', (t) => {
  const root = tree(PATTERN);
  const clean = tree({ 'main.go': 'package main\n', 'README.md': '# y\n' });
  t.teardown(() => [root, clean].forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const got = checkTargets(['.'], root);
  if ('missing' in got) return t.fail(got.missing);
  t.deepEqual(got.trees, [root]);
  const none = checkTargets(['.'], clean);
  if ('missing' in none) return t.fail(none.missing);
  t.deepEqual([none.trees, [...none.dirs.keys()]], [[], []]);
  t.deepEqual(checkTargets(['nope.sh'], root), { missing: 'nope.sh' });
});
