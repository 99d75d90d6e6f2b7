/**
 * Writing the migrated Dockerfile: atomic (a temp file in the same directory, then rename, so a
 * reader never sees half a file), and never over uncommitted work: a target with uncommitted
 * git changes (or untracked, so git has no copy) is refused unless forced.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export type WriteOutcome = { ok: true } | { ok: false; reason: 'uncommitted' | 'io'; message: string };

export function writeAtomic(target: string, text: string, options: { force: boolean }): WriteOutcome {
  if (!options.force && fs.existsSync(target)) {
    const dirty = uncommitted(target);
    if (dirty) return { ok: false, reason: 'uncommitted', message: dirty };
  }
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.restage-${process.pid}-${Date.now()}`);
  try {
    const mode = fs.existsSync(target) ? fs.statSync(target).mode & 0o7777 : 0o644;
    fs.writeFileSync(temp, text, { mode });
    fs.renameSync(temp, target);
    return { ok: true };
  } catch (e) {
    try { fs.rmSync(temp, { force: true }); } catch { /* nothing left to clean */ }
    return { ok: false, reason: 'io', message: (e as Error).message };
  }
}

/** Why the file may not be overwritten, or null. Outside a git work tree there is nothing to check. */
function uncommitted(file: string): string | null {
  const dir = path.dirname(file);
  const inside = spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: dir, encoding: 'utf8' });
  if (inside.status !== 0 || inside.stdout.trim() !== 'true') return null;
  const status = spawnSync('git', ['status', '--porcelain', '--', path.basename(file)], { cwd: dir, encoding: 'utf8' });
  if (status.status !== 0) return null;
  const line = status.stdout.split('\n').find((l) => l.trim() !== '');
  if (!line) return null;
  return line.startsWith('??') ? 'it is not tracked by git, so git holds no copy of it' : 'it has uncommitted changes';
}
