/**
 * The migrate command as a library call: analyse, then write only what was asked for
 * (`out` or `write`), and only when the migration succeeded. Returns the result and the exit
 * code; never exits the process.
 */
import path from 'node:path';
import { diagnostic, sortDiagnostics } from '../model/diagnostic.js';
import type { MigrationResult } from '../model/result.js';
import { migrate } from '../migrate.js';
import { writeAtomic } from '../write.js';

export interface MigrateCommandOptions {
  readonly out?: string;
  readonly write?: boolean;
  readonly force?: boolean;
  readonly displayBase?: string;
  /** `--script-arg` values, in order: the script's `$1`, `$2`… */
  readonly scriptArgs?: readonly string[];
  /** `--env NAME=VALUE`, already checked by parseEnvOptions. */
  readonly env?: Readonly<Record<string, string>>;
}

/** `--env NAME=VALUE` options as a map, or the usage error (a bad one exits 2). */
export function parseEnvOptions(list: readonly string[]): { env: Record<string, string> } | { usage: string } {
  const env: Record<string, string> = {};
  for (const a of list) {
    const eq = a.indexOf('=');
    if (eq <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(a.slice(0, eq))) return { usage: `--env takes NAME=VALUE (a shell variable name, then =), got "${a}"` };
    env[a.slice(0, eq)] = a.slice(eq + 1);
  }
  return { env };
}

export const EXIT = { ok: 0, findings: 1, badInput: 2, engine: 3, internal: 70 } as const;

export function runMigrate(dir: string, options: MigrateCommandOptions = {}): { result: MigrationResult; exitCode: number } {
  const base = path.resolve(options.displayBase ?? process.cwd());
  const out = options.out ? path.resolve(base, options.out) : undefined;
  const result = migrate(dir, { displayBase: base, ...(out ? { output: out } : {}), ...(options.scriptArgs ? { scriptArgs: options.scriptArgs } : {}), ...(options.env ? { env: options.env } : {}) });
  if (result.status === 'error') return { result, exitCode: EXIT.badInput };
  const target = out ?? (options.write && result.target ? path.resolve(base, result.target) : undefined);
  if (!target || result.dockerfile === null) return { result, exitCode: EXIT.ok };
  const written = writeAtomic(target, result.dockerfile, { force: options.force ?? false });
  const shown = path.relative(base, target) || target;
  if (!written.ok) {
    const d = written.reason === 'uncommitted'
      ? diagnostic('RS601', { file: shown, line: 1, column: 1 }, `not overwriting ${shown}: ${written.message}; commit or stash it first, or pass --force`)
      : diagnostic('RS602', { file: shown, line: 1, column: 1 }, `could not write ${shown}: ${written.message}`);
    return { result: { ...result, status: 'error', diagnostics: sortDiagnostics([...result.diagnostics, d]) }, exitCode: EXIT.badInput };
  }
  return { result: { ...result, written: [shown] }, exitCode: EXIT.ok };
}
