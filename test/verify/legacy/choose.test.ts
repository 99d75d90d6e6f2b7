/**
 * Which way the legacy image is made: --legacy=replay always replays; auto runs when bubblewrap
 * works and says once why it replays otherwise (RS708); --legacy=run without bubblewrap is refused
 * with the install hint. RESTAGE_BWRAP names the bubblewrap to probe (here: one that is missing).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { analyzeDirectory } from '../../../src/migrate.js';
import { chooseLegacy } from '../../../src/verify/legacy/choose.js';
import type { VerifyOptions } from '../../../src/verify/options.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-choose-test-'));
fs.cpSync(path.join('samples', 'hello-c'), dir, { recursive: true });
test.after.always(() => fs.rmSync(dir, { recursive: true, force: true }));
const migration = analyzeDirectory(dir);
const options = (legacy: 'auto' | 'run' | 'replay') => ({ legacy }) as unknown as VerifyOptions;

function withBwrap<T>(bwrap: string, f: () => T): T {
  const saved = process.env.RESTAGE_BWRAP;
  process.env.RESTAGE_BWRAP = bwrap;
  try {
    return f();
  } finally {
    if (saved === undefined) delete process.env.RESTAGE_BWRAP;
    else process.env.RESTAGE_BWRAP = saved;
  }
}

test.serial('--legacy=replay replays, and says nothing about it', (t) => {
  const choice = withBwrap('/nonexistent/bwrap', () => chooseLegacy(migration, options('replay')));
  t.false('refused' in choice);
  if ('refused' in choice) return;
  t.deepEqual(choice.mode, { kind: 'replay', reason: null });
  t.deepEqual(choice.diagnostics, []);
});

test.serial('auto without a working bubblewrap replays, with one RS708 that says why', (t) => {
  const choice = withBwrap('/nonexistent/bwrap', () => chooseLegacy(migration, options('auto')));
  if ('refused' in choice) return t.fail(choice.refused);
  t.is(choice.mode.kind, 'replay');
  t.is(choice.diagnostics.length, 1);
  t.is(choice.diagnostics[0]!.code, 'RS708');
  t.regex(
    choice.diagnostics[0]!.message,
    /bubblewrap \(\/nonexistent\/bwrap\) is not installed; install it \(Debian\/Ubuntu: `apt-get install bubblewrap`/,
  );
});

test.serial('--legacy=run without a working bubblewrap is refused with the install hint', (t) => {
  const choice = withBwrap('/nonexistent/bwrap', () => chooseLegacy(migration, options('run')));
  t.true('refused' in choice);
  if (!('refused' in choice)) return;
  t.regex(choice.refused, /--legacy=run needs bubblewrap: .*apt-get install bubblewrap/);
});

test.serial(
  "with nothing to run (no script, no --legacy-cmd) the directory's own Dockerfile is the legacy side, also under --legacy=run",
  (t) => {
    for (const mode of ['run', 'auto'] as const) {
      const choice = chooseLegacy({ ...migration, script: null }, options(mode));
      if ('refused' in choice) return t.fail(choice.refused);
      t.is(choice.mode.kind, 'replay');
      t.regex(choice.mode.kind === 'replay' ? (choice.mode.reason ?? '') : '', /no build script to run.*--legacy-cmd/);
    }
  },
);

const composeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-choose-compose-'));
fs.cpSync(path.join('test', 'fixtures', 'migrate', 'compose-run-build-map', 'input'), composeDir, { recursive: true });
test.after.always(() => fs.rmSync(composeDir, { recursive: true, force: true }));

test.serial(
  'a pipeline that runs Compose is run in the sandbox like any other, under auto and --legacy=run (the shim stands in for Compose)',
  (t) => {
    const composed = analyzeDirectory(composeDir);
    for (const mode of ['auto', 'run'] as const) {
      const choice = chooseLegacy(composed, options(mode));
      if ('refused' in choice) return t.fail(choice.refused);
      t.is(choice.mode.kind, 'run', mode);
      t.deepEqual(choice.diagnostics, [], mode);
    }
  },
);

/** The npm-tsx-build-ts golden's tree (`tsx scripts/build.ts` from package.json line 7), with `extra` files added. */
function tsxCase(extra: Record<string, string> = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-choose-tsx-'));
  fs.cpSync(path.join('test', 'fixtures', 'migrate', 'npm-tsx-build-ts', 'input'), root, { recursive: true });
  for (const [name, text] of Object.entries(extra)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

function withPath<T>(value: string, f: () => T): T {
  const saved = process.env.PATH;
  process.env.PATH = value;
  try {
    return f();
  } finally {
    process.env.PATH = saved;
  }
}

test.serial(
  'a pipeline that runs tsx absent from the tree: --legacy=run is refused (RS385), auto replays and says why',
  (t) => {
    const root = tsxCase();
    t.teardown(() => fs.rmSync(root, { recursive: true, force: true }));
    const tsx = analyzeDirectory(root, { displayBase: root });
    const run = withPath('/nonexistent', () =>
      chooseLegacy(tsx, { legacy: 'run', displayBase: root } as VerifyOptions),
    );
    if ('refused' in run) return t.fail(run.refused);
    t.deepEqual(
      run.diagnostics.map((d) => `${d.code}@${d.file}:${d.line}:${d.column}`),
      ['RS385@package.json:7:16'],
    );
    t.regex(run.diagnostics[0]!.message, /runs tsx .*no node_modules\/\.bin\/tsx.*verify with --legacy=replay/);
    const auto = withPath('/nonexistent', () =>
      chooseLegacy(tsx, { legacy: 'auto', displayBase: root } as VerifyOptions),
    );
    if ('refused' in auto) return t.fail(auto.refused);
    t.is(auto.mode.kind, 'replay');
    t.deepEqual(
      auto.diagnostics.map((d) => d.code),
      ['RS708'],
    );
    t.regex(auto.diagnostics[0]!.message, /the pipeline runs tsx \(package\.json:7\)/);
  },
);

test.serial("the project's own node_modules/.bin/tsx is what npm runs: no refusal", (t) => {
  const root = tsxCase({ 'node_modules/.bin/tsx': '#!/bin/sh\n' });
  t.teardown(() => fs.rmSync(root, { recursive: true, force: true }));
  const tsx = analyzeDirectory(root, { displayBase: root });
  const choice = withBwrap('/nonexistent/bwrap', () =>
    withPath('/nonexistent', () => chooseLegacy(tsx, { legacy: 'auto', displayBase: root } as VerifyOptions)),
  );
  if ('refused' in choice) return t.fail(choice.refused);
  t.deepEqual(
    choice.diagnostics.map((d) => d.code),
    ['RS708'],
  );
  t.regex(choice.diagnostics[0]!.message, /bubblewrap/);
});
