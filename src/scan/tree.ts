/**
 * Every builder pattern under a tree, as `restage scan ROOT` and `restage migrate DIR` find them: the
 * walk's candidate directories (walk.ts), each analysed as `restage migrate` on that directory
 * alone would analyse it. A directory whose Dockerfiles and scripts an earlier (enclosing)
 * pattern already uses as its own is part of that pattern, not one of its own: `docker/` beside
 * `ci/build.sh` is analysed once, from the directory above both. Reads only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isDockerfileName } from '../discover/discover.js';
import { analyzeDirectory, type MigrateOptions, type Migration } from '../migrate.js';
import { candidates, type Candidate, type WalkStats } from './walk.js';

export interface TreeEntry {
  readonly candidate: Candidate;
  /** The analysis of the directory, or null when nothing in it may drive docker. */
  readonly migration: Migration | null;
}

/** Whether an entry is a builder pattern: analysed to something other than "nothing to migrate". */
export const isPattern = (e: TreeEntry): boolean =>
  e.migration !== null && e.migration.result.status !== 'nothing-to-migrate';

/** The roles that make a file part of a pattern (a plain `dockerfile` is only seen there). */
const OWNED = new Set(['orchestrator', 'builder-dockerfile', 'runtime-dockerfile']);

/** Candidate directories in walk order (a directory before those below it), skipping those a pattern above owns. */
export function* analyzeTree(
  root: string,
  stats: WalkStats,
  options: MigrateOptions & { readonly onDirectory?: () => void },
): Generator<TreeEntry> {
  const { onDirectory, ...migrateOptions } = options;
  const base = path.resolve(migrateOptions.displayBase ?? process.cwd());
  /** Absolute paths of the files a pattern found so far uses. */
  const owned = new Set<string>();
  for (const candidate of candidates(path.resolve(root), stats, onDirectory)) {
    const own = candidate.dockerfiles.map((d) => path.join(candidate.dir, d));
    if (own.length > 0 && own.every((f) => owned.has(f))) continue;
    const analysed = candidate.orchestrated ? analyzeDirectory(candidate.dir, migrateOptions) : null;
    // Dockerfiles only one level down make a pattern here only when discovery took them (no RS102),
    // and when the script that fails here is not one beside its own Dockerfiles (`docker/build.sh`
    // with `docker/Dockerfile.build`, run from docker/): those are the sub-directory's own pattern,
    // analysed when the walk gets there.
    const migration = ownPattern(candidate, analysed, base);
    if (migration && migration.result.status !== 'nothing-to-migrate')
      for (const f of migration.result.files) if (OWNED.has(f.role)) owned.add(path.resolve(base, f.path));
    yield { candidate, migration };
  }
}

/**
 * The analysis of a candidate directory as its own pattern, or null when it is none: a directory with
 * no Dockerfile of its own whose analysis is the pattern of a directory below (see analyzeTree).
 */
export function ownPattern(candidate: Candidate, analysed: Migration | null, base: string): Migration | null {
  return candidate.dockerfiles.length === 0 && analysed && !nestedPattern(analysed, base) ? null : analysed;
}

/** Whether an analysis of a directory with no Dockerfile of its own is a pattern of that directory. */
function nestedPattern(analysed: Migration, base: string): boolean {
  const { result } = analysed;
  if (result.diagnostics.some((d) => d.code === 'RS102')) return false;
  if (result.status !== 'error') return true;
  const script = result.files.find((f) => f.role === 'orchestrator');
  if (!script) return true;
  let names: string[] = [];
  try {
    names = fs.readdirSync(path.dirname(path.resolve(base, script.path)));
  } catch {
    /* unreadable: no Dockerfiles of its own seen */
  }
  return !names.some((name) => isDockerfileName(name));
}

/**
 * The builder patterns under `dir` (directories analysed to something other than "nothing to
 * migrate"), in walk order: `dir` itself first when it holds one. Empty when none does.
 */
export function treePatterns(dir: string, options: MigrateOptions = {}): TreeEntry[] {
  const stats: WalkStats = { directories: 0, files: 0, unreadable: 0 };
  return [...analyzeTree(dir, stats, options)].filter(isPattern);
}
