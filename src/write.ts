/**
 * Writing the migrated Dockerfile: atomic (a temp file in the same directory, then rename, so a
 * reader never sees half a file) and keeping the replaced file's mode. An existing file is
 * replaced only when git can give it back: tracked, not ignored and unmodified in a work tree.
 * Any other existing file (no repository, untracked, ignored, modified) is refused, or with
 * `force` first copied to `NAME.orig` beside it, which is itself never overwritten.
 * A target that does not exist yet is a plain new file. Several files (the Dockerfile, the
 * orchestrator, a legacy file removed) change all or nothing (applyChanges).
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
  const done = applyChanges([{ path: target, text }], options);
  return done.ok ? { ok: true, backup: done.backups.get(target) ?? null } : done;
}

/** A file to write (replaced or new), or to remove. Paths are absolute. */
export type FileChange =
  { readonly path: string; readonly text: string } | { readonly path: string; readonly remove: true };

export type ChangesOutcome =
  | {
      ok: true;
      /** File → its NAME.orig, for the files git could not restore (with force). */ backups: Map<string, string>;
    }
  | {
      ok: false;
      /** The file the refusal or failure is about. */
      path: string;
      reason: 'unrestorable' | 'backup-exists' | 'io';
      message: string;
      commitHelps?: boolean;
      /** Changes made before the failure were undone (the files are as they were). */
      rolledBack?: boolean;
    };

/**
 * Several changes, all or nothing: every file is checked first (each existing one must be
 * restorable as writeAtomic asks, or kept as NAME.orig with `force`), then the changes are made in
 * order, each atomic; when one fails, the ones made before it are undone (the original bytes and
 * mode put back by the same temp-and-rename, a new file removed) and the backups made for this run
 * removed. `beforeChange` is called before each change; a throw there is a failed change (tests
 * use it to fail the second write).
 */
export function applyChanges(
  changes: readonly FileChange[],
  options: { force: boolean; beforeChange?: (file: string) => void },
): ChangesOutcome {
  const originals = new Map<string, { bytes: Buffer; mode: number }>();
  const toBackUp: string[] = [];
  for (const change of changes) {
    let existing: fs.Stats | null = null;
    try {
      existing = fs.statSync(change.path);
    } catch {
      /* a new file */
    }
    if (!existing) {
      if ('remove' in change) return { ok: false, path: change.path, reason: 'io', message: 'it does not exist' };
      continue;
    }
    if (!existing.isFile())
      return { ok: false, path: change.path, reason: 'io', message: 'it exists and is not a regular file' };
    const refusal = unrestorable(change.path);
    if (refusal && !options.force)
      return {
        ok: false,
        path: change.path,
        reason: 'unrestorable',
        message: refusal.why,
        commitHelps: refusal.commitHelps,
      };
    if (refusal) {
      if (fs.existsSync(`${change.path}.orig`))
        return {
          ok: false,
          path: change.path,
          reason: 'backup-exists',
          message: `${path.basename(change.path)}.orig already exists (${refusal.why})`,
        };
      toBackUp.push(change.path);
    }
    try {
      originals.set(change.path, { bytes: fs.readFileSync(change.path), mode: existing.mode & 0o7777 });
    } catch (e) {
      return { ok: false, path: change.path, reason: 'io', message: (e as Error).message };
    }
  }
  const backups = new Map<string, string>();
  const dropBackups = () => {
    for (const b of backups.values()) fs.rmSync(b, { force: true });
  };
  for (const file of toBackUp) {
    const backup = `${file}.orig`;
    try {
      // COPYFILE_EXCL: the copy fails rather than replace a backup already there.
      fs.copyFileSync(file, backup, fs.constants.COPYFILE_EXCL);
      backups.set(file, backup);
      fs.chmodSync(backup, originals.get(file)!.mode);
    } catch (e) {
      dropBackups();
      if ((e as NodeJS.ErrnoException).code === 'EEXIST')
        return {
          ok: false,
          path: file,
          reason: 'backup-exists',
          message: `${path.basename(backup)} already exists`,
        };
      return {
        ok: false,
        path: file,
        reason: 'io',
        message: `could not keep the original as ${path.basename(backup)}: ${(e as Error).message}`,
      };
    }
  }
  const made: FileChange[] = [];
  for (const change of changes) {
    try {
      options.beforeChange?.(change.path);
      if ('remove' in change) fs.rmSync(change.path);
      else replaceFile(change.path, change.text, originals.get(change.path)?.mode ?? 0o644);
      made.push(change);
    } catch (e) {
      const undone = made.reverse().every((m) => undo(m, originals.get(m.path)));
      dropBackups();
      return {
        ok: false,
        path: change.path,
        reason: 'io',
        message: (e as Error).message,
        rolledBack: undone,
      };
    }
  }
  return { ok: true, backups };
}

/** Puts a changed file back as it was; false when that failed too. */
function undo(change: FileChange, original: { bytes: Buffer; mode: number } | undefined): boolean {
  try {
    if (original) replaceFile(change.path, original.bytes, original.mode);
    else fs.rmSync(change.path, { force: true });
    return true;
  } catch {
    return false;
  }
}

/** Atomic: a temp file in the same directory, then rename, so a reader never sees half a file. */
function replaceFile(target: string, content: string | Buffer, mode: number): void {
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.restage-${process.pid}-${Date.now()}`);
  try {
    fs.writeFileSync(temp, content, { mode, flag: 'wx' });
    // The umask may have narrowed the mode given at creation.
    fs.chmodSync(temp, mode);
    fs.renameSync(temp, target);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
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
