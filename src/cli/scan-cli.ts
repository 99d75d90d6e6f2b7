/**
 * The scan command: a tree's builder patterns as a table or JSON. Exit 0 when the tree was
 * scanned, whatever it holds (a pattern found is no failure; `check` is the command that exits 1
 * on a suggestion); 2 when ROOT is no directory. On a terminal, progress is redrawn on stderr once
 * the scan has taken more than a moment, and erased before the report.
 */
import fs from 'node:fs';
import { diagnostic, type Diagnostic } from '../model/diagnostic.js';
import { scan } from '../scan/scan.js';
import { renderScanJson, renderScanText } from '../emit/report-scan.js';
import { JSON_SCHEMA_VERSION } from '../emit/report-json.js';
import { formatDiagnostic } from '../emit/report-text.js';
import { EXIT } from './exit.js';

/** How long a scan runs before progress is shown, and how often it is redrawn (ms). */
const PROGRESS_AFTER = 500;
const PROGRESS_EVERY = 100;

/** What a SARIF log of the scan is made of (src/emit/report-sarif.ts, which the CLI loads for `--format sarif`). */
export type ScanSarif = (run: {
  status: string;
  successful: boolean;
  diagnostics: readonly Diagnostic[];
  properties?: Readonly<Record<string, unknown>>;
}) => string;

/** With `sarif`: the log holds each pattern's reason (its first error, else first warning). */
export function runScan(
  root: string,
  options: { readonly json: boolean; readonly progress: boolean; readonly sarif?: ScanSarif },
): { stdout: string; stderr: string; exitCode: number } {
  if (!fs.statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
    const d = diagnostic(
      'RS101',
      { file: root, line: 1, column: 1 },
      `${root} is not a directory restage can read; give the root of the tree to scan`,
    );
    if (options.sarif)
      return {
        stdout: options.sarif({ status: 'error', successful: false, diagnostics: [d] }),
        stderr: '',
        exitCode: EXIT.badInput,
      };
    return options.json
      ? {
          stdout: `${JSON.stringify({ schemaVersion: JSON_SCHEMA_VERSION, command: 'scan', status: 'error', root, diagnostics: [d] }, null, 2)}\n`,
          stderr: '',
          exitCode: EXIT.badInput,
        }
      : { stdout: '', stderr: `restage: ${formatDiagnostic(d)}\n`, exitCode: EXIT.badInput };
  }
  const started = Date.now();
  let drawn = 0;
  let shown = false;
  const result = scan(root, {
    ...(options.progress
      ? {
          onProgress: ({ directories, patterns }: { directories: number; patterns: number }) => {
            const now = Date.now();
            if (now - started < PROGRESS_AFTER || now - drawn < PROGRESS_EVERY) return;
            drawn = now;
            shown = true;
            process.stderr.write(`\rrestage: scanning… ${directories} directories, ${patterns} builder patterns`);
          },
        }
      : {}),
  });
  if (shown) process.stderr.write('\r\x1b[K');
  if (options.sarif) {
    const attention = result.patterns.filter((p) => p.status === 'needs-attention').length;
    const stdout = options.sarif({
      status: 'scanned',
      successful: true,
      diagnostics: result.patterns.flatMap((p) => (p.reason ? [p.reason] : [])),
      properties: { patterns: result.patterns.length, migratable: result.patterns.length - attention },
    });
    return { stdout, stderr: '', exitCode: EXIT.ok };
  }
  if (options.json) return { stdout: renderScanJson(result), stderr: '', exitCode: EXIT.ok };
  return { ...renderScanText(result), exitCode: EXIT.ok };
}
