/**
 * What `restage check` suggests for each builder pattern of its targets (src/check/find.ts): a
 * paragraph, and the unified diff of what `restage migrate DIR --write` would write, computed from
 * the changes that write would make (runMigrate's dryRun) without writing anything. Loaded by the
 * CLI only when there is a directory to analyse: it brings the parsers.
 */
import path from 'node:path';
import type { Diagnostic } from '../model/diagnostic.js';
import type { MigrationResult } from '../model/result.js';
import { analyzeDirectory, type Migration } from '../migrate.js';
import { ownPattern, treePatterns } from '../scan/tree.js';
import type { CheckTargets } from '../check/find.js';
import { displayPath } from '../shared/display-path.js';
import { shellQuote } from '../shared/shell-quote.js';
import type { FileChange } from '../write.js';
import { changesDiff } from './changes-diff.js';
import { runMigrate } from './migrate.js';

export interface Suggestion {
  /** The pattern's directory, relative to the current directory. */
  readonly directory: string;
  /** `migrate`: restage migrates it (the diff is the change); `by-hand`: restage declines, `reason` says why. */
  readonly kind: 'migrate' | 'by-hand';
  /** The pattern's files (migrate's `files`). */
  readonly files: readonly string[];
  /** The paths given to check that are among them (empty when a directory was given). */
  readonly matched: readonly string[];
  readonly suggestion: string;
  /** What `migrate --write` would change: each file and how. */
  readonly changes: readonly { readonly path: string; readonly change: 'modify' | 'create' | 'remove' }[];
  /** Their unified diff ('' when restage declines the migration). */
  readonly diff: string;
  /** The error that makes restage decline, or null. */
  readonly reason: Diagnostic | null;
  /** The command that applies the diff. */
  readonly command: string;
}

export function suggest(targets: CheckTargets, base: string): Suggestion[] {
  const found = new Map<string, { migration: Migration; matched: string[] }>();
  const add = (migration: Migration, matched: readonly string[]) => {
    const seen = found.get(migration.root);
    if (seen) for (const m of matched) if (!seen.matched.includes(m)) seen.matched.push(m);
    if (!seen) found.set(migration.root, { migration, matched: [...matched] });
  };
  for (const tree of targets.trees)
    for (const entry of treePatterns(tree, { displayBase: base })) add(entry.migration!, []);
  for (const [dir, { candidate, files }] of targets.dirs) {
    // As in a tree: a directory whose analysis is the pattern of one below it is not that pattern.
    const migration = ownPattern(candidate, analyzeDirectory(displayPath(dir, base), { displayBase: base }), base);
    if (!migration || migration.result.status === 'nothing-to-migrate') continue;
    const own = new Set(migration.result.files.map((f) => path.resolve(base, f.path)));
    const matched = files.filter((f) => own.has(f));
    if (matched.length > 0)
      add(
        migration,
        matched.map((f) => displayPath(f, base)),
      );
  }
  return [...found.values()].map(({ migration, matched }) => suggestion(migration, matched, base));
}

function suggestion(migration: Migration, matched: readonly string[], base: string): Suggestion {
  const directory = displayPath(migration.root, base);
  const command = `restage migrate ${shellQuote(directory)} --write`;
  const files = migration.result.files.map((f) => f.path);
  let changes: readonly FileChange[] = [];
  const { result } = runMigrate(
    directory,
    { write: true, displayBase: base, dryRun: (c) => (changes = c) },
    { ...migration, result: { ...migration.result } },
  );
  const reason = result.status === 'error' ? (result.diagnostics.find((d) => d.severity === 'error') ?? null) : null;
  if (reason || changes.length === 0)
    return {
      directory,
      kind: 'by-hand',
      files,
      matched,
      suggestion: byHand(result, directory, reason),
      changes: [],
      diff: '',
      reason,
      command,
    };
  const shown = changesDiff(changes, base);
  return {
    directory,
    kind: 'migrate',
    files,
    matched,
    suggestion: paragraph(result, directory, command),
    changes: shown.map(({ path: p, change }) => ({ path: p, change })),
    diff: shown.map((s) => s.diff).join(''),
    reason: null,
    command,
  };
}

const role = (result: MigrationResult, ...roles: string[]) =>
  result.files.filter((f) => roles.includes(f.role)).map((f) => f.path);

function paragraph(result: MigrationResult, directory: string, command: string): string {
  const builders = role(result, 'builder-dockerfile');
  const runtime = role(result, 'runtime-dockerfile')[0] ?? result.target ?? 'the runtime Dockerfile';
  const driver = role(result, 'orchestrator', 'makefile')[0];
  const artifacts = [...new Set(result.artifacts.map((a) => a.hostPath))];
  const built = builders.length > 0 ? `a builder image from ${words(builders)}` : 'a builder image';
  const out =
    artifacts.length > 0
      ? `copies ${words(artifacts)} out of it onto the host`
      : 'copies its build output out of it onto the host';
  const remarks = result.status === 'needs-attention' ? ' (with remarks: `restage migrate` shows them)' : '';
  return [
    `${where(directory)} uses the builder pattern: ${driver ?? 'its build script'} builds ${built}, ${out}, and builds ${runtime} from what it copied.`,
    `One multi-stage Dockerfile builds the same image with COPY --from, with nothing left on the host in between and one build to run.`,
    `\`${command}\` makes the change below${remarks}; \`restage verify ${shellQuote(directory)}\` builds both on a real engine and compares the images.`,
  ].join(' ');
}

function byHand(result: MigrationResult, directory: string, reason: Diagnostic | null): string {
  const why = reason ? `${reason.code} ${reason.message} (${reason.file}:${reason.line})` : 'nothing to write';
  return `${where(directory)} uses the builder pattern, and restage cannot migrate it by itself: ${why}. A multi-stage Dockerfile (COPY --from the build stage) would still replace the host round trip; \`restage migrate ${shellQuote(directory)}\` shows what restage found (${result.files.map((f) => f.path).join(', ')}).`;
}

/** The directory as a sentence's subject. */
function where(directory: string): string {
  return directory === '.' ? 'This directory' : directory;
}

function words(list: readonly string[]): string {
  return list.length <= 1 ? (list[0] ?? '') : `${list.slice(0, -1).join(', ')} and ${list.at(-1)!}`;
}
