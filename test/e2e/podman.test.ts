/**
 * PodmanEngine against a real rootful podman, with the test images copied from the docker engine.
 * Set it up with `bash scripts/engine.sh start && bash scripts/test-images.sh && bash scripts/engine.sh podman`;
 * the CLI test also needs `npm run build` (bin/restage.js runs dist/).
 * Without podman or its images these tests are skipped with the reason, unless
 * RESTAGE_E2E_PODMAN=1, where they fail (RESTAGE_E2E does not apply: CI decides per engine).
 * Everything they create is named `restage-e2etest-podman-<run>-…` and removed at the end.
 */
import test, { type ExecutionContext } from 'ava';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { PodmanEngine } from '../../src/verify/engine/podman.js';
import { EngineError, type Backend } from '../../src/verify/engine/engine.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const REQUIRED = process.env.RESTAGE_E2E_PODMAN === '1';
const BASE = 'testbase/busybox:latest';
const GCC = 'testbase/gcc:latest';
const PREFIX = `restage-e2etest-podman-${randomBytes(3).toString('hex')}-`;
const SETUP = 'bash scripts/engine.sh start && bash scripts/test-images.sh && bash scripts/engine.sh podman';
const engine = new PodmanEngine();

/** Why these tests cannot run here ('' when they can). */
async function unavailable(images: readonly string[]): Promise<string> {
  const ping = await engine.ping();
  if (!ping.ok) return `podman unusable through ${engine.client} (${ping.message}); set it up with: ${SETUP}`;
  for (const image of images) {
    if (!(await engine.inspectImage(image).then(() => true, () => false))) {
      return `podman has no ${image}; copy it from docker with: ${SETUP}`;
    }
  }
  return '';
}

const reason = await unavailable([BASE, GCC]);

/** Registers a test: runs it (serially), fails it (RESTAGE_E2E_PODMAN=1) or skips it with the reason. */
function e2e(title: string, impl: (t: ExecutionContext) => Promise<void>, why: string = reason): void {
  if (why === '') test.serial(title, impl);
  else if (REQUIRED) test(title, (t) => t.fail(`RESTAGE_E2E_PODMAN=1 but ${why}`));
  else test.skip(`${title} (skipped: ${why})`, impl);
}

let scratch = '';
async function scratchDir(): Promise<string> {
  scratch ||= await mkdtemp(join(tmpdir(), 'restage-e2etest-podman-'));
  return scratch;
}

/** A context whose Dockerfile makes a file, a directory and a symlink in a busybox image. */
async function context(name: string, dockerfile: string): Promise<string> {
  const dir = join(await scratchDir(), name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'Dockerfile'), dockerfile);
  await writeFile(join(dir, 'greeting.txt'), 'hello from the context\n');
  return dir;
}

const DOCKERFILE = [
  `FROM ${BASE}`,
  'COPY greeting.txt /greeting.txt',
  'RUN mkdir /out && echo built > /out/a.txt && ln -s a.txt /out/link',
  'WORKDIR /out',
  'CMD ["cat", "/out/a.txt"]',
  '',
].join('\n');

let imageOnce: Promise<string> | undefined;
/** The image most tests use, built once. */
function testImage(): Promise<string> {
  imageOnce ??= (async () => {
    const tag = `${PREFIX}image:latest`;
    const result = await engine.build({ context: await context('image', DOCKERFILE), tag, backend: 'classic', noCache: true });
    if (!result.ok) throw new Error(`build failed:\n${result.logTail.join('\n')}`);
    return tag;
  })();
  return imageOnce;
}

/** The entries of a tar stream (pax and GNU long-name headers are not entries). */
async function tarEntries(stream: Readable): Promise<string[]> {
  const names: string[] = [];
  let pending = Buffer.alloc(0);
  let skip = 0;
  let ended = false;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    pending = Buffer.concat([pending, chunk]);
    while (!ended) {
      if (skip > 0) {
        const n = Math.min(skip, pending.length);
        pending = pending.subarray(n);
        skip -= n;
        if (skip > 0) break;
      }
      if (pending.length < 512) break;
      const header = pending.subarray(0, 512);
      pending = pending.subarray(512);
      if (header.every((b) => b === 0)) {
        ended = true;
        break;
      }
      const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
      const prefix = header.subarray(345, 500).toString('utf8').replace(/\0.*$/s, '');
      const size = Number.parseInt(header.subarray(124, 136).toString('ascii').replace(/\0.*$/s, '').trim() || '0', 8);
      const type = String.fromCharCode(header[156] ?? 0);
      if (!['x', 'g', 'L', 'K'].includes(type)) names.push(prefix ? `${prefix}/${name}` : name);
      skip = Math.ceil(size / 512) * 512;
    }
  }
  return names;
}

