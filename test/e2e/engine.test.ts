/**
 * DockerEngine against a real engine, with the test images from scripts/test-images.sh.
 * Start one with `bash scripts/engine.sh start && bash scripts/test-images.sh`.
 * Without a reachable engine these tests are skipped, unless RESTAGE_E2E=1, where they fail.
 * Everything they create is named `restage-e2etest-<run>-…` and removed at the end.
 */
import test from 'ava';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readlink, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { DockerEngine } from '../../src/verify/engine/docker.js';
import { e2eTest, engine, unavailable } from './helpers/engine.js';
import { EngineError, type Backend } from '../../src/verify/engine/engine.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BASE = 'testbase/busybox:latest';
const PREFIX = `restage-e2etest-${randomBytes(3).toString('hex')}-`;
const reason = await unavailable([BASE]);
const e2e = e2eTest(reason);

let scratch = '';
async function scratchDir(): Promise<string> {
  scratch ||= await mkdtemp(join(tmpdir(), 'restage-e2etest-'));
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
/** The image most tests use, built once with the classic builder. */
function testImage(): Promise<string> {
  imageOnce ??= (async () => {
    const tag = `${PREFIX}image:latest`;
    const result = await engine.build({ context: await context('image', DOCKERFILE), tag, backend: 'classic', noCache: true });
    if (!result.ok) throw new Error(`build failed:\n${result.logTail.join('\n')}`);
    return tag;
  })();
  return imageOnce;
}

/** Counts the entries of a tar stream (pax and GNU long-name headers are not entries). */
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

e2e('ping reports the engine version', async (t) => {
  const result = await engine.ping();
  t.true(result.ok, result.message);
  t.regex(result.version ?? '', /^\d+\.\d+/);
  t.log(`${engine.client}: ${result.message}`);
});

e2e('ping of a missing client is not ok and says why', async (t) => {
  const missing = new DockerEngine({ client: '/nonexistent/docker' });
  const result = await missing.ping();
  t.false(result.ok);
  t.regex(result.message, /not found/);
});

for (const backend of ['classic', 'buildkit'] as Backend[]) {
  e2e(`build with the ${backend} builder and --network none`, async (t) => {
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
    // Each builder has its own log format: proof DOCKER_BUILDKIT took effect.
    t.true(logged.some((l) => (backend === 'buildkit' ? /^#\d+ /.test(l) : /^Step \d+\/\d+ :/.test(l))), logged.join('\n'));
    const image = await engine.inspectImage(tag);
    t.deepEqual(image.Config?.Cmd, ['cat', '/out/a.txt']);
    t.is(image.Config?.WorkingDir, '/out');
    const history = await engine.history(tag);
    t.true(history.length >= 4);
    t.true(history.some((h) => h.createdBy.includes('mkdir /out')));
    t.true(history.every((h) => Number.isInteger(h.sizeBytes) && h.sizeBytes >= 0));
  });

  e2e(`a failing ${backend} build reports ok=false and the error in the log tail`, async (t) => {
    const result = await engine.build({
      context: await context(`fail-${backend}`, `FROM ${BASE}\nRUN echo about-to-fail && false\n`),
      tag: `${PREFIX}fail-${backend}:latest`,
      backend,
      noCache: true,
    });
    t.false(result.ok);
    t.not(result.exitCode, 0);
    t.true(result.logTail.some((l) => /returned a non-zero code|exit code: 1/.test(l)), result.logTail.join('\n'));
  });
}

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
    const missing = await t.throwsAsync(engine.cp({ container: name, from: '/nope', to: join(out, 'nope') }));
    t.true(missing instanceof EngineError);
  } finally {
    await engine.rm({ container: name, force: true });
  }
  t.deepEqual((await engine.listNames(name)).containers, []);
});

e2e('create never pulls: a missing image fails as not found', async (t) => {
  const error = await t.throwsAsync(engine.create({ image: `${PREFIX}missing:latest`, name: `${PREFIX}nopull`, command: ['/x'] }));
  t.true(error instanceof EngineError && error.notFound, error?.message);
  t.notRegex(error?.message ?? '', /registry|pull access denied/i);
});

e2e('export streams the container file system as a tar', async (t) => {
  const image = await testImage();
  const name = `${PREFIX}export`;
  await engine.create({ image, name, command: ['/x'] });
  try {
    const names = await tarEntries(await engine.export(name));
    t.log(`${names.length} tar entries`);
    t.true(names.length > 270, String(names.length)); // busybox applet links alone are 269
    for (const expected of ['bin/busybox', 'greeting.txt', 'out/a.txt', 'out/link', '.dockerenv']) {
      t.true(names.includes(expected), expected);
    }
  } finally {
    await engine.rm({ container: name, force: true });
  }
});

e2e('export of a missing container errors on the stream', async (t) => {
  const stream = await engine.export(`${PREFIX}no-such-container`);
  const error = await t.throwsAsync(tarEntries(stream));
  t.true(error instanceof EngineError && error.notFound, error?.message);
});

e2e('run captures output and exit code, as a given user, without network', async (t) => {
  const image = await testImage();
  const result = await engine.run({
    image,
    args: ['sh', '-c', 'echo out; echo err >&2; id -u; ls /sys/class/net; exit 3'],
    user: '65534',
    name: `${PREFIX}run`,
  });
  t.is(result.exitCode, 3);
  t.is(result.stdout, 'out\n65534\nlo\n');
  t.is(result.stderr, 'err\n');
  t.false(result.timedOut);
  t.false(result.truncated);
});

e2e('run bounds the captured output', async (t) => {
  const result = await engine.run({
    image: await testImage(),
    args: ['sh', '-c', 'yes | head -c 100000'],
    maxOutputBytes: 1000,
    name: `${PREFIX}bounded`,
  });
  t.is(result.exitCode, 0);
  t.true(result.truncated);
  t.is(result.stdout.length, 1000);
});

e2e('run with a timeout kills and removes the container', async (t) => {
  const name = `${PREFIX}timeout`;
  const started = Date.now();
  // PID 1 ignores SIGTERM: only removing the container stops it.
  const result = await engine.run({ image: await testImage(), args: ['sleep', '60'], timeoutSeconds: 1, name });
  const seconds = (Date.now() - started) / 1000;
  t.true(result.timedOut);
  t.true(seconds < 15, `${seconds} s`);
  t.not(result.exitCode, 0);
  t.deepEqual((await engine.listNames(name)).containers, []);
});

e2e('a cancelled run rejects and leaves no container', async (t) => {
  const name = `${PREFIX}abort`;
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 1000);
  const error = await t.throwsAsync(
    engine.run({ image: await testImage(), args: ['sleep', '60'], name, signal: controller.signal }),
  );
  t.is(error?.name, 'AbortError');
  t.deepEqual((await engine.listNames(name)).containers, []);
});

