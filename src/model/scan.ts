/** The result of `restage scan`, rendered as a table or JSON (README, "restage scan"): fields are added, never renamed or removed. */
import type { Diagnostic } from './diagnostic.js';

export type ScanStatus = 'migratable' | 'needs-attention';

export interface ScanPattern {
  /** The directory, as displayed (relative to the display base when below it). */
  readonly directory: string;
  readonly buildDockerfile: string | null;
  readonly orchestrator: string | null;
  /** How the artifacts leave the builder (`docker cp`, `stdout`, `tar`, `archive`, `bind`, comma-separated), when known. */
  readonly route: string | null;
  readonly status: ScanStatus;
  /** Why it needs attention: its first error, else its first warning. */
  readonly reason: Diagnostic | null;
}

export interface ScanResult {
  readonly root: string;
  readonly directories: number;
  readonly files: number;
  /** Directories the walk could not read. */
  readonly unreadable: number;
  readonly patterns: readonly ScanPattern[];
}
