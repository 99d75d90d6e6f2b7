/**
 * PodmanEngine against a real rootful podman, with the test images copied from the docker engine.
 * Set it up with `bash scripts/engine.sh start && bash scripts/test-images.sh && bash scripts/engine.sh podman`;
 * the CLI test also needs `npm run build` (bin/restage.js runs dist/).
 * Without podman or its images these tests are skipped with the reason, unless
 * RESTAGE_E2E_PODMAN=1, where they fail (RESTAGE_E2E does not apply: CI decides per engine).
 * Everything they create is named `restage-e2etest-podman-<run>-…` and removed at the end.
 * The tests every engine passes are in helpers/engine-contract.ts; these are podman's own.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PodmanEngine } from '../../src/verify/engine/podman.js';
import { e2eTest, unavailable } from './helpers/engine.js';
import { engineContract, eventually, tarEntries } from './helpers/engine-contract.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BASE = 'testbase/busybox:latest';
const GCC = 'testbase/gcc:latest';
const PREFIX = `restage-e2etest-podman-${randomBytes(3).toString('hex')}-`;
const SETUP = 'bash scripts/engine.sh start && bash scripts/test-images.sh && bash scripts/engine.sh podman';
const engine = new PodmanEngine();

const reason = await unavailable([BASE, GCC], engine, {
  unreachable: (client, message) => `podman unusable through ${client} (${message}); set it up with: ${SETUP}`,
  missingImage: (image) => `podman has no ${image}; copy it from docker with: ${SETUP}`,
});
const e2e = e2eTest(reason, 'RESTAGE_E2E_PODMAN');

/** The FIFO directories PodmanEngine.export makes in the temp directory. */
async function exportDirs(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((n) => n.startsWith('restage-podman-export-')).sort();
}

const { scratchDir, context, testImage } = engineContract({
  engine,
  kind: 'podman',
  withClient: (client) => new PodmanEngine({ client }),
  prefix: PREFIX,
  base: BASE,
  // One builder (Buildah): the backend does not apply; both requests give Buildah's log.
  backends: ['classic', 'buildkit'],
  backendIgnored: true,
  e2e,
  checkBuild: (t, { tag, logged, image, history }) => {
    t.true(
      logged.some((l) => /^STEP \d+\/\d+: /.test(l)),
      logged.join('\n'),
    );
    t.false(
      logged.some((l) => /^#\d+ |^Step \d+\/\d+ :/.test(l)),
      logged.join('\n'),
    );
    t.deepEqual(image.RepoTags, [`localhost/${tag}`]);
    const run = history.find((h) => h.createdBy.includes('mkdir /out'));
    // Sizes are bytes (podman's --format templates print "5.12 kB" whatever --human says).
    t.true((run?.sizeBytes ?? 0) > 0 && (run?.sizeBytes ?? 0) % 512 === 0, JSON.stringify(run));
    t.true(
      history.some((h) => h.createdBy.includes('CMD') && h.sizeBytes === 0),
      JSON.stringify(history),
    );
    t.regex(history[0]?.id ?? '', /^[0-9a-f]{64}$/);
    t.regex(history[0]?.createdAt ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  },
  failedRunLog: [/about-to-fail/, /while running runtime: exit status 1/],
  // podman's own additions: no /.dockerenv; /run is the mount point of /run/.containerenv.
  exportAdds: ['run/'],
  exportLacks: ['.dockerenv'],
  exportTemps: exportDirs,
  timedOutRunSeconds: 8,
  cancelledRunSeconds: 12,
});

e2e('the client comes from RESTAGE_PODMAN', async (t) => {
  t.is(new PodmanEngine({ env: { RESTAGE_PODMAN: '/opt/podman' } }).client, '/opt/podman');
  t.is(new PodmanEngine({ env: {} }).client, 'podman');
});

e2e('a build never pulls a missing base', async (t) => {
  const result = await engine.build({
    context: await context('nobase', `FROM ${PREFIX}missing:latest\nRUN true\n`),
    tag: `${PREFIX}nobase:latest`,
    backend: 'classic',
    noCache: true,
  });
  t.false(result.ok);
  t.true(
    result.logTail.some((l) => /image not known/.test(l)),
    result.logTail.join('\n'),
  );
  t.false(
    result.logTail.some((l) => /registry|pull/i.test(l)),
    result.logTail.join('\n'),
  );
});

e2e('cp --archive is accepted; a root-owned file stays root-owned', async (t) => {
  const name = `${PREFIX}archive`;
  await engine.create({ image: await testImage(), name, command: ['/x'] });
  try {
    const out = await scratchDir();
    // Copying out, neither podman 4.3 nor docker 20.10 keeps a non-root owner (measured with a
    // 1000:1000 file: 0:0 on the host either way); this file is root's anyway.
    await engine.cp({ container: name, from: '/out/a.txt', to: join(out, 'archived.txt'), archive: true });
    t.is((await lstat(join(out, 'archived.txt'))).uid, 0);
  } finally {
    await engine.rm({ container: name, force: true });
  }
  t.deepEqual((await engine.listNames(name)).containers, []);
});

e2e('an export stream destroyed early stops the client; a cancelled one rejects', async (t) => {
  const name = `${PREFIX}export-early`;
  const before = await exportDirs();
  await engine.create({ image: GCC, name, command: ['/x'] });
  try {
    const stream = await engine.export(name);
    await new Promise<void>((resolve, reject) => {
      stream.once('data', () => resolve());
      stream.once('error', reject);
    });
    stream.destroy();
    t.true(
      await eventually(async () => (await exportDirs()).join() === before.join(), 10),
      'client gone, FIFO removed',
    );

    const controller = new AbortController();
    const cancelled = await engine.export(name, { signal: controller.signal });
    cancelled.once('data', () => controller.abort());
    const error = await t.throwsAsync(tarEntries(cancelled));
    t.is(error?.name, 'AbortError');
    t.true(
      await eventually(async () => (await exportDirs()).join() === before.join(), 10),
      'client gone, FIFO removed',
    );
  } finally {
    await engine.rm({ container: name, force: true });
  }
});

e2e('run with an empty entrypoint runs the given command', async (t) => {
  const result = await engine.run({ image: await testImage(), entrypoint: '', args: ['pwd'], name: `${PREFIX}entry` });
  t.is(result.exitCode, 0, result.stderr);
  t.is(result.stdout, '/out\n');
});

/** Buildah's working containers (one per build stage in progress, or leaked by a killed build). */
async function workingContainers(): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(engine.client, ['ps', '--all', '--external', '--format', '{{.ID}}'], (error, stdout) =>
      error
        ? reject(new Error(error.message, { cause: error }))
        : resolve(
            stdout
              .split('\n')
              .filter((l) => l !== '')
              .sort(),
          ),
    );
  });
}

