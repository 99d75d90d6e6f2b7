/**
 * Writing the migrated Dockerfile: atomic (a temp file in the same directory, then rename, so a
 * reader never sees half a file) and keeping the replaced file's mode. An existing file is
 * replaced only when git can give it back: tracked, not ignored and unmodified in a work tree.
 * Any other existing file (no repository, untracked, ignored, modified) is refused, or with
 * `force` first copied to `NAME.orig` beside it, which is itself never overwritten.
 * A target that does not exist yet is a plain new file.
 */
import type * as ChildProcess from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type WriteOutcome =
  | { ok: true; backup: string | null }
  | {
      ok: false;
      reason: 'unrestorable' | 'backup-exists' | 'io';
      message: string;
      /** A commit would let git restore it (false: no work tree, ignored, git failed). */ commitHelps?: boolean;
    };

export function writeAtomic(target: string, text: string, options: { force: boolean }): WriteOutcome {
  let existing: fs.Stats | null = null;
  try {
    existing = fs.statSync(target);
  } catch {
    /* a new file */
  }
  let backup: string | null = null;
  if (existing) {
    if (!existing.isFile()) return { ok: false, reason: 'io', message: 'it exists and is not a regular file' };
    const refusal = unrestorable(target);
    const why = refusal?.why ?? null;
    if (refusal && !options.force)
      return { ok: false, reason: 'unrestorable', message: refusal.why, commitHelps: refusal.commitHelps };
    if (why) {
      backup = `${target}.orig`;
      try {
        // COPYFILE_EXCL: the copy fails rather than replace a backup already there.
        fs.copyFileSync(target, backup, fs.constants.COPYFILE_EXCL);
        fs.chmodSync(backup, existing.mode & 0o7777);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST')
          return { ok: false, reason: 'backup-exists', message: `${path.basename(backup)} already exists (${why})` };
        return {
          ok: false,
          reason: 'io',
          message: `could not keep the original as ${path.basename(backup)}: ${(e as Error).message}`,
        };
      }
    }
  }
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.restage-${process.pid}-${Date.now()}`);
  try {
    const mode = existing ? existing.mode & 0o7777 : 0o644;
    fs.writeFileSync(temp, text, { mode, flag: 'wx' });
    // The umask may have narrowed the mode given at creation.
    fs.chmodSync(temp, mode);
    fs.renameSync(temp, target);
    return { ok: true, backup };
  } catch (e) {
    try {
      fs.rmSync(temp, { force: true });
    } catch {
      /* nothing left to clean */
    }
    return { ok: false, reason: 'io', message: (e as Error).message };
  }
}

/** Why git could not restore the file's current content, and whether committing it would change that; null when git can. */
function unrestorable(file: string): { why: string; commitHelps: boolean } | null {
  const dir = path.dirname(file);
  const name = path.basename(file);
  const git = (...args: string[]) => childProcess().spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
  const inside = git('rev-parse', '--is-inside-work-tree');
  if (inside.error || inside.status !== 0 || inside.stdout.trim() !== 'true')
    return { why: 'it is not in a git work tree, so git holds no copy of it', commitHelps: false };
  if (git('ls-files', '--error-unmatch', '--', name).status !== 0) {
    const ignored = git('check-ignore', '-q', '--', name).status === 0;
    return ignored
      ? { why: 'it is ignored by git, so git holds no copy of it', commitHelps: false }
      : { why: 'it is not tracked by git, so git holds no copy of it', commitHelps: true };
  }
  const status = git('status', '--porcelain', '--', name);
  if (status.status !== 0) return { why: 'git could not tell whether it has uncommitted changes', commitHelps: false };
  return status.stdout.trim() !== '' ? { why: 'it has uncommitted changes', commitHelps: true } : null;
}

/**
 * node:child_process, loaded when git is first asked: only a write over an existing file needs it,
 * and it loads node:net and the stream modules with it, which `restage migrate` otherwise never
 * loads (test/cli/startup.test.ts).
 */
function childProcess(): typeof ChildProcess {
  return createRequire(import.meta.url)('node:child_process') as typeof ChildProcess;
}
