/**
 * The one result of `restage verify`, rendered as text or JSON (README, "verify JSON output").
 * Fields are added, never renamed or removed.
 */
import type { Diagnostic } from '../model/diagnostic.js';
import type { Difference } from './model.js';
import type { TraceCall } from './legacy/trace.js';

/**
 * `legacy-not-reproduced`: a step of the legacy flow, replayed as restage read the script, failed
 * where the script says it works (a `docker cp` of a path the builder image lacks): restage misread
 * the script or the script is broken; the diagnostic RS702 names the line. Not an engine failure.
 */
export type VerifyStatus =
  'equivalent' | 'different' | 'bad-input' | 'legacy-not-reproduced' | 'engine-failure' | 'interrupted';

/** Something verify made and could not remove, with the command that removes it. */
export interface Leftover {
  readonly what: string;
  readonly command: string;
}

export interface VerifySizes {
  /** Bytes, as `docker image inspect` reports them. */
  readonly legacy: number;
  readonly migrated: number;
  /** The builder image(s) the legacy flow leaves behind; the multi-stage build leaves none. */
  readonly legacyBuilder: number;
  /** migrated / legacy. */
  readonly ratio: number;
}

export interface VerifyTimes {
  /** Seconds: the legacy flow's builds and copies, and the one multi-stage build. */
  readonly legacyBuild: number;
  readonly migratedBuild: number;
  readonly run: number;
  readonly total: number;
  /** Everything but the builds and the run step: verify's own work (copies, export, hashing, comparing). */
  readonly overhead: number;
  readonly overheadShare: number;
}

export interface VerifyResult {
  readonly status: VerifyStatus;
  readonly directory: string;
  /** What the migrated side was: restage's own migration, or a hand-written file (--dockerfile). */
  readonly migratedFrom: string;
  readonly engine: {
    readonly kind: string;
    readonly client: string;
    readonly version: string;
    readonly backend: string;
  } | null;
  readonly differences: readonly Difference[];
  readonly info: readonly Difference[];
  readonly sizes: VerifySizes | null;
  readonly times: VerifyTimes | null;
  /** Diagnostics of the migration (and of verify's own input checks). */
  readonly diagnostics: readonly Diagnostic[];
  /** The failing step, for engine failures. */
  readonly failure: { readonly step: string; readonly message: string; readonly logTail: readonly string[] } | null;
  /** What --keep kept (containers, images, scratch directories). */
  readonly kept: readonly string[];
  /** The run's id: everything verify made is named `<id>-…` and labelled `restage.session=<id>`; null before it started. */
  readonly session: string | null;
  /** What cleanup failed to remove (empty when it removed everything it made). */
  readonly leftovers: readonly Leftover[];
  /**
   * Each image run twice: what its default command printed and how it ended, per side, when the
   * run step ran. `nondeterministic` names the outputs (stdout, stderr, exitCode) that differed
   * between the two runs of the same image: those are not compared.
   */
  readonly runs: { readonly legacy: RunSummary; readonly migrated: RunSummary } | null;
  /** How the legacy image was obtained; null when verify stopped before choosing. */
  readonly legacy: LegacyReport | null;
}

/** The legacy side: run for real in the sandbox, or replayed from restage's analysis. */
export interface LegacyReport {
  readonly mode: 'run' | 'replay';
  /** Why the legacy side was replayed when a run was not ruled out by --legacy=replay; else null. */
  readonly reason: string | null;
  /** The command run (argv) and its working directory; null in replay mode. */
  readonly command: readonly string[] | null;
  readonly cwd: string | null;
  readonly exitCode: number | null;
  readonly seconds: number | null;
  /** Every docker/podman call of the run, in the order they ended. */
  readonly trace: readonly TraceCall[];
}

export interface RunSummary {
  readonly exitCode: number;
  readonly timedOut: boolean;
  /** The first lines of stderr (at most 5). */
  readonly stderrHead: readonly string[];
  readonly nondeterministic: readonly string[];
}