/** The FIFO directories PodmanEngine.export makes in the temp directory. */
async function exportDirs(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((n) => n.startsWith('restage-podman-export-')).sort();
}

async function eventually(check: () => Promise<boolean>, seconds: number): Promise<boolean> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

e2e('ping reports the client version', async (t) => {
  const result = await engine.ping();
  t.true(result.ok, result.message);
  t.regex(result.version ?? '', /^\d+\.\d+/);
  t.is(engine.kind, 'podman');
  t.log(`${engine.client}: ${result.message}`);
});

e2e('ping of a missing client is not ok and says why', async (t) => {
  const missing = new PodmanEngine({ client: '/nonexistent/podman' });
  const result = await missing.ping();
  t.false(result.ok);
  t.regex(result.message, /not found/);
});

e2e('the client comes from RESTAGE_PODMAN', async (t) => {
  t.is(new PodmanEngine({ env: { RESTAGE_PODMAN: '/opt/podman' } }).client, '/opt/podman');
  t.is(new PodmanEngine({ env: {} }).client, 'podman');
});

// One builder (Buildah): the backend does not apply; both requests give Buildah's log.
for (const backend of ['classic', 'buildkit'] as Backend[]) {
  e2e(`build with backend ${backend} (ignored) and --network none`, async (t) => {
    const tag = `${PREFIX}build-${backend}:latest`;
    const logged: string[] = [];
    const result = await engine.build({
      context: await context(`build-${backend}`, DOCKERFILE),
      tag,
      backend,
      noCache: true,
      network: 'none',
      buildArgs: { UNUSED: 'x' },
      onLog: (line) => logged.push(line),
    });
    t.true(result.ok, result.logTail.join('\n'));
    t.true(result.seconds > 0);
    t.true(result.logTail.length > 0 && result.logTail.length <= 30);
    t.deepEqual(result.logTail, logged.slice(-result.logTail.length));
    t.true(logged.some((l) => /^STEP \d+\/\d+: /.test(l)), logged.join('\n'));
    t.false(logged.some((l) => /^#\d+ |^Step \d+\/\d+ :/.test(l)), logged.join('\n'));
    const image = await engine.inspectImage(tag);
    t.deepEqual(image.Config?.Cmd, ['cat', '/out/a.txt']);
    t.is(image.Config?.WorkingDir, '/out');
    t.deepEqual(image.RepoTags, [`localhost/${tag}`]);
    const history = await engine.history(tag);
    t.true(history.length >= 4, JSON.stringify(history));
    const run = history.find((h) => h.createdBy.includes('mkdir /out'));
    t.truthy(run, JSON.stringify(history));
    // Sizes are bytes (podman's --format templates print "5.12 kB" whatever --human says).
    t.true((run?.sizeBytes ?? 0) > 0 && (run?.sizeBytes ?? 0) % 512 === 0, JSON.stringify(run));
    t.true(history.every((h) => Number.isInteger(h.sizeBytes) && h.sizeBytes >= 0));
    t.true(history.some((h) => h.createdBy.includes('CMD') && h.sizeBytes === 0), JSON.stringify(history));
    t.regex(history[0]?.id ?? '', /^[0-9a-f]{64}$/);
    t.regex(history[0]?.createdAt ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });
}

e2e('a failing build reports ok=false and the error in the log tail', async (t) => {
  const result = await engine.build({
    context: await context('fail', `FROM ${BASE}\nRUN echo about-to-fail && false\n`),
    tag: `${PREFIX}fail:latest`,
    backend: 'classic',
    noCache: true,
  });
  t.false(result.ok);
  t.not(result.exitCode, 0);
  t.true(result.logTail.some((l) => /about-to-fail/.test(l)), result.logTail.join('\n'));
  t.true(result.logTail.some((l) => /while running runtime: exit status 1/.test(l)), result.logTail.join('\n'));
});

e2e('a build never pulls a missing base', async (t) => {
  const result = await engine.build({
    context: await context('nobase', `FROM ${PREFIX}missing:latest\nRUN true\n`),
    tag: `${PREFIX}nobase:latest`,
    backend: 'classic',
    noCache: true,
  });
  t.false(result.ok);
  t.true(result.logTail.some((l) => /image not known/.test(l)), result.logTail.join('\n'));
  t.false(result.logTail.some((l) => /registry|pull/i.test(l)), result.logTail.join('\n'));
});

e2e('create with a dummy command, cp a file and a directory out, rm', async (t) => {
  const image = await testImage();
  const name = `${PREFIX}create`;
  const id = await engine.create({ image, name, command: ['/x'] });
  t.regex(id, /^[0-9a-f]{64}$/);
  try {
    const out = await scratchDir();
    await engine.cp({ container: name, from: '/greeting.txt', to: join(out, 'greeting.txt') });
    t.is(await readFile(join(out, 'greeting.txt'), 'utf8'), 'hello from the context\n');
    // `c:/dir` to a missing path: the path gets the directory's content; symlinks stay links.
    await engine.cp({ container: name, from: '/out', to: join(out, 'copied') });
    t.is(await readFile(join(out, 'copied', 'a.txt'), 'utf8'), 'built\n');
    t.is(await readlink(join(out, 'copied', 'link')), 'a.txt');
    // `--archive` is accepted. Copying out, neither podman 4.3 nor docker 20.10 keeps a non-root
    // owner (measured with a 1000:1000 file: 0:0 on the host either way); this file is root's anyway.
    await engine.cp({ container: name, from: '/out/a.txt', to: join(out, 'archived.txt'), archive: true });
    t.is((await lstat(join(out, 'archived.txt'))).uid, 0);
    const missing = await t.throwsAsync(engine.cp({ container: name, from: '/nope', to: join(out, 'nope') }));
    t.true(missing instanceof EngineError, missing?.message);
  } finally {
    await engine.rm({ container: name, force: true });
  }
  t.deepEqual((await engine.listNames(name)).containers, []);
});

e2e('create never pulls: a missing image fails as not found', async (t) => {
  const error = await t.throwsAsync(engine.create({ image: `${PREFIX}missing:latest`, name: `${PREFIX}nopull`, command: ['/x'] }));
  t.true(error instanceof EngineError && error.notFound, error?.message);
  t.notRegex(error?.message ?? '', /registry|pull access denied/i);
  t.deepEqual((await engine.listNames(`${PREFIX}nopull`)).containers, []);
});

e2e('export streams the container file system as a tar', async (t) => {
  const image = await testImage();
  const name = `${PREFIX}export`;
  const before = await exportDirs();
  await engine.create({ image, name, command: ['/x'] });
  try {
    const names = await tarEntries(await engine.export(name));
    t.log(`${names.length} tar entries`);
    t.true(names.length > 270, String(names.length)); // busybox applet links alone are 269
    for (const expected of ['bin/busybox', 'greeting.txt', 'out/a.txt', 'out/link']) {
      t.true(names.includes(expected), expected);
    }
    // podman's own additions: no /.dockerenv; /run is the mount point of /run/.containerenv.
    t.false(names.includes('.dockerenv'));
    t.true(names.includes('run/'), names.filter((n) => !n.startsWith('bin/')).join(' '));
  } finally {
    await engine.rm({ container: name, force: true });
  }
  t.true(await eventually(async () => (await exportDirs()).join() === before.join(), 5), 'the FIFO directory is removed');
});

e2e('export of a missing container errors on the stream', async (t) => {
  const before = await exportDirs();
  const stream = await engine.export(`${PREFIX}no-such-container`);
  const error = await t.throwsAsync(tarEntries(stream));
  t.true(error instanceof EngineError && error.notFound, error?.message);
  t.regex(error?.message ?? '', new RegExp(`^\\S*podman export ${PREFIX}no-such-container: `));
  t.true(await eventually(async () => (await exportDirs()).join() === before.join(), 5), 'the FIFO directory is removed');
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
    t.true(await eventually(async () => (await exportDirs()).join() === before.join(), 10), 'client gone, FIFO removed');

    const controller = new AbortController();
    const cancelled = await engine.export(name, { signal: controller.signal });
    cancelled.once('data', () => controller.abort());
    const error = await t.throwsAsync(tarEntries(cancelled));
    t.is(error?.name, 'AbortError');
    t.true(await eventually(async () => (await exportDirs()).join() === before.join(), 10), 'client gone, FIFO removed');
  } finally {
    await engine.rm({ container: name, force: true });
  }
});

e2e('run captures output and exit code, as a given user, without network', async (t) => {
  const image = await testImage();
  const result = await engine.run({
    image,
    args: ['sh', '-c', 'echo out; echo err >&2; id -u; ls /sys/class/net; exit 3'],
    user: '65534',
    name: `${PREFIX}run`,
  });
  t.is(result.exitCode, 3, result.stderr);
  t.is(result.stdout, 'out\n65534\nlo\n');
  t.is(result.stderr, 'err\n');
  t.false(result.timedOut);
  t.false(result.truncated);
  t.deepEqual((await engine.listNames(`${PREFIX}run`)).containers, []);
});

e2e('run with an empty entrypoint runs the given command', async (t) => {
  const result = await engine.run({ image: await testImage(), entrypoint: '', args: ['pwd'], name: `${PREFIX}entry` });
  t.is(result.exitCode, 0, result.stderr);
  t.is(result.stdout, '/out\n');
});

e2e('run bounds the captured output', async (t) => {
  const result = await engine.run({
    image: await testImage(),
    args: ['sh', '-c', 'yes | head -c 100000'],
    maxOutputBytes: 1000,
    name: `${PREFIX}bounded`,
  });
  t.is(result.exitCode, 0, result.stderr);
  t.true(result.truncated);
  t.is(result.stdout.length, 1000);
});

e2e('run with a timeout kills and removes the container', async (t) => {
  const name = `${PREFIX}timeout`;
  const started = Date.now();
  // PID 1 ignores SIGTERM: only removing the container (rm --force --time 0) stops it at once.
  const result = await engine.run({ image: await testImage(), args: ['sleep', '60'], timeoutSeconds: 1, name });
  const seconds = (Date.now() - started) / 1000;
  t.true(result.timedOut);
  t.true(seconds < 8, `${seconds} s`);
  t.not(result.exitCode, 0);
  t.deepEqual((await engine.listNames(name)).containers, []);
});

e2e('a cancelled run rejects and leaves no container', async (t) => {
  const name = `${PREFIX}abort`;
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 1000);
  const started = Date.now();
  const error = await t.throwsAsync(
    engine.run({ image: await testImage(), args: ['sleep', '60'], name, signal: controller.signal }),
  );
  t.is(error?.name, 'AbortError');
  t.true((Date.now() - started) / 1000 < 12);
  t.deepEqual((await engine.listNames(name)).containers, []);
});

/** Buildah's working containers (one per build stage in progress, or leaked by a killed build). */
async function workingContainers(): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(engine.client, ['ps', '--all', '--external', '--format', '{{.ID}}'], (error, stdout) =>
      error ? reject(error) : resolve(stdout.split('\n').filter((l) => l !== '').sort()),
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
        void eventually(async () => (running = await processesWith(marker)).length > 0, 10).then(() => controller.abort());
      }
    },
  });
  const error = await t.throwsAsync(build);
  const started = Date.now();
  t.is(error?.name, 'AbortError');
  t.true(running.length > 0, 'the RUN step was running when the build was cancelled');
  t.deepEqual(await processesWith(marker), [], 'the RUN container is gone');
  t.true(await eventually(async () => (await workingContainers()).join() === before.join(), 5), 'no working container left');
  t.true((Date.now() - started) / 1000 < 5);
  t.false((await engine.listNames(PREFIX)).images.includes(`${PREFIX}slow:latest`));
});

