/** Shared helpers for tests: fixture paths, temp copies of fixture trees. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MIGRATE_FIXTURES = path.join(ROOT, 'test', 'fixtures', 'migrate');
export const BIN = path.join(ROOT, 'bin', 'restage.js');

export function migrateCases(): string[] {
  return fs.readdirSync(MIGRATE_FIXTURES).filter((n) => fs.existsSync(path.join(MIGRATE_FIXTURES, n, 'input'))).sort();
}

/** A fresh temp directory holding a copy of `from` (or empty); removed by the caller's teardown. */
export function tempCopy(from?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-test-'));
  if (from) fs.cpSync(from, dir, { recursive: true, verbatimSymlinks: true });
  return dir;
}
