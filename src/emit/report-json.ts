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

function jsonObject(result: MigrationResult): object {
  const {
    status,
    directory,
    files,
    stages,
    artifacts,
    dockerfile,
    buildCommand,
    obsolete,
    diagnostics,
    target,
    written,
    removed,
  } = result;
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    status,
    directory,
    files,
    stages,
    artifacts,
    dockerfile,
    buildCommand,
    target,
    obsolete,
    written,
    ...(removed ? { removed } : {}),
    diagnostics,
  };
}
