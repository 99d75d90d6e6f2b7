/**
 * Where `restage check PATHS…` looks: which directories to analyse for the files and directories it
 * is given, decided from names alone (src/scan/walk.ts), so that a tree with nothing that may be a
 * builder pattern is never parsed (test/cli/check.test.ts shows no parser loads). A directory given
 * means every pattern under it. A file given means the pattern of its own directory, and of the one
 * above when it sits in one of discover's SCRIPT_DIRS (`ci/build.sh`, `docker/Dockerfile.build`
 * belong to the pattern migrate finds from the directory above), when the file is one of that
 * pattern's files. Only directories the walk would analyse are kept. Reads only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isDockerfileName, isJsScriptName, SCRIPT_DIRS } from '../discover/discover.js';
import { candidateAt, candidates, isDriverName, type Candidate } from '../scan/walk.js';

export interface CheckTargets {
  /** Directories given that hold a candidate pattern somewhere below (absolute). */
  readonly trees: readonly string[];
  /** Directories to analyse alone (absolute) → the walk's candidate there and the files given (absolute) that may be its pattern's. */
  readonly dirs: ReadonlyMap<string, { readonly candidate: Candidate; readonly files: readonly string[] }>;
}

/** The targets, or the first path that does not exist (resolved against `base`). */
export function checkTargets(paths: readonly string[], base: string): CheckTargets | { readonly missing: string } {
  const trees: string[] = [];
  const dirs = new Map<string, { candidate: Candidate; files: string[] }>();
  for (const given of paths) {
    const p = path.resolve(base, given);
    const stat = fs.statSync(p, { throwIfNoEntry: false });
    if (!stat) return { missing: given };
    if (stat.isDirectory()) {
      if (!trees.includes(p) && hasCandidate(p)) trees.push(p);
      continue;
    }
    const name = path.basename(p);
    if (!isDockerfileName(name) && !isDriverName(name) && !isJsScriptName(name)) continue;
    const own = path.dirname(p);
    const around = SCRIPT_NAMES.has(path.basename(own)) ? [own, path.dirname(own)] : [own];
    for (const dir of around) {
      const seen = dirs.get(dir);
      const candidate = seen?.candidate ?? candidateAt(dir);
      if (!candidate?.orchestrated) continue;
      const files = seen?.files ?? [];
      if (!files.includes(p)) files.push(p);
      dirs.set(dir, { candidate, files });
    }
  }
  return { trees, dirs };
}

const SCRIPT_NAMES: ReadonlySet<string> = new Set(SCRIPT_DIRS);

/** Whether the walk of `root` finds a directory it would analyse (src/scan/tree.ts analyses those driven). */
function hasCandidate(root: string): boolean {
  for (const c of candidates(root, { directories: 0, files: 0, unreadable: 0 })) if (c.orchestrated) return true;
  return false;
}