e2e('a build cancelled before it starts rejects at once', async (t) => {
  const controller = new AbortController();
  controller.abort(new Error('stop'));
  const error = await t.throwsAsync(
    engine.build({ context: await context('early', DOCKERFILE), tag: `${PREFIX}early:latest`, backend: 'classic', signal: controller.signal }),
  );
  t.is(error?.name, 'AbortError');
  t.is((error?.cause as Error | undefined)?.message, 'stop');
});

e2e('tag, inspect, rmi; missing objects', async (t) => {
  const image = await testImage();
  const alias = `${PREFIX}alias:v1`;
  await engine.tag({ source: image, target: alias });
  t.is((await engine.inspectImage(alias)).Id, (await engine.inspectImage(image)).Id);
  // Stored as localhost/<name>; listNames reports the name as given.
  t.true((await engine.listNames(PREFIX)).images.includes(alias));
  await engine.rmi({ image: alias });
  const gone = await t.throwsAsync(engine.inspectImage(alias));
  t.true(gone instanceof EngineError && gone.notFound, gone?.message);
  await t.notThrowsAsync(engine.rmi({ image: alias, missingOk: true }));
  await t.notThrowsAsync(engine.rm({ container: `${PREFIX}never-made`, missingOk: true }));
  await t.notThrowsAsync(engine.rm({ container: `${PREFIX}never-made`, force: true, missingOk: true }));
  await t.throwsAsync(engine.rm({ container: `${PREFIX}never-made` }), { instanceOf: EngineError });
  await t.throwsAsync(engine.rmi({ image: alias }), { instanceOf: EngineError });
});

