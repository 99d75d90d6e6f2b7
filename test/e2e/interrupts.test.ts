/**
 * Interrupting `restage verify` at any step leaves nothing behind: no container, no image (tagged or
 * an untagged intermediate of a build cut short), no scratch directory — after SIGINT or SIGTERM in
 * each step, a second SIGINT during cleanup, and a reader that goes away (`| head -1`).
 * test/fixtures/e2e/slow makes every step last a few seconds and marks its RUN lines with
 * "slow-fixture". The classic builder is used: it is the one that leaves an image per step. Each run
 * gets its own TMPDIR, whose scratch directories name its sessions: other runs on the engine are
 * not looked at.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExecutionContext } from 'ava';
import { BIN, ROOT } from '../helpers/fixtures.js';
import { e2eTest, unavailable } from './helpers/engine.js';
import { BASES, env, IMAGE_MAP, sessionLeftovers, untaggedMentioning, watchSessions } from './helpers/verify-run.js';

const e2e = e2eTest(await unavailable(BASES));
const DIR = 'test/fixtures/e2e/slow';

interface Point {
  /** The progress line (plain mode, one per finished step) after which the step of interest runs. */
  readonly after: RegExp;
  /** How long after it the signal is sent: the step is then under way. */
  readonly delayMs: number;
}

const POINTS: Record<string, Point> = {
  'the legacy build': { after: /^/, delayMs: 3000 },
  'the extraction': { after: /legacy: docker build slow:build: done/, delayMs: 0 },
  'the migrated build': { after: /legacy: docker build slow:latest: done/, delayMs: 2500 },
  'the run step': { after: /migrated: docker build: done/, delayMs: 3000 },
};

/** Runs `command` (argv) with a private TMPDIR; `onStderr` sees stderr as it grows and may signal the child. */
async function run(t: ExecutionContext, command: readonly string[], onStderr: (stderr: string, child: ReturnType<typeof spawn>) => void) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-e2etest-tmp-'));
  t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const sessions = watchSessions(tmp);
  const child = spawn(command[0]!, command.slice(1), { cwd: ROOT, env: { ...env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); onStderr(stderr, child); });
  onStderr('', child);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  sessions.stop();
  t.true(sessions.ids.size > 0, 'the run started a session');
  return { code, stdout, stderr, left: await sessionLeftovers(sessions.ids, tmp) };
}

async function interrupt(t: ExecutionContext, point: Point, signals: readonly NodeJS.Signals[], code: number): Promise<void> {
  let armed = false;
  const r = await run(t, [process.execPath, BIN, 'verify', DIR, '--backend', 'classic', ...IMAGE_MAP], (stderr, child) => {
    if (armed || !point.after.test(stderr)) return;
    armed = true;
    setTimeout(() => {
      child.kill(signals[0]);
      // A second signal while the first one's cleanup runs.
      if (signals[1]) setTimeout(() => child.kill(signals[1]), 150);
    }, point.delayMs);
  });
  t.is(r.code, code, r.stdout + r.stderr);
  t.regex(r.stdout, /interrupted/, r.stderr);
  t.deepEqual(r.left, []);
  t.deepEqual(await untaggedMentioning('slow-fixture'), [], 'no untagged image of the builds is left');
}

for (const [where, point] of Object.entries(POINTS)) {
  e2e(`SIGINT during ${where} leaves nothing behind`, (t) => interrupt(t, point, ['SIGINT'], 130));
}
e2e('SIGTERM during the migrated build leaves nothing behind', (t) => interrupt(t, POINTS['the migrated build']!, ['SIGTERM'], 143));
e2e('a second SIGINT during cleanup does not cut it short', (t) => interrupt(t, POINTS['the extraction']!, ['SIGINT', 'SIGINT'], 130));

e2e('a reader that goes away (`2>&1 | head -1`) cancels verify, which still cleans up (exit 141, as SIGPIPE)', async (t) => {
  const script = `"${process.execPath}" "${BIN}" verify ${DIR} --backend classic ${IMAGE_MAP.join(' ')} 2>&1 | head -1; echo "restage exited \${PIPESTATUS[0]}"`;
  const r = await run(t, ['bash', '-c', script], () => {});
  t.regex(r.stdout, /^restage: .*\nrestage exited 141\n$/, r.stdout + r.stderr);
  t.deepEqual(r.left, []);
  t.deepEqual(await untaggedMentioning('slow-fixture'), []);
});

e2e('`| head -1` on the report alone: verify runs to the end and cleans up', async (t) => {
  const script = `"${process.execPath}" "${BIN}" verify samples/welcome --no-run --quiet ${IMAGE_MAP.join(' ')} | head -1; echo "restage exited \${PIPESTATUS[0]}"`;
  const r = await run(t, ['bash', '-c', script], () => {});
  t.regex(r.stdout, /^restage verify: samples\/welcome: equivalent\nrestage exited 0\n$/, r.stdout + r.stderr);
  t.deepEqual(r.left, []);
});
