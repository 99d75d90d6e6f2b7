/**
 * package.json's lifecycle scripts, as pre-commit installs the hook (.pre-commit-hooks.yaml): `npm
 * install` in a clone builds dist/ (postinstall), and `npm pack` runs no script of ours. pre-commit
 * 3.0.4 (Debian 12's) takes `npm pack`'s whole stdout as the tarball's name, and npm 11 prints a
 * pack-time script's banner there (`> restage@0.1.0 prepare`): the install then fails with
 * ENOENT on a path holding the banner (seen with a `prepare` script; test/e2e/pre-commit.test.ts
 * runs the real install).
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, tempCopy } from '../helpers/fixtures.js';

const { scripts } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};

test('npm pack runs no script of the package', (t) => {
  t.deepEqual(
    Object.keys(scripts).filter((s) => ['prepack', 'prepare', 'postpack'].includes(s)),
    [],
  );
});

test('postinstall builds in a clone and does nothing where scripts/ is not (the installed package)', (t) => {
  t.regex(scripts.postinstall!, /scripts\/build\.mjs/);
  const dir = tempCopy();
  try {
    const r = spawnSync('sh', ['-c', scripts.postinstall!], { cwd: dir, encoding: 'utf8' });
    t.is(r.status, 0, r.stderr);
    t.deepEqual(fs.readdirSync(dir), []);
    // With a build script there, it is run.
    fs.mkdirSync(path.join(dir, 'scripts'));
    fs.writeFileSync(
      path.join(dir, 'scripts', 'build.mjs'),
      "import fs from 'node:fs';\nfs.writeFileSync('built', 'yes');\n",
    );
    const built = spawnSync('sh', ['-c', scripts.postinstall!], { cwd: dir, encoding: 'utf8' });
    t.is(built.status, 0, built.stderr);
    t.is(fs.readFileSync(path.join(dir, 'built'), 'utf8'), 'yes');
    fs.writeFileSync(path.join(dir, 'scripts', 'build.mjs'), "throw new Error('build failed');\n");
    t.not(spawnSync('sh', ['-c', scripts.postinstall!], { cwd: dir }).status, 0, 'a failed build fails the install');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
