/**
 * `restage migrate --write` on the orchestrator and `--remove-legacy`, on temporary git repositories:
 * the script or Makefile rewritten to the one build, the obsolete build Dockerfile removed, every
 * refusal writing nothing, a failed second write rolled back, and the usage error.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runMigrate } from '../../src/cli/migrate.js';
import { BIN, MIGRATE_FIXTURES, ROOT, snapshot, tempCopy } from '../helpers/fixtures.js';

function restage(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function git(dir: string, ...args: string[]) {
  return spawnSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', ...args], {
    cwd: dir,
    encoding: 'utf8',
  });
}

/** A copy of `from` as a git work tree with everything committed. */
function repo(t: { teardown(f: () => void): void }, from: string): string {
  const dir = tempCopy(from);
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'legacy');
  return dir;
}

interface Json {
  status: string;
  written: string[];
  removed?: string[];
  diagnostics: { code: string; file: string; line: number; message: string }[];
}

const WELCOME = path.join(ROOT, 'samples', 'welcome');
const MAKE = path.join(MIGRATE_FIXTURES, 'make-orchestrator', 'input');

test('--write on a script: the Dockerfile and the script are written, the builder-pattern lines gone, the rest as it was', (t) => {
  const dir = repo(t, WELCOME);
  const r = restage(['migrate', dir, '--write']);
  t.is(r.code, 0, r.stderr);
  t.is(
    fs.readFileSync(path.join(dir, 'build.sh'), 'utf8'),
    [
      '#!/bin/sh',
      'echo "Creating welcome builder image"',
      'echo "Creating welcome runtime image"',
      'docker image build -t welcome-runtime:v1 .',
      '',
    ].join('\n'),
  );
  t.regex(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), /COPY --from=builder/);
  t.true(fs.existsSync(path.join(dir, 'Dockerfile.build')), 'the build Dockerfile stays without --remove-legacy');
  t.regex(r.stderr, /wrote: .*\/Dockerfile, .*\/build\.sh\n/);
  t.regex(r.stderr, /build\.sh:4:1 info RS612 rewrote .*build\.sh: 5 lines of the builder pattern removed/);
  t.notRegex(r.stderr, /removed:/);
  t.is(
    fs.statSync(path.join(dir, 'build.sh')).mode & 0o7777,
    fs.statSync(path.join(WELCOME, 'build.sh')).mode & 0o7777,
  );
  // git can give both back: no backup beside them.
  t.deepEqual(
    fs.readdirSync(dir).filter((n) => n.endsWith('.orig') || n.includes('.restage-')),
    [],
  );
  t.is(git(dir, 'status', '--porcelain').stdout, ' M Dockerfile\n M build.sh\n');
});

test('--write --remove-legacy on a Makefile: recipes keep their tab, other targets stay, the build Dockerfile is removed', (t) => {
  const dir = repo(t, MAKE);
  const r = restage(['migrate', dir, '--write', '--remove-legacy', '--json']);
  t.is(r.code, 0, r.stdout);
  const json = JSON.parse(r.stdout) as Json;
  t.deepEqual(
    json.written.map((w) => path.relative(dir, w)),
    ['Dockerfile', 'Makefile'],
  );
  t.deepEqual(
    json.removed?.map((w) => path.relative(dir, w)),
    ['Dockerfile.build'],
  );
  t.true(json.diagnostics.some((d) => d.code === 'RS613' && d.file.endsWith('Dockerfile.build')));
  t.false(fs.existsSync(path.join(dir, 'Dockerfile.build')));
  // The recipes of `make all` lose their pattern lines; the clean target, never followed, stays.
  t.is(
    fs.readFileSync(path.join(dir, 'Makefile'), 'utf8'),
    [
      'IMAGE     ?= saltmarsh/envdump',
      'TAG       ?= 0.2.0',
      'CONTAINER := envdump-extract',
      '',
      '.PHONY: all image builder extract clean',
      '',
      'all: image',
      '',
      'builder:',
      '',
      'extract: builder',
      '',
      'image: extract',
      '\tdocker build -t $(IMAGE):$(TAG) .',
      '',
      'clean:',
      '\t-docker rm -f $(CONTAINER) 2>/dev/null',
      '\trm -f ./envdump',
      '',
    ].join('\n'),
  );
  t.is(git(dir, 'status', '--porcelain').stdout, ' M Dockerfile\n D Dockerfile.build\n M Makefile\n');
  // What was written is a migrated tree: nothing left to migrate.
  t.is((JSON.parse(restage(['migrate', dir, '--json']).stdout) as Json).status, 'nothing-to-migrate');
});

