import type { Location } from '../model/diagnostic.js';

/** A step the engine could not do (a build failed, a copy failed): verify exits 3 with its last log lines. */
export class EngineFailure extends Error {
  override readonly name = 'EngineFailure';
  constructor(
    readonly step: string,
    message: string,
    readonly logTail: readonly string[] = [],
  ) {
    super(message);
  }
}

/**
 * The replay of the legacy flow did something the script, as restage read it, says should work and
 * it did not — e.g. a `docker cp` of a path the builder image does not have: restage misread the
 * script (or the script is broken), not an engine failure. `at` is the script line replayed.
 */
export class LegacyNotReproduced extends Error {
  override readonly name = 'LegacyNotReproduced';
  constructor(
    readonly step: string,
    readonly at: Location,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The legacy pipeline, run for real in the sandbox, failed (non-zero exit, time limit) or built
 * no image to compare: the legacy side does not exist, so nothing was compared. `run` holds its
 * trace and log tail.
 */
export class LegacyRunFailed extends Error {
  override readonly name = 'LegacyRunFailed';
  constructor(
    readonly command: readonly string[],
    message: string,
    readonly run: {
      readonly logTail: readonly string[];
      readonly exitCode: number | null;
      readonly seconds: number;
      readonly trace: readonly import('./legacy/trace.js').TraceCall[];
    },
  ) {
    super(message);
  }
}
