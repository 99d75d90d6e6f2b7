/**
 * The changes a write would make (runMigrate's dryRun), as the unified diff against the files as
 * they are: what `restage check` suggests and what `restage migrate --diff` prints. A path below
 * `base` gets git's a/ and b/ prefixes (`git apply`, `patch -p1` take it); another keeps its
 * absolute path. Reads the files; writes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { displayPath } from '../shared/display-path.js';
import { unifiedDiff } from '../shared/unified-diff.js';
import type { FileChange } from '../write.js';

export interface ChangeDiff {
  readonly path: string;
  readonly change: 'modify' | 'create' | 'remove';
  readonly diff: string;
}

export function changesDiff(changes: readonly FileChange[], base: string): ChangeDiff[] {
  return changes.map((c) => {
    const file = displayPath(c.path, base);
    const before = fs.existsSync(c.path) ? fs.readFileSync(c.path, 'utf8') : null;
    const after = 'remove' in c ? null : c.text;
    const change = after === null ? 'remove' : before === null ? 'create' : 'modify';
    const names = path.isAbsolute(file) ? { from: file, to: file } : { from: `a/${file}`, to: `b/${file}` };
    return { path: file, change, diff: unifiedDiff(before, after, names) };
  });
}
