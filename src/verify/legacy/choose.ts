/**
 * Which way verify gets the legacy image: `run` (the pipeline for real, in the sandbox) or
 * `replay` (restage's analysis of it). `--legacy=auto`, the default, runs whenever there is a
 * pipeline to run, a Dockerfile to compare it with and a working bubblewrap, and says once why
 * it replays otherwise. `--legacy=run` without bubblewrap is refused (an engine failure, exit 3),
 * with the install hint.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Migration } from '../../migrate.js';
import { displayPath } from '../../shared/display-path.js';
import { diagnostic, hasErrors, type Diagnostic, type Location } from '../../model/diagnostic.js';
import type { LegacyRunFailed } from '../failure.js';
import type { VerifyOptions } from '../options.js';
import { failedCallAt, traceAgreement } from './agreement.js';
import { findExecutable, legacyCommand, probeBubblewrap } from './side.js';
import { callText, type TraceCall } from './trace.js';
export type { LegacyReport } from '../result.js';

export type LegacyMode =
  | { readonly kind: 'replay'; readonly reason: string | null }
  | {
      readonly kind: 'run';
      readonly bwrap: string;
      readonly command: string[];
      readonly cwd: string;
      /** The Dockerfile the run is compared with (restage's migration or --dockerfile). */
      readonly migrated: string;
      /** restage's analysis declined the pipeline: the run stands alone (only with --dockerfile). */
      readonly withoutAnalysis: boolean;
      /** The engine's client (absolute), which both `docker` and `podman` reach inside the sandbox. */
      readonly client: (engineClient: string) => string;
    };

export interface LegacyChoice {
  readonly mode: LegacyMode;
  readonly diagnostics: readonly Diagnostic[];
  /** Warnings where the run's docker calls and the analysis disagree (none without an analysis). */
  readonly agreement: (trace: readonly TraceCall[]) => Diagnostic[];
  readonly failed: (error: LegacyRunFailed) => Diagnostic[];
}

export function chooseLegacy(migration: Migration, options: VerifyOptions): LegacyChoice | { refused: string } {
  const requested = options.legacy ?? 'auto';
  const { result, analysis, root } = migration;
  const shown = (p: string) => displayPath(p, options.displayBase ?? process.cwd());
  const scriptAt = { file: migration.script ? shown(migration.script) : shown(root), line: 1, column: 1 };
  const replay = (reason: string | null): LegacyChoice => ({
    mode: { kind: 'replay', reason },
    diagnostics:
      reason && requested === 'auto'
        ? [diagnostic('RS708', scriptAt, `the legacy side was replayed from restage's analysis, not run: ${reason}`)]
        : [],
    agreement: () => [],
    failed: () => [],
  });
  if (requested === 'replay') return replay(null);
  const command = legacyCommand(migration, options);
  const runner = command && options.legacyCmd === undefined ? missingRunner(migration, command.cwd, scriptAt) : null;
  if (runner) {
    const why = `the pipeline runs ${runner.name} (${runner.at.file}:${runner.at.line}), and the tree has no node_modules/.bin/${runner.name} (nor node_modules/${runner.name}) in ${shown(command!.cwd)} or a directory above it, nor is it on PATH; the sandbox has no network to fetch it`;
    if (requested === 'run')
      return {
        ...replay(null),
        diagnostics: [
          diagnostic(
            'RS385',
            runner.at,
            `${why}, so --legacy=run cannot run this build script: install the project's dependencies (npm ci) before verify, or verify with --legacy=replay, which re-enacts the docker commands restage read from it`,
          ),
        ],
      };
    return replay(why);
  }
  const migrated = options.dockerfile ? fs.readFileSync(options.dockerfile, 'utf8') : result.dockerfile;
  // Nothing to run (an already multi-stage directory, no script): its own Dockerfile is the legacy
  // side, built as it is, whatever the mode; the report says so.
  if (!command) return replay('there is no build script to run (give one with --legacy-cmd)');
  if (migrated === null) return replay(null);
  const probe = probeBubblewrap();
  if (!probe.ok) {
    if (requested === 'run') return { refused: `--legacy=run needs bubblewrap: ${probe.reason}` };
    return replay(probe.reason);
  }
  const withoutAnalysis = result.status === 'error' || hasErrors(result.diagnostics) || !analysis?.runtime;
  const diagnostics: Diagnostic[] = [];
  if (withoutAnalysis) {
    const first = result.diagnostics.find((d) => d.severity === 'error');
    diagnostics.push(
      diagnostic(
        'RS707',
        scriptAt,
        `restage's own analysis ${first ? `declined this pipeline (${first.code} at ${first.file}:${first.line}: ${first.message})` : 'found nothing to migrate here'}; verify ran it as written and compares its image with ${options.dockerfile}`,
      ),
    );
  }
  const display = options.legacyCmd ?? command.command.map((w) => (w === migration.script ? shown(w) : w)).join(' ');
  return {
    mode: {
      kind: 'run',
      bwrap: probe.bwrap,
      command: command.command,
      cwd: command.cwd,
      migrated,
      withoutAnalysis,
      client: (engineClient) => findExecutable(engineClient) ?? engineClient,
    },
    diagnostics,
    agreement: (trace) => (withoutAnalysis || !analysis ? [] : traceAgreement(analysis, trace)),
    failed: (error) => {
      const failedCall = withoutAnalysis || !analysis ? null : failedCallAt(analysis, error.run.trace);
      const where = failedCall
        ? ` at \`${callText(failedCall.call)}\` (docker call ${failedCall.index + 1}, exit ${failedCall.call.exitCode})`
        : '';
      return [
        diagnostic(
          'RS705',
          failedCall?.at ?? (options.legacyCmd !== undefined ? { file: '--legacy-cmd', line: 1, column: 1 } : scriptAt),
          `the legacy pipeline \`${display}\` ${error.message}${where} in verify's sandbox, so there is no legacy image to compare; its last lines are in the report. If the script is broken there, fix it; if it needs what the sandbox withholds (the network, files above the repository, your $HOME), run verify with --legacy=replay, or give the exact command with --legacy-cmd and --legacy-cwd`,
        ),
      ];
    },
  };
}

/**
 * A package the legacy command needs besides node (`tsx`, `ts-node`) that the sandbox cannot
 * find, and where the pipeline runs it; null when there is none. npm puts `node_modules/.bin` of
 * the package's directory and of every directory above it on PATH, and node resolves
 * `--import tsx` from `node_modules` there; the sandbox sees the same tree and PATH (read-only),
 * without network.
 */
function missingRunner(
  migration: Migration,
  cwd: string,
  scriptAt: Location,
): { readonly name: string; readonly at: Location } | null {
  const needed =
    migration.npm?.packages ??
    (migration.script && !migration.make && /\.(m|c)?ts$/.test(migration.script)
      ? [{ name: 'tsx', at: scriptAt }]
      : []);
  const found = (name: string): boolean => {
    for (let d = path.resolve(cwd); ; d = path.dirname(d)) {
      if (
        fs.existsSync(path.join(d, 'node_modules', '.bin', name)) ||
        fs.existsSync(path.join(d, 'node_modules', name))
      )
        return true;
      if (path.dirname(d) === d) return findExecutable(name) !== null;
    }
  };
  return needed.find((p) => !found(p.name)) ?? null;
}
