/**
 * `restage check [PATHS…]`, run as the built CLI: which patterns the given files and directories
 * belong to, the suggestion and the diff `migrate --write` would apply (git apply of it gives what
 * the write gives), writing nothing; exit codes 1 / 0 / 2 and --warn-only; JSON; and that a
 * repository with no builder pattern loads none of the parsers or analyzers.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, MIGRATE_FIXTURES, ROOT, commitAll, snapshot, tempCopy } from '../helpers/fixtures.js';

function restage(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, node: string[] = []) {
  const r = spawnSync(process.execPath, [...node, BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A temp copy of `from` (or empty), a git work tree with everything committed. */
function repo(t: { teardown(f: () => void): void }, from?: string): string {
  const dir = tempCopy(from);
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  commitAll(dir);
  return dir;
}

interface Suggestion {
  directory: string;
  kind: string;
  files: string[];
  matched: string[];
  suggestion: string;
  changes: { path: string; change: string }[];
  diff: string;
  reason: { code: string } | null;
  command: string;
}

const LAYOUT_CI = path.join(MIGRATE_FIXTURES, 'layout-ci-script', 'input');
const LAYOUT_DOCKER = path.join(MIGRATE_FIXTURES, 'layout-docker-dir', 'input');

/** A repository with a Dockerfile and sources, and nothing that drives docker. */
function cleanRepo(t: { teardown(f: () => void): void }): string {
  const dir = repo(t);
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM busybox:latest\nCOPY app /app\nCMD ["/app"]\n');
  fs.writeFileSync(path.join(dir, 'main.go'), 'package main\nfunc main() {}\n');
  fs.mkdirSync(path.join(dir, 'docs'));
  fs.writeFileSync(path.join(dir, 'docs', 'README.md'), '# app\n');
  return dir;
}

test('a staged script in ci/ belongs to the pattern of the directory above: exit 1, the suggestion and the diff', (t) => {
  const dir = repo(t, LAYOUT_CI);
  const before = snapshot(dir, { modes: true });
  const text = restage(['check', 'ci/build.sh'], dir);
  t.is(text.code, 1, text.stderr);
  t.regex(text.stdout, /^restage: \.: suggests a migration\n/);
  t.regex(text.stdout, /ci\/build\.sh builds a builder image from Dockerfile\.build, copies tool out of it/);
  t.regex(text.stdout, /^--- a\/Dockerfile\n\+\+\+ b\/Dockerfile\n@@ /m);
  t.regex(text.stdout, /^-docker cp tool-x:\/src\/tool \.\/tool$/m);
  const json = restage(['check', 'ci/build.sh', '--json'], dir);
  t.is(json.code, 1);
  const [s, ...more] = JSON.parse(json.stdout) as Suggestion[];
  t.is(more.length, 0);
  t.like(s, {
    directory: '.',
    kind: 'migrate',
    matched: ['ci/build.sh'],
    reason: null,
    command: 'restage migrate . --write',
  });
  t.deepEqual(s!.changes, [
    { path: 'Dockerfile', change: 'modify' },
    { path: 'ci/build.sh', change: 'modify' },
  ]);
  t.true(text.stdout.includes(s!.diff));
  t.deepEqual(snapshot(dir, { modes: true }), before, 'check writes nothing');
});

test('the diff is what migrate --write writes: git apply of it gives the same work tree', (t) => {
  for (const from of [LAYOUT_CI, LAYOUT_DOCKER, path.join(ROOT, 'samples', 'href-counter')]) {
    const dir = repo(t, from);
    const [s] = JSON.parse(restage(['check', '.', '--json'], dir).stdout) as Suggestion[];
    const applied = spawnSync('git', ['apply', '-'], { cwd: dir, input: s!.diff, encoding: 'utf8' });
    t.is(applied.status, 0, applied.stderr);
    const mine = snapshot(dir, { modes: true });
    spawnSync('git', ['checkout', '-q', '.'], { cwd: dir });
    const written = restage(['migrate', '.', '--write'], dir);
    t.is(written.code, 0, written.stderr);
    t.deepEqual(snapshot(dir, { modes: true }), mine, from);
  }
});

