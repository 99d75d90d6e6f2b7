/**
 * The container engine restage's verifier drives: a CLI that speaks Docker's command set
 * (the docker client, or podman). Every call runs one client process with an argv array; none
 * goes through a shell. Every call takes an AbortSignal: cancelling sends the client SIGTERM
 * (SIGKILL if it is still alive 10 s later), waits for it to exit, and rejects with an AbortError
 * (name 'AbortError', code 'ABORT_ERR', cause: the signal's reason), as Node's own APIs do.
 * A client that cannot be started rejects with SpawnError (`ping` reports it instead). Other
 * failures reject with EngineError, except in `ping`, `build` and `run`, which report them in
 * their result.
 */
import type { Readable } from 'node:stream';
import type { ImageConfig } from '../model.js';

/** Which builder a build uses. Docker picks it from DOCKER_BUILDKIT=1/0 in the client's environment. */
export type Backend = 'buildkit' | 'classic';

export interface CallOptions {
  readonly signal?: AbortSignal;
}

/**
 * Labels put on what a call makes (`--label k=v`): a build's final image, a created or run
 * container. They let a caller find and remove what it made (Engine.labelled). A build's
 * intermediate images (the classic builder's steps) do not carry them.
 */
export interface Labelled {
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * How the script invoked the client for a build: `docker buildx build` needs the buildx plugin
 * (`buildx` verb), `docker image build` is `docker build`. Default: `build`.
 */
export interface BuildVerb {
  readonly verb?: readonly string[];
}

export interface PingResult {
  /** The client ran and the engine answered. */
  readonly ok: boolean;
  /** The engine's (server's) version; the client's when the engine has no server part (local podman). */
  readonly version?: string;
  /** One line for a human: the version, or why the engine is unreachable. */
  readonly message: string;
}

export interface BuildOptions extends CallOptions, Labelled, BuildVerb {
  /** Build context directory. */
  readonly context: string;
  /** Dockerfile path, as the client resolves it (relative to the process's working directory). Default: <context>/Dockerfile. */
  readonly dockerfile?: string;
  readonly tag: string;
  readonly buildArgs?: Readonly<Record<string, string>>;
  readonly target?: string;
  /**
   * Verification needs this: BuildKit's COPY cache key ignores uid/gid and mtime, so a warm build
   * can reuse a layer from a different Dockerfile and hide a real difference.
   */
  readonly noCache?: boolean;
  /** Network for RUN steps. Default 'none': engines started by scripts/engine.sh have no bridge. */
  readonly network?: string;
  readonly backend: Backend;
  /** `--pull`: always look for a newer base in a registry. Default false; true fails offline. */
  readonly pull?: boolean;
  /** Every output line of the build, both streams, in arrival order, without the line break. */
  readonly onLog?: (line: string) => void;
}

export interface BuildResult {
  readonly ok: boolean;
  readonly exitCode: number | null;
  readonly seconds: number;
  /** The last 30 lines of output (both streams). */
  readonly logTail: string[];
}

export interface CreateOptions extends CallOptions, Labelled {
  readonly image: string;
  readonly name: string;
  /**
   * Command for the container. Needed when the image has no CMD/ENTRYPOINT: `docker create` fails
   * with "No command specified". A container made only to copy or export from never runs, so any
   * path will do (e.g. ['/x']).
   */
  readonly command?: readonly string[];
}

export interface CpOptions extends CallOptions {
  readonly container: string;
  /** Path inside the container. `/dir/.` copies the directory's content. */
  readonly from: string;
  /**
   * Host path. Docker: an existing directory receives the source inside it (`to/<basename>`);
   * a missing path is created with the source's content; a path ending in `/` must exist.
   */
  readonly to: string;
  /** `-a`: keep the container's uid/gid on the host files (otherwise they belong to the caller). */
  readonly archive?: boolean;
  /** `-L`: when `from` is a symlink, copy what it points to instead of the link. */
  readonly followLink?: boolean;
}

export interface RemoveOptions extends CallOptions {
  readonly force?: boolean;
  /** Resolve instead of rejecting when the object does not exist. */
  readonly missingOk?: boolean;
}

export interface RmOptions extends RemoveOptions {
  readonly container: string;
}

export interface RmiOptions extends RemoveOptions {
  readonly image: string;
}

export interface RunOptions extends CallOptions, Labelled {
  readonly image: string;
  readonly args?: readonly string[];
  /** Replaces the image's ENTRYPOINT ('' clears it). */
  readonly entrypoint?: string;
  readonly user?: string;
  /** Only 'none' is possible on an engine started by scripts/engine.sh. Default 'none'. */
  readonly network?: string;
  /** The container is removed (killed) after this long; the result says timedOut. Default: none. */
  readonly timeoutSeconds?: number;
  /** Container name. Default: a fresh `restage-run-<random>`. The container is removed afterwards. */
  readonly name?: string;
  /** Per-stream capture limit; output beyond it is dropped. Default 1 MiB. */
  readonly maxOutputBytes?: number;
}

export interface RunResult {
  /**
   * The client's exit status: the container's, or Docker's own 125 (the engine refused, e.g. no
   * such image), 126 (command not executable), 127 (command not found). null: killed by a signal.
   */
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly truncated: boolean;
  readonly timedOut: boolean;
}

/** `docker image inspect`'s object, as the engine returns it; only the fields restage reads are typed. */
export interface ImageInspect {
  readonly Id: string;
  readonly RepoTags?: string[] | null;
  readonly Created?: string;
  readonly Size?: number;
  readonly Architecture?: string;
  readonly Os?: string;
  readonly Config?: ImageConfig | null;
  readonly RootFS?: { readonly Type: string; readonly Layers?: string[] };
  readonly [key: string]: unknown;
}

/** One `docker history` row, newest first. */
export interface HistoryEntry {
  /** Image id of the step; undefined for steps whose image is not in the local store ("<missing>"). */
  readonly id: string | undefined;
  readonly createdAt: string;
  /** Differs between builders for the same instruction: compare with care. */
  readonly createdBy: string;
  readonly sizeBytes: number;
  readonly comment: string;
}

export interface NameListing {
  /** Container names. */
  readonly containers: string[];
  /** Image references as `repository:tag`. */
  readonly images: string[];
  /** Volume names (from `labelled`: the legacy run's, which the docker shim names `<value>_name`). */
  readonly volumes?: string[];
}

export interface Engine {
  readonly kind: 'docker' | 'podman';
  /** The client binary the engine runs. */
  readonly client: string;
  ping(options?: CallOptions): Promise<PingResult>;
  build(options: BuildOptions): Promise<BuildResult>;
  /** Resolves to the new container's id. Never pulls; the container has no network. */
  create(options: CreateOptions): Promise<string>;
  cp(options: CpOptions): Promise<void>;
  rm(options: RmOptions): Promise<void>;
  rmi(options: RmiOptions): Promise<void>;
  inspectImage(ref: string, options?: CallOptions): Promise<ImageInspect>;
  history(ref: string, options?: CallOptions): Promise<HistoryEntry[]>;
  /**
   * The container's file system as a tar stream, streamed from the client. It also holds what the
   * engine adds to every container (/.dockerenv, /etc/hosts, /etc/hostname, /etc/resolv.conf,
   * /proc, /sys, /dev). The stream errors with EngineError if the client fails; destroying it
   * stops the client.
   */
  export(container: string, options?: CallOptions): Promise<Readable>;
  /** Runs a command in a fresh container, never pulling, and removes the container afterwards. */
  run(options: RunOptions): Promise<RunResult>;
  /** Containers and images whose names start with `prefix` (for cleanup checks). */
  listNames(prefix: string, options?: CallOptions): Promise<NameListing>;
  /** Ids of the containers and images (intermediate ones included) that carry the label `key=value`. */
  labelled(key: string, value: string, options?: CallOptions): Promise<NameListing>;
  /** Removes a volume (`volume rm --force`); a missing one is not an error. */
  rmVolume(volume: string, options?: CallOptions): Promise<void>;
  /** Whether the client has `buildx` (a plugin docker clients may lack: `docker buildx build` then fails). */
  hasBuildx(options?: CallOptions): Promise<boolean>;
}

/** A client command that ran and failed. */
export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    message: string,
    readonly argv: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
    /** The engine said the image or container does not exist. */
    readonly notFound: boolean = false,
  ) {
    super(message);
  }
}

/** The client binary could not be started at all. */
export class SpawnError extends Error {
  override readonly name = 'SpawnError';
  constructor(
    readonly file: string,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** What a cancelled call rejects with, as Node's own APIs do: the signal's reason is the cause. */
export class AbortError extends Error {
  override readonly name = 'AbortError';
  readonly code = 'ABORT_ERR';
  constructor(cause: unknown) {
    super('The operation was aborted', { cause });
  }
}
