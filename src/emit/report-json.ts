/** MigrationResult → the documented JSON object (README, "JSON output"), one line per run. */
import type { MigrationResult } from '../model/result.js';

export const JSON_SCHEMA_VERSION = 1;

export function renderJson(result: MigrationResult): string {
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
  return `${JSON.stringify({ schemaVersion: JSON_SCHEMA_VERSION, status, directory, files, stages, artifacts, dockerfile, buildCommand, target, obsolete, written, ...(removed ? { removed } : {}), diagnostics }, null, 2)}\n`;
}
