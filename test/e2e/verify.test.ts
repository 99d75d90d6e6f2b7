/**
 * `restage verify` end to end on a real engine, as a user runs it: every sample that builds
 * offline verifies as equivalent for restage's own migration under both builders, and a
 * deliberately wrong migration of each kind is reported with exit 1 and the right aspect. Base
 * images come from scripts/test-images.sh through --image-map.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, ROOT } from '../helpers/fixtures.js';
import { client, e2eTest, engine, unavailable } from './helpers/engine.js';
import { leftoversOf } from './helpers/verify-run.js';

const IMAGE_MAP = [
  'gcc=testbase/gcc:latest',
  'golang=testbase/golang:latest',
  'arm64v8/golang=testbase/golang:latest',
  'debian:bookworm-slim=testbase/debian-slim:bookworm',
  'busybox=testbase/busybox:latest',
].flatMap((m) => ['--image-map', m]);
const e2e = e2eTest(
  await unavailable([
    'testbase/gcc:latest',
    'testbase/golang:latest',
    'testbase/debian-slim:bookworm',
    'testbase/busybox:latest',
  ]),
);
const env = { ...process.env, ...(client ? { RESTAGE_DOCKER: client } : {}) };

interface VerifyJson {
  status: string;
  directory: string;
  session: string | null;
  differences: { aspect: string; message: string }[];
  engine: { backend: string } | null;
  failure: { message: string } | null;
  times: { overheadShare: number } | null;
}

function verify(args: string[]): { code: number | null; json: VerifyJson; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, 'verify', ...args, ...IMAGE_MAP, '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
    env,
  });
  let json: VerifyJson;
  try {
    json = JSON.parse(r.stdout) as VerifyJson;
  } catch {
    throw new Error(`verify printed no JSON (exit ${r.status}): ${r.stdout}\n${r.stderr}`);
  }
  return { code: r.status, json, stderr: r.stderr };
}

async function leftovers(): Promise<string[]> {
  const names = await engine.listNames('restage-');
  // Scratch directories of a verify session are named restage-<8 hex>-<role>-….
  const dirs = fs.readdirSync('/tmp').filter((n) => /^restage-[0-9a-f]{8}-/.test(n));
  return [...names.containers, ...names.images, ...dirs].filter((n) => !n.startsWith('restage-e2etest-'));
}

/**
 * Untagged images descending from `base`: what a classic build leaves of a stage that is not its
 * final image. (Other test files build on busybox only, so this does not see their images.)
 */
async function danglingFrom(base: string): Promise<string[]> {
  const baseId = (await engine.inspectImage(base)).Id;
  const ids = spawnSync(client ?? 'docker', ['images', '-q', '--no-trunc', '--filter', 'dangling=true'], {
    encoding: 'utf8',
    env,
  })
    .stdout.split('\n')
    .filter(Boolean);
  const found: string[] = [];
  for (const id of ids) {
    let cursor: string | undefined = id;
    for (let hops = 0; cursor && hops < 64; hops++) {
      if (cursor === baseId) {
        found.push(id);
        break;
      }
      cursor = ((await engine.inspectImage(cursor).catch(() => null))?.Parent as string | undefined) || undefined;
    }
  }
  return found;
}

for (const backend of ['buildkit', 'classic'] as const) {
  for (const dir of [
    'samples/hello-c',
    'samples/welcome',
    'samples/hello-go',
    'samples/dir-artifact',
    'test/fixtures/e2e/covered-artifacts',
  ]) {
    e2e(`verify ${dir} with ${backend}: restage's migration is equivalent`, async (t) => {
      const { code, json } = verify([dir, '--backend', backend]);
      t.is(json.status, 'equivalent', JSON.stringify(json.differences ?? json.failure, null, 1));
      t.is(code, 0);
      t.is(json.engine?.backend, backend);
      t.truthy(json.session);
      t.deepEqual(await leftoversOf(json.session), [], 'verify removes everything it made');
      if (dir.endsWith('dir-artifact'))
        t.deepEqual(await danglingFrom('testbase/debian-slim:bookworm'), [], 'and the untagged images of its builds');
    });
  }
}

