/** MigrationResult → the documented JSON object (README, "JSON output"), one line per run. */
import type { MigrationResult } from '../model/result.js';

export const JSON_SCHEMA_VERSION = 1;

export function renderJson(result: MigrationResult): string {
  return `${JSON.stringify(jsonObject(result), null, 2)}\n`;
}

/** Several patterns of one tree: an array of the objects renderJson prints, in walk order. */
export function renderJsonMany(results: readonly MigrationResult[]): string {
  return `${JSON.stringify(results.map(jsonObject), null, 2)}\n`;
}

/**
 * The documented fields, in the documented order (`dockerignore` only when the migration changes
 * one, `removed` only after a write that removed files).
 */
function jsonObject(r: MigrationResult): object {
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    status: r.status,
    directory: r.directory,
    files: r.files,
    stages: r.stages,
    artifacts: r.artifacts,
    dockerfile: r.dockerfile,
    ...(r.dockerignore ? { dockerignore: r.dockerignore } : {}),
    buildCommand: r.buildCommand,
    target: r.target,
    obsolete: r.obsolete,
    written: r.written,
    ...(r.removed ? { removed: r.removed } : {}),
    diagnostics: r.diagnostics,
  };
}
