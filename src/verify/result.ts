/**
 * The one result of `restage verify`, rendered as text or JSON (README, "verify JSON output").
 * Fields are added, never renamed or removed.
 */
import type { Diagnostic } from '../model/diagnostic.js';
import type { Difference } from './model.js';

export type VerifyStatus = 'equivalent' | 'different' | 'bad-input' | 'engine-failure' | 'interrupted';

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
  readonly engine: { readonly kind: string; readonly client: string; readonly version: string; readonly backend: string } | null;
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
}
