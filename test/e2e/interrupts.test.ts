/**
 * Interrupting `restage verify` at any step leaves nothing behind: no container, no image (tagged or
 * an untagged intermediate of a build cut short), no scratch directory — after SIGINT or SIGTERM in
 * each step, a second SIGINT during cleanup, and a reader that goes away (`| head -1`).
 * test/fixtures/e2e/slow makes every step last a few seconds and marks its RUN lines with
 * "slow-fixture". The classic builder is used: it is the one that leaves an image per step. Each run
 * gets its own TMPDIR, whose scratch directories name its sessions: other runs on the engine are
 * not looked at. Cleanup is by label, so what a session made must carry its label when the signal
 * comes.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { ExecutionContext } from 'ava';
import { BIN } from '../helpers/fixtures.js';
import { client, e2eTest, unavailable } from './helpers/engine.js';
import { POINTS, runWatched, SLOW_FIXTURE as DIR, type Point } from './helpers/interrupt.js';
import { BASES, env, IMAGE_MAP, sessionLeftovers, untaggedMentioning } from './helpers/verify-run.js';

const e2e = e2eTest(await unavailable(BASES));

/**
 * What the sessions whose scratch directories are in `tmp` have on the engine now without their
 * label `restage.session=<id>`: containers in one query (name and label together), images by name,
 * each inspected (one removed meanwhile is skipped).
 */
function unlabelled(tmp: string): string[] {
  const docker = (args: readonly string[]) => {
    const r = spawnSync(client ?? 'docker', args, { encoding: 'utf8', env });
    return r.status === 0 ? r.stdout.split('\n').filter(Boolean) : null;
  };
  const ids = new Set(fs.readdirSync(tmp).flatMap((n) => /^(restage-[0-9a-f]{8})-/.exec(n)?.[1] ?? []));
  return [...ids].flatMap((id) => [
    ...(
      docker(['ps', '--all', '--filter', `name=${id}-`, '--format', '{{.Names}}\t{{.Label "restage.session"}}']) ?? []
    )
      .map((l) => l.split('\t'))
      .filter(([name, label]) => name!.startsWith(`${id}-`) && label !== id)
      .map(([name]) => `container ${name}`),
    ...(docker(['images', '--filter', `reference=${id}-*`, '--format', '{{.Repository}}:{{.Tag}}']) ?? []).filter(
      (ref) => {
        const label = docker(['image', 'inspect', '--format', '{{index .Config.Labels "restage.session"}}', ref]);
        return label !== null && label[0] !== id;
      },
    ),
  ]);
}

/** Runs `command` with a private TMPDIR (see runWatched) and lists what its sessions left. */
async function run(
  t: ExecutionContext,
  command: readonly string[],
  onStderr: (stderr: string, child: ChildProcess, tmp: string) => void,
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
  let unlabelledAtSignal: string[] = [];
  const r = await run(
    t,
    [process.execPath, BIN, 'verify', DIR, '--backend', 'classic', '--legacy=replay', ...IMAGE_MAP],
    (stderr, child, tmp) => {
      if (armed || !point.after.test(stderr)) return;
      armed = true;
      setTimeout(() => {
        unlabelledAtSignal = unlabelled(tmp);
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
  t.deepEqual(unlabelledAtSignal, [], 'what the session had made when the signal came carries its label');
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
