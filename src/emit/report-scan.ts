/** ScanResult → the text table (stdout), its summary and reasons (stderr), or the documented JSON object (README, "restage scan"). */
import type { ScanResult } from '../model/scan.js';
import { JSON_SCHEMA_VERSION } from './report-json.js';
import { formatDiagnostic } from './report-text.js';

export function renderScanJson(result: ScanResult): string {
  const { root, directories, files, unreadable, patterns } = result;
  return `${JSON.stringify({ schemaVersion: JSON_SCHEMA_VERSION, command: 'scan', root, directories, files, unreadable, patterns }, null, 2)}\n`;
}

const HEADER = ['DIRECTORY', 'BUILD DOCKERFILE', 'ORCHESTRATOR', 'ROUTE', 'STATUS'] as const;

/** One row per pattern, columns padded to the widest cell; each needs-attention row's first reason below the table. */
export function renderScanText(result: ScanResult): { stdout: string; stderr: string } {
  const rows = result.patterns.map((p) => [
    p.directory,
    p.buildDockerfile ?? '-',
    p.orchestrator ?? '-',
    p.route ?? '-',
    p.reason ? `${p.status} (${p.reason.code})` : p.status,
  ]);
  const table = [[...HEADER], ...rows];
  const widths = HEADER.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  const stdout =
    rows.length === 0
      ? ''
      : table
          .map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '))
          .join('\n') + '\n';
  const attention = result.patterns.filter((p) => p.status === 'needs-attention').length;
  const err = [
    `restage: scanned ${result.directories} director${result.directories === 1 ? 'y' : 'ies'} (${result.files} files) under ${result.root}: ${result.patterns.length === 0 ? 'no builder pattern' : `${result.patterns.length} builder pattern${result.patterns.length === 1 ? '' : 's'}, ${result.patterns.length - attention} migratable, ${attention} need${attention === 1 ? 's' : ''} attention`}`,
  ];
  if (result.unreadable > 0)
    err.push(
      `restage: ${result.unreadable} director${result.unreadable === 1 ? 'y' : 'ies'} could not be read and were skipped`,
    );
  const reasons = result.patterns.flatMap((p) => (p.reason ? [`  ${formatDiagnostic(p.reason)}`] : []));
  if (reasons.length > 0) err.push('', 'first reasons:', ...reasons);
  return { stdout, stderr: `${err.join('\n')}\n` };
}
