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
  const { progress, out } = capture('tty');
  await progress.step('migrated: docker build', () => new Promise((r) => setTimeout(r, 450)));
  t.is(out[0], '  migrated: docker build …');
  t.true(out.some((l) => /^\r\x1b\[K {2}migrated: docker build … \d+\.\ds$/.test(l)), 'a live elapsed time');
  t.regex(out[out.length - 1]!, /^\r\x1b\[K {2}migrated: docker build ✓ \d+\.\ds\n$/);
});

test('a failing step is marked and its error passes through; quiet prints nothing', async (t) => {
  const plain = capture('plain');
  await t.throwsAsync(plain.progress.step('x', async () => { throw new Error('boom'); }), { message: 'boom' });
  t.regex(plain.out[0]!, /x: failed after/);
  const quiet = capture('quiet');
  await quiet.progress.step('y', async () => 1);
  t.deepEqual(quiet.out, []);
});

test('the session names everything restage-<id>-… and removes what it recorded, containers first', async (t) => {
  const calls: string[] = [];
  const engine = {
    rm: async ({ container }: { container: string }) => { calls.push(`rm ${container}`); },
    rmi: async ({ image }: { image: string }) => { calls.push(`rmi ${image}`); },
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