const WRONG: [file: string, aspects: string[], mentions: RegExp][] = [
  ['dir-artifact.no-chown.Dockerfile', ['files'], /owner 1000:1000 in the migrated image, 0:0 in the legacy one/],
  ['dir-artifact.setuid-lost.Dockerfile', ['files'], /setuid/],
  ['dir-artifact.symlink-copied.Dockerfile', ['files'], /app-latest/],
  ['welcome.extra-env.Dockerfile', ['config'], /GREETING/],
  ['welcome.workdir.Dockerfile', ['config'], /WorkingDir/],
  ['hello-c.extra-file.Dockerfile', ['files'], /hello\.c/],
  ['hello-c.exec-form.Dockerfile', ['config', 'run'], /Cmd|exit code/],
];

for (const [file, aspects, mentions] of WRONG) {
  e2e(`verify --dockerfile ${file}: reported with exit 1 and the ${aspects.join(' and ')} aspect`, async (t) => {
    const sample = file.split('.')[0]!;
    const { code, json } = verify([
      `samples/${sample}`,
      '--backend',
      'buildkit',
      '--dockerfile',
      path.join('test', 'fixtures', 'verify', file),
    ]);
    t.is(json.status, 'different', JSON.stringify(json.failure));
    t.is(code, 1);
    for (const aspect of aspects)
      t.true(
        json.differences.some((d) => d.aspect === aspect),
        `${aspect} among ${JSON.stringify(json.differences.map((d) => d.aspect))}`,
      );
    t.true(
      json.differences.some((d) => mentions.test(d.message)),
      JSON.stringify(json.differences.map((d) => d.message)),
    );
  });
}

e2e('verify on a tree whose one builder pattern lies below it proves that pattern', async (t) => {
  const tree = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-e2etest-tree-'));
  t.teardown(() => fs.rmSync(tree, { recursive: true, force: true }));
  fs.cpSync(path.join(ROOT, 'samples', 'hello-c'), path.join(tree, 'services', 'hello c'), { recursive: true });
  const { code, json } = verify([tree]);
  t.is(json.status, 'equivalent', JSON.stringify(json.differences ?? json.failure, null, 1));
  t.is(code, 0);
  t.is(json.directory, path.join(tree, 'services', 'hello c'));
  t.deepEqual(await leftoversOf(json.session), [], 'verify removes everything it made');
});