/** Pids of processes whose argv holds `marker`. */
async function processesWith(marker: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (argv.split('\0').includes(marker)) found.push(Number(entry));
  }
  return found;
}

e2e('a cancelled build rejects and leaves no RUN container or working container behind', async (t) => {
  const marker = `${PREFIX}slow-marker`;
  const before = await workingContainers();
  const controller = new AbortController();
  let running: number[] = [];
  const build = engine.build({
    context: await context('slow', `FROM ${BASE}\nRUN sh -c 'sleep 60; true' ${marker}\n`),
    tag: `${PREFIX}slow:latest`,
    backend: 'classic',
    noCache: true,
    signal: controller.signal,
    onLog: (line) => {
      if (/sleep 60/.test(line)) {
        // Abort once the RUN container's process is up.
        void eventually(async () => (running = await processesWith(marker)).length > 0, 10).then(() =>
          controller.abort(),
        );
      }
    },
  });
  const error = await t.throwsAsync(build);
  const started = Date.now();
  t.is(error?.name, 'AbortError');
  t.true(running.length > 0, 'the RUN step was running when the build was cancelled');
  t.deepEqual(await processesWith(marker), [], 'the RUN container is gone');
  t.true(
    await eventually(async () => (await workingContainers()).join() === before.join(), 5),
    'no working container left',
  );
  t.true((Date.now() - started) / 1000 < 5);
  t.false((await engine.listNames(PREFIX)).images.includes(`${PREFIX}slow:latest`));
});

/** Ids of untagged images that no tagged image is built on. */
async function danglingImages(): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(engine.client, ['images', '--quiet', '--no-trunc', '--filter', 'dangling=true'], (error, stdout) =>
      error ? reject(new Error(error.message, { cause: error })) : resolve(stdout.split('\n').filter((l) => l !== '')),
    );
  });
}

const CLI = join(ROOT, 'bin', 'restage.js');
const e2eCli = e2eTest(
  reason || (existsSync(join(ROOT, 'dist', 'cli.cjs')) ? '' : 'dist/ is missing: run npm run build'),
  'RESTAGE_E2E_PODMAN',
);

e2eCli('the CLI verifies samples/hello-c on podman as equivalent', async (t) => {
  const args = [CLI, 'verify', 'samples/hello-c', '--engine', 'podman', '--image-map', `gcc=${GCC}`, '--json'];
  // A private temp directory: verify's scratch directories stay out of /tmp, where
  // test/e2e/verify.test.ts, running at the same time, counts them as its own leftovers.
  const tmp = join(await scratchDir(), 'cli-tmp');
  await mkdir(tmp);
  const env = { ...process.env, TMPDIR: tmp };
  const danglingBefore = await danglingImages();
  const namesBefore = await engine.listNames('restage-');
  const made = (names: { containers: string[]; images: string[] }) => [
    ...names.containers.filter((n) => !namesBefore.containers.includes(n)),
    ...names.images.filter((n) => !namesBefore.images.includes(n)),
  ];
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve) => {
      execFile(
        process.execPath,
        args,
        { cwd: ROOT, env, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 },
        (error, out, err) =>
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout: out, stderr: err }),
      );
    },
  );
  let report: {
    status?: string;
    engine?: { kind?: string };
    failure?: unknown;
    differences?: unknown[];
    kept?: unknown[];
  };
  try {
    report = JSON.parse(stdout) as typeof report;
  } catch {
    t.fail(`exit ${code}, no JSON report:\n${stdout}\n${stderr}`);
    return;
  }
  t.is(
    report.status,
    'equivalent',
    JSON.stringify({ failure: report.failure, differences: report.differences }, null, 2),
  );
  t.is(report.engine?.kind, 'podman');
  t.is(code, 0, stderr);
  t.deepEqual(report.kept, []);
  // verify removes what it made: its containers, tagged images and scratch directories.
  // Only what this run made: another run's remains on a shared machine are not its.
  t.deepEqual(
    made(await engine.listNames('restage-')).filter((n) => !n.startsWith('restage-e2etest-')),
    [],
  );
  t.deepEqual(await readdir(tmp), []);
  // And the untagged images of its builds' other stages (read off the build logs).
  t.deepEqual(
    (await danglingImages()).filter((id) => !danglingBefore.includes(id)),
    [],
  );
});
