/**
 * The SARIF log (`--format sarif`) against the SARIF 2.1.0 schema (vendored: test/fixtures/sarif/),
 * for migrations (migrated, declined, needing attention, a tree of several patterns), scan, verify
 * and a usage error; and what a code-scanning UI reads of it: rule ids, levels, messages, places
 * relative to the repository root, the catalogue as rules with help.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SRCROOT, catalogueHelp, renderSarif, type SarifInput } from '../../src/emit/report-sarif.js';
import { runMigrate } from '../../src/cli/migrate.js';
import { runMigrateTree } from '../../src/cli/migrate-tree.js';
import { CATALOGUE, diagnostic } from '../../src/model/diagnostic.js';
import { BIN, ROOT, caseInput } from '../helpers/fixtures.js';
import { sarifValidator } from '../helpers/schemas.js';
import { VERIFY_RESULT } from '../helpers/verify-result.js';

const validate = sarifValidator();

interface Log {
  version: string;
  runs: {
    tool: {
      driver: {
        name: string;
        version: string;
        rules: {
          id: string;
          shortDescription: { text: string };
          fullDescription: { text: string };
          help: { text: string; markdown?: string };
          defaultConfiguration: { level: string };
        }[];
      };
    };
    originalUriBaseIds: Record<string, { uri: string }>;
    invocations: { executionSuccessful: boolean }[];
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations?: {
        physicalLocation: {
          artifactLocation: { uri: string; uriBaseId?: string };
          region: { startLine: number; startColumn: number };
        };
      }[];
    }[];
    properties: Record<string, unknown>;
  }[];
}

const base = { cwd: ROOT, directory: '.', version: '0.1.0' } as const;
const sarif = (input: Omit<SarifInput, keyof typeof base> & Partial<SarifInput>) =>
  JSON.parse(renderSarif({ ...base, ...input })) as Log;

function migrateLog(name: string): Log {
  const dir = caseInput(name);
  const { result } = runMigrate(dir, { displayBase: ROOT });
  return sarif({ command: 'migrate', status: result.status, successful: true, diagnostics: result.diagnostics });
}

test('migrations, migrated, declined and needing attention, give valid SARIF 2.1.0 with one result per diagnostic', (t) => {
  for (const [name, status] of [
    ['href-counter', 'migrated'],
    ['add-tar-declined-copy', 'error'],
    ['bad-unconsumed-artifact', 'needs-attention'],
  ] as const) {
    const log = migrateLog(name);
    t.deepEqual(validate(log), [], name);
    const run = log.runs[0]!;
    t.is(run.properties.status, status, name);
    const { result } = runMigrate(caseInput(name), { displayBase: ROOT });
    t.deepEqual(
      run.results.map((r) => r.ruleId),
      result.diagnostics.map((d) => d.code),
      name,
    );
  }
  t.true(migrateLog('add-tar-declined-copy').runs[0]!.results.some((r) => r.level === 'error'));
});

test('a result: rule id and index, level from the severity, the message, the place relative to %SRCROOT%', (t) => {
  const log = migrateLog('bad-unconsumed-artifact');
  const run = log.runs[0]!;
  const rs402 = run.results.find((r) => r.ruleId === 'RS402')!;
  t.is(rs402.level, 'warning');
  t.is(run.tool.driver.rules[rs402.ruleIndex]!.id, 'RS402');
  t.regex(rs402.message.text, /is not used by any later `docker build`/);
  t.deepEqual(rs402.locations![0]!.physicalLocation, {
    artifactLocation: { uri: 'test/fixtures/migrate/bad-unconsumed-artifact/input/build.sh', uriBaseId: SRCROOT },
    region: { startLine: 8, startColumn: 1 },
  });
  t.is(run.results.find((r) => r.ruleId === 'RS501')!.level, 'note');
  t.deepEqual(run.originalUriBaseIds[SRCROOT], { uri: `${pathToFileURL(ROOT).href}/` });
});

test('paths: relative to the repository of the directory whatever the current directory, URI-encoded; outside it a file: URI', (t) => {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-test-sarif-'));
  t.teardown(() => fs.rmSync(repo, { recursive: true, force: true }));
  fs.mkdirSync(path.join(repo, '.git'));
  fs.mkdirSync(path.join(repo, 'app', 'sub'), { recursive: true });
  const cwd = path.join(repo, 'app');
  const log = sarif({
    command: 'migrate',
    status: 'migrated',
    successful: true,
    cwd,
    directory: 'sub',
    diagnostics: [
      diagnostic('RS402', { file: 'sub/build sh #1.sh', line: 3, column: 7 }, 'm'),
      diagnostic('RS120', { file: '/elsewhere/x y', line: 1, column: 1 }, 'm'),
      diagnostic('RS100', { file: '', line: 1, column: 1 }, 'usage'),
    ],
  });
  t.deepEqual(validate(log), []);
  const [inside, outside, usage] = log.runs[0]!.results;
  t.deepEqual(inside!.locations![0]!.physicalLocation.artifactLocation, {
    uri: 'app/sub/build%20sh%20%231.sh',
    uriBaseId: SRCROOT,
  });
  t.deepEqual(inside!.locations![0]!.physicalLocation.region, { startLine: 3, startColumn: 7 });
  t.deepEqual(outside!.locations![0]!.physicalLocation.artifactLocation, { uri: 'file:///elsewhere/x%20y' });
  t.is(usage!.locations, undefined, 'a usage error has no place');
  t.is(log.runs[0]!.originalUriBaseIds[SRCROOT]!.uri, `${pathToFileURL(repo).href}/`);
});

test('the rules: the whole catalogue, each with its title, the README help and the default level', (t) => {
  const rules = migrateLog('href-counter').runs[0]!.tool.driver.rules;
  t.deepEqual(
    rules.map((r) => r.id),
    Object.keys(CATALOGUE),
  );
  const rs203 = rules.find((r) => r.id === 'RS203')!;
  t.is(rs203.shortDescription.text, CATALOGUE.RS203.title);
  t.is(rs203.defaultConfiguration.level, 'warning');
  t.regex(rs203.help.markdown!, /`FROM scratch`/);
  t.notRegex(rs203.help.text, /`/);
  t.is(rs203.fullDescription.text, rs203.help.text);
  t.is(rules.find((r) => r.id === 'RS501')!.defaultConfiguration.level, 'note');
});

test("the README's diagnostics table gives every catalogue code its help (an escaped | read as |)", (t) => {
  const help = catalogueHelp();
  t.deepEqual(
    Object.keys(CATALOGUE).filter((code) => !help.get(code)),
    [],
  );
  t.regex(help.get('RS356')!, /tar -x\[z\|J\|j\]f/);
  t.is(catalogueHelp('| RS999 | error | a \\| b |\n').get('RS999'), 'a | b');
  t.is(catalogueHelp(null).size, 0);
});

test('without the README, a rule carries the catalogue title as its help', (t) => {
  const log = sarif({
    command: 'scan',
    status: 'scanned',
    successful: true,
    diagnostics: [],
    help: catalogueHelp(null),
  });
  t.deepEqual(validate(log), []);
  const rs203 = log.runs[0]!.tool.driver.rules.find((r) => r.id === 'RS203')!;
  t.deepEqual(rs203.help, { text: CATALOGUE.RS203.title });
  t.is(rs203.fullDescription.text, CATALOGUE.RS203.title);
});

test('a tree of several patterns: one run holding every pattern’s diagnostics', (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-test-sarif-'));
  t.teardown(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.cpSync(caseInput('href-counter'), path.join(root, 'a'), { recursive: true });
  fs.cpSync(caseInput('add-tar-declined-copy'), path.join(root, 'b'), { recursive: true });
  const { results, several } = runMigrateTree(root, { displayBase: root });
  t.true(several);
  const diagnostics = results.flatMap((r) => r.diagnostics);
  const log = sarif({ command: 'migrate', status: 'error', successful: true, diagnostics, cwd: root });
  t.deepEqual(validate(log), []);
  t.is(log.runs[0]!.results.length, diagnostics.length);
  t.true(log.runs[0]!.results.some((r) => r.locations![0]!.physicalLocation.artifactLocation.uri.startsWith('b/')));
});

test('verify: its diagnostics as results, its verdict in the run’s properties', (t) => {
  const log = sarif({
    command: 'verify',
    status: VERIFY_RESULT.status,
    successful: true,
    diagnostics: VERIFY_RESULT.diagnostics,
    properties: { differences: 1, info: 1 },
  });
  t.deepEqual(validate(log), []);
  t.deepEqual(log.runs[0]!.properties, { command: 'verify', status: 'different', differences: 1, info: 1 });
  t.deepEqual(
    log.runs[0]!.results.map((r) => [r.ruleId, r.level]),
    [
      ['RS501', 'note'],
      ['RS706', 'warning'],
    ],
  );
});

test('the schema test can fail: a level SARIF does not have, a result without a message', (t) => {
  const log = migrateLog('bad-unconsumed-artifact');
  const result = log.runs[0]!.results[0]!;
  t.not(validate({ ...log, runs: [{ ...log.runs[0], results: [{ ...result, level: 'info' }] }] }).length, 0);
  const { message: _, ...noMessage } = result;
  t.not(validate({ ...log, runs: [{ ...log.runs[0], results: [noMessage] }] }).length, 0);
});

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('restage migrate/scan/verify --format sarif, and a usage error with it, print valid SARIF on stdout', (t) => {
  const migrate = cli(['migrate', 'test/fixtures/migrate/add-tar-declined-copy/input', '--format', 'sarif']);
  t.is(migrate.code, 2);
  t.is(migrate.stderr, '');
  const m = JSON.parse(migrate.stdout) as Log;
  t.deepEqual(validate(m), []);
  t.true(m.runs[0]!.results.some((r) => r.ruleId === 'RS344' && r.level === 'error'));
  const scan = cli(['scan', 'test/fixtures/migrate/add-tar-declined-copy', '--format=sarif']);
  t.is(scan.code, 0, scan.stderr);
  const s = JSON.parse(scan.stdout) as Log;
  t.deepEqual(validate(s), []);
  t.deepEqual(s.runs[0]!.properties, { command: 'scan', status: 'scanned', patterns: 1, migratable: 0 });
  const verify = cli(['verify', 'no/such/dir', '--format', 'sarif']);
  t.is(verify.code, 2);
  const v = JSON.parse(verify.stdout) as Log;
  t.deepEqual(validate(v), []);
  t.is(v.runs[0]!.results[0]!.ruleId, 'RS101');
  const usage = cli(['migrate', '--format', 'sarif', '--bogus']);
  t.is(usage.code, 2);
  const u = JSON.parse(usage.stdout) as Log;
  t.deepEqual(validate(u), []);
  t.deepEqual(
    u.runs[0]!.results.map((r) => [r.ruleId, r.message.text]),
    [['RS100', 'unknown flag: --bogus']],
  );
  t.false(u.runs[0]!.invocations[0]!.executionSuccessful);
});
