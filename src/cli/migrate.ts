/**
 * The migrate command: analyse, then write only what was asked for
 * (`out` or `write`), and only when the migration succeeded. Returns the result and the exit
 * code; never exits the process.
 */
import path from 'node:path';
import { diagnostic, sortDiagnostics, type Diagnostic } from '../model/diagnostic.js';
import type { MigrationResult } from '../model/result.js';
import { migrate } from '../migrate.js';
import { writeAtomic } from '../write.js';
import { EXIT } from './exit.js';
import { displayPath } from '../shared/display-path.js';

export interface MigrateCommandOptions {
  readonly out?: string;
  readonly write?: boolean;
  readonly force?: boolean;
  readonly displayBase?: string;
  /** The build script to migrate, relative to the migrated directory (--script). */
  readonly script?: string;
  /** The target of a Makefile orchestrator (--make-target). */
  readonly makeTarget?: string;
  /** `--script-arg` values, in order: the script's `$1`, `$2`… */
  readonly scriptArgs?: readonly string[];
  /** `--env NAME=VALUE`, already checked by parseEnvOptions. */
  readonly env?: Readonly<Record<string, string>>;
}

/** `analysed`: the directory's result already made with these options (and no --out), not made again. */
export function runMigrate(
  dir: string,
  options: MigrateCommandOptions = {},
  analysed?: MigrationResult,
): { result: MigrationResult; exitCode: number } {
  const base = path.resolve(options.displayBase ?? process.cwd());
  const out = options.out ? path.resolve(base, options.out) : undefined;
  const result =
    analysed ??
    migrate(dir, {
      displayBase: base,
      ...(out ? { output: out } : {}),
      ...(options.scriptArgs ? { scriptArgs: options.scriptArgs } : {}),
      ...(options.env ? { env: options.env } : {}),
      ...(options.script !== undefined ? { script: options.script } : {}),
      ...(options.makeTarget !== undefined ? { makeTarget: options.makeTarget } : {}),
    });
  if (result.status === 'error') return { result, exitCode: EXIT.badInput };
  const target = out ?? (options.write && result.target ? path.resolve(base, result.target) : undefined);
  if (!target || result.dockerfile === null) return { result, exitCode: EXIT.ok };
  const shown = displayPath(target, base);
  const refuse = (d: Diagnostic) => ({
    result: { ...result, status: 'error' as const, diagnostics: sortDiagnostics([...result.diagnostics, d]) },
    exitCode: EXIT.badInput,
  });
  const legacy = legacyInput(result, base, target);
  if (legacy)
    return refuse(
      diagnostic(
        'RS603',
        { file: shown, line: 1, column: 1 },
        `not writing to ${shown}: ${legacy}; give --out a new file name, or --write to replace the runtime Dockerfile`,
      ),
    );
  const written = writeAtomic(target, result.dockerfile, { force: options.force ?? false });
  if (!written.ok) {
    return refuse(
      written.reason === 'unrestorable'
        ? diagnostic(
            'RS601',
            { file: shown, line: 1, column: 1 },
            `not overwriting ${shown}: ${written.message}; ${written.commitHelps ? 'commit it first (then git can give it back), or ' : ''}pass --force to keep the original as ${path.basename(shown)}.orig`,
          )
        : written.reason === 'backup-exists'
          ? diagnostic(
              'RS604',
              { file: shown, line: 1, column: 1 },
              `not overwriting ${shown}: ${written.message}, and restage never replaces an earlier backup; move ${path.basename(shown)}.orig away and run restage again`,
            )
          : diagnostic('RS602', { file: shown, line: 1, column: 1 }, `could not write ${shown}: ${written.message}`),
    );
  }
  const kept = written.backup
    ? [
        diagnostic(
          'RS605',
          { file: shown, line: 1, column: 1 },
          `git could not restore ${shown}, so restage kept the original as ${path.relative(base, written.backup) || written.backup} before replacing it`,
        ),
      ]
    : [];
  return {
    result: { ...result, written: [shown], diagnostics: sortDiagnostics([...result.diagnostics, ...kept]) },
    exitCode: EXIT.ok,
  };
}

/** Why the target is a file the legacy flow still reads (a script, a Dockerfile it builds, a file listed obsolete), or null. */
function legacyInput(result: MigrationResult, base: string, target: string): string | null {
  const file = result.files.find((f) => path.resolve(base, f.path) === target);
  if (file?.role === 'runtime-dockerfile') return null;
  if (file)
    return `it is the ${file.role.replace(/-/g, ' ')} of the legacy flow, which the migration reads and never replaces`;
  if (result.obsolete.some((o) => path.resolve(base, o) === target))
    return 'it is a legacy file the migration lists as no longer needed; writing there would destroy the legacy flow before the migration is verified';
  return null;
}