e2e('the text report leads with the verdict and shows both values', async (t) => {
  const r = spawnSync(
    process.execPath,
    [
      BIN,
      'verify',
      'samples/dir-artifact',
      '--dockerfile',
      'test/fixtures/verify/dir-artifact.no-chown.Dockerfile',
      ...IMAGE_MAP,
      '--quiet',
    ],
    { cwd: ROOT, encoding: 'utf8', env },
  );
  t.is(r.status, 1);
  t.regex(r.stdout, /^restage verify: samples\/dir-artifact: \d+ differences?\n/);
  t.regex(r.stdout, /\n {2}files:\n/);
  t.regex(r.stdout, /\/opt\/app\/bin: owner 1000:1000 in the migrated image, 0:0 in the legacy one/);
  t.regex(r.stdout, /… and \d+ more with the same owner \(legacy 0:0, migrated 1000:1000\); --json lists them all/);
  t.regex(r.stdout, /\nsizes: legacy .* MB, migrated .* MB/);
  t.regex(r.stdout, /\ntimes: legacy build .* verify's own overhead/);
});

e2e('an unreachable engine exits 3 and says how to start one', async (t) => {
  const r = spawnSync(process.execPath, [BIN, 'verify', 'samples/hello-c', '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
  });
  t.is(r.status, 3);
  const json = JSON.parse(r.stdout) as VerifyJson;
  t.is(json.status, 'engine-failure');
  t.regex(json.failure!.message, /no container engine answers.*Start one/s);
});

e2e('a failing build exits 3 with its last log lines', async (t) => {
  const broken = fs.mkdtempSync('/tmp/restage-test-broken-');
  t.teardown(() => fs.rmSync(broken, { recursive: true, force: true }));
  fs.cpSync(path.join(ROOT, 'samples', 'hello-c'), broken, { recursive: true });
  fs.writeFileSync(path.join(broken, 'hello.c'), 'int main( { return 0; }\n');
  const before = await leftovers();
  const r = spawnSync(process.execPath, [BIN, 'verify', broken, ...IMAGE_MAP, '--quiet', '--legacy=replay'], {
    cwd: ROOT,
    encoding: 'utf8',
    env,
  });
  t.is(r.status, 3);
  t.regex(r.stdout, /engine failure/);
  t.regex(
    r.stdout,
    /failed at: legacy: docker build hello-c:build: the build failed \(exit 1\)\nlast log lines:\n[\s\S]*\| hello\.c:1:11: error/,
  );
  // What was there before (another run's remains on a shared machine) is not this run's.
  t.deepEqual(
    (await leftovers()).filter((x) => !before.includes(x)),
    [],
  );
  // Run for real, the same failure is the pipeline's: exit 2 at the build's line, with the compiler's words.
  const run = spawnSync(process.execPath, [BIN, 'verify', broken, ...IMAGE_MAP, '--quiet', '--legacy=run'], {
    cwd: ROOT,
    encoding: 'utf8',
    env,
  });
  t.is(run.status, 2, run.stdout + run.stderr);
  t.regex(run.stdout, /failed at: legacy run: exited \d+\nlast log lines:\n[\s\S]*hello\.c:1:11: error/);
  t.regex(run.stdout, /build\.sh:3:1 error RS705 .*at `docker build -t hello-c:build -f Dockerfile\.build \.`/);
  t.deepEqual(
    (await leftovers()).filter((x) => !before.includes(x)),
    [],
  );
});

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  e2e(`${signal} mid-build removes every container, image and scratch directory verify made`, async (t) => {
    const before = await leftovers();
    // The replay's steps are the points of interest; test/e2e/legacy-run.test.ts interrupts a real run.
    const child = spawn(process.execPath, [BIN, 'verify', 'samples/welcome', ...IMAGE_MAP, '--legacy=replay'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    const interrupted = new Promise<void>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        // The first build has ended: the second (docker create, then the runtime build) is under way.
        if (/legacy: docker (image )?build .*: done/.test(stderr) && !child.killed) {
          child.kill(signal);
          resolve();
        }
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    await interrupted;
    t.is(await exited, code, stdout + stderr);
    t.regex(stdout, /interrupted/);
    t.deepEqual(
      (await leftovers()).filter((x) => !before.includes(x)),
      [],
    );
  });
}

e2e('--keep keeps and lists what verify made', async (t) => {
  const r = spawnSync(
    process.execPath,
    [BIN, 'verify', 'samples/hello-c', ...IMAGE_MAP, '--keep', '--json', '--no-run'],
    { cwd: ROOT, encoding: 'utf8', env },
  );
  const json = JSON.parse(r.stdout) as { kept: string[]; session: string | null };
  t.is(r.status, 0);
  t.true(
    json.kept.some((k) => k.startsWith('image restage-')),
    JSON.stringify(json.kept),
  );
  for (const k of json.kept) {
    const [kind, name] = k.split(' ') as [string, string];
    if (kind === 'image') await engine.rmi({ image: name, force: true, missingOk: true });
    if (kind === 'container') await engine.rm({ container: name, force: true, missingOk: true });
    if (kind === 'directory') fs.rmSync(name, { recursive: true, force: true });
  }
  t.deepEqual(await leftoversOf(json.session), []);
});
