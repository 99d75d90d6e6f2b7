/**
 * StagePlan: how the migrated Dockerfile is made from the legacy files. Each source file keeps
 * its text; edits splice it (offsets into that file's text), so everything restage does not
 * change — comments, blank lines, odd spacing — stays byte for byte.
 */
import type { Diagnostic } from './diagnostic.js';
import type { ParsedDockerfile } from './dockerfile.js';
import type { Builder, ImageBuild } from './flow.js';

/** A `.dockerignore` the migration writes: its absolute path, its text, and its text before (null: a new file). */
export interface PlannedDockerignore {
  readonly path: string;
  readonly text: string;
  readonly previous: string | null;
}

export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export type StageRole = 'builder' | 'runtime' | 'other';

export interface PlannedStage {
  readonly name: string;
  readonly from: string;
  /** The legacy Dockerfile the stage comes from (relative path). */
  readonly source: string;
  readonly role: StageRole;
}

export interface PlannedFile {
  readonly dockerfile: ParsedDockerfile;
  readonly edits: readonly TextEdit[];
}

export interface StagePlan {
  readonly stages: readonly PlannedStage[];
  /** Builder files first, the runtime file last: the order of the merged text. */
  readonly files: readonly PlannedFile[];
  /** Lines inserted before the first FROM of the merged file (the runtime's global ARGs). */
  readonly hoistedArgs: readonly string[];
  /** Parser directives kept at the top of the merged file. */
  readonly directives: readonly string[];
  readonly buildCommand: string;
  /** The builder buildCommand asks for (its DOCKER_BUILDKIT prefix); null: the engine's choice. */
  readonly builder: Builder | null;
  /** Absolute path of the merged build's context. */
  readonly context: string;
  /** The merged context's `.dockerignore` as the migration needs it; null (or absent) when it needs no change. */
  readonly dockerignore?: PlannedDockerignore | null;
  readonly obsolete: readonly string[];
  /** Build arguments a builder's Dockerfile now declares under a new name (RS353): new name → the value its build had. */
  readonly renamedBuildArgs?: Readonly<Record<string, string>>;
  /** The builds of the script that are stages of the merged file (the runtime's included). */
  readonly replacedBuilds?: readonly ImageBuild[];
  /** Artifact id → the stage (or image) the migrated COPY of it reads, for the artifacts a command's output wrote. */
  readonly copiedFrom?: ReadonlyMap<number, string>;
  readonly diagnostics: readonly Diagnostic[];
}
