/**
 * The one result of `restage migrate`, rendered as text or JSON. The JSON form is a documented
 * contract (README, "JSON output"): fields are added, never renamed or removed.
 */
import type { Diagnostic } from './diagnostic.js';

export type MigrationStatus = 'migrated' | 'nothing-to-migrate' | 'needs-attention' | 'error';

export type FileRole =
  'builder-dockerfile' | 'runtime-dockerfile' | 'orchestrator' | 'dockerfile' | 'makefile' | 'other-orchestrator';

export interface FoundFile {
  readonly path: string;
  readonly role: FileRole;
}

export interface StageSummary {
  readonly name: string;
  readonly from: string;
  /** The legacy Dockerfile the stage comes from. */
  readonly source: string;
}

export interface ArtifactConsumer {
  readonly file: string;
  readonly line: number;
  readonly instruction: string;
  readonly dest: string;
}

export interface ArtifactSummary {
  /** The stage (or image) the artifact is copied from in the migrated Dockerfile. */
  readonly stage: string;
  /** Absolute container path. */
  readonly path: string;
  /** Where the legacy flow put it on the host. */
  readonly hostPath: string;
  /**
   * How it left the builder when not by `docker cp`: `stdout` (a reader's output redirected into
   * the file), `tar` (a tar stream unpacked by `tar -x`), `archive` (a tar archive a runtime ADD unpacks),
   * `bind` (written by the run's command into a bind-mounted host directory).
   */
  readonly via?: 'stdout' | 'tar' | 'archive' | 'bind';
  readonly consumers: readonly ArtifactConsumer[];
}

/** The merged build context's `.dockerignore`, when the migration needs it changed (src/plan/dockerignore.ts). */
export interface DockerignoreChange {
  readonly path: string;
  /** The whole file as the migration needs it. */
  readonly text: string;
  /** The file exists (its text stays at the top, lines are added) or is new. */
  readonly exists: boolean;
}

export interface MigrationResult {
  readonly status: MigrationStatus;
  readonly directory: string;
  readonly files: readonly FoundFile[];
  readonly stages: readonly StageSummary[];
  readonly artifacts: readonly ArtifactSummary[];
  /** The migrated Dockerfile; null unless status is migrated or needs-attention. */
  readonly dockerfile: string | null;
  /**
   * The merged build context's `.dockerignore`, written with the Dockerfile by --write (never by
   * --out); absent when the migration needs no change to it.
   */
  readonly dockerignore?: DockerignoreChange;
  /** The one command that replaces the script; null when there is no migration. */
  readonly buildCommand: string | null;
  /** Legacy files and images the migration makes unnecessary (deleted only by `--write --remove-legacy`). */
  readonly obsolete: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
  /** Where the migrated Dockerfile would go with --write (the runtime Dockerfile). */
  readonly target: string | null;
  /** Files restage wrote (with --out or --write). */
  readonly written: readonly string[];
  /**
   * Files restage removed (`--write --remove-legacy`); present after a write by --write (an
   * empty list when nothing was removed), absent otherwise.
   */
  readonly removed?: readonly string[];
}
