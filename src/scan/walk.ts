/**
 * The directories of a tree that may hold a builder pattern, for `restage scan`. Reads names only
 * (and `.gitignore` files): which directories hold a Dockerfile next to something that may drive
 * docker — a shell script, an extension-less executable, a Makefile, a package.json. Whether one
 * does is the analysis's to say (src/scan/scan.ts).
 *
 * A directory whose build files live one level down, in one of discover's SCRIPT_DIRS (`ci/build.sh`,
 * `docker/Dockerfile.build`), is a candidate too, as `restage migrate` analyses it from there; a
 * package.json below a directory with Dockerfiles (discover's subPackages) may drive docker too.
 *
 * Contract: it never follows a symbolic link (a linked directory is not entered, so nothing outside
 * ROOT is read through one); it skips `.git`, `node_modules` and vendored folders (VENDORED) and
 * what the tree's `.gitignore` files exclude, as git does (a directory excluded is not entered, so
 * nothing below it can be re-included); an unreadable directory is counted and skipped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gitignoreRules, type GitignoreRules } from '../shared/glob.js';
import { isDockerfileName, SCRIPT_DIRS, subPackages, VENDORED } from '../discover/discover.js';

export { VENDORED };

const ORCHESTRATOR = /\.(sh|bash)$|^(GNUmakefile|makefile|Makefile|package\.json)$|\.mk$|^[^.]+$/;

/** A name that may drive docker: a shell script, a Makefile, a package.json, an extension-less executable. */
export const isDriverName = (name: string): boolean => ORCHESTRATOR.test(name);

export interface WalkStats {
  directories: number;
  files: number;
  unreadable: number;
}

export interface Candidate {
  /** Absolute path of the directory. */
  readonly dir: string;
  /** Its own Dockerfile names. */
  readonly dockerfiles: readonly string[];
  /** Whether it, or one of its SCRIPT_DIRS, holds a file that may drive docker. */
  readonly orchestrated: boolean;
  /** Whether one of its SCRIPT_DIRS holds a Dockerfile. */
  readonly nestedDockerfiles: boolean;
}

interface Frame {
  readonly dir: string;
  readonly ignores: readonly { readonly base: string; readonly rules: GitignoreRules }[];
}

/** Walks `root` depth first in name order; `onDirectory` is told after each directory read. */
export function* candidates(root: string, stats: WalkStats, onDirectory?: () => void): Generator<Candidate> {
  const stack: Frame[] = [{ dir: root, ignores: [] }];
  while (stack.length > 0) {
    const { dir, ignores: outer } = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      stats.unreadable++;
      continue;
    }
    stats.directories++;
    const ignores = entries.some((e) => e.name === '.gitignore' && e.isFile())
      ? [...outer, { base: dir, rules: gitignoreRules(readOrEmpty(path.join(dir, '.gitignore'))) }]
      : outer;
    // This directory's path below each .gitignore's directory, once per directory ('' for its own).
    const prefixes = ignores.map(({ base }) => {
      const rel = path.relative(base, dir).split(path.sep).join('/');
      return rel === '' ? '' : `${rel}/`;
    });
    const ignored = (name: string, isDirectory: boolean): boolean => {
      for (let i = ignores.length - 1; i >= 0; i--) {
        const verdict = ignores[i]!.rules.match(prefixes[i] + name, isDirectory);
        if (verdict !== null) return verdict;
      }
      return false;
    };
    const { candidate, below } = classify(dir, entries, ignored, stats);
    onDirectory?.();
    if (candidate) yield candidate;
    for (const name of below.sort().reverse()) stack.push({ dir: path.join(dir, name), ignores });
  }
}

const SCRIPT_NAMES: ReadonlySet<string> = new Set(SCRIPT_DIRS);

/**
 * One directory alone, as the walk sees it (no `.gitignore` read): the candidate it is, or null.
 * `restage check` asks this of the directories of the files it is given.
 */
export function candidateAt(dir: string): Candidate | null {
  const entries = readOrNone(dir);
  return classify(dir, entries, () => false, { directories: 0, files: 0, unreadable: 0 }).candidate;
}

/** A directory's Dockerfiles and drivers (`ignored` excludes names), and the directories to walk below it. */
function classify(
  dir: string,
  entries: readonly fs.Dirent[],
  ignored: (name: string, isDirectory: boolean) => boolean,
  stats: WalkStats,
): { candidate: Candidate | null; below: string[] } {
  const dockerfiles: string[] = [];
  let orchestrated = false;
  let nestedDockerfiles = false;
  const below: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory()) {
      if (VENDORED.has(entry.name) || ignored(entry.name, true)) continue;
      below.push(entry.name);
      if (!SCRIPT_NAMES.has(entry.name)) continue;
      // A look one level down (its own .gitignore aside): the walk counts its files when it gets there.
      for (const inner of readOrNone(path.join(dir, entry.name))) {
        if (!inner.isFile() || ignored(`${entry.name}/${inner.name}`, false)) continue;
        if (isDockerfileName(inner.name)) nestedDockerfiles = true;
        else if (ORCHESTRATOR.test(inner.name)) orchestrated = true;
      }
    } else if (entry.isFile()) {
      stats.files++;
      // Only a name that counts is matched against the ignore rules (the walk's main cost).
      const dockerfile = isDockerfileName(entry.name);
      if (!dockerfile && (orchestrated || !ORCHESTRATOR.test(entry.name))) continue;
      if (ignored(entry.name, false)) continue;
      if (dockerfile) dockerfiles.push(entry.name);
      else orchestrated = true;
    }
  }
  // A package.json below (`web/package.json`) may drive docker from there, as discover finds it.
  if (!orchestrated && (dockerfiles.length > 0 || nestedDockerfiles) && subPackages(dir).length > 0)
    orchestrated = true;
  const candidate =
    dockerfiles.length > 0 || (nestedDockerfiles && orchestrated)
      ? { dir, dockerfiles: dockerfiles.sort(), orchestrated, nestedDockerfiles }
      : null;
  return { candidate, below };
}

function readOrNone(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
