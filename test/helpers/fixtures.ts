/** Shared helpers for tests: fixture paths, temp copies of fixture trees. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MIGRATE_FIXTURES = path.join(ROOT, 'test', 'fixtures', 'migrate');
export const BIN = path.join(ROOT, 'bin', 'restage.js');

/**
 * Golden cases: each test/fixtures/migrate/<case> has its input in `input/`, or names a bundled
 * sample (a `sample` file holding e.g. `samples/href-counter`) so samples are tested as shipped.
 */
export function migrateCases(): string[] {
  return fs
    .readdirSync(MIGRATE_FIXTURES)
    .filter(
      (n) =>
        fs.existsSync(path.join(MIGRATE_FIXTURES, n, 'input')) ||
        fs.existsSync(path.join(MIGRATE_FIXTURES, n, 'sample')),
    )
    .sort();
}

/** The directory a golden case migrates. */
export function caseInput(name: string): string {
  const link = path.join(MIGRATE_FIXTURES, name, 'sample');
  return fs.existsSync(link)
    ? path.join(ROOT, fs.readFileSync(link, 'utf8').trim())
    : path.join(MIGRATE_FIXTURES, name, 'input');
}

/** A fresh temp directory holding a copy of `from` (or empty); removed by the caller's teardown. */
export function tempCopy(from?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-test-'));
  if (from) fs.cpSync(from, dir, { recursive: true, verbatimSymlinks: true });
  return dir;
}

/** Every file under dir (.git aside) with its bytes (`modes`: `MODE:` before them), to prove nothing changed. */
export function snapshot(dir: string, options: { modes?: boolean } = {}): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== '.git') walk(p);
      } else {
        const bytes = fs.readFileSync(p, 'base64');
        out.set(path.relative(dir, p), options.modes ? `${fs.statSync(p).mode}:${bytes}` : bytes);
      }
    }
  };
  walk(dir);
  return out;
}

/** Makes dir a git work tree with everything committed. */
export function commitAll(dir: string): void {
  for (const args of [
    ['init', '-q'],
    ['add', '-A'],
    ['commit', '-qm', 'legacy'],
  ]) {
    spawnSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', ...args], { cwd: dir });
  }
}
