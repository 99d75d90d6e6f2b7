/**
 * The installed CLI, run as a user runs it: exit codes a script can rely on, the Dockerfile on
 * stdout and the report on stderr, JSON that parses, no stack traces, and not one byte of the
 * user's tree changed unless --out/--write asked for it.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, caseInput, commitAll, migrateCases, ROOT, snapshot, tempCopy } from '../helpers/fixtures.js';

function restage(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const NO_TRACE = /\n\s+at |Error: .*\n.*node:internal/;

const exitCases = test.macro({
  exec(t, args: string[], expectedCode: number, stderrPattern: RegExp) {
    const r = restage(args);
    t.is(r.code, expectedCode, r.stderr);
    t.regex(r.stderr, stderrPattern);
    t.notRegex(r.stderr, NO_TRACE);
  },
  title: (provided, args: string[]) => provided ?? `restage ${args.join(' ')}`,
});

test(exitCases, ['migrate', 'samples/href-counter'], 0, /migrated\n/);
test(exitCases, ['migrate', 'samples/hello-go'], 0, /nothing to migrate/);
test(exitCases, ['migrate', 'samples/hello-c'], 0, /Dockerfile:3:5 warning RS203 .*CMD \["\.\/hello"\]/);
test(exitCases, ['migrate', 'test/fixtures/migrate/bad-image-space/input'], 2, /Dockerfile\.build:1:14 error RS201/);
test(exitCases, ['migrate', 'no/such/dir'], 2, /no\/such\/dir:1:1 error RS101/);
test(exitCases, ['migrate'], 2, /^"restage migrate" requires exactly 1 argument\.\nSee 'restage migrate --help'\.\n/);
test(exitCases, ['frobnicate'], 2, /^restage: 'frobnicate' is not a restage command\.\nSee 'restage --help'\.\n$/);
test(
  exitCases,
  ['migrate', 'samples/hello-c', '--out', 'x', '--write'],
  2,
  /^conflicting options: --out and --write\nSee 'restage migrate --help'\.\n$/,
);

test('the Dockerfile goes to stdout and the report to stderr', (t) => {
  const r = restage(['migrate', 'samples/href-counter']);
  t.regex(r.stdout, /^FROM golang:1\.7\.3 AS builder\n/);
  t.regex(r.stdout, /COPY --from=builder --chown=0:0 \/go\/src\/github\.com\/alexellis\/href-counter\/app \.\n/);
  t.notRegex(r.stdout, /replace the script/);
  t.regex(
    r.stderr,
    /replace the script with \(run in samples\/href-counter\):\n {2}docker build --build-arg https_proxy=\$https_proxy --build-arg http_proxy=\$http_proxy --no-cache -t alexellis2\/href-counter:latest \./,
  );
  t.regex(
    r.stderr,
    / {4}\/go\/src\/github\.com\/alexellis\/href-counter\/app\n {6}legacy: docker cp → samples\/href-counter\/app → samples\/href-counter\/Dockerfile:4 COPY app \.\n {6}now: {4}COPY --from=builder \/go\/src\/github\.com\/alexellis\/href-counter\/app \. {2}\(samples\/href-counter\/Dockerfile:4\)\n/,
  );
});

test('--json prints one object with the documented fields', (t) => {
  const r = restage(['migrate', 'samples/welcome', '--json']);
  t.is(r.code, 0);
  t.is(r.stderr, '');
  const json = JSON.parse(r.stdout) as Record<string, unknown>;
  t.deepEqual(
    Object.keys(json).sort(),
    [
      'artifacts',
      'buildCommand',
      'diagnostics',
      'directory',
      'dockerfile',
      'files',
      'obsolete',
      'schemaVersion',
      'stages',
      'status',
      'target',
      'written',
    ].sort(),
  );
  t.is(json.status, 'migrated');
  t.deepEqual(json.stages, [
    { name: 'builder', from: 'golang:latest', source: 'samples/welcome/Dockerfile.build' },
    { name: 'runtime', from: 'scratch', source: 'samples/welcome/Dockerfile' },
  ]);
  t.deepEqual(json.artifacts, [
    {
      stage: 'builder',
      path: '/myapp/welcome',
      hostPath: 'samples/welcome/welcome',
      consumers: [{ file: 'samples/welcome/Dockerfile', line: 3, instruction: 'COPY welcome .', dest: '.' }],
    },
  ]);
  t.is(json.buildCommand, 'docker build -t welcome-runtime:v1 .');
});

test('--json on bad input: status error, located diagnostics, exit 2, no Dockerfile', (t) => {
  const r = restage(['migrate', 'test/fixtures/migrate/seed-001-verbatim/input', '--json']);
  t.is(r.code, 2);
  const json = JSON.parse(r.stdout) as {
    status: string;
    dockerfile: unknown;
    diagnostics: { file: string; line: number; column: number; code: string }[];
  };
  t.is(json.status, 'error');
  t.is(json.dockerfile, null);
  t.deepEqual(
    json.diagnostics.map((d) => `${path.basename(d.file)}:${d.line}:${d.column} ${d.code}`),
    ['build.sh:4:86 RS302', 'Dockerfile:2:6 RS207', 'Dockerfile.build:2:14 RS201', 'Dockerfile.build:3:1 RS201'],
  );
});

test('no input changes a byte of the tree without --out/--write', (t) => {
  for (const name of migrateCases()) {
    const dir = tempCopy(caseInput(name));
    const before = snapshot(dir);
    restage(['migrate', dir]);
    restage(['migrate', dir, '--json']);
    t.deepEqual(snapshot(dir), before, name);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an empty directory is bad input', (t) => {
  const dir = tempCopy();
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const r = restage(['migrate', dir, '--json']);
  t.is(r.code, 2);
  const json = JSON.parse(r.stdout) as { status: string; diagnostics: { code: string; message: string }[] };
  t.is(json.status, 'error');
  t.is(json.diagnostics[0]!.code, 'RS102');
  t.regex(json.diagnostics[0]!.message, /empty/);
});

test('--out writes the Dockerfile atomically and prints the report only', (t) => {
  const dir = tempCopy(path.join(ROOT, 'samples', 'hello-c'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const out = path.join(dir, 'Dockerfile.multistage');
  const r = restage(['migrate', dir, '--out', out]);
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, '');
  t.regex(fs.readFileSync(out, 'utf8'), /COPY --from=builder --chown=0:0 \/hello \./);
  t.regex(r.stderr, /-f Dockerfile\.multistage \./);
  t.deepEqual(
    fs.readdirSync(dir).filter((n) => n.includes('.restage-') || n.endsWith('.orig')),
    [],
    'a new file needs no backup',
  );
});

test('--write refuses to overwrite uncommitted work (exit 2), and --force overrides', (t) => {
  const dir = tempCopy(path.join(ROOT, 'samples', 'welcome'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  commitAll(dir);
  fs.appendFileSync(path.join(dir, 'Dockerfile'), '# local edit\n');
  const before = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');

  const refused = restage(['migrate', dir, '--write']);
  t.is(refused.code, 2);
  t.regex(refused.stderr, /Dockerfile:1:1 error RS601 not overwriting .*uncommitted changes/);
  t.is(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), before);

  const forced = restage(['migrate', dir, '--write', '--force']);
  t.is(forced.code, 0, forced.stderr);
  t.regex(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), /COPY --from=builder --chown=0:0 \/myapp\/welcome \./);
  t.is(
    fs.readFileSync(path.join(dir, 'Dockerfile.orig'), 'utf8'),
    before,
    'the uncommitted original is kept beside it',
  );
  t.regex(forced.stderr, /Dockerfile:1:1 info RS605 .*kept the original as .*Dockerfile\.orig/);
  t.true(fs.existsSync(path.join(dir, 'build.sh')), 'legacy files are listed, never deleted');
  t.regex(forced.stderr, /no longer needed: .*build\.sh, .*Dockerfile\.build, image welcome-builder:v1/);
});

test('--write on a clean checkout replaces the runtime Dockerfile', (t) => {
  const dir = tempCopy(path.join(ROOT, 'samples', 'href-counter'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  commitAll(dir);
  const r = restage(['migrate', dir, '--write', '--json']);
  t.is(r.code, 0, r.stdout);
  const json = JSON.parse(r.stdout) as { written: string[]; removed: string[] };
  t.deepEqual(
    json.written.map((w) => path.basename(w)),
    ['Dockerfile', 'build.sh'],
  );
  t.deepEqual(json.removed, [], 'without --remove-legacy nothing is removed');
  t.true(fs.existsSync(path.join(dir, 'Dockerfile.build')));
  t.regex(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), /^FROM golang:1\.7\.3 AS builder/);
  const again = restage(['migrate', dir, '--json']);
  t.is((JSON.parse(again.stdout) as { status: string }).status, 'nothing-to-migrate');
});

test('a corrupt or stale code cache only costs time: the CLI still runs and replaces it', (t) => {
  // An installed copy (bin/, dist/, node_modules linked), so no test writes into the repository's dist/.
  const root = tempCopy();
  t.teardown(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.mkdirSync(path.join(root, 'bin'));
  fs.mkdirSync(path.join(root, 'dist'));
  fs.copyFileSync(BIN, path.join(root, 'bin', 'restage.js'));
  // bin/package.json makes the entry CommonJS in a package of ES modules; it ships with bin/.
  fs.copyFileSync(path.join(ROOT, 'bin', 'package.json'), path.join(root, 'bin', 'package.json'));
  fs.copyFileSync(path.join(ROOT, 'dist', 'cli.cjs'), path.join(root, 'dist', 'cli.cjs'));
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(root, 'package.json'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'));
  const cache = path.join(root, 'dist', 'cli.cjs.v8cache');
  fs.writeFileSync(cache, 'not a V8 code cache');
  const r = spawnSync(
    process.execPath,
    [path.join(root, 'bin', 'restage.js'), 'migrate', 'samples/welcome', '--json'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  t.is(r.status, 0, r.stderr);
  t.is((JSON.parse(r.stdout) as { status: string }).status, 'migrated');
  t.not(fs.readFileSync(cache, 'utf8').slice(0, 19), 'not a V8 code cache');
});

test('--script-arg sets $1 for the analysis: a case dispatch picks that branch', (t) => {
  const dir = 'test/fixtures/migrate/script-arg-case/input';
  const arm = restage(['migrate', dir, '--script-arg', 'armhf', '--json']);
  t.is(arm.code, 0, arm.stderr);
  const result = JSON.parse(arm.stdout) as { stages: { from: string }[]; buildCommand: string };
  t.is(result.stages[0]!.from, 'arm32v7/golang:1.22');
  t.is(result.buildCommand, 'docker build -t acme/app:armhf .');
  const plain = restage(['migrate', dir]);
  t.regex(plain.stdout, /^FROM golang:1\.22 AS builder\n/);
  t.regex(plain.stderr, /build\.sh:\d+:\d+ info RS322 assumed \$1=amd64/);
});

test('--env sets a variable the script reads, and is no longer an assumption', (t) => {
  const r = restage([
    'migrate',
    'test/fixtures/migrate/script-arg-default/input',
    '--env',
    'VERSION=2.0',
    '--script-arg',
    'x86',
    '--json',
  ]);
  t.is(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout) as { buildCommand: string; diagnostics: { code: string }[] };
  t.is(result.buildCommand, 'docker build -t acme/app:2.0-x86 .');
  t.deepEqual(
    result.diagnostics.map((d) => d.code),
    ['RS501'],
    'no assumption (RS322) is left',
  );
});

test(
  exitCases,
  ['migrate', 'samples/href-counter', '--env', 'VERSION'],
  2,
  /^invalid argument "VERSION" for "--env" flag: takes NAME=VALUE /,
);
test(exitCases, ['migrate', 'samples/href-counter', '--env', '=x'], 2, /^invalid argument "=x" for "--env" flag/);
test(
  exitCases,
  ['verify', 'samples/href-counter', '--env', 'VERSION'],
  2,
  /^invalid argument "VERSION" for "--env" flag: .*\nSee 'restage verify --help'\.\n$/,
);

/** The tree's files with their modes, to prove a refused write changed nothing. */
function modes(dir: string): Record<string, number> {
  return Object.fromEntries(fs.readdirSync(dir).map((n) => [n, fs.statSync(path.join(dir, n)).mode & 0o7777]));
}

