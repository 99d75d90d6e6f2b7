/**
 * Start-up: `restage migrate` loads only what migrate needs. verify's engine, differs and tar
 * reader live in their own bundle (dist/verify-cli.cjs), which only `restage verify` requires;
 * the parsers load only when a command runs.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, ROOT, tempCopy } from '../helpers/fixtures.js';

const PRELOAD = path.join(ROOT, 'test', 'fixtures', 'cli', 'loaded-modules.cjs');
const BUILTINS = path.join(ROOT, 'test', 'fixtures', 'cli', 'loaded-builtins.cjs');

/** The files a CLI run loaded through require. */
function loaded(args: string[]): string[] {
  const dir = tempCopy();
  try {
    const record = path.join(dir, 'loaded');
    spawnSync(process.execPath, ['--require', PRELOAD, BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, RESTAGE_LOADED_MODULES: record },
    });
    return fs.readFileSync(record, 'utf8').split('\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('migrate never loads the verify bundle, nor tar-stream, nor typescript on a shell-only tree', (t) => {
  const files = loaded(['migrate', 'samples/href-counter', '--json']);
  t.true(
    files.some((f) => f.includes(`${path.sep}tree-sitter-bash${path.sep}`)),
    'the record holds what migrate requires: the shell parser',
  );
  t.deepEqual(
    files.filter((f) => /verify-cli|tar-stream|[\\/]typescript[\\/]/.test(f)),
    [],
  );
});

test('the SARIF writer (its own bundle) loads with --format sarif alone: not for text, JSON or a usage error', (t) => {
  const sarif = (files: string[]) => files.filter((f) => f.endsWith(path.join('dist', 'report-sarif.cjs')));
  for (const args of [
    ['migrate', 'samples/href-counter'],
    ['migrate', 'samples/href-counter', '--format', 'json'],
    ['migrate', 'samples/href-counter', '--format', 'xml'],
    ['scan', 'samples/href-counter', '--json'],
  ])
    t.deepEqual(sarif(loaded(args)), [], args.join(' '));
  for (const args of [
    ['migrate', 'samples/href-counter', '--format', 'sarif'],
    ['scan', 'samples/href-counter', '--format=sarif'],
    ['migrate', '--format', 'sarif'],
  ])
    t.is(sarif(loaded(args)).length, 1, args.join(' '));
});

test('migrate loads typescript for a JS build script', (t) => {
  const files = loaded(['migrate', 'test/fixtures/migrate/js-execsync-build/input', '--json']);
  t.true(files.some((f) => f.includes(`${path.sep}typescript${path.sep}`)));
});

test('--version, --help and a usage error load no parser', (t) => {
  for (const args of [['--version'], ['migrate', '--help'], ['migrate', '--json']])
    t.deepEqual(loaded(args), [PRELOAD, BIN], args.join(' '));
});

test('verify loads the verify bundle (the record above can see it)', (t) => {
  const files = loaded(['verify', 'no/such/dir', '--json']);
  t.true(files.some((f) => f.endsWith(path.join('dist', 'verify-cli.cjs'))));
});

/** Node's own modules a CLI run loaded, its output going to pipes (as under a shell's `|`). */
function loadedBuiltins(args: string[]): string[] {
  const dir = tempCopy();
  try {
    const record = path.join(dir, 'loaded');
    const r = spawnSync(process.execPath, ['--require', BUILTINS, BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, RESTAGE_LOADED_BUILTINS: record },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`restage ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return fs.readFileSync(record, 'utf8').split('\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test("migrate loads no process, network, stream, directory or ES module machinery of Node's", (t) => {
  for (const args of [
    ['migrate', 'samples/href-counter'],
    ['migrate', 'samples/href-counter', '--json'],
  ]) {
    const builtins = loadedBuiltins(args);
    t.true(builtins.includes('vm'), `the record holds what the entry loads: ${builtins.join(', ')}`);
    t.deepEqual(
      builtins.filter((m) =>
        /^(child_process|net|stream|internal\/fs\/dir|internal\/modules\/esm\/(module_job|translators))$/.test(m),
      ),
      [],
      args.join(' '),
    );
  }
});

test("the CLI bundle holds none of verify's modules, nor the SARIF writer", (t) => {
  const bundle = fs.readFileSync(path.join(ROOT, 'dist', 'cli.cjs'), 'utf8');
  t.true(bundle.includes('// src/migrate.ts'), 'esbuild marks each module it bundles with its path');
  t.notRegex(bundle, /^\/\/ src\/verify\//m);
  t.notRegex(bundle, /^\/\/ src\/emit\/report-sarif\.ts$/m);
  t.notRegex(bundle, /^\/\/ .*node_modules\/(tar-stream|yargs)\//m);
});
