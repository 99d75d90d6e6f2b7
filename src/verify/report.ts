/**
 * VerifyResult → text (verdict first, then differences grouped by aspect with both values, then
 * sizes and times) and JSON (the same, as one documented object).
 */
import type { Difference } from './model.js';
import type { VerifyResult } from './result.js';
import { formatDiagnostic } from '../emit/report-text.js';
import { shellQuote } from '../shared/shell-quote.js';
import { callText } from './legacy/trace.js';

export function renderVerifyJson(result: VerifyResult): string {
  return `${JSON.stringify({ schemaVersion: 1, ...result }, null, 2)}\n`;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1)} MB`;
const sec = (s: number) => `${s.toFixed(2)} s`;

export function renderVerifyText(result: VerifyResult): string {
  const out: string[] = [];
  const verdict =
    result.status === 'equivalent'
      ? 'equivalent'
      : result.status === 'different'
        ? `${result.differences.length} difference${result.differences.length === 1 ? '' : 's'}`
        : result.status === 'engine-failure'
          ? 'engine failure'
          : result.status === 'interrupted'
            ? 'interrupted'
            : result.status === 'legacy-not-reproduced'
              ? 'the legacy flow could not be reproduced'
              : 'cannot verify';
  const runs = result.runs;
  const neither = runs && [runs.legacy, runs.migrated].every((r) => r.timedOut || r.exitCode !== 0);
  out.push(
    `restage verify: ${result.directory}: ${verdict}${neither ? " (but neither image's default command succeeded)" : ''}`,
  );
  if (result.engine)
    out.push(
      `engine: ${result.engine.kind} ${result.engine.version} (${result.engine.backend}), client ${result.engine.client}; migrated side: ${result.migratedFrom}`,
    );
  out.push(...legacyLines(result));
  if (runs && neither) {
    for (const side of ['legacy', 'migrated'] as const) {
      const r = runs[side];
      out.push(
        `${side} image: ${r.timedOut ? 'timed out' : `exit ${r.exitCode}`}${r.stderrHead.length > 0 ? ', stderr:' : ''}`,
        ...r.stderrHead.map((l) => `  | ${l}`),
      );
    }
  }
  if (result.failure) {
    out.push('', `failed at: ${result.failure.step}: ${result.failure.message}`);
    if (result.failure.logTail.length > 0)
      out.push('last log lines:', ...result.failure.logTail.map((l) => `  | ${l}`));
  }
  if (result.differences.length > 0) out.push('', 'differences:', ...grouped(result.differences));
  if (result.info.length > 0) out.push('', 'information:', ...grouped(result.info));
  if (result.sizes) {
    const s = result.sizes;
    out.push(
      '',
      `sizes: legacy ${mb(s.legacy)}, migrated ${mb(s.migrated)} (${s.ratio.toFixed(2)}x)${s.legacyBuilder > 0 ? `; the legacy flow also leaves builder images of ${mb(s.legacyBuilder)} behind, the multi-stage build none` : ''}`,
    );
  }
  if (result.times) {
    const t = result.times;
    out.push(
      `times: legacy build ${sec(t.legacyBuild)}, migrated build ${sec(t.migratedBuild)}, run step ${sec(t.run)}; verify's own overhead ${sec(t.overhead)} (${(t.overheadShare * 100).toFixed(0)}% of ${sec(t.total)})`,
    );
  }
  if (result.kept.length > 0) out.push('', 'kept (--keep):', ...result.kept.map((k) => `  ${k}`));
  if (result.leftovers.length > 0)
    out.push(
      '',
      'left on the engine or disk (cleanup failed); remove with:',
      ...result.leftovers.map((l) => `  ${l.command}    # ${l.what}`),
    );
  if (result.diagnostics.length > 0) out.push('', 'diagnostics:', ...result.diagnostics.map(formatDiagnostic));
  return `${out.join('\n')}\n`;
}

/** How the legacy side was obtained; in run mode, the docker calls the script made (skipped and refused ones marked). */
function legacyLines(result: VerifyResult): string[] {
  const legacy = result.legacy;
  if (!legacy) return [];
  if (legacy.mode === 'replay')
    return [`legacy side: replayed from restage's analysis${legacy.reason ? ` (not run: ${legacy.reason})` : ''}`];
  const lines = [
    `legacy side: ran \`${(legacy.command ?? []).map(shellQuote).join(' ')}\` in ${legacy.cwd ?? '.'}, sandboxed (bubblewrap)${legacy.exitCode !== null ? `: exit ${legacy.exitCode}` : ''}${legacy.seconds !== null ? ` in ${sec(legacy.seconds)}` : ''}, ${legacy.trace.length} docker call${legacy.trace.length === 1 ? '' : 's'}:`,
  ];
  for (const call of legacy.trace) {
    const mark = call.outcome === 'run' ? `exit ${call.exitCode}` : call.outcome === 'skip' ? 'not run' : 'refused';
    lines.push(`  ${callText(call)}    # ${mark}${call.outcome !== 'run' ? `: ${call.notes.join('; ')}` : ''}`);
  }
  return lines;
}

/** Findings of one field that repeat past this many are folded into one line ("… and 12 more"). */
const FOLD_AFTER = 4;

/**
 * Findings by aspect, each message naming both values. Many findings of one kind with the same two
 * values (a whole tree owned by another user) are folded after the first few.
 */
function grouped(findings: readonly Difference[]): string[] {
  const lines: string[] = [];
  for (const aspect of [...new Set(findings.map((f) => f.aspect))]) {
    lines.push(`  ${aspect}:`);
    const shown = new Map<string, number>();
    const folded = new Map<string, { count: number; sample: Difference }>();
    for (const f of findings.filter((x) => x.aspect === aspect)) {
      const kind = `${f.field ?? ''}\u0000${show(f.legacy)}\u0000${show(f.migrated)}`;
      const n = (shown.get(kind) ?? 0) + 1;
      shown.set(kind, n);
      if (n <= FOLD_AFTER) lines.push(`    ${f.message}`);
      else folded.set(kind, { count: (folded.get(kind)?.count ?? 0) + 1, sample: f });
    }
    for (const { count, sample } of folded.values()) {
      lines.push(
        `    … and ${count} more with the same ${sample.field ?? 'difference'} (legacy ${show(sample.legacy)}, migrated ${show(sample.migrated)}); --json lists them all`,
      );
    }
  }
  return lines;
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
