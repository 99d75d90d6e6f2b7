/**
 * `restage migrate --write --remove-legacy` end to end: golden cases (a CI script in ci/; a Makefile
 * that runs a script holding the pattern; a pattern split over a recipe and a script; a script that
 * runs another) are migrated in a temporary git repository, the REWRITTEN orchestrator is run for
 * real against the engine, and the one image it tags holds the artifact; `restage verify` judges the
 * written Dockerfile `equivalent` to the legacy flow of the original tree. Everything the test tags
 * is named `restage-e2etest-write-<pid>` and removed at the end, with every image made meanwhile.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, MIGRATE_FIXTURES, ROOT } from '../helpers/fixtures.js';
import { client, e2eTest, unavailable } from './helpers/engine.js';
import { env, verifyJson } from './helpers/verify-run.js';

const BASE = 'testbase/busybox:latest';
const e2e = e2eTest(await unavailable([BASE]));
const NAME = `restage-e2etest-write-${process.pid}`;
const docker = (...args: string[]) => spawnSync(client ?? 'docker', args, { encoding: 'utf8', env });

/**
 * A copy of the layout-ci-script case, as a user's tree: its base image the test image, its
 * image names this test's own.
 */
function caseCopy(into: string): string {
  const dir = path.join(into, 'tree');
  fs.cpSync(path.join(MIGRATE_FIXTURES, 'layout-ci-script', 'input'), dir, { recursive: true });
  for (const f of ['Dockerfile', 'Dockerfile.build', 'ci/build.sh']) {
    const file = path.join(dir, f);
    fs.writeFileSync(
      file,
      fs.readFileSync(file, 'utf8').replaceAll('busybox:latest', BASE).replaceAll('acme/tool', NAME),
    );
  }
  return dir;
}

function git(dir: string, ...args: string[]) {
  return spawnSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', ...args], {
    cwd: dir,
    encoding: 'utf8',
  });
}