test('--remove-legacy refuses (RS611, exit 2) when another file still names the build Dockerfile; nothing is written', (t) => {
  const dir = tempCopy(WELCOME);
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dir, 'ci'));
  fs.writeFileSync(path.join(dir, 'ci', 'lint.sh'), '#!/bin/sh\n# checks\nhadolint Dockerfile.build\n');
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'legacy');
  const before = snapshot(dir, { modes: true });
  const r = restage(['migrate', dir, '--write', '--remove-legacy']);
  t.is(r.code, 2);
  t.regex(
    r.stderr,
    /ci\/lint\.sh:3:10 error RS611 not removing .*Dockerfile\.build: .*ci\/lint\.sh still names it \(`hadolint Dockerfile\.build`\); nothing was written/,
  );
  t.deepEqual(snapshot(dir, { modes: true }), before);
  // Without --remove-legacy the write goes through and the file stays.
  t.is(restage(['migrate', dir, '--write']).code, 0);
  t.true(fs.existsSync(path.join(dir, 'Dockerfile.build')));
});

test('a step that cannot be removed cleanly: RS610 located in the script, exit 2, nothing written; --out still writes the Dockerfile alone', (t) => {
  const dir = tempCopy(WELCOME);
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const script = path.join(dir, 'build.sh');
  fs.writeFileSync(
    script,
    fs
      .readFileSync(script, 'utf8')
      .replace(
        'docker container cp welcome-builder-container:/myapp/welcome .',
        'docker container cp welcome-builder-container:/myapp/welcome . && date',
      ),
  );
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'legacy');
  const before = snapshot(dir, { modes: true });
  const r = restage(['migrate', dir, '--write', '--remove-legacy', '--json']);
  t.is(r.code, 2);
  const json = JSON.parse(r.stdout) as Json;
  t.is(json.status, 'error');
  t.deepEqual(json.written, []);
  const d = json.diagnostics.find((x) => x.code === 'RS610');
  if (!d) return t.fail(r.stdout);
  t.true(d.file.endsWith('build.sh'));
  t.is(d.line, 5);
  t.regex(d.message, /shares its statement with `date`.*nothing was written.*--out/);
  t.deepEqual(snapshot(dir, { modes: true }), before);
  const out = restage(['migrate', dir, '--out', path.join(dir, 'Dockerfile')]);
  t.is(out.code, 0, out.stderr);
  t.is(git(dir, 'status', '--porcelain').stdout, ' M Dockerfile\n');
});

test('a script git cannot restore: RS601 names it, nothing is written (the Dockerfile neither); --force keeps build.sh.orig', (t) => {
  const dir = repo(t, WELCOME);
  fs.appendFileSync(path.join(dir, 'build.sh'), 'echo done\n');
  const before = snapshot(dir, { modes: true });
  const r = restage(['migrate', dir, '--write']);
  t.is(r.code, 2);
  t.regex(
    r.stderr,
    /build\.sh:1:1 error RS601 not overwriting .*build\.sh: it has uncommitted changes; commit it first.*--force.*; nothing was written/,
  );
  t.deepEqual(snapshot(dir, { modes: true }), before);

  const forced = restage(['migrate', dir, '--write', '--force']);
  t.is(forced.code, 0, forced.stderr);
  t.is(
    fs.readFileSync(path.join(dir, 'build.sh.orig'), 'utf8'),
    fs.readFileSync(path.join(WELCOME, 'build.sh'), 'utf8') + 'echo done\n',
  );
  t.regex(
    fs.readFileSync(path.join(dir, 'build.sh'), 'utf8'),
    /docker image build -t welcome-runtime:v1 \.\necho done\n$/,
  );
  t.false(fs.existsSync(path.join(dir, 'Dockerfile.orig')), 'git can restore the Dockerfile');
});

