/** Progress rendering per mode, and the session's bookkeeping of what it must clean up (fake engine). */
import test from 'ava';
import fs from 'node:fs';
import { createProgress } from '../../src/verify/progress.js';
import { Session } from '../../src/verify/session.js';
import type { Engine } from '../../src/verify/engine/engine.js';

const capture = (mode: 'tty' | 'plain' | 'quiet') => {
  const out: string[] = [];
  return { progress: createProgress(mode, (t) => out.push(t)), out };
};

test('plain mode prints one line per step when it ends', async (t) => {
  const { progress, out } = capture('plain');
  t.is(await progress.step('legacy: docker build', async () => 42), 42);
  t.is(out.length, 1);
  t.regex(out[0]!, /^restage: legacy: docker build: done in \d+\.\ds\n$/);
});

test('tty mode shows the step while it runs and rewrites the line when it ends', async (t) => {
  const out: string[] = [];
  let live: () => void = () => {};
  const progress = createProgress('tty', (text) => {
    out.push(text);
    if (text.startsWith('\r') && text.endsWith('s')) live();
  });
  // The step ends once a live elapsed time has been shown, however long that takes.
  await progress.step('migrated: docker build', () => new Promise<void>((resolve) => (live = resolve)));
  t.is(out[0], '  migrated: docker build …');
  t.true(
    // eslint-disable-next-line no-control-regex -- the progress line's erase sequence is what is tested
    out.some((l) => /^\r\u001b\[K {2}migrated: docker build … \d+\.\ds$/.test(l)),
    'a live elapsed time',
  );
  // eslint-disable-next-line no-control-regex -- as above
  t.regex(out[out.length - 1]!, /^\r\u001b\[K {2}migrated: docker build ✓ \d+\.\ds\n$/);
});

test('a failing step is marked and its error passes through; quiet prints nothing', async (t) => {
  const plain = capture('plain');
  await t.throwsAsync(
    plain.progress.step('x', async () => {
      throw new Error('boom');
    }),
    { message: 'boom' },
  );
  t.regex(plain.out[0]!, /x: failed after/);
  const quiet = capture('quiet');
  await quiet.progress.step('y', async () => 1);
  t.deepEqual(quiet.out, []);
});

test('the session names everything restage-<id>-… and removes what it recorded, containers first', async (t) => {
  const calls: string[] = [];
  const engine = {
    rm: async ({ container }: { container: string }) => {
      calls.push(`rm ${container}`);
    },
    rmi: async ({ image }: { image: string }) => {
      calls.push(`rmi ${image}`);
    },
    labelled: async () => ({ containers: [], images: [] }),
  } as unknown as Engine;
  const session = new Session('restage-0123abcd');
  const c = session.container('extract');
  const gone = session.container('run');
  const i = session.image('legacy');
  const d = session.scratch('legacy');
  session.forgetContainer(gone);
  t.regex(c, /^restage-0123abcd-extract-\d+$/);
  t.regex(i, /^restage-0123abcd-legacy-\d+:verify$/);
  t.true(fs.existsSync(d));
  const report = await session.cleanup(engine, false);
  t.deepEqual(calls, [`rm ${c}`, `rmi ${i}`]);
  t.false(fs.existsSync(d));
  t.deepEqual(report.failed, []);
  t.is(report.removed.length, 3);
});

test('--keep removes nothing and lists everything', async (t) => {
  const session = new Session('restage-feedbeef');
  const c = session.container('extract');
  const d = session.scratch('new');
  t.teardown(() => fs.rmSync(d, { recursive: true, force: true }));
  const report = await session.cleanup(null, true);
  t.deepEqual(report.kept, [`container ${c}`, `directory ${d}`]);
  t.true(fs.existsSync(d));
});

test('cleanup also removes what carries the session label (made after restage stopped listening), and volumes with containers', async (t) => {
  const calls: string[] = [];
  const engine = {
    client: 'docker',
    rm: async ({ container }: { container: string }) => {
      calls.push(`rm ${container}`);
    },
    rmi: async ({ image }: { image: string }) => {
      calls.push(`rmi ${image}`);
    },
    labelled: async (key: string, value: string) => {
      calls.push(`labelled ${key}=${value}`);
      return { containers: ['c0ffee'], images: ['sha256:abc'], volumes: ['restage-0badf00d_cache'] };
    },
    rmVolume: async (volume: string) => {
      calls.push(`volume rm ${volume}`);
    },
  } as unknown as Engine;
  const session = new Session('restage-0badf00d');
  const report = await session.cleanup(engine, false);
  // Containers first (they hold volumes and images), then the legacy run's volumes, then images.
  t.deepEqual(calls, [
    'labelled restage.session=restage-0badf00d',
    'rm c0ffee',
    'volume rm restage-0badf00d_cache',
    'rmi sha256:abc',
  ]);
  t.deepEqual(report.failed, []);
});

test('a removal that fails is reported with what remains and the command that removes it', async (t) => {
  const engine = {
    client: '/usr/bin/docker',
    rm: async () => {
      throw new Error('daemon gone');
    },
    rmi: async () => undefined,
    labelled: async () => {
      throw new Error('daemon gone');
    },
  } as unknown as Engine;
  const session = new Session('restage-deadbeef');
  const c = session.container('extract');
  const report = await session.cleanup(engine, false);
  t.deepEqual(report.failed, [
    {
      what: 'whatever carries the label restage.session=restage-deadbeef',
      command:
        '/usr/bin/docker rm --force --volumes $(/usr/bin/docker ps --all --quiet --filter label=restage.session=restage-deadbeef); /usr/bin/docker rmi --force $(/usr/bin/docker images --all --quiet --filter label=restage.session=restage-deadbeef)',
    },
    { what: `container ${c}`, command: `/usr/bin/docker rm --force --volumes ${c}` },
  ]);
});

test('the labelled engine adds the session label to builds, creates and runs, and leaves other calls alone', async (t) => {
  const seen: unknown[] = [];
  const engine = {
    client: 'docker',
    build: async (o: unknown) => {
      seen.push(o);
      return { ok: true };
    },
    create: async (o: unknown) => {
      seen.push(o);
      return 'id';
    },
    run: async (o: unknown) => {
      seen.push(o);
      return {};
    },
    inspectImage: async (ref: string, o: unknown) => ({ ref, o }),
  } as unknown as Engine;
  const labelled = new Session('restage-11112222').labelled(engine);
  await labelled.build({ context: '.', tag: 't', backend: 'classic', labels: { a: 'b' } });
  await labelled.create({ image: 'i', name: 'n' });
  await labelled.run({ image: 'i' });
  t.deepEqual<unknown, unknown>(await labelled.inspectImage('i', {}), { ref: 'i', o: {} });
  t.is(labelled.client, 'docker');
  t.deepEqual(
    seen.map((o) => (o as { labels: unknown }).labels),
    [
      { a: 'b', 'restage.session': 'restage-11112222' },
      { 'restage.session': 'restage-11112222' },
      { 'restage.session': 'restage-11112222' },
    ],
  );
});

for (const mode of ['plain', 'tty'] as const) {
  test(`a build that fails is shown failed, never done (${mode})`, async (t) => {
    const { buildImage } = await import('../../src/verify/replay.js');
    const { progress, out } = capture(mode);
    const engine = {
      kind: 'docker',
      build: async () => ({ ok: false, exitCode: 1, seconds: 0.1, logTail: ['\x1b[31mboom\x1b[0m'] }),
    } as unknown as Engine;
    const session = new Session('restage-33334444');
    const settings = {
      engine,
      session,
      backend: 'classic' as const,
      migratedBackend: 'classic' as const,
      network: 'none',
      imageMap: new Map(),
      buildArgs: {},
      progress,
      signal: new AbortController().signal,
    };
    const error = await t.throwsAsync(
      buildImage(settings, 'legacy: docker build app:build', {
        context: '.',
        dockerfile: 'Dockerfile',
        tag: 't',
        buildArgs: {},
      }),
      { message: 'the build failed (exit 1)' },
    );
    t.deepEqual((error as unknown as { logTail: string[] }).logTail, ['boom']);
    const last = out[out.length - 1]!;
    t.notRegex(out.join(''), /done|✓/);
    t.regex(
      last,
      mode === 'plain' ? /legacy: docker build app:build: failed after/ : /legacy: docker build app:build ✗/,
    );
  });
}
