/**
 * MigrationResult → the human report. The Dockerfile goes to stdout (so `restage migrate DIR >
 * Dockerfile.new` works); the report and diagnostics go to stderr.
 */
import type { Diagnostic } from '../model/diagnostic.js';
import type { MigrationResult } from '../model/result.js';
import { flowTree } from './graph.js';

export interface TextReport {
  readonly stdout: string;
  readonly stderr: string;
}

const HEADLINE: Record<MigrationResult['status'], string> = {
  migrated: 'migrated',
  'needs-attention': 'migrated, needs attention',
  'nothing-to-migrate': 'nothing to migrate',
  error: 'cannot migrate',
};

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`;
}

export function renderText(result: MigrationResult, options: { printDockerfile: boolean }): TextReport {
  const err: string[] = [];
  err.push(`restage: ${result.directory}: ${HEADLINE[result.status]}`);
  if (result.files.length > 0) {
    err.push('', 'files:');
    for (const f of result.files) err.push(`  ${f.path}  (${f.role.replace(/-/g, ' ')})`);
  }
  if (result.artifacts.length > 0) err.push('', 'flow:', ...flowTree(result));
  if (result.stages.length > 0) {
    err.push('', 'stages:');
    for (const s of result.stages) err.push(`  ${s.name}  FROM ${s.from}  (from ${s.source})`);
  }
  if (result.dockerignore) {
    const d = result.dockerignore;
    err.push(
      '',
      `${d.path} (${d.exists ? 'its text kept at the top, lines added' : 'new'}), which the one build needs:`,
    );
    for (const line of d.text.replace(/\n$/, '').split('\n')) err.push(`  ${line}`);
  }
  if (result.buildCommand)
    err.push('', `replace the script with (run in ${result.directory}):`, `  ${result.buildCommand}`);
  if (result.obsolete.length > 0) err.push('', `no longer needed: ${result.obsolete.join(', ')}`);
  if (result.written.length > 0) err.push('', `wrote: ${result.written.join(', ')}`);
  if (result.removed && result.removed.length > 0) err.push('', `removed: ${result.removed.join(', ')}`);
  if (result.diagnostics.length > 0) {
    err.push('', 'diagnostics:');
    for (const d of result.diagnostics) err.push(formatDiagnostic(d));
  }
  return {
    stdout: options.printDockerfile && result.dockerfile ? result.dockerfile : '',
    stderr: `${err.join('\n')}\n`,
  };
}

/**
 * Several patterns of one tree: one report section each, in walk order, on stderr; on stdout each
 * Dockerfile printed under a `==> TARGET <==` header line, as `head` and `tail` head several files.
 */
export function renderTextMany(
  results: readonly MigrationResult[],
  printDockerfile: (result: MigrationResult) => boolean,
): TextReport {
  const reports = results.map((r) => ({ result: r, report: renderText(r, { printDockerfile: printDockerfile(r) }) }));
  const migrated = results.filter((r) => r.status === 'migrated' || r.status === 'needs-attention').length;
  return {
    stdout: reports
      .filter(({ report }) => report.stdout !== '')
      .map(({ result, report }) => `==> ${result.target ?? result.directory} <==\n${report.stdout}`)
      .join('\n'),
    stderr: `restage: ${results.length} builder patterns, ${migrated} migrated\n\n${reports.map(({ report }) => report.stderr).join('\n')}`,
  };
}
