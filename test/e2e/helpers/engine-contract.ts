/**
 * The engine contract: the e2e tests every Engine passes on a real engine, registered for one
 * engine by its test file (test/e2e/engine.test.ts: docker; test/e2e/podman.test.ts: podman), which
 * adds the tests of what only that engine does. Titles start with the engine's kind. Everything
 * the tests create is named `<prefix>…` and removed at the end; their files go to one scratch
 * directory in the temp directory, also removed at the end.
 */
import test, { type ExecutionContext } from 'ava';
import { mkdir, mkdtemp, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { DockerEngine } from '../../../src/verify/engine/docker.js';
import { EngineError, type Backend, type HistoryEntry, type ImageInspect } from '../../../src/verify/engine/engine.js';
import type { E2E } from './engine.js';

/** A successful build of the contract's Dockerfile, for the engine's own checks. */
export interface Built {
  readonly backend: Backend;
  readonly tag: string;
  /** Every line the build logged. */
  readonly logged: readonly string[];
  readonly image: ImageInspect;
  readonly history: readonly HistoryEntry[];
}

export interface ContractOptions {
  readonly engine: DockerEngine;
  /** engine.kind, which also starts every title. */
  readonly kind: DockerEngine['kind'];
  /** The same kind of engine over another client binary. */
  readonly withClient: (client: string) => DockerEngine;
  /** Start of the name of everything the tests create. */
  readonly prefix: string;
  /** The base image of every build (busybox). */
  readonly base: string;
  /** Backends each build test runs with. */
  readonly backends: readonly Backend[];
  /** The engine has one builder, which ignores `backend`. */
  readonly backendIgnored?: boolean;
  /** Registers a test, gated on the engine; its reason is '' when the tests can run. */
  readonly e2e: E2E;
  /** The engine's own checks of a successful build: its log format, image and history. */
  readonly checkBuild: (t: ExecutionContext, built: Built) => void;
  /** What the log tail of a build whose RUN step fails holds, each. */
  readonly failedRunLog: readonly RegExp[];
  /** Entries the engine adds to every exported container file system. */
  readonly exportAdds: readonly string[];
  /** Entries other engines add and this one does not. */
  readonly exportLacks?: readonly string[];
  /** The temporary files `export` makes, which are gone once its stream has ended or failed. */
  readonly exportTemps?: () => Promise<string[]>;
  /** Seconds within which a 1 s timeout stops a `sleep 60` run, removing its container. */
  readonly timedOutRunSeconds: number;
  /** Seconds within which a `sleep 60` run cancelled after 1 s rejects. */
  readonly cancelledRunSeconds: number;
}

/** What the contract's tests share with the engine's own. */
export interface Contract {
  /** The scratch directory (made once). */
  scratchDir: () => Promise<string>;
  /** A context directory `name` holding `dockerfile` and greeting.txt. */
  context: (name: string, dockerfile: string) => Promise<string>;
  /**
   * The image most tests use, built once with backend classic: the base image with a file, a
   * directory and a symlink; WORKDIR /out; CMD cat /out/a.txt.
   */
  testImage: () => Promise<string>;
}

/** The entries of a tar stream (pax and GNU long-name headers are not entries). */
export async function tarEntries(stream: Readable): Promise<string[]> {
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

/** Whether `check` holds within `seconds` (polled every 100 ms). */
export async function eventually(check: () => Promise<boolean>, seconds: number): Promise<boolean> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Registers the contract's tests (and the cleanup hook) for one engine. */
export function engineContract(options: ContractOptions): Contract {
  const { engine, kind, prefix: PREFIX, base: BASE } = options;
  const e2e = (title: string, impl: (t: ExecutionContext) => Promise<void>): void =>
    options.e2e(`${kind}: ${title}`, impl);

  let scratch = '';
  async function scratchDir(): Promise<string> {
    scratch ||= await mkdtemp(join(tmpdir(), PREFIX));
    return scratch;
  }

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
  function testImage(): Promise<string> {
    imageOnce ??= (async () => {
      const tag = `${PREFIX}image:latest`;
      const result = await engine.build({
        context: await context('image', DOCKERFILE),
        tag,
        backend: 'classic',
        noCache: true,
      });
      if (!result.ok) throw new Error(`build failed:\n${result.logTail.join('\n')}`);
      return tag;
    })();
    return imageOnce;
  }

  /** Whether export's temporary files are back to `before` within `seconds` (true if it makes none). */
  async function exportTempsBackTo(before: readonly string[], seconds: number): Promise<boolean> {
    const temps = options.exportTemps;
    return temps === undefined || eventually(async () => (await temps()).join() === before.join(), seconds);
  }

  e2e('ping reports the version', async (t) => {
    const result = await engine.ping();
    t.true(result.ok, result.message);
    t.regex(result.version ?? '', /^\d+\.\d+/);
    t.is(engine.kind, kind);
    t.log(`${engine.client}: ${result.message}`);
  });

  e2e('ping of a missing client is not ok and says why', async (t) => {
    const missing = options.withClient(`/nonexistent/${kind}`);
    const result = await missing.ping();
    t.false(result.ok);
    t.regex(result.message, /not found/);
  });

  for (const backend of options.backends) {
    const builder = options.backendIgnored ? `backend ${backend} (ignored)` : `the ${backend} builder`;
    e2e(`build with ${builder} and --network none`, async (t) => {
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
      const image = await engine.inspectImage(tag);
      t.deepEqual(image.Config?.Cmd, ['cat', '/out/a.txt']);
      t.is(image.Config?.WorkingDir, '/out');
      const history = await engine.history(tag);
      t.true(history.length >= 4, JSON.stringify(history));
      t.truthy(
        history.find((h) => h.createdBy.includes('mkdir /out')),
        JSON.stringify(history),
      );
      t.true(history.every((h) => Number.isInteger(h.sizeBytes) && h.sizeBytes >= 0));
      options.checkBuild(t, { backend, tag, logged, image, history });
    });

    e2e(`a failing build with ${builder} reports ok=false and the error in the log tail`, async (t) => {
      const result = await engine.build({
        context: await context(`fail-${backend}`, `FROM ${BASE}\nRUN echo about-to-fail && false\n`),
        tag: `${PREFIX}fail-${backend}:latest`,
        backend,
        noCache: true,
      });
      t.false(result.ok);
      t.not(result.exitCode, 0);
      for (const expected of options.failedRunLog) {
        t.true(
          result.logTail.some((l) => expected.test(l)),
          `${expected}:\n${result.logTail.join('\n')}`,
        );
      }
    });
  }

  e2e('a build cancelled before it starts rejects at once', async (t) => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    const error = await t.throwsAsync(
      engine.build({
        context: await context('early', DOCKERFILE),
        tag: `${PREFIX}early:latest`,
        backend: 'classic',
        signal: controller.signal,
      }),
    );
    t.is(error?.name, 'AbortError');
    t.is((error?.cause as Error | undefined)?.message, 'stop');
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
      const missing = await t.throwsAsync(engine.cp({ container: name, from: '/nope', to: join(out, 'nope') }));
      t.true(missing instanceof EngineError, missing?.message);
    } finally {
      await engine.rm({ container: name, force: true });
    }
    t.deepEqual((await engine.listNames(name)).containers, []);
  });

  e2e('create never pulls: a missing image fails as not found', async (t) => {
    const error = await t.throwsAsync(
      engine.create({ image: `${PREFIX}missing:latest`, name: `${PREFIX}nopull`, command: ['/x'] }),
    );
    t.true(error instanceof EngineError && error.notFound, error?.message);
    t.notRegex(error?.message ?? '', /registry|pull access denied/i);
    t.deepEqual((await engine.listNames(`${PREFIX}nopull`)).containers, []);
  });

  e2e('export streams the container file system as a tar', async (t) => {
    const image = await testImage();
    const name = `${PREFIX}export`;
    const before = (await options.exportTemps?.()) ?? [];
    await engine.create({ image, name, command: ['/x'] });
    try {
      const names = await tarEntries(await engine.export(name));
      t.log(`${names.length} tar entries`);
      t.true(names.length > 270, String(names.length)); // busybox applet links alone are 269
      for (const expected of ['bin/busybox', 'greeting.txt', 'out/a.txt', 'out/link']) {
        t.true(names.includes(expected), expected);
      }
      const added = names.filter((n) => !n.startsWith('bin/')).join(' ');
      for (const expected of options.exportAdds) t.true(names.includes(expected), `${expected}: ${added}`);
      for (const unexpected of options.exportLacks ?? [])
        t.false(names.includes(unexpected), `${unexpected}: ${added}`);
    } finally {
      await engine.rm({ container: name, force: true });
    }
    t.true(await exportTempsBackTo(before, 5), 'export removed its temporary files');
  });

  e2e('export of a missing container errors on the stream', async (t) => {
    const container = `${PREFIX}no-such-container`;
    const before = (await options.exportTemps?.()) ?? [];
    const stream = await engine.export(container);
    const error = await t.throwsAsync(tarEntries(stream));
    t.true(error instanceof EngineError && error.notFound, error?.message);
    t.regex(error?.message ?? '', new RegExp(`^${escapeRegExp(engine.client)} export ${escapeRegExp(container)}: `));
    t.true(await exportTempsBackTo(before, 5), 'export removed its temporary files');
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
    // PID 1 ignores SIGTERM: only removing the container (rm --force, which podman needs told
    // --time 0) stops it at once.
    const result = await engine.run({ image: await testImage(), args: ['sleep', '60'], timeoutSeconds: 1, name });
    const seconds = (Date.now() - started) / 1000;
    t.true(result.timedOut);
    t.true(seconds < options.timedOutRunSeconds, `${seconds} s`);
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
    const seconds = (Date.now() - started) / 1000;
    t.is(error?.name, 'AbortError');
    t.true(seconds < options.cancelledRunSeconds, `${seconds} s`);
    t.deepEqual((await engine.listNames(name)).containers, []);
  });

  e2e('inspect, rmi; missing objects', async (t) => {
    const image = await testImage();
    const alias = `${PREFIX}alias:v1`;
    const built = await engine.build({
      context: await context('alias', `FROM ${image}\nLABEL restage.alias=yes\n`),
      tag: alias,
      backend: 'classic',
    });
    t.true(built.ok, built.logTail.join('\n'));
    t.is((await engine.inspectImage(alias)).Config?.Labels?.['restage.alias'], 'yes');
    // listNames reports the name as given (podman stores it as localhost/<name>).
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

  test.after.always('remove everything the tests made', async (t) => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
    if (options.e2e.reason !== '') return;
    const made = await engine.listNames(PREFIX);
    for (const container of made.containers) await engine.rm({ container, force: true, missingOk: true });
    for (const image of made.images) await engine.rmi({ image, force: true, missingOk: true });
    t.deepEqual(await engine.listNames(PREFIX), { containers: [], images: [] });
  });

  return { scratchDir, context, testImage };
}