test('--force --remove-legacy outside git: every file changed or removed is kept as NAME.orig first', (t) => {
  const dir = tempCopy(WELCOME);
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const original = snapshot(dir, { modes: true });
  const r = runMigrate(dir, { write: true, removeLegacy: true, force: true, displayBase: dir });
  t.is(r.exitCode, 0, JSON.stringify(r.result.diagnostics));
  t.deepEqual(r.result.written, ['Dockerfile', 'build.sh']);
  t.deepEqual(r.result.removed, ['Dockerfile.build']);
  for (const name of ['Dockerfile', 'build.sh', 'Dockerfile.build'])
    t.is(
      `${fs.statSync(path.join(dir, `${name}.orig`)).mode}:${fs.readFileSync(path.join(dir, `${name}.orig`), 'base64')}`,
      original.get(name)!,
    );
  t.true(r.result.diagnostics.some((d) => d.code === 'RS605' && /before removing it/.test(d.message)));
});

test('a failed second write is rolled back: the Dockerfile is as it was, no temp file, no backup (RS602, exit 2)', (t) => {
  for (const failOn of ['build.sh', 'Dockerfile.build']) {
    const dir = tempCopy(WELCOME);
    t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
    const before = snapshot(dir, { modes: true });
    const r = runMigrate(dir, {
      write: true,
      removeLegacy: true,
      force: true,
      displayBase: dir,
      beforeChange: (file) => {
        if (path.basename(file) === failOn) throw new Error('disk full');
      },
    });
    t.is(r.exitCode, 2);
    const d = r.result.diagnostics.find((x) => x.code === 'RS602');
    if (!d) return t.fail(JSON.stringify(r.result.diagnostics));
    t.is(d.file, failOn);
    t.regex(d.message, /disk full; nothing was written \(the files already changed were put back\)/);
    t.deepEqual(r.result.written, []);
    t.deepEqual(snapshot(dir, { modes: true }), before, `failing on ${failOn}`);
  }
});

test('--remove-legacy without --write is a usage error (exit 2), as text and as JSON', (t) => {
  const r = restage(['migrate', WELCOME, '--remove-legacy']);
  t.is(r.code, 2);
  t.regex(r.stderr, /^flag --remove-legacy needs --write \(or --diff\)\nSee 'restage migrate --help'\.\n$/);
  t.is(r.stdout, '');
  const json = restage(['migrate', WELCOME, '--remove-legacy', '--out', 'x', '--json']);
  t.is(json.code, 2);
  const parsed = JSON.parse(json.stdout) as { status: string; diagnostics: { code: string; message: string }[] };
  t.is(parsed.status, 'usage-error');
  t.is(parsed.diagnostics[0]?.code, 'RS100');
  t.false(fs.existsSync(path.join(ROOT, 'x')));
});

test('--help names --remove-legacy and says what --write now writes', (t) => {
  const r = restage(['migrate', '--help']);
  t.is(r.code, 0);
  const flat = r.stdout.replace(/\s+/g, ' ');
  t.regex(flat, /--remove-legacy with --write: also remove the legacy build Dockerfiles/);
  t.regex(flat, /--write replace the runtime Dockerfile in place and rewrite the build script or Makefile/);
});

const SUBDIR = path.join(MIGRATE_FIXTURES, 'layout-dockerignore-subdir', 'input');
const STAGING = path.join(MIGRATE_FIXTURES, 'layout-dockerignore-staging', 'input');

