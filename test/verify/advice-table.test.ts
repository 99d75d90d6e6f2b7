/**
 * Advice must be true (verify's side): each row builds a case where RS103, RS310, RS701 or RS703 fires,
 * checks the advice it gives, follows it mechanically through the pure planning functions (or a
 * fake engine that only answers which images it holds) and checks the diagnostic is gone.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyzeDirectory } from '../../src/migrate.js';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import { missingBases, textBases } from '../../src/verify/bases.js';
import { EngineError, type Engine } from '../../src/verify/engine/engine.js';
import { replayRefusals } from '../../src/verify/refusals.js';
import { flowPaths } from '../../src/verify/sides.js';
import { parseImageMap, scratchArea } from '../../src/verify/scratch.js';
import { createProgress } from '../../src/verify/progress.js';
import { Session } from '../../src/verify/session.js';
import type { VerifyOptions } from '../../src/verify/options.js';
import { verify } from '../../src/verify/verify.js';

const BUILDER = 'FROM busybox:latest\nWORKDIR /src\nRUN echo hi > app\n';
const EXTRACT = 'docker create --name x b:1\ndocker cp x:/src/app ./app\ndocker rm -f x';
const script = (body: string) => `#!/bin/sh\nset -e\n${body}\n`;

function refusals(
  t: { teardown: (f: () => void) => void },
  buildSh: string,
  env?: Record<string, string>,
): Diagnostic[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-test-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries({
    Dockerfile: 'FROM busybox:latest\nCOPY app /app\n',
    'Dockerfile.build': BUILDER,
    'build.sh': buildSh,
  }))
    fs.writeFileSync(path.join(dir, name), text);
  const m = analyzeDirectory(dir, { displayBase: dir, ...(env ? { env } : {}) });
  return replayRefusals(m.analysis!, scratchArea(m.root, flowPaths(m.analysis!)));
}

interface RefusalRow {
  readonly pre: string;
  readonly advice: RegExp;
  readonly not?: RegExp;
  readonly follow: { pre: string; env?: Record<string, string> };
  readonly why: string;
}

const refusal = test.macro({
  exec(t, row: RefusalRow) {
    const before = refusals(
      t,
      script(`${row.pre}\ndocker build -t b:1 -f Dockerfile.build .\n${EXTRACT}\ndocker build -t r:1 .`),
    );
    const d = before.find((x) => x.code === 'RS310');
    if (!d) return t.fail('RS310 does not fire');
    t.regex(d.message, row.advice);
    if (row.not) t.notRegex(d.message, row.not);
    const after = refusals(
      t,
      script(`${row.follow.pre}\ndocker build -t b:1 -f Dockerfile.build .\n${EXTRACT}\ndocker build -t r:1 .`),
      row.follow.env,
    );
    t.deepEqual(after, [], row.why);
  },
  title: (_p, row: RefusalRow) => `RS310: "${row.advice.source}" holds: ${row.why}`,
});

test(refusal, {
  pre: 'rm -rf "$STAGING/probe"',
  advice: /--env STAGING=VALUE/,
  follow: { pre: 'rm -rf "$STAGING/probe"', env: { STAGING: '/tmp/restage-never-staging' } },
  why: '--env decides the path, which the replay maps into its scratch area',
});
test(refusal, {
  pre: 'rm -rf "$STAGING/probe"',
  advice: /\$\{STAGING:-\/tmp\/out\}/,
  follow: { pre: 'rm -rf "${STAGING:-/tmp/out}/probe"' },
  why: 'a default decides the path',
});
test(refusal, {
  pre: 'mkdir -p ~/.cache/x',
  advice: /write the path without ~/,
  not: /\$\{NAME/,
  follow: { pre: 'mkdir -p /tmp/restage-never-cache/x' },
  why: '~ is no variable: a default or --env does not change it',
});
test(refusal, {
  pre: 'D=$(mktemp -d)\nrm -rf "$D/x"',
  advice: /set the variable in the script to a literal value/,
  follow: { pre: 'D=/tmp/restage-never-d\nrm -rf "$D/x"' },
  why: 'a literal replaces the command output',
});

// RS701: a fake engine that holds only the images listed; the advice's --image-map entry is added to the user's.
const holding = (present: readonly string[]) =>
  ({
    inspectImage: async (ref: string) => {
      if (present.includes(ref)) return { Id: ref };
      throw new EngineError('no such image', [], 1, 'Error: No such image', true);
    },
  }) as unknown as Engine;

interface MapRow {
  readonly dockerfile: string;
  readonly given: readonly string[];
  readonly advice: RegExp;
  readonly why: string;
}
const mapped = test.macro({
  async exec(t, row: MapRow) {
    const engine = holding(['testbase/golang:latest']);
    const signal = new AbortController().signal;
    const before = await missingBases(
      engine,
      textBases('Dockerfile', row.dockerfile, parseImageMap(row.given)),
      signal,
    );
    t.is(before.length, 1);
    t.is(before[0]!.code, 'RS701');
    const entry = /`--image-map (\S+)=<local image>`/.exec(before[0]!.message)?.[1];
    if (!entry) return t.fail(before[0]!.message);
    t.regex(entry, row.advice);
    const after = await missingBases(
      engine,
      textBases('Dockerfile', row.dockerfile, parseImageMap([...row.given, `${entry}=testbase/golang:latest`])),
      signal,
    );
    t.deepEqual(after, [], row.why);
  },
  title: (_p, row: MapRow) =>
    `RS701: --image-map ${row.advice.source}=… holds (${row.given.join(' ') || 'no map given'}): ${row.why}`,
});

test(mapped, {
  dockerfile: 'FROM golang:1.22 AS b\n',
  given: [],
  advice: /^golang:1\.22$/,
  why: 'the FROM side is the reference as written',
});
test(mapped, {
  dockerfile: 'FROM golang:1.22 AS b\n',
  given: ['golang=restage-test/missing-go:1'],
  advice: /^golang:1\.22$/,
  why: 'an entry naming the tag wins over an earlier one naming the repository',
});
test(mapped, {
  dockerfile: 'FROM golang AS b\n',
  given: ['golang:latest=restage-test/missing-go:1'],
  advice: /^golang:latest$/,
  why: 'without a tag the advice spells :latest, so it is as exact as the entry it must win over',
});

test.serial(
  'RS703: the command given for a scratch directory removes exactly it, whatever its path holds',
  async (t) => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-test-'));
    t.teardown(() => fs.rmSync(parent, { recursive: true, force: true }));
    const tmp = path.join(parent, "a b$x'c");
    fs.mkdirSync(tmp);
    fs.mkdirSync(path.join(parent, 'a'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    t.teardown(() => {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    });
    const session = new Session('restage-0dd0dd0d');
    const dir = session.scratch('legacy');
    // The removal fails (what cleanup cannot undo is then reported with a command).
    const rmSync = fs.rmSync;
    fs.rmSync = () => {
      throw new Error('EBUSY');
    };
    const report = await session.cleanup(null, false).finally(() => {
      fs.rmSync = rmSync;
    });
    t.is(report.failed.length, 1);
    t.is(report.failed[0]!.what, `directory ${dir}`);
    const ran = spawnSync('/bin/sh', ['-c', report.failed[0]!.command], { encoding: 'utf8' });
    t.is(ran.status, 0, ran.stderr);
    t.false(fs.existsSync(dir));
    t.true(fs.existsSync(path.join(parent, 'a')), 'nothing else is removed');
  },
);

// RS103 (--dockerfile): an engine that does not answer, so verify stops right after its input checks.
const silent = {
  ping: () => Promise.resolve({ ok: false, message: 'no engine in this test' }),
} as unknown as Engine;
const options = (dockerfile: string): VerifyOptions => ({
  engine: silent,
  dockerfile,
  network: 'none',
  imageMap: parseImageMap([]),
  buildArgs: {},
  strictMtime: false,
  ignore: [],
  run: null,
  keep: false,
  progress: createProgress('quiet'),
  signal: new AbortController().signal,
});

test('RS103: a --dockerfile given relative to the verified directory is not found, and the path relative to the current directory, as advised, is', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-test-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries({
    Dockerfile: 'FROM busybox:latest\nCOPY app /app\n',
    'Dockerfile.build': BUILDER,
    'Dockerfile.multi': `${BUILDER.replace('busybox:latest', 'busybox:latest AS b')}FROM busybox:latest\nCOPY --from=b /src/app /app\n`,
    'build.sh': script(`docker build -t b:1 -f Dockerfile.build .\n${EXTRACT}\ndocker build -t r:1 .`),
  }))
    fs.writeFileSync(path.join(dir, name), text);
  t.false(fs.existsSync('Dockerfile.multi'), 'the test runs where no Dockerfile.multi is');
  const given = await verify(dir, options('Dockerfile.multi'));
  const d = given.diagnostics.find((x) => x.code === 'RS103');
  if (!d) return t.fail(JSON.stringify(given.diagnostics));
  t.regex(d.message, /--dockerfile is a path relative to the current directory \(not to the directory verified/);
  const followed = await verify(dir, options(path.relative(process.cwd(), path.join(dir, 'Dockerfile.multi'))));
  t.deepEqual(
    followed.diagnostics.filter((x) => x.code === 'RS103'),
    [],
  );
  t.is(followed.status, 'engine-failure', 'verify went on to the engine');
});