test('outside a git work tree --write refuses (exit 2, RS601) and writes nothing; --force keeps NAME.orig with its mode', (t) => {
  const dir = tempCopy(path.join(ROOT, 'samples', 'welcome'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const dockerfile = path.join(dir, 'Dockerfile');
  fs.chmodSync(dockerfile, 0o640);
  const before = snapshot(dir);
  const beforeModes = modes(dir);

  const refused = restage(['migrate', dir, '--write']);
  t.is(refused.code, 2);
  t.regex(
    refused.stderr,
    /Dockerfile:1:1 error RS601 not overwriting .*not in a git work tree.*--force.*Dockerfile\.orig/,
  );
  t.notRegex(refused.stderr, /commit it/, 'outside a work tree there is nothing to commit into');
  t.deepEqual(snapshot(dir), before);
  t.deepEqual(modes(dir), beforeModes);

  const forced = restage(['migrate', dir, '--write', '--force', '--json']);
  t.is(forced.code, 0, forced.stdout);
  const json = JSON.parse(forced.stdout) as { written: string[]; diagnostics: { code: string; message: string }[] };
  t.is(json.written.length, 2);
  t.is(json.diagnostics.filter((d) => d.code === 'RS605').length, 2, 'the Dockerfile and the script are kept');
  t.is(fs.readFileSync(path.join(dir, 'build.sh.orig'), 'base64'), before.get('build.sh')!);
  t.is(fs.readFileSync(`${dockerfile}.orig`, 'base64'), before.get('Dockerfile')!);
  t.is(fs.statSync(`${dockerfile}.orig`).mode & 0o7777, 0o640);
  t.is(fs.statSync(dockerfile).mode & 0o7777, 0o640, 'the replaced file keeps its mode');
  t.regex(fs.readFileSync(dockerfile, 'utf8'), /COPY --from=builder/);

  // A second forced write would replace the backup: refused (RS604), nothing changes.
  fs.writeFileSync(dockerfile, fs.readFileSync(`${dockerfile}.orig`));
  fs.writeFileSync(path.join(dir, 'build.sh'), fs.readFileSync(path.join(dir, 'build.sh.orig')));
  const after = snapshot(dir);
  const again = restage(['migrate', dir, '--write', '--force']);
  t.is(again.code, 2);
  t.regex(again.stderr, /Dockerfile:1:1 error RS604 .*Dockerfile\.orig already exists/);
  t.deepEqual(snapshot(dir), after);
  t.deepEqual(
    fs.readdirSync(dir).filter((n) => n.includes('.restage-')),
    [],
  );
});

test('--write refuses an untracked or git-ignored target, and writes over a clean tracked one keeping its mode', (t) => {
  const dir = tempCopy(path.join(ROOT, 'samples', 'welcome'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, '.gitignore'), 'Dockerfile\n');
  commitAll(dir);
  const ignored = restage(['migrate', dir, '--write']);
  t.is(ignored.code, 2);
  t.regex(ignored.stderr, /RS601 .*ignored by git/);

  fs.writeFileSync(path.join(dir, '.gitignore'), '');
  const untracked = restage(['migrate', dir, '--write']);
  t.is(untracked.code, 2);
  t.regex(untracked.stderr, /RS601 .*not tracked by git/);

  for (const args of [
    ['add', 'Dockerfile', '.gitignore'],
    ['commit', '-qm', 'track'],
  ])
    spawnSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', ...args], { cwd: dir });
  fs.chmodSync(path.join(dir, 'Dockerfile'), 0o600);
  const clean = restage(['migrate', dir, '--write']);
  t.is(clean.code, 0, clean.stderr);
  t.false(fs.existsSync(path.join(dir, 'Dockerfile.orig')), 'git can restore it: no backup');
  t.is(fs.statSync(path.join(dir, 'Dockerfile')).mode & 0o7777, 0o600);
});

test('--out over a legacy file (builder Dockerfile, build script) is refused with RS603, exit 2, nothing written', (t) => {
  const dir = tempCopy(path.join(ROOT, 'samples', 'welcome'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  commitAll(dir);
  const before = snapshot(dir);
  for (const name of ['Dockerfile.build', 'build.sh']) {
    for (const force of [[], ['--force']]) {
      const r = restage(['migrate', dir, '--out', path.join(dir, name), ...force]);
      t.is(r.code, 2, name);
      t.regex(r.stderr, new RegExp(`${name.replace('.', '\\.')}:1:1 error RS603 not writing to`), name);
      t.deepEqual(snapshot(dir), before);
    }
  }
  const runtime = restage(['migrate', dir, '--out', path.join(dir, 'Dockerfile')]);
  t.is(runtime.code, 0, runtime.stderr);
});

test('several candidate pipelines: exit 2 with RS110 naming them; --script picks one', (t) => {
  const dir = 'test/fixtures/migrate/two-pipelines/input';
  const refused = restage(['migrate', dir]);
  t.is(refused.code, 2);
  t.is(refused.stdout, '');
  t.regex(refused.stderr, /build\.armhf\.sh:1:1 error RS110 .*build\.armhf\.sh, .*build\.sh.*--script FILE/);
  const picked = restage(['migrate', dir, '--script', 'build.armhf.sh']);
  t.is(picked.code, 0, picked.stderr);
  t.regex(picked.stdout, /GOARCH=arm/);
  t.regex(picked.stderr, /--platform linux\/arm\/v7 -t app:armhf/);
});

test('--graph mermaid|dot: the artifact flow on stdout instead of the Dockerfile, the report on stderr', (t) => {
  for (const [kind, head] of [
    ['mermaid', /^flowchart LR\n/],
    ['dot', /^digraph restage \{\n/],
  ] as const) {
    const r = restage(['migrate', 'samples/href-counter', '--graph', kind]);
    t.is(r.code, 0, r.stderr);
    t.regex(r.stdout, head);
    t.regex(r.stdout, /COPY --from=builder \/go\/src\/github\.com\/alexellis\/href-counter\/app \./);
    t.notRegex(r.stdout, /^FROM /m, 'no Dockerfile on stdout');
    t.regex(r.stderr, /\nflow:\n {2}builder /);
  }
  const bad = restage(['migrate', 'samples/href-counter', '--graph', 'svg']);
  t.is(bad.code, 2);
  t.regex(bad.stderr, /invalid argument "svg" for "--graph" flag: valid values are mermaid, dot/);
  t.is(restage(['migrate', 'samples/href-counter', '--graph', 'dot', '--json']).code, 2);
});

test('--format json is --json, --format text the default; a conflict or an unknown format is a usage error (exit 2)', (t) => {
  const json = restage(['migrate', 'samples/welcome', '--json']);
  t.is(restage(['migrate', 'samples/welcome', '--format', 'json']).stdout, json.stdout);
  t.is(restage(['migrate', 'samples/welcome', '--format=json']).stdout, json.stdout);
  const plain = restage(['migrate', 'samples/welcome']);
  const text = restage(['migrate', 'samples/welcome', '--format', 'text']);
  t.deepEqual([text.code, text.stdout, text.stderr], [plain.code, plain.stdout, plain.stderr]);
  const unknown = restage(['migrate', 'samples/welcome', '--format', 'xml']);
  t.is(unknown.code, 2);
  t.is(unknown.stdout, '');
  t.regex(
    unknown.stderr,
    /^invalid argument "xml" for "--format" flag: valid values are text, json, sarif\nSee 'restage migrate --help'\.\n$/,
  );
  const conflict = restage(['migrate', 'samples/welcome', '--json', '--format', 'sarif']);
  t.is(conflict.code, 2);
  const usage = JSON.parse(conflict.stdout) as { status: string; diagnostics: { code: string; message: string }[] };
  t.is(usage.status, 'usage-error');
  t.is(usage.diagnostics[0]!.message, 'conflicting options: --json and --format sarif');
  t.is(restage(['migrate', 'samples/welcome', '--json', '--format', 'json']).stdout, json.stdout);
});
