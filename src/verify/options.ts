/** What `verify()` is given: the engine, the comparison's settings and the build script's inputs. */
import type { Backend, Engine } from './engine/engine.js';
import type { Progress } from './progress.js';
import type { ImageMap } from './scratch.js';
import type { Session } from './session.js';

export interface VerifyOptions {
  /** The engine, or how to get one for the client the script's builds use (docker or podman). */
  readonly engine: Engine | ((client: 'docker' | 'podman') => Engine);
  readonly backend?: Backend;
  /** A hand-written Dockerfile to judge instead of restage's own migration. */
  readonly dockerfile?: string;
  readonly network: string;
  readonly imageMap: ImageMap;
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly strictMtime: boolean;
  readonly ignore: readonly string[];
  readonly run: { readonly args: readonly string[]; readonly user?: string; readonly timeoutSeconds: number } | null;
  readonly keep: boolean;
  readonly progress: Progress;
  readonly signal: AbortSignal;
  readonly displayBase?: string;
  readonly session?: Session;
  /** What the build script receives (`--script-arg`, `--env`): the analysis, and so the replayed flow, use them. */
  readonly scriptArgs?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** The build script to replay and migrate, relative to the directory (--script). */
  readonly script?: string;
  /** The target of a Makefile orchestrator to follow and run (--make-target). */
  readonly makeTarget?: string;
  /**
   * How the legacy image is obtained: `run` the pipeline for real in a bubblewrap sandbox, or
   * `replay` restage's analysis of it; `auto` (the default) runs when bubblewrap works here.
   */
  readonly legacy?: 'run' | 'replay' | 'auto';
  /** The legacy pipeline's exact command (run by `sh -c`), instead of the discovered script. */
  readonly legacyCmd?: string;
  /** The legacy command's working directory (default: the directory verified). */
  readonly legacyCwd?: string;
  /** The legacy image, by the tag the script gives it, when the analysis does not name it. */
  readonly legacyImage?: string;
  /** Time limit of the legacy run, in seconds (default 1800). */
  readonly legacyTimeoutSeconds?: number;
  /** The migrated side's build context (default: the directory verified, or the plan's). */
  readonly context?: string;
  /** The docker shim's executable (default: dist/shim.cjs). */
  readonly shim?: string;
}