test('--write writes the merged context’s new .dockerignore with the Dockerfile and the script', (t) => {
  const dir = repo(t, SUBDIR);
  const r = restage(['migrate', dir, '--write', '--json']);
  t.is(r.code, 0, r.stdout);
  const json = JSON.parse(r.stdout) as Json & { dockerignore: { path: string; text: string; exists: boolean } };
  t.deepEqual(
    json.written.map((w) => path.relative(dir, path.resolve(ROOT, w))),
    ['docker/Dockerfile', '.dockerignore', 'build.sh'],
  );
  t.is(fs.readFileSync(path.join(dir, '.dockerignore'), 'utf8'), json.dockerignore.text);
  t.regex(json.dockerignore.text, /\ndocker\/Dockerfile\ndocker\/\*\.txt\n$/);
  t.false(json.dockerignore.exists);
  t.false(fs.existsSync(path.join(dir, '.dockerignore.orig')), 'a new file needs no backup');
  t.true(json.diagnostics.some((d) => d.code === 'RS505' && d.line === 1));
});

test('--write over an existing .dockerignore git cannot restore: refused (RS601), nothing written; --force keeps .dockerignore.orig', (t) => {
  const dir = repo(t, STAGING);
  fs.appendFileSync(path.join(dir, '.dockerignore'), '# uncommitted\n');
  const before = snapshot(dir);
  const refused = runMigrate(dir, { write: true, displayBase: dir });
  t.is(refused.exitCode, 2);
  const d = refused.result.diagnostics.find((x) => x.code === 'RS601');
  t.is(d?.file, '.dockerignore');
  t.deepEqual(snapshot(dir), before);
  const forced = runMigrate(dir, { write: true, force: true, displayBase: dir });
  t.is(forced.exitCode, 0);
  const original = fs.readFileSync(path.join(dir, '.dockerignore.orig'), 'utf8');
  t.is(original, `${fs.readFileSync(path.join(STAGING, '.dockerignore'), 'utf8')}# uncommitted\n`);
  t.true(fs.readFileSync(path.join(dir, '.dockerignore'), 'utf8').startsWith(original));
  t.regex(fs.readFileSync(path.join(dir, '.dockerignore'), 'utf8'), /\n!config\.yml\n$/);
});

test('a failed write after the .dockerignore: the new .dockerignore is removed again with the rest', (t) => {
  const dir = tempCopy(SUBDIR);
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const before = snapshot(dir, { modes: true });
  const r = runMigrate(dir, {
    write: true,
    force: true,
    displayBase: dir,
    beforeChange: (file) => {
      if (path.basename(file) === 'build.sh') throw new Error('disk full');
    },
  });
  t.is(r.exitCode, 2);
  t.regex(r.result.diagnostics.find((x) => x.code === 'RS602')?.message ?? '', /nothing was written/);
  t.false(fs.existsSync(path.join(dir, '.dockerignore')));
  t.deepEqual(snapshot(dir, { modes: true }), before);
});

test('--out writes the Dockerfile alone and says the .dockerignore is not written (RS614); the report shows its text', (t) => {
  const dir = tempCopy(SUBDIR);
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const r = restage(['migrate', dir, '--out', path.join(dir, 'Dockerfile.new')], dir);
  t.is(r.code, 0, r.stderr);
  t.false(fs.existsSync(path.join(dir, '.dockerignore')));
  t.regex(r.stderr, /wrote: Dockerfile\.new\n/);
  t.regex(
    r.stderr,
    /\.dockerignore \(new\), which the one build needs:\n {2}# restage: .*\n {2}docker\/Dockerfile\n {2}docker\/\*\.txt\n/,
  );
  t.regex(r.stderr, /\.dockerignore:1:1 info RS614 not written: --out writes the Dockerfile alone/);
});

const RUNS_SCRIPT = path.join(MIGRATE_FIXTURES, 'make-runs-script', 'input');
const SPLIT = path.join(MIGRATE_FIXTURES, 'make-script-split', 'input');