/** Ids of untagged images that no tagged image is built on. */
async function danglingImages(): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(engine.client, ['images', '--quiet', '--no-trunc', '--filter', 'dangling=true'], (error, stdout) =>
      error ? reject(error) : resolve(stdout.split('\n').filter((l) => l !== '')),
    );
  });
}

const CLI = join(ROOT, 'bin', 'restage.js');
const cliReason = reason || (existsSync(join(ROOT, 'dist', 'cli.cjs')) ? '' : 'dist/ is missing: run npm run build');

e2e(
  'the CLI verifies samples/hello-c on podman as equivalent',
  async (t) => {
    const args = [CLI, 'verify', 'samples/hello-c', '--engine', 'podman', '--image-map', `gcc=${GCC}`, '--json'];
    // A private temp directory: verify's scratch directories stay out of /tmp, where
    // test/e2e/verify.test.ts, running at the same time, counts them as its own leftovers.
    const tmp = join(await scratchDir(), 'cli-tmp');
    await mkdir(tmp);
    const env = { ...process.env, TMPDIR: tmp };
    const danglingBefore = await danglingImages();
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, args, { cwd: ROOT, env, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 }, (error, out, err) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout: out, stderr: err }),
      );
    });
    let report: { status?: string; engine?: { kind?: string }; failure?: unknown; differences?: unknown[]; kept?: unknown[] };
    try {
      report = JSON.parse(stdout) as typeof report;
    } catch {
      t.fail(`exit ${code}, no JSON report:\n${stdout}\n${stderr}`);
      return;
    }
    t.is(report.status, 'equivalent', JSON.stringify({ failure: report.failure, differences: report.differences }, null, 2));
    t.is(report.engine?.kind, 'podman');
    t.is(code, 0, stderr);
    t.deepEqual(report.kept, []);
    // verify removes what it made: its containers, tagged images and scratch directories.
    const names = await engine.listNames('restage-');
    t.deepEqual([...names.containers, ...names.images].filter((n) => !n.startsWith('restage-e2etest-')), []);
    t.deepEqual(await readdir(tmp), []);
    // And the untagged images of its builds' other stages (read off the build logs).
    t.deepEqual((await danglingImages()).filter((id) => !danglingBefore.includes(id)), []);
  },
  cliReason,
);

test.after.always('remove everything the tests made', async (t) => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
  if (reason !== '') return;
  const made = await engine.listNames(PREFIX);
  for (const container of made.containers) await engine.rm({ container, force: true, missingOk: true });
  for (const image of made.images) await engine.rmi({ image, force: true, missingOk: true });
  t.deepEqual(await engine.listNames(PREFIX), { containers: [], images: [] });
});
