/**
 * The docker shim's contract: what one call of the legacy script's `docker`/`podman` becomes.
 * Everything here is pure; the shim's executable persists the state between calls, writes the
 * files, feeds standard input and runs the real client.
 */

/** The programs the shim stands in for. */
export type ShimClient = 'docker' | 'podman' | 'docker-compose';

export interface ShimContext {
  /** Lower case, e.g. `restage-1a2b3c4d`: the prefix of the run's image tags, container and volume names. */
  readonly runId: string;
  /** The label key (`restage.session`); its value is `runId`. */
  readonly label: string;
  readonly client: ShimClient;
  /** The directory of the shim's clients (`docker`, `podman`, `docker-compose`) inside the sandbox. */
  readonly bin: string;
  /** The repository's absolute path as the script sees it (the user's real path). */
  readonly repo: string;
  /** Where the scratch copy of the repository really is on the host (what the engine resolves bind mounts against). */
  readonly copy: string;
  /** The call's working directory, as the script sees it. */
  readonly cwd: string;
  /** The network given to builds and containers that name none; null adds none. */
  readonly network: string | null;
  /** Base image mapping as verify's `--image-map` takes it (FROM -> TO; a FROM without a tag maps every tag). */
  readonly imageMap: ReadonlyMap<string, string>;
  /** A writable directory outside the repository, at the same path inside and outside the sandbox. */
  readonly scratchDir: string;
  /** Where a build writes its image id (`--iidfile`), so the caller can tell which image it made; none when absent. */
  readonly iidfile?: string;
}

/** JSON-serialisable; the caller persists it between calls. */
export interface ShimState {
  /** imageKey(tag as the script writes it) -> prefixed tag. */
  readonly images: Readonly<Record<string, string>>;
  /** Container name as written -> prefixed name. */
  readonly containers: Readonly<Record<string, string>>;
  /** Full ids of the containers the run created (the caller adds them from create / run -d output). */
  readonly ids: readonly string[];
  /**
   * Ids of the images the steps of the run's builds made, read off their output (engine/build-log.ts):
   * the classic builder and podman leave those of a failed build untagged and unlabelled, so only
   * this list lets cleanup remove them.
   */
  readonly intermediates: readonly string[];
}

export type ShimDecision =
  | {
      readonly kind: 'run';
      /** The real client's words; with `withoutClient`, the whole command (a compose call's script of shim calls). */
      readonly argv: readonly string[];
      readonly withoutClient?: true;
      readonly state: ShimState;
      /** To write before running (rewritten Dockerfiles and their .dockerignore). */
      readonly files: readonly { path: string; text: string }[];
      /** Of `files`, those removed once the call is done: they lie in the repository copy, where the script could see them. */
      readonly temporary?: readonly string[];
      /** Set when the call read standard input (`build -f -`, `build -`): what to feed the real client instead. */
      readonly stdin?: string | Buffer;
      /** create / run -d: the caller records the printed id into state.ids. */
      readonly capturesId: boolean;
      /** A build: the caller reads its output (stdout and stderr, passed on once it ends) for step images. */
      readonly capturesLog?: boolean;
      readonly notes: readonly string[];
    }
  | { readonly kind: 'skip'; readonly note: string; readonly stdout: string }
  | { readonly kind: 'refuse'; readonly message: string };

export interface ShimIo {
  /** The file's text, or null when it cannot be read; paths are absolute, as the script sees them. */
  readFile(path: string): string | null;
  /** The call's standard input, read whole (bytes: it may be a tar stream); called at most once. */
  stdin(): Buffer;
  /**
   * The target of the symbolic link at `path` as the link holds it (relative or absolute), or
   * null when `path` is no symbolic link or does not exist; paths as the script sees them.
   */
  readlink(path: string): string | null;
  /** The call's environment (a compose call interpolates the compose file with it); read once asked for. */
  environment(): Readonly<Record<string, string>>;
}

export const EMPTY_STATE: ShimState = { images: {}, containers: {}, ids: [], intermediates: [] };

/** Thrown inside the shim to end the call with a refusal (caught by rewriteCall). */
export class Refusal extends Error {}

/** Thrown inside the shim to end the call without running it (caught by rewriteCall). */
export class Skip extends Error {
  constructor(
    readonly note: string,
    readonly stdout = '',
  ) {
    super(note);
  }
}