e2e('a cancelled build rejects', async (t) => {
  const controller = new AbortController();
  const build = engine.build({
    context: await context('slow', `FROM ${BASE}\nRUN sleep 60\n`),
    tag: `${PREFIX}slow:latest`,
    backend: 'buildkit',
    noCache: true,
    signal: controller.signal,
    onLog: (line) => {
      if (/sleep 60/.test(line)) controller.abort();
    },
  });
  const started = Date.now();
  const error = await t.throwsAsync(build);
  t.is(error?.name, 'AbortError');
  t.true((Date.now() - started) / 1000 < 20);
});

e2e('tag, inspect, rmi; missing objects', async (t) => {
  const image = await testImage();
  const alias = `${PREFIX}alias:v1`;
  await engine.tag({ source: image, target: alias });
  t.is((await engine.inspectImage(alias)).Id, (await engine.inspectImage(image)).Id);
  t.true((await engine.listNames(PREFIX)).images.includes(alias));
  await engine.rmi({ image: alias });
  const gone = await t.throwsAsync(engine.inspectImage(alias));
  t.true(gone instanceof EngineError && gone.notFound);
  await t.notThrowsAsync(engine.rmi({ image: alias, missingOk: true }));
  await t.notThrowsAsync(engine.rm({ container: `${PREFIX}never-made`, missingOk: true }));
  await t.throwsAsync(engine.rm({ container: `${PREFIX}never-made` }), { instanceOf: EngineError });
});

test.after.always('remove everything the tests made', async (t) => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
  if (reason !== '') return;
  const made = await engine.listNames(PREFIX);
  for (const container of made.containers) await engine.rm({ container, force: true, missingOk: true });
  for (const image of made.images) await engine.rmi({ image, force: true, missingOk: true });
  t.deepEqual(await engine.listNames(PREFIX), { containers: [], images: [] });
});
