/**
 * The restage library: `migrate()`, `verify()` and `scan()`, their options and results, the renderers the CLI
 * uses, and the diagnostic catalogue. Importing it installs no signal handler and never exits the
 * process (test/library/import.test.ts); the command line (argument parsing, exit codes, signals,
 * progress, printing) lives in src/cli/ and is not part of it.
 */
export { migrate, type MigrateOptions } from './migrate.js';
export type { MigrationResult, MigrationStatus } from './model/result.js';
export { scan, type ScanOptions, type ScanResult, type ScanPattern, type ScanStatus } from './scan/scan.js';
export { verify } from './verify/verify.js';
export type { VerifyOptions } from './verify/options.js';
export type { VerifyResult, VerifyStatus } from './verify/result.js';
export { DockerEngine } from './verify/engine/docker.js';
export { PodmanEngine } from './verify/engine/podman.js';
export type { Engine, Backend } from './verify/engine/engine.js';
export { createProgress, type Progress } from './verify/progress.js';
export { parseImageMap, type ImageMap } from './verify/scratch.js';
export { renderJson } from './emit/report-json.js';
export { renderText, formatDiagnostic } from './emit/report-text.js';
export { renderScanJson, renderScanText } from './emit/report-scan.js';
export { renderVerifyJson, renderVerifyText } from './verify/report.js';
export { CATALOGUE, type Diagnostic, type DiagnosticCode, type Location, type Severity } from './model/diagnostic.js';
