/** The restage library API. No process.exit here: callers get results and exit codes. */
export { migrate, type MigrateOptions } from './migrate.js';
export { runMigrate, EXIT, type MigrateCommandOptions } from './commands/migrate.js';
export { renderJson } from './emit/report-json.js';
export { renderText, formatDiagnostic } from './emit/report-text.js';
export { CATALOGUE, type Diagnostic, type DiagnosticCode, type Severity } from './model/diagnostic.js';
export type { MigrationResult, MigrationStatus } from './model/result.js';
