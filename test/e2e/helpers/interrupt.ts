/**
 * Interrupting a command at a step of test/fixtures/e2e/slow, which makes every step of
 * `restage verify` last a few seconds and marks its RUN lines with "slow-fixture". Each run gets its
 * own TMPDIR, whose scratch directories name its sessions: other runs on the engine are not looked at.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExecutionContext } from 'ava';
import { ROOT } from '../../helpers/fixtures.js';
import { watchSessions } from './verify-run.js';

export const SLOW_FIXTURE = 'test/fixtures/e2e/slow';

export interface Point {
  /** The progress line (plain mode, one per finished step) after which the step of interest runs. */
  readonly after: RegExp;
  /** How long after it the signal is sent: the step is then under way. */
  readonly delayMs: number;
}

export const POINTS: Record<string, Point> = {
  'the legacy build': { after: /^/, delayMs: 3000 },
  'the extraction': { after: /legacy: docker build slow:build: done/, delayMs: 0 },
  'the migrated build': { after: /legacy: docker build slow:latest: done/, delayMs: 2500 },
  'the run step': { after: /migrated: docker build: done/, delayMs: 3000 },
};

export interface WatchedRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The verify sessions the run started (none when verify refused the input before making anything). */
  readonly ids: ReadonlySet<string>;
  /** The run's TMPDIR (removed at the end of the test). */
  readonly tmp: string;
}

/** Runs `command` (argv) with `env` and a private TMPDIR; `onStderr` sees stderr as it grows (and the TMPDIR) and may signal the child. */
export async function runWatched(
  t: ExecutionContext,
  command: readonly string[],
  env: NodeJS.ProcessEnv,
  onStderr: (stderr: string, child: ReturnType<typeof spawn>, tmp: string) => void,
): Promise<WatchedRun> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-e2etest-tmp-'));
  t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const sessions = watchSessions(tmp);
  const child = spawn(command[0]!, command.slice(1), {
    cwd: ROOT,
    env: { ...env, TMPDIR: tmp },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    onStderr(stderr, child, tmp);
  });
  onStderr('', child, tmp);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  sessions.stop();
  return { code, stdout, stderr, ids: sessions.ids, tmp };
}
