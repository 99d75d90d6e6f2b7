/**
 * The JSON output against its published schema (schema/restage-result.schema.json): every golden
 * result, a tree of several patterns, scan, a usage error and verify. Each shape is closed
 * (`additionalProperties: false`), so a field added to the output without the schema fails here.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderJson, renderJsonMany } from '../../src/emit/report-json.js';
import { renderVerifyJson } from '../../src/verify/report.js';
import { runMigrateTree } from '../../src/cli/migrate-tree.js';
import { BIN, MIGRATE_FIXTURES, ROOT, caseInput, migrateCases } from '../helpers/fixtures.js';
import { RESULT_SCHEMA, resultValidator } from '../helpers/schemas.js';
import { VERIFY_RESULT } from '../helpers/verify-result.js';

const validate = resultValidator();

function cli(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A golden's expected/result.json, less `exitCode`, which the golden test adds beside the printed object. */
function golden(name: string): Record<string, unknown> {
  const { exitCode: _, ...printed } = JSON.parse(
    fs.readFileSync(path.join(MIGRATE_FIXTURES, name, 'expected', 'result.json'), 'utf8'),
  ) as Record<string, unknown>;
  return printed;
}

test('every golden result.json is a migrateResult of the schema', (t) => {
  const migrate = resultValidator('migrateResult');
  const cases = migrateCases();
  t.true(cases.length > 100, `${cases.length} golden cases`);
  const failures = cases.flatMap((name) => migrate(golden(name)).map((e) => `${name}: ${e}`));
  t.deepEqual(failures, []);
});

test('the schema is closed: a field it does not know, a missing field or a wrong value fails', (t) => {
  const g = golden('add-tar-dir');
  t.deepEqual(validate(g), []);
  t.not(validate({ ...g, newField: 1 }).length, 0);
  const { target: _, ...withoutTarget } = g;
  t.not(validate(withoutTarget).length, 0);
  t.not(validate({ ...g, status: 'done' }).length, 0);
  const stages = g.stages as Record<string, unknown>[];
  t.not(validate({ ...g, stages: [{ ...stages[0], role: 'builder' }] }).length, 0);
  const diagnostics = [{ code: 'RS402', severity: 'warning', message: 'm', file: 'f', line: 0, column: 1 }];
  t.not(validate({ ...g, diagnostics }).length, 0, 'lines are 1-based');
});

test('a tree of several patterns prints an array of migrateResult', (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-test-json-'));
  t.teardown(() => fs.rmSync(root, { recursive: true, force: true }));
  for (const [name, dir] of [
    ['href-counter', 'a'],
    ['add-tar-declined-copy', 'b'],
  ] as const)
    fs.cpSync(caseInput(name), path.join(root, dir), { recursive: true });
  const { results, several } = runMigrateTree(root, { displayBase: root });
  t.true(several);
  const printed = JSON.parse(renderJsonMany(results)) as unknown[];
  t.is(printed.length, 2);
  t.deepEqual(validate(printed), []);
  t.deepEqual(resultValidator('migrateResults')(printed), []);
  t.deepEqual(resultValidator('migrateResult')(JSON.parse(renderJson(results[0]!))), []);
});

test('restage migrate/scan/verify --format json: what the CLI prints validates', (t) => {
  const migrate = cli(['migrate', 'samples/href-counter', '--format', 'json']);
  t.is(migrate.code, 0, migrate.stderr);
  t.deepEqual(resultValidator('migrateResult')(JSON.parse(migrate.stdout)), []);
  const scan = cli(['scan', 'test/fixtures/migrate/add-tar-dir', '--format=json']);
  t.is(scan.code, 0, scan.stderr);
  t.deepEqual(resultValidator('scanResult')(JSON.parse(scan.stdout)), []);
  const declined = JSON.parse(cli(['scan', 'test/fixtures/migrate/add-tar-declined-copy', '--json']).stdout) as {
    patterns: { reason: { code: string } | null }[];
  };
  t.is(declined.patterns[0]!.reason!.code, 'RS344');
  t.deepEqual(resultValidator('scanResult')(declined), []);
  const scanError = cli(['scan', 'no/such/dir', '--json']);
  t.is(scanError.code, 2);
  t.deepEqual(resultValidator('scanError')(JSON.parse(scanError.stdout)), []);
  // No such directory: verify stops before it needs an engine.
  const verify = cli(['verify', 'no/such/dir', '--format', 'json']);
  t.is(verify.code, 2);
  t.deepEqual(resultValidator('verifyResult')(JSON.parse(verify.stdout)), []);
  for (const args of [
    ['migrate', '--format', 'json', '--bogus', 'x'],
    ['scan', '.', '--format', 'yaml', '--json'],
    ['verify', '--json'],
  ]) {
    const usage = cli(args);
    t.is(usage.code, 2, args.join(' '));
    t.deepEqual(resultValidator('usageError')(JSON.parse(usage.stdout)), [], args.join(' '));
  }
});

test('a whole verify result (every optional part present) is a verifyResult', (t) => {
  const verify = resultValidator('verifyResult');
  const printed = JSON.parse(renderVerifyJson(VERIFY_RESULT)) as Record<string, unknown>;
  t.deepEqual(verify(printed), []);
  t.not(verify({ ...printed, verdict: 'different' }).length, 0);
});

test('the package ships the schema (package.json files)', (t) => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    files: string[];
    exports: Record<string, unknown>;
  };
  const rel = path.relative(ROOT, RESULT_SCHEMA);
  t.true(pkg.files.some((f) => rel === f || rel.startsWith(`${f}/`)));
  t.is(pkg.exports[`./${rel}`], `./${rel}`);
});