test('a builder Dockerfile in docker/ and a directory given find the same pattern once', (t) => {
  const dir = repo(t, LAYOUT_DOCKER);
  const r = restage(['check', 'docker/Dockerfile.build', 'scripts/build-image.sh', '.', '--json'], dir);
  t.is(r.code, 1, r.stderr);
  const list = JSON.parse(r.stdout) as Suggestion[];
  t.is(list.length, 1);
  t.deepEqual(list[0]!.matched.sort(), ['docker/Dockerfile.build', 'scripts/build-image.sh']);
});

test("a pattern wholly inside docker/ (its script run from there) is that directory's alone, as in a tree", (t) => {
  const dir = repo(t);
  fs.cpSync(path.join(ROOT, 'samples', 'href-counter'), path.join(dir, 'svc', 'docker'), { recursive: true });
  commitAll(dir);
  const r = restage(['check', 'svc/docker/build.sh', 'svc/docker/Dockerfile.build', '--json'], dir);
  t.is(r.code, 1, r.stderr);
  const list = JSON.parse(r.stdout) as Suggestion[];
  t.deepEqual(
    list.map((s) => [s.directory, s.kind]),
    [['svc/docker', 'migrate']],
  );
});

test('a tree: every pattern under the directory given, each with its own diff', (t) => {
  const dir = repo(t);
  fs.cpSync(LAYOUT_CI, path.join(dir, 'tool'), { recursive: true });
  fs.cpSync(path.join(ROOT, 'samples', 'href-counter'), path.join(dir, 'web'), { recursive: true });
  commitAll(dir);
  const r = restage(['check', '--json'], dir);
  t.is(r.code, 1, r.stderr);
  const list = JSON.parse(r.stdout) as Suggestion[];
  t.deepEqual(
    list.map((s) => s.directory),
    ['tool', 'web'],
  );
  t.regex(list[1]!.diff, /^--- a\/web\/Dockerfile$/m);
});

test('nothing to suggest: files outside any pattern, a clean repository: exit 0, no output', (t) => {
  const clean = cleanRepo(t);
  for (const args of [['check'], ['check', 'Dockerfile', 'main.go', 'docs'], ['check', '.', '--warn-only']]) {
    const r = restage(args, clean);
    t.is(r.code, 0, args.join(' '));
    t.is(r.stdout + r.stderr, '', args.join(' '));
  }
  t.is(restage(['check', '--json'], clean).stdout, '[]\n');
  // A file of the directory that is no file of the pattern.
  const dir = repo(t, LAYOUT_CI);
  fs.writeFileSync(path.join(dir, 'notes.sh'), 'echo notes\n');
  const r = restage(['check', 'notes.sh'], dir);
  t.is(r.code, 0, r.stdout);
});

test('--warn-only prints the suggestion and exits 0', (t) => {
  const dir = repo(t, LAYOUT_CI);
  const r = restage(['check', 'Dockerfile', '--warn-only'], dir);
  t.is(r.code, 0);
  t.regex(r.stdout, /suggests a migration/);
});

test('a pattern restage declines is suggested by hand: exit 1, its reason, no diff', (t) => {
  const dir = repo(t, path.join(MIGRATE_FIXTURES, 'add-tar-declined-chown', 'input'));
  const r = restage(['check', '.', '--json'], dir);
  t.is(r.code, 1, r.stderr);
  const [s] = JSON.parse(r.stdout) as Suggestion[];
  t.is(s!.kind, 'by-hand');
  t.is(s!.diff, '');
  t.truthy(s!.reason?.code);
  t.regex(s!.suggestion, /cannot migrate it by itself/);
});

test('bad input exits 2: a missing path, a bad flag (with --json, one usage-error object)', (t) => {
  const dir = cleanRepo(t);
  const missing = restage(['check', 'Dockerfile', 'no/such/file'], dir);
  t.is(missing.code, 2);
  t.regex(missing.stderr, /no\/such\/file: no such file or directory/);
  t.is(restage(['check', '--bogus'], dir).code, 2);
  const json = restage(['check', 'nope', '--json'], dir);
  t.is(json.code, 2);
  t.is((JSON.parse(json.stdout) as { status: string }).status, 'usage-error');
});

