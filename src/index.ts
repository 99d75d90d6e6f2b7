/** The restage library API. No process.exit here: callers get results and exit codes. */
export { migrate, type MigrateOptions } from './migrate.js';
export { runMigrate, EXIT, type MigrateCommandOptions } from './commands/migrate.js';
export { renderJson } from './emit/report-json.js';
export { renderText, formatDiagnostic } from './emit/report-text.js';
export { CATALOGUE, type Diagnostic, type DiagnosticCode, type Severity } from './model/diagnostic.js';
export type { MigrationResult, MigrationStatus } from './model/result.js';
export { verify, type VerifyOptions } from './verify/verify.js';
export { runVerify, type VerifyCommandOptions } from './commands/verify.js';
export type { VerifyResult, VerifyStatus } from './verify/result.js';
export { DockerEngine } from './verify/engine/docker.js';
export { PodmanEngine } from './verify/engine/podman.js';
export type { Engine, Backend } from './verify/engine/engine.js';
export { readManifest } from './verify/manifest/read.js';
export { compareImages } from './verify/differs/index.js';
export { boundYoungGeneration } from './verify/memory.js';