test('--write on a Makefile whose recipe runs the script that holds the pattern: the script is rewritten, the Makefile stays', (t) => {
  const dir = repo(t, RUNS_SCRIPT);
  const r = restage(['migrate', dir, '--write', '--json']);
  t.is(r.code, 0, r.stdout);
  const json = JSON.parse(r.stdout) as Json;
  t.deepEqual(
    json.written.map((w) => path.relative(dir, w)),
    ['Dockerfile', path.join('ci', 'build.sh')],
  );
  t.is(
    fs.readFileSync(path.join(dir, 'ci', 'build.sh'), 'utf8'),
    [
      '#!/bin/sh',
      '# Builds the words image; run from the repository root (make release).',
      'set -e',
      'IMAGE=acme/words',
      'docker build -t "$IMAGE:1.0" .',
      'docker run --rm "$IMAGE:1.0"',
      'docker tag "$IMAGE:1.0" "$IMAGE:latest"',
      'echo "built $IMAGE:1.0"',
      '',
    ].join('\n'),
  );
  const rs612 = json.diagnostics.filter((d) => d.code === 'RS612');
  t.deepEqual(
    rs612.map((d) => [path.relative(dir, path.resolve(ROOT, d.file)), d.line]),
    [[path.join('ci', 'build.sh'), 5]],
  );
  t.is(git(dir, 'status', '--porcelain').stdout, ' M Dockerfile\n M ci/build.sh\n');
});

test('--write on a split pattern (the recipe builds the builder, the script extracts): both files rewritten as one change', (t) => {
  const dir = repo(t, SPLIT);
  const r = restage(['migrate', dir, '--write', '--remove-legacy', '--json']);
  t.is(r.code, 0, r.stdout);
  const json = JSON.parse(r.stdout) as Json;
  t.deepEqual(
    json.written.map((w) => path.relative(dir, w)),
    ['Dockerfile', 'Makefile', path.join('ci', 'extract.sh')],
  );
  t.deepEqual(
    json.removed?.map((w) => path.relative(dir, w)),
    [path.join('docker', 'Dockerfile.build')],
  );
  t.is(
    fs.readFileSync(path.join(dir, 'Makefile'), 'utf8'),
    'IMAGE ?= acme/greet\n\n.PHONY: image clean\n\nimage:\n\tsh ci/extract.sh\n\tdocker run --rm $(IMAGE):1.0\n\nclean:\n\t-docker rmi $(IMAGE):build\n',
  );
  // The one build carries the builder's build argument; written in the script's syntax (no `$$`).
  t.is(
    fs.readFileSync(path.join(dir, 'ci', 'extract.sh'), 'utf8'),
    '#!/bin/sh\n# Copies greet out of the builder image make built, then builds the runtime image.\nset -e\ndocker build --build-arg GREETING=hello -t acme/greet:1.0 .\n',
  );
  const rs612 = json.diagnostics.filter((d) => d.code === 'RS612');
  t.deepEqual(rs612.map((d) => [path.relative(dir, path.resolve(ROOT, d.file)), d.line]).sort(), [
    ['Makefile', 6],
    [path.join('ci', 'extract.sh'), 4],
  ]);
  t.true(rs612.some((d) => /the one build of the migrated Dockerfile is at .*ci\/extract\.sh:4/.test(d.message)));
  t.is(
    git(dir, 'status', '--porcelain').stdout,
    ' M Dockerfile\n M Makefile\n M ci/extract.sh\n D docker/Dockerfile.build\n',
  );
  t.is((JSON.parse(restage(['migrate', dir, '--json']).stdout) as Json).status, 'nothing-to-migrate');
});

test('a split pattern whose second file fails to write: every file is put back (RS602, exit 2)', (t) => {
  for (const failOn of ['Makefile', 'extract.sh']) {
    const dir = tempCopy(SPLIT);
    t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
    const before = snapshot(dir, { modes: true });
    const r = runMigrate(dir, {
      write: true,
      force: true,
      displayBase: dir,
      beforeChange: (file) => {
        if (path.basename(file) === failOn) throw new Error('disk full');
      },
    });
    t.is(r.exitCode, 2);
    const d = r.result.diagnostics.find((x) => x.code === 'RS602');
    if (!d) return t.fail(JSON.stringify(r.result.diagnostics));
    t.regex(d.message, /disk full; nothing was written \(the files already changed were put back\)/);
    t.deepEqual(snapshot(dir, { modes: true }), before, `failing on ${failOn}`);
  }
});

