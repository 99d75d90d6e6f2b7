/**
 * The restage-check hook (.pre-commit-hooks.yaml) run by the real pre-commit (Debian's;
 * scripts/engine.sh installs it): a fixture repository's .pre-commit-config.yaml names a git clone
 * of this repository (its work tree as it is, committed) by path, so pre-commit installs the hook
 * as it does from GitHub: `npm install` in the clone (the package builds itself: `postinstall`), `npm
 * pack`, `npm install -g` of the tarball, into an environment of the system node
 * (`language_version: system`: nothing is downloaded but packages). The hook fails with the
 * suggestion on a builder pattern's staged files and passes on a clean repository.
 * PRE_COMMIT_HOME is in the test's temp directory, removed with it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../helpers/fixtures.js';
import { e2eTest } from './helpers/engine.js';

const installed = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
const e2e = e2eTest(
  installed.status === 0 ? '' : 'pre-commit is not installed; install it with: bash scripts/engine.sh start',
);

function run(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.error) throw r.error;
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

function git(cwd: string, ...args: string[]) {
  const r = run('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', ...args], cwd);
  if (r.code !== 0) throw new Error(`git ${args.join(' ')}: ${r.out}`);
  return r.out;
}

/** A clone of this repository holding its work tree as it is (tracked and new files, committed). */
function cloneOfWorkTree(into: string): string {
  git(path.dirname(into), 'clone', '-q', ROOT, into);
  const files = git(ROOT, 'ls-files', '-z', '--cached', '--others', '--exclude-standard').split('\0');
  for (const file of files.filter(Boolean)) {
    const from = path.join(ROOT, file);
    const to = path.join(into, file);
    if (!fs.existsSync(from)) fs.rmSync(to, { force: true });
    else if (fs.lstatSync(from).isFile()) {
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(from, to);
      fs.chmodSync(to, fs.statSync(from).mode);
    }
  }
  git(into, 'add', '-A');
  git(into, 'commit', '-q', '--allow-empty', '-m', 'the work tree under test');
  return git(into, 'rev-parse', 'HEAD').trim();
}

/** A git repository of `files` with a .pre-commit-config.yaml using the hook, everything committed. */
function fixture(dir: string, files: Readonly<Record<string, string>>, repo: string, rev: string): void {
  fs.mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  fs.writeFileSync(
    path.join(dir, '.pre-commit-config.yaml'),
    `repos:\n  - repo: ${repo}\n    rev: ${rev}\n    hooks:\n      - id: restage-check\n        language_version: system\n`,
  );
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'fixture');
}

const sample = (name: string) => fs.readFileSync(path.join(ROOT, 'samples', 'href-counter', name), 'utf8');

e2e(
  'pre-commit runs restage-check: it fails with the suggestion on a builder pattern and passes on a clean repository',
  async (t) => {
    t.timeout(20 * 60_000);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-pre-commit-'));
    t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));
    const env = { PRE_COMMIT_HOME: path.join(tmp, 'home') };
    const clone = path.join(tmp, 'restage');
    const rev = cloneOfWorkTree(clone);

    const pattern = path.join(tmp, 'pattern');
    fixture(
      pattern,
      Object.fromEntries(['build.sh', 'Dockerfile.build', 'Dockerfile', 'app.go'].map((n) => [n, sample(n)])),
      clone,
      rev,
    );
    const fired = run(
      'pre-commit',
      ['run', '--files', 'build.sh', 'Dockerfile.build', 'Dockerfile', 'app.go'],
      pattern,
      env,
    );
    t.is(fired.code, 1, fired.out);
    t.regex(fired.out, /^restage check\.+Failed$/m);
    t.regex(fired.out, /restage: \.: suggests a migration/);
    t.regex(fired.out, /^-docker cp extract:\/go\/src\/github\.com\/alexellis\/href-counter\/app \.\/app$/m);
    t.regex(fired.out, /^\+COPY --from=builder /m);
    t.is(git(pattern, 'status', '--porcelain'), '', 'the hook changed no file');

    const clean = path.join(tmp, 'clean');
    fixture(
      clean,
      {
        Dockerfile: 'FROM busybox:latest\nCOPY app.sh /app.sh\nCMD ["/app.sh"]\n',
        'app.sh': '#!/bin/sh\necho hello\n',
        'build.sh': '#!/bin/sh\nset -e\ndocker build -t hello:latest .\n',
        'README.md': '# hello\n',
      },
      clone,
      rev,
    );
    const silent = run('pre-commit', ['run', '--all-files'], clean, env);
    t.is(silent.code, 0, silent.out);
    t.regex(silent.out, /^restage check\.+Passed$/m);
    t.notRegex(silent.out, /suggests/);
  },
);
