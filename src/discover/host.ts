/**
 * The host paths the analysis asks about, read once through the confinement before the analysis
 * runs (src/analyze/host-snapshot.ts names them): what each is, or that restage does not look at
 * it. A missing path is left out, as the HostSnapshot's contract says.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { HostKind } from '../model/analysis.js';
import type { Confinement } from './confine.js';

export function hostKinds(confinement: Confinement, paths: Iterable<string>): Map<string, HostKind> {
  const kinds = new Map<string, HostKind>();
  for (const p of paths) {
    const checked = confinement.check(p);
    if (checked.ok) kinds.set(p, checked.kind);
    else if (checked.reason !== 'missing') kinds.set(p, 'refused');
  }
  return kinds;
}

/**
 * Every path below `dir` inside the directory, as the tree is before the script runs: files,
 * directories and links (not followed), '/'-separated and relative to `dir`, sorted; `.git`
 * included (a build context holds it unless its .dockerignore leaves it out). Empty when `dir`
 * is not a directory restage looks at.
 */
export function contextEntries(confinement: Confinement, dir: string): string[] {
  const checked = confinement.check(dir);
  if (!checked.ok || checked.kind !== 'dir') return [];
  const out: string[] = [];
  const walk = (abs: string, rel: string) => {
    let list: fs.Dirent[];
    try {
      list = fs.readdirSync(abs, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of list.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const r = rel === '' ? e.name : `${rel}/${e.name}`;
      out.push(r);
      if (e.isDirectory()) walk(path.join(abs, e.name), r);
    }
  };
  walk(path.resolve(confinement.root, dir), '');
  return out;
}