test('--write on a package.json script that runs a shell script: the shell script is rewritten, package.json stays', (t) => {
  const dir = tempCopy(RUNS_SCRIPT);
  fs.rmSync(path.join(dir, 'Makefile'));
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    '{\n  "name": "words",\n  "private": true,\n  "scripts": {\n    "image": "sh ci/build.sh"\n  }\n}\n',
  );
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'legacy');
  const r = runMigrate(dir, { write: true, displayBase: dir });
  t.is(r.exitCode, 0, JSON.stringify(r.result.diagnostics));
  t.deepEqual(r.result.written, ['Dockerfile', 'ci/build.sh']);
  t.regex(
    fs.readFileSync(path.join(dir, 'ci', 'build.sh'), 'utf8'),
    /^set -e\nIMAGE=acme\/words\ndocker build -t "\$IMAGE:1\.0" \.\n/m,
  );
  t.is(git(dir, 'status', '--porcelain').stdout, ' M Dockerfile\n M ci/build.sh\n');
});

test('--write where the runtime build is in package.json and the builder in its script: RS610 names both, nothing written', (t) => {
  const dir = repo(t, path.join(MIGRATE_FIXTURES, 'npm-hooks-ci-scripts', 'input'));
  const before = snapshot(dir);
  const r = runMigrate(dir, { write: true, displayBase: dir });
  t.is(r.exitCode, 2);
  const d = r.result.diagnostics.find((x) => x.code === 'RS610');
  if (!d) return t.fail(JSON.stringify(r.result.diagnostics));
  t.is(`${d.file}:${d.line}`, 'package.json:7');
  t.regex(
    d.message,
    /^not rewriting package\.json, ci\/builder\.sh and ci\/tidy\.sh: the runtime build \(package\.json:7\) is in package\.json, whose npm scripts restage does not rewrite/,
  );
  t.regex(d.message, /the builder build \(ci\/builder\.sh:4\)/);
  t.deepEqual(snapshot(dir), before);
});

test('--write --remove-legacy: a script the rewrite leaves running nothing is no longer run, and removed unless another file names it', (t) => {
  const from = path.join(MIGRATE_FIXTURES, 'scripts-source-and-call', 'input');
  const dir = repo(t, from);
  const r = runMigrate(dir, { write: true, removeLegacy: true, displayBase: dir });
  t.is(r.exitCode, 0, JSON.stringify(r.result.diagnostics));
  t.deepEqual(r.result.written, ['Dockerfile', 'build.sh']);
  t.deepEqual(r.result.removed, ['Dockerfile.build', 'scripts/builder.sh']);
  t.is(
    fs.readFileSync(path.join(dir, 'build.sh'), 'utf8'),
    '#!/bin/sh\nset -e\n. ./scripts/env.sh\ndocker build -t "$IMAGE:latest" .\n',
  );
  t.is(
    git(dir, 'status', '--porcelain').stdout,
    ' M Dockerfile\n D Dockerfile.build\n M build.sh\n D scripts/builder.sh\n',
  );

  // A CI file still runs it: it stays, emptied, and says so.
  const named = tempCopy(from);
  t.teardown(() => fs.rmSync(named, { recursive: true, force: true }));
  fs.writeFileSync(path.join(named, 'ci.yml'), 'steps:\n  - run: ./scripts/builder.sh\n');
  git(named, 'init', '-q');
  git(named, 'add', '-A');
  git(named, 'commit', '-qm', 'legacy');
  const kept = runMigrate(named, { write: true, removeLegacy: true, displayBase: named });
  t.is(kept.exitCode, 0, JSON.stringify(kept.result.diagnostics));
  t.deepEqual(kept.result.written, ['Dockerfile', 'build.sh', 'scripts/builder.sh']);
  t.deepEqual(kept.result.removed, ['Dockerfile.build']);
  t.is(fs.readFileSync(path.join(named, 'scripts', 'builder.sh'), 'utf8'), '#!/bin/sh\nset -e\n');
  const note = kept.result.diagnostics.find((d) => d.code === 'RS612' && d.file === 'scripts/builder.sh');
  t.regex(note?.message ?? '', /it runs nothing else, so build\.sh:4 no longer runs it/);
});