e2e(
  'migrate --write --remove-legacy: the rewritten script builds one image with the tag it had, holding the artifact',
  async (t) => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-test-write-'));
    // The rewritten script's multi-stage build leaves its builder stage untagged (the classic
    // builder keeps each stage's last image): every image made during the test goes with it.
    const images = () => new Set(docker('images', '--all', '--quiet', '--no-trunc').stdout.split('\n').filter(Boolean));
    const before = images();
    t.teardown(() => {
      docker('rm', '-f', 'tool-x');
      docker('rmi', '-f', `${NAME}:latest`, `${NAME}:build`);
      const made = [...images()].filter((id) => !before.has(id));
      if (made.length > 0) docker('rmi', '-f', ...made);
      fs.rmSync(scratch, { recursive: true, force: true });
    });
    const original = caseCopy(path.join(scratch, 'original'));
    const work = caseCopy(path.join(scratch, 'work'));
    git(work, 'init', '-q');
    git(work, 'add', '-A');
    git(work, 'commit', '-qm', 'legacy');

    const migrated = spawnSync(process.execPath, [BIN, 'migrate', work, '--write', '--remove-legacy', '--json'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    t.is(migrated.status, 0, migrated.stdout);
    const json = JSON.parse(migrated.stdout) as { written: string[]; removed: string[] };
    t.deepEqual(
      json.written.map((w) => path.relative(work, path.resolve(ROOT, w))),
      ['Dockerfile', 'ci/build.sh'],
    );
    t.deepEqual(
      json.removed.map((w) => path.relative(work, path.resolve(ROOT, w))),
      ['Dockerfile.build'],
    );
    t.is(
      fs.readFileSync(path.join(work, 'ci', 'build.sh'), 'utf8'),
      [
        '#!/bin/sh',
        '# Run by CI from the repository root as ./ci/build.sh.',
        'set -e',
        'cd "$(dirname "$0")/.."',
        `docker build -t ${NAME}:latest .`,
        '',
      ].join('\n'),
    );
    t.true((fs.statSync(path.join(work, 'ci', 'build.sh')).mode & 0o111) !== 0, 'the script stays executable');

    // The written Dockerfile, judged against the legacy flow of the original tree.
    fs.copyFileSync(path.join(work, 'Dockerfile'), path.join(original, 'Dockerfile.migrated'));
    const verified = verifyJson([
      original,
      '--legacy',
      'run',
      '--dockerfile',
      path.join(original, 'Dockerfile.migrated'),
    ]);
    t.is(verified.json.status, 'equivalent', JSON.stringify(verified.json.differences ?? verified.json.failure));

    // The rewritten script, run for real from the repository root as CI runs it, `docker` being the engine's client.
    const bin = path.join(scratch, 'bin');
    fs.mkdirSync(bin);
    fs.symlinkSync(fs.realpathSync(client ?? '/usr/bin/docker'), path.join(bin, 'docker'));
    docker('rmi', '-f', `${NAME}:latest`, `${NAME}:build`);
    const run = spawnSync('./ci/build.sh', [], {
      cwd: work,
      encoding: 'utf8',
      env: { ...env, PATH: `${bin}:${process.env.PATH ?? ''}` },
    });
    t.is(run.status, 0, run.stderr);
    const tagged = docker('images', '--format', '{{.Repository}}:{{.Tag}}', NAME).stdout.split('\n').filter(Boolean);
    t.deepEqual(tagged, [`${NAME}:latest`], 'one image, with the tag the script gave it; no builder image');
    t.is(docker('ps', '--all', '--quiet', '--filter', 'name=tool-x').stdout.trim(), '', 'no container left');
    t.false(fs.existsSync(path.join(work, 'tool')), 'no artifact extracted on the host');
    const ran = docker('run', '--rm', `${NAME}:latest`);
    t.is(ran.stdout, 'tool ok\n', ran.stderr);
    t.is(git(work, 'status', '--porcelain').stdout, ' M Dockerfile\n D Dockerfile.build\n M ci/build.sh\n');
  },
);

/**
 * A copy of a golden case whose orchestrator runs a script, as a user's tree: its base image the test
 * image, its image names this test's own (`acme/x` → `<NAME>-x`).
 */
function makeCaseCopy(name: string, into: string, files: readonly string[]): string {
  const dir = path.join(into, 'tree');
  fs.cpSync(path.join(MIGRATE_FIXTURES, name, 'input'), dir, { recursive: true });
  for (const f of files) {
    const file = path.join(dir, f);
    fs.writeFileSync(
      file,
      fs
        .readFileSync(file, 'utf8')
        .replaceAll('busybox:latest', BASE)
        .replace(/acme\/([a-z]+)/g, `${NAME}-$1`),
    );
  }
  return dir;
}

interface MakeCase {
  readonly name: string;
  readonly files: readonly string[];
  /** The files --write writes, and those it removes. */
  readonly written: readonly string[];
  readonly removed: readonly string[];
  /** How the user runs the rewritten tree. */
  readonly run: readonly string[];
  /** A test line the rewrite kept runs the image. */
  readonly tests: boolean;
  /** The images `make` tags on the rewritten tree (no builder image among them). */
  readonly tags: readonly string[];
  readonly container: string;
  readonly artifact: string;
  /** What the runtime image prints. */
  readonly prints: string;
}

const MAKE_CASES: readonly MakeCase[] = [
  {
    name: 'make-runs-script',
    files: ['Dockerfile', 'Dockerfile.build', 'ci/build.sh'],
    written: ['Dockerfile', 'ci/build.sh'],
    removed: ['Dockerfile.build'],
    run: ['make'],
    tests: true,
    tags: [`${NAME}-words:1.0`, `${NAME}-words:latest`],
    container: 'words-x',
    artifact: 'words',
    prints: 'words ok\n',
  },
  {
    name: 'make-script-split',
    files: ['Dockerfile', 'docker/Dockerfile.build', 'ci/extract.sh', 'Makefile'],
    written: ['Dockerfile', 'Makefile', 'ci/extract.sh'],
    removed: ['docker/Dockerfile.build'],
    run: ['make'],
    tests: true,
    tags: [`${NAME}-greet:1.0`],
    container: 'greet-x',
    artifact: 'greet',
    prints: 'hello greet\n',
  },
  {
    // build.sh runs scripts/builder.sh, which holds the builder steps: it is left running nothing,
    // no longer run, and removed.
    name: 'scripts-source-and-call',
    files: ['Dockerfile', 'Dockerfile.build', 'scripts/builder.sh', 'scripts/env.sh'],
    written: ['Dockerfile', 'build.sh'],
    removed: ['Dockerfile.build', 'scripts/builder.sh'],
    run: ['./build.sh'],
    tests: false,
    tags: [`${NAME}-tool:latest`],
    container: 'tool-x',
    artifact: 'tool',
    prints: 'tool ok\n',
  },
];

for (const c of MAKE_CASES) {
  e2e(
    `migrate --write --remove-legacy on ${c.name}: \`${c.run.join(' ')}\` on the rewritten tree builds the one image, equivalent to the legacy one`,
    async (t) => {
      const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-test-write-'));
      const images = () =>
        new Set(docker('images', '--all', '--quiet', '--no-trunc').stdout.split('\n').filter(Boolean));
      const before = images();
      const repository = c.tags[0]!.split(':')[0]!;
      t.teardown(() => {
        docker('rm', '-f', c.container);
        docker('rmi', '-f', ...c.tags, `${repository}:build`);
        const made = [...images()].filter((id) => !before.has(id));
        if (made.length > 0) docker('rmi', '-f', ...made);
        fs.rmSync(scratch, { recursive: true, force: true });
      });
      const original = makeCaseCopy(c.name, path.join(scratch, 'original'), c.files);
      const work = makeCaseCopy(c.name, path.join(scratch, 'work'), c.files);
      git(work, 'init', '-q');
      git(work, 'add', '-A');
      git(work, 'commit', '-qm', 'legacy');

      const migrated = spawnSync(process.execPath, [BIN, 'migrate', work, '--write', '--remove-legacy', '--json'], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      t.is(migrated.status, 0, migrated.stdout);
      const json = JSON.parse(migrated.stdout) as { written: string[]; removed: string[] };
      t.deepEqual(
        json.written.map((w) => path.relative(work, path.resolve(ROOT, w))),
        c.written,
      );
      t.deepEqual(
        json.removed.map((w) => path.relative(work, path.resolve(ROOT, w))),
        c.removed,
      );

      // The written Dockerfile, judged against the legacy flow (`make`) of the original tree.
      fs.copyFileSync(path.join(work, 'Dockerfile'), path.join(original, 'Dockerfile.migrated'));
      const verified = verifyJson([
        original,
        '--legacy',
        'run',
        '--dockerfile',
        path.join(original, 'Dockerfile.migrated'),
      ]);
      t.is(verified.json.status, 'equivalent', JSON.stringify(verified.json.differences ?? verified.json.failure));

      // The rewritten tree, run for real, `docker` being the engine's client.
      const bin = path.join(scratch, 'bin');
      fs.mkdirSync(bin);
      fs.symlinkSync(fs.realpathSync(client ?? '/usr/bin/docker'), path.join(bin, 'docker'));
      docker('rmi', '-f', ...c.tags, `${repository}:build`);
      const made = spawnSync(c.run[0]!, c.run.slice(1), {
        cwd: work,
        encoding: 'utf8',
        env: { ...env, PATH: `${bin}:${process.env.PATH ?? ''}` },
      });
      t.is(made.status, 0, made.stderr);
      // The test line the rewrite kept ran the new image.
      if (c.tests) t.true(made.stdout.includes(c.prints), made.stdout);
      const tagged = docker('images', '--format', '{{.Repository}}:{{.Tag}}', repository)
        .stdout.split('\n')
        .filter(Boolean)
        .sort();
      t.deepEqual(tagged, [...c.tags].sort(), 'the tags the legacy flow gave; no builder image');
      t.is(docker('ps', '--all', '--quiet', '--filter', `name=${c.container}`).stdout.trim(), '', 'no container left');
      t.false(fs.existsSync(path.join(work, c.artifact)), 'no artifact extracted on the host');
      const ran = docker('run', '--rm', c.tags[0]!);
      t.is(ran.stdout, c.prints, ran.stderr);
    },
  );
}
