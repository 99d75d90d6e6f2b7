/** The scan's walk: Dockerfile directories, .gitignore as git reads it, vendored folders and links never entered. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { candidates, type WalkStats } from '../../src/scan/walk.js';

function tree(t: { teardown: (f: () => void) => void }, files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-test-walk-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const walk = (root: string) => {
  const stats: WalkStats = { directories: 0, files: 0, unreadable: 0 };
  const found = [...candidates(root, stats)].map((c) => ({
    dir: path.relative(root, c.dir) || '.',
    dockerfiles: c.dockerfiles,
    orchestrated: c.orchestrated,
  }));
  return { found, stats };
};

test('directories with a Dockerfile, in name order, with whether something beside them may drive docker', (t) => {
  const root = tree(t, {
    Dockerfile: 'FROM x\n',
    'b/Dockerfile.build': 'FROM x\n',
    'b/build.sh': '',
    'a/app.Dockerfile': 'FROM x\n',
    'a/Makefile': '',
    'c/README.md': '',
    'c/d/Containerfile': '',
    'c/d/notes.txt': '',
  });
  const { found, stats } = walk(root);
  t.deepEqual(found, [
    { dir: '.', dockerfiles: ['Dockerfile'], orchestrated: false },
    { dir: 'a', dockerfiles: ['app.Dockerfile'], orchestrated: true },
    { dir: 'b', dockerfiles: ['Dockerfile.build'], orchestrated: true },
    { dir: 'c/d', dockerfiles: ['Containerfile'], orchestrated: false },
  ]);
  t.deepEqual(stats, { directories: 5, files: 8, unreadable: 0 });
});

test('vendored folders and what .gitignore files exclude are not entered; a nested .gitignore re-includes', (t) => {
  const root = tree(t, {
    '.gitignore': 'build/\n*.tmp\n',
    'node_modules/p/Dockerfile': '',
    'vendor/q/Dockerfile': '',
    '.git/Dockerfile': '',
    'build/Dockerfile': '',
    'src/build/Dockerfile': '',
    'x/Dockerfile.tmp': '',
    'y/.gitignore': '!Dockerfile.tmp\n',
    'y/Dockerfile.tmp': '',
  });
  t.deepEqual(
    walk(root).found.map((c) => c.dir),
    ['y'],
  );
});

test('a symbolic link to a directory is never followed, inside or outside the root', (t) => {
  const outside = tree(t, { Dockerfile: '', 'build.sh': '' });
  const root = tree(t, { 'in/Dockerfile': '' });
  fs.symlinkSync(outside, path.join(root, 'out-link'));
  fs.symlinkSync(path.join(root, 'in'), path.join(root, 'in-link'));
  fs.symlinkSync(path.join(outside, 'Dockerfile'), path.join(root, 'in', 'Dockerfile.build'));
  t.deepEqual(walk(root).found, [{ dir: 'in', dockerfiles: ['Dockerfile'], orchestrated: false }]);
});

test('an unreadable directory is counted and skipped', (t) => {
  if (process.getuid?.() === 0) {
    // root reads every directory: the count is shown through a directory removed mid-walk instead.
    const root = tree(t, { 'a/Dockerfile': '', 'b/Dockerfile': '' });
    const stats: WalkStats = { directories: 0, files: 0, unreadable: 0 };
    const seen: string[] = [];
    for (const c of candidates(root, stats)) {
      seen.push(path.basename(c.dir));
      fs.rmSync(path.join(root, 'b'), { recursive: true, force: true });
    }
    t.deepEqual(seen, ['a']);
    t.is(stats.unreadable, 1);
    return;
  }
  const root = tree(t, { 'a/Dockerfile': '', 'b/Dockerfile': '' });
  fs.chmodSync(path.join(root, 'b'), 0o000);
  t.teardown(() => fs.chmodSync(path.join(root, 'b'), 0o755));
  const { found, stats } = walk(root);
  t.deepEqual(
    found.map((c) => c.dir),
    ['a'],
  );
  t.is(stats.unreadable, 1);
});

test('a directory whose Dockerfiles and scripts live in its ci/, docker/… folders is a candidate; Dockerfiles there alone are not', (t) => {
  const root = tree(t, {
    'app/ci/build.sh': '',
    'app/docker/Dockerfile.build': 'FROM x\n',
    'lib/docker/Dockerfile': 'FROM x\n',
    'web/scripts/Dockerfile': 'FROM x\n',
    'web/scripts/release.sh': '',
    'web/src/Dockerfile': 'FROM x\n',
  });
  t.deepEqual(walk(root).found, [
    { dir: 'app', dockerfiles: [], orchestrated: true },
    { dir: 'app/docker', dockerfiles: ['Dockerfile.build'], orchestrated: false },
    { dir: 'lib/docker', dockerfiles: ['Dockerfile'], orchestrated: false },
    { dir: 'web', dockerfiles: [], orchestrated: true },
    { dir: 'web/scripts', dockerfiles: ['Dockerfile'], orchestrated: true },
    { dir: 'web/src', dockerfiles: ['Dockerfile'], orchestrated: false },
  ]);
});
