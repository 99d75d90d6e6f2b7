/**
 * `scan(root)`: every builder pattern under a tree, for `restage scan`. The tree's candidate
 * directories are analysed exactly as `restage migrate DIR` would analyse them (tree.ts), and a
 * builder-named Dockerfile with nothing beside it to build it is reported too (RS112). A directory
 * whose analysis finds nothing to migrate is no pattern and is left out. Reads only; the library
 * prints nothing: progress goes to `onProgress`.
 */
import path from 'node:path';
import { diagnostic } from '../model/diagnostic.js';
import type { MigrationResult } from '../model/result.js';
import type { ScanPattern, ScanResult } from '../model/scan.js';

export type { ScanPattern, ScanResult, ScanStatus } from '../model/scan.js';
import { isBuilderDockerfileName } from '../discover/discover.js';
import { displayPath } from '../shared/display-path.js';
import type { Candidate, WalkStats } from './walk.js';
import { analyzeTree } from './tree.js';

export interface ScanOptions {
  /** Paths in the result are relative to this directory (default: the current directory). */
  readonly displayBase?: string;
  /** Told after each directory read, with the counts so far. */
  readonly onProgress?: (counts: { directories: number; patterns: number }) => void;
}

export function scan(root: string, options: ScanOptions = {}): ScanResult {
  const base = options.displayBase ?? process.cwd();
  const display = (p: string) => displayPath(p, base);
  const stats: WalkStats = { directories: 0, files: 0, unreadable: 0 };
  const patterns: ScanPattern[] = [];
  const progress =
    options.onProgress && (() => options.onProgress!({ directories: stats.directories, patterns: patterns.length }));
  for (const { candidate, migration } of analyzeTree(root, stats, {
    displayBase: base,
    ...(progress ? { onDirectory: progress } : {}),
  })) {
    const result = migration?.result ?? null;
    const pattern =
      result && result.status !== 'nothing-to-migrate'
        ? analysed(candidate, result, base)
        : unbuilt(candidate, result, display);
    if (pattern) patterns.push(pattern);
  }
  return { root, ...stats, patterns };
}

function analysed(candidate: Candidate, result: MigrationResult, base: string): ScanPattern {
  const role = (...roles: string[]) => result.files.find((f) => roles.includes(f.role))?.path ?? null;
  return {
    directory: displayPath(candidate.dir, base),
    buildDockerfile: role('builder-dockerfile'),
    orchestrator: role('orchestrator', 'other-orchestrator', 'makefile'),
    route: route(result),
    status: result.status === 'migrated' ? 'migratable' : 'needs-attention',
    reason:
      result.status === 'migrated'
        ? null
        : (result.diagnostics.find((d) => d.severity === 'error') ??
          result.diagnostics.find((d) => d.severity === 'warning') ??
          null),
  };
}

function route(result: MigrationResult): string | null {
  if (result.artifacts.length === 0) return null;
  return [...new Set(result.artifacts.map((a) => a.via ?? 'docker cp'))].join(', ');
}

/**
 * A builder-named Dockerfile in a directory where nothing makes a pattern of it: driven from
 * elsewhere, or by a script restage found no extraction in (`result`'s first remark says so).
 */
function unbuilt(
  candidate: Candidate,
  result: MigrationResult | null,
  display: (p: string) => string,
): ScanPattern | null {
  const builder = candidate.dockerfiles.find((name) => isBuilderDockerfileName(name));
  if (builder === undefined) return null;
  const file = display(path.join(candidate.dir, builder));
  const orchestrator = result?.files.find((f) => f.role === 'orchestrator' || f.role === 'other-orchestrator');
  return {
    directory: display(candidate.dir),
    buildDockerfile: file,
    orchestrator: orchestrator?.path ?? null,
    route: null,
    status: 'needs-attention',
    reason:
      (orchestrator && result?.diagnostics[0]) ||
      diagnostic(
        'RS112',
        { file, line: 1, column: 1 },
        orchestrator
          ? `${builder} looks like a builder Dockerfile, and ${orchestrator.path} drives docker here, but restage found no build of it whose artifacts another build consumes; if another script drives it, name it with restage migrate --script`
          : `${builder} looks like a builder Dockerfile, but no script or Makefile in ${display(candidate.dir)} builds it; if a script elsewhere drives it, run restage migrate on the directory that holds both`,
      ),
  };
}