const PRELOAD = path.join(ROOT, 'test', 'fixtures', 'cli', 'loaded-modules.cjs');
/** Modules of the parsers and analyzers: Dockerfile (dockerfile-ast, -utils), shell, Makefile, JS, compose. */
const ANALYZERS =
  /node_modules[\\/](dockerfile-ast|dockerfile-utils)[\\/]|^src\/(parse\/(?!package-json)|analyze\/|orchestrate\/|migrate\.ts)/;
const NATIVE = /[\\/](tree-sitter|tree-sitter-bash|typescript|yaml)[\\/]/;

/**
 * What a CLI run loaded: the files required (the preload's record) and the bundled modules whose
 * code ran (esbuild names each bundled module's wrapper function by its path; V8's coverage counts
 * the calls of each function).
 */
function loaded(args: string[], cwd: string): { required: string[]; ran: string[]; code: number | null } {
  const dir = tempCopy();
  try {
    const record = path.join(dir, 'loaded');
    const coverage = path.join(dir, 'coverage');
    const r = restage(args, cwd, { RESTAGE_LOADED_MODULES: record, NODE_V8_COVERAGE: coverage }, [
      '--require',
      PRELOAD,
    ]);
    const ran = new Set<string>();
    for (const file of fs.readdirSync(coverage)) {
      const report = JSON.parse(fs.readFileSync(path.join(coverage, file), 'utf8')) as {
        result: { url: string; functions: { functionName: string; ranges: { count: number }[] }[] }[];
      };
      for (const script of report.result)
        if (script.url.endsWith('cli.cjs'))
          for (const f of script.functions) if (f.ranges[0]!.count > 0) ran.add(f.functionName);
    }
    return { required: fs.readFileSync(record, 'utf8').split('\n'), ran: [...ran], code: r.code };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('on a repository with no builder pattern, check loads no parser or analyzer', (t) => {
  const dir = cleanRepo(t);
  for (const args of [['check'], ['check', 'Dockerfile', 'main.go', 'docs/README.md']]) {
    const { required, ran, code } = loaded(args, dir);
    t.is(code, 0);
    t.true(ran.includes('src/cli/check.ts'), `the record sees the bundled modules that ran: ${ran.length}`);
    t.deepEqual(
      required.filter((f) => NATIVE.test(f)),
      [],
      args.join(' '),
    );
    t.deepEqual(
      ran.filter((f) => ANALYZERS.test(f)),
      [],
      args.join(' '),
    );
  }
  // The same records, on a pattern, see the parsers load.
  const pattern = repo(t, LAYOUT_CI);
  const { required, ran, code } = loaded(['check', 'ci/build.sh'], pattern);
  t.is(code, 1);
  t.true(required.some((f) => f.includes(`${path.sep}tree-sitter-bash${path.sep}`)));
  t.true(ran.some((f) => /dockerfile-ast/.test(f)));
  t.true(ran.includes('src/parse/shell.ts'));
});

test('migrate --diff prints the diff --write would apply and writes nothing; git apply of it gives what --write writes', (t) => {
  for (const from of [LAYOUT_CI, path.join(ROOT, 'samples', 'href-counter')]) {
    const dir = repo(t, from);
    const before = snapshot(dir, { modes: true });
    const r = restage(['migrate', '.', '--diff', '--remove-legacy'], dir);
    t.is(r.code, 0, r.stderr);
    t.regex(r.stdout, /^--- a\/Dockerfile\n\+\+\+ b\/Dockerfile\n@@ /);
    t.regex(r.stderr, /RS612 would rewrite /);
    t.deepEqual(snapshot(dir, { modes: true }), before, '--diff writes nothing');
    const applied = spawnSync('git', ['apply', '-'], { cwd: dir, input: r.stdout, encoding: 'utf8' });
    t.is(applied.status, 0, applied.stderr);
    const mine = snapshot(dir, { modes: true });
    spawnSync('git', ['checkout', '-q', '.'], { cwd: dir });
    const written = restage(['migrate', '.', '--write', '--remove-legacy'], dir);
    t.is(written.code, 0, written.stderr);
    t.deepEqual(snapshot(dir, { modes: true }), mine, from);
  }
  const dir = repo(t, LAYOUT_CI);
  t.is(restage(['migrate', '.', '--diff', '--write'], dir).code, 2);
  t.is(restage(['migrate', '.', '--diff', '--format', 'sarif'], dir).code, 2);
});
