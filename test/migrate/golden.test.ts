/**
 * Golden tests: every test/fixtures/migrate/<case>/input is migrated and compared with
 * <case>/expected/{result.json,Dockerfile}. Regenerate with UPDATE_GOLDENS=1 and review the diff.
 * Every emitted Dockerfile must also re-parse with zero dockerfile-utils errors and be a fixed
 * point: migrating restage's own output again changes nothing.
 */
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { validate } from 'dockerfile-utils';
import { runMigrate } from '../../src/cli/migrate.js';
import { renderJson } from '../../src/emit/report-json.js';
import { caseInput, MIGRATE_FIXTURES, migrateCases, ROOT, tempCopy } from '../helpers/fixtures.js';

const UPDATE = process.env.UPDATE_GOLDENS === '1';

/** The result with the input directory's own name in paths replaced by `input`. */
function relabel<T>(value: T, dirName: string): T {
  if (dirName === 'input') return value;
  return JSON.parse(
    JSON.stringify(value)
      .split(`"${dirName}/`)
      .join('"input/')
      .split(`"${dirName}"`)
      .join('"input"')
      .split(`"${dirName}:`)
      .join('"input:'),
  ) as T;
}

/** A case's `options.json`: the script's arguments and environment, as `--script-arg`/`--env` give them. */
/** Every file under dir with its bytes (base64). */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.set(path.relative(dir, p), fs.readFileSync(p, 'base64'));
    }
  };
  walk(dir);
  return out;
}

function caseOptions(name: string): { scriptArgs?: string[]; env?: Record<string, string> } {
  const file = path.join(MIGRATE_FIXTURES, name, 'options.json');
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as ReturnType<typeof caseOptions>) : {};
}

function migrateCase(name: string) {
  const caseDir = path.join(MIGRATE_FIXTURES, name);
  // Paths in the goldens read `input/…` whether the case holds its input or names a sample.
  const input = caseInput(name);
  const { result: raw, exitCode } = runMigrate(input, { displayBase: path.dirname(input), ...caseOptions(name) });
  const result = relabel(raw, path.basename(input));
  const json = JSON.parse(renderJson({ ...result, directory: 'input' })) as Record<string, unknown>;
  return { caseDir, result, exitCode, golden: { exitCode, ...json } };
}

for (const name of migrateCases()) {
  test(`golden: ${name}`, (t) => {
    const { caseDir, result, golden } = migrateCase(name);
    const expectedDir = path.join(caseDir, 'expected');
    const resultFile = path.join(expectedDir, 'result.json');
    const dockerfileFile = path.join(expectedDir, 'Dockerfile');
    if (UPDATE) {
      fs.mkdirSync(expectedDir, { recursive: true });
      fs.writeFileSync(resultFile, `${JSON.stringify(golden, null, 2)}\n`);
      if (result.dockerfile !== null) fs.writeFileSync(dockerfileFile, result.dockerfile);
      else fs.rmSync(dockerfileFile, { force: true });
    }
    t.deepEqual(golden, JSON.parse(fs.readFileSync(resultFile, 'utf8')));
    // Paths show relative to the display base: a message naming this checkout would differ in every other one.
    t.false(JSON.stringify(golden).includes(ROOT), 'no message names the checkout by its absolute path');
    if (result.dockerfile !== null) t.is(result.dockerfile, fs.readFileSync(dockerfileFile, 'utf8'));
    else t.false(fs.existsSync(dockerfileFile), 'no Dockerfile is expected when restage emits none');
  });
}

for (const name of migrateCases()) {
  const { result } = migrateCase(name);
  if (result.dockerfile === null) continue;
  const dockerfile = result.dockerfile;

  test(`round trip: ${name} re-parses clean`, (t) => {
    const errors = validate(dockerfile).filter((d) => d.severity === 1);
    t.deepEqual(errors, []);
    t.false(/^#\s*syntax=/m.test(dockerfile), 'never emits # syntax=');
  });

  test(`round trip: ${name} is a fixed point`, (t) => {
    const alone = tempCopy();
    const inPlace = tempCopy(caseInput(name));
    t.teardown(() => {
      fs.rmSync(alone, { recursive: true, force: true });
      fs.rmSync(inPlace, { recursive: true, force: true });
    });
    fs.writeFileSync(path.join(alone, 'Dockerfile'), dockerfile);
    t.is(runMigrate(alone).result.status, 'nothing-to-migrate');
    // With several consuming builds (RS108) the script still holds a migration for the others.
    if (result.diagnostics.some((d) => d.code === 'RS108')) return;

    // The temp copy is no git work tree: --force keeps each replaced file as NAME.orig.
    const runtime = path.resolve(process.cwd(), result.target!.replace(/^input(?=\/)/, inPlace));
    const original = fs.readFileSync(runtime);
    const before = snapshot(inPlace);
    const first = runMigrate(inPlace, { write: true, force: true, ...caseOptions(name) });
    const refused = first.result.diagnostics.find((d) => d.code === 'RS610');
    if (refused) {
      // The orchestrator cannot be rewritten: nothing is written, and --out writes the Dockerfile alone.
      t.is(first.exitCode, 2);
      t.deepEqual(first.result.written, []);
      t.deepEqual(snapshot(inPlace), before, 'a refused write changes nothing');
      t.is(runMigrate(inPlace, { out: runtime, force: true, ...caseOptions(name) }).exitCode, 0);
    } else {
      t.is(first.exitCode, 0, JSON.stringify(first.result.diagnostics));
      const [target, ...others] = first.result.written.map((w) => path.resolve(process.cwd(), w));
      t.is(target, runtime);
      t.deepEqual(fs.readFileSync(`${target}.orig`), original);
      t.true(first.result.diagnostics.some((d) => d.code === 'RS605' && d.severity === 'info'));
      // The merged context's .dockerignore, when the migration needs it, is written with the rest
      // (its original kept beside it when it had one).
      const ignore = result.dockerignore;
      const ignoreFile = ignore && path.resolve(process.cwd(), ignore.path.replace(/^input(?=\/)/, inPlace));
      if (ignore && ignoreFile) {
        t.true(others.includes(ignoreFile));
        t.is(fs.readFileSync(ignoreFile, 'utf8'), ignore.text);
        t.is(
          fs.existsSync(`${ignoreFile}.orig`) ? fs.readFileSync(`${ignoreFile}.orig`, 'base64') : undefined,
          before.get(path.relative(inPlace, ignoreFile)),
        );
      }
      // The other files written are the orchestrator and the scripts it runs that held steps,
      // each with its original kept beside it and its own RS612.
      const rest = others.filter((o) => o !== ignoreFile);
      const rewrote = first.result.diagnostics.filter((d) => d.code === 'RS612');
      t.is(rewrote.length, rest.length);
      for (const o of rest) {
        t.deepEqual(fs.readFileSync(`${o}.orig`, 'base64'), before.get(path.relative(inPlace, o)));
        t.true(rewrote.some((d) => path.resolve(process.cwd(), d.file) === o));
      }
    }
    const again = runMigrate(inPlace, { write: true, force: true, ...caseOptions(name) });
    t.is(again.result.status, 'nothing-to-migrate');
    t.deepEqual(again.result.written, []);
    const target = runtime;
    t.is(fs.readFileSync(target, 'utf8'), dockerfile);
  });
}
