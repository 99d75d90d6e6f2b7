/**
 * VerifyResult → text (verdict first, then differences grouped by aspect with both values, then
 * sizes and times) and JSON (the same, as one documented object).
 */
import type { Difference } from '../verify/model.js';
import type { VerifyResult } from '../verify/result.js';
import { formatDiagnostic } from './report-text.js';

export function renderVerifyJson(result: VerifyResult): string {
  return `${JSON.stringify({ schemaVersion: 1, ...result }, null, 2)}\n`;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1)} MB`;
const sec = (s: number) => `${s.toFixed(2)} s`;

export function renderVerifyText(result: VerifyResult): string {
  const out: string[] = [];
  const verdict = result.status === 'equivalent' ? 'equivalent'
    : result.status === 'different' ? `${result.differences.length} difference${result.differences.length === 1 ? '' : 's'}`
      : result.status === 'engine-failure' ? 'engine failure' : result.status === 'interrupted' ? 'interrupted' : 'cannot verify';
  out.push(`restage verify: ${result.directory}: ${verdict}`);
  if (result.engine) out.push(`engine: ${result.engine.kind} ${result.engine.version} (${result.engine.backend}), client ${result.engine.client}; migrated side: ${result.migratedFrom}`);
  if (result.failure) {
    out.push('', `failed at: ${result.failure.step}: ${result.failure.message}`);
    if (result.failure.logTail.length > 0) out.push('last log lines:', ...result.failure.logTail.map((l) => `  | ${l}`));
  }
  if (result.differences.length > 0) out.push('', 'differences:', ...grouped(result.differences));
  if (result.info.length > 0) out.push('', 'information:', ...grouped(result.info));
  if (result.sizes) {
    const s = result.sizes;
    out.push('', `sizes: legacy ${mb(s.legacy)}, migrated ${mb(s.migrated)} (${s.ratio.toFixed(2)}x)${s.legacyBuilder > 0 ? `; the legacy flow also leaves builder images of ${mb(s.legacyBuilder)} behind, the multi-stage build none` : ''}`);
  }
  if (result.times) {
    const t = result.times;
    out.push(`times: legacy build ${sec(t.legacyBuild)}, migrated build ${sec(t.migratedBuild)}, run step ${sec(t.run)}; verify's own overhead ${sec(t.overhead)} (${(t.overheadShare * 100).toFixed(0)}% of ${sec(t.total)})`);
  }
  if (result.kept.length > 0) out.push('', 'kept (--keep):', ...result.kept.map((k) => `  ${k}`));
  if (result.diagnostics.length > 0) out.push('', 'diagnostics:', ...result.diagnostics.map(formatDiagnostic));
  return `${out.join('\n')}\n`;
}

function grouped(findings: readonly Difference[]): string[] {
  const lines: string[] = [];
  const aspects = [...new Set(findings.map((f) => f.aspect))];
  for (const aspect of aspects) {
    lines.push(`  ${aspect}:`);
    for (const f of findings.filter((x) => x.aspect === aspect)) {
      lines.push(`    ${f.message}`);
      if (f.kind === 'difference') lines.push(`        legacy:   ${show(f.legacy)}`, `        migrated: ${show(f.migrated)}`);
    }
  }
  return lines;
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
