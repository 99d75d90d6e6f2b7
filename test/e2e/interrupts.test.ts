/**
 * Interrupting `restage verify` at any step leaves nothing behind: no container, no image (tagged or
 * an untagged intermediate of a build cut short), no scratch directory — after SIGINT or SIGTERM in
 * each step, a second SIGINT during cleanup, and a reader that goes away (`| head -1`).
 * test/fixtures/e2e/slow makes every step last a few seconds and marks its RUN lines with
 * "slow-fixture". The classic builder is used: it is the one that leaves an image per step. Each run
 * gets its own TMPDIR, whose scratch directories name its sessions: other runs on the engine are
 * not looked at.
 */
import type { ChildProcess } from 'node:child_process';
import type { ExecutionContext } from 'ava';
import { BIN } from '../helpers/fixtures.js';
import { e2eTest, unavailable } from './helpers/engine.js';
import { POINTS, runWatched, SLOW_FIXTURE as DIR, type Point } from './helpers/interrupt.js';
import { BASES, env, IMAGE_MAP, sessionLeftovers, untaggedMentioning } from './helpers/verify-run.js';

const e2e = e2eTest(await unavailable(BASES));

/** Runs `command` with a private TMPDIR (see runWatched) and lists what its sessions left. */
async function run(
  t: ExecutionContext,
  command: readonly string[],
  onStderr: (stderr: string, child: ChildProcess) => void,
) {
  const r = await runWatched(t, command, env, onStderr);
  t.true(r.ids.size > 0, 'the run started a session');
  return { ...r, left: await sessionLeftovers(r.ids, r.tmp) };
}

async function interrupt(
  t: ExecutionContext,
  point: Point,
  signals: readonly NodeJS.Signals[],
  code: number,
): Promise<void> {
  let armed = false;
  const r = await run(
    t,
    [process.execPath, BIN, 'verify', DIR, '--backend', 'classic', ...IMAGE_MAP],
    (stderr, child) => {
      if (armed || !point.after.test(stderr)) return;
      armed = true;
      setTimeout(() => {
        child.kill(signals[0]);
        // A second signal while the first one's cleanup runs.
        if (signals[1]) setTimeout(() => child.kill(signals[1]), 150);
      }, point.delayMs);
    },
  );
  t.is(r.code, code, r.stdout + r.stderr);
  t.regex(r.stdout, /interrupted/, r.stderr);
  t.deepEqual(r.left, []);
  t.deepEqual(await untaggedMentioning('slow-fixture'), [], 'no untagged image of the builds is left');
}

for (const [where, point] of Object.entries(POINTS)) {
  e2e(`SIGINT during ${where} leaves nothing behind`, (t) => interrupt(t, point, ['SIGINT'], 130));
}
e2e('SIGTERM during the migrated build leaves nothing behind', (t) =>
  interrupt(t, POINTS['the migrated build']!, ['SIGTERM'], 143),
);
e2e('a second SIGINT during cleanup does not cut it short', (t) =>
  interrupt(t, POINTS['the extraction']!, ['SIGINT', 'SIGINT'], 130),
);

e2e(
  'a reader that goes away (`2>&1 | head -1`) cancels verify, which still cleans up (exit 141, as SIGPIPE)',
  async (t) => {
    const script = `"${process.execPath}" "${BIN}" verify ${DIR} --backend classic ${IMAGE_MAP.join(' ')} 2>&1 | head -1; echo "restage exited \${PIPESTATUS[0]}"`;
    const r = await run(t, ['bash', '-c', script], () => {});
    t.regex(r.stdout, /^restage: .*\nrestage exited 141\n$/, r.stdout + r.stderr);
    t.deepEqual(r.left, []);
    t.deepEqual(await untaggedMentioning('slow-fixture'), []);
  },
);

e2e('`| head -1` on the report alone: verify runs to the end and cleans up', async (t) => {
  const script = `"${process.execPath}" "${BIN}" verify samples/welcome --no-run --quiet ${IMAGE_MAP.join(' ')} | head -1; echo "restage exited \${PIPESTATUS[0]}"`;
  const r = await run(t, ['bash', '-c', script], () => {});
  t.regex(r.stdout, /^restage verify: samples\/welcome: equivalent\nrestage exited 0\n$/, r.stdout + r.stderr);
  t.deepEqual(r.left, []);
});
