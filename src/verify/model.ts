/**
 * Domain types of the comparison side of `restage verify`: what is known about one built
 * image (its file system, its config, its history, how it ran and how long it took to build),
 * and what comparing the legacy image with the migrated one found.
 *
 * Types only. The engine fills these facts; the differs read them and never touch Docker or disk.
 */

/** Kind of a file system entry, as a tar stream of a root file system names it. */
export type FileType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo';

/**
 * One entry of a root file system.
 *
 * `path` is absolute and normalized: '/' for the root, no trailing slash, no '.' or '..' segments.
 * `mode` keeps the 0o7777 bits: permissions plus setuid (0o4000), setgid (0o2000) and sticky (0o1000).
 * `size` is the content length for files and hard links, 0 for everything else.
 * `sha256` (hex) is set for files and hard links: a hard link carries its group's content.
 * `hardlinkTo` names the group's first member in tar order, which is a 'file' entry of the same manifest.
 * `mtime` is in whole seconds since the epoch (Docker truncates exported times to seconds).
 */
export interface FileEntry {
  readonly path: string;
  readonly type: FileType;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly sha256?: string;
  readonly linkTarget?: string;
  readonly hardlinkTo?: string;
  /** Device numbers of 'char' and 'block' entries. */
  readonly device?: { readonly major: number; readonly minor: number };
  readonly mtime: number;
}

/**
 * A root file system, path → entry. `totalSize` is the bytes of content, each hard-link group
 * counted once (what the content costs on disk). Entries are made when asked for (the manifest
 * keeps columns, not objects): `entries.get` returns a new object on each call.
 */
export interface Manifest {
  readonly entries: ReadonlyMap<string, FileEntry>;
  readonly totalSize: number;
  /** Whether both manifests hold `path` with entries equal in every field; makes no entry. */
  equalAt(other: Manifest, path: string): boolean;
  /** [path, hardlinkTo] of every entry that has a `hardlinkTo`, in no set order; makes no entry. */
  hardlinks(): Iterable<readonly [string, string]>;
}

/** Docker's HealthConfig; durations are nanoseconds, 0 or absent means "inherit the default". */
export interface HealthConfig {
  readonly Test?: readonly string[] | null;
  readonly Interval?: number;
  readonly Timeout?: number;
  readonly StartPeriod?: number;
  readonly StartInterval?: number;
  readonly Retries?: number;
}

/**
 * The part of `docker image inspect` `.Config` that decides how a container of the image behaves.
 * Field names are Docker's. Docker omits or nulls unset fields; an empty list or map means the same.
 */
export interface ImageConfig {
  readonly Entrypoint?: readonly string[] | null;
  readonly Cmd?: readonly string[] | null;
  readonly Env?: readonly string[] | null;
  readonly WorkingDir?: string;
  readonly User?: string;
  readonly ExposedPorts?: Readonly<Record<string, unknown>> | null;
  readonly Volumes?: Readonly<Record<string, unknown>> | null;
  readonly Labels?: Readonly<Record<string, string>> | null;
  readonly Healthcheck?: HealthConfig | null;
  readonly StopSignal?: string;
  readonly Shell?: readonly string[] | null;
  readonly OnBuild?: readonly string[] | null;
}

/** One `docker history` entry. `emptyLayer` is true for metadata-only instructions (ENV, CMD, …). */
export interface LayerFact {
  readonly createdBy: string;
  readonly emptyLayer: boolean;
}

/** What inspecting a built image tells. `size` is Docker's Size in bytes; `layers` oldest first. */
export interface ImageFacts {
  readonly config: ImageConfig;
  readonly size: number;
  readonly layers: readonly LayerFact[];
  readonly os: string;
  readonly architecture: string;
}

/** The result of running a container of the image with the same command on both sides. */
export interface RunOutcome {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  /** A second run of the same image with the same command: what differs between the two is nondeterministic. */
  readonly rerun?: RunOutcome;
}

/** Everything verify learned about one side. */
export interface SideFacts {
  readonly manifest: Manifest;
  readonly image: ImageFacts;
  /** Absent when the image was not run (no command, or running was not asked for). */
  readonly run?: RunOutcome;
  /** Wall time of the whole build: for the legacy side, every step of the legacy flow. */
  readonly buildSeconds: number;
  /** Legacy side only: the builder image the legacy flow leaves tagged behind, in bytes. */
  readonly builderImageSize?: number;
}

/** One aspect per differ; the differ's file under differs/ has this name. Report order is the registry's. */
export type Aspect = 'files' | 'config' | 'history' | 'sizes' | 'run' | 'time';

/** A value shown in a report column; null means absent or unset on that side. */
export type Shown = string | number | boolean | null;

/**
 * One finding. kind 'difference' counts toward the verdict; 'info' is context that never does
 * (sizes, build times, history text differ between builders by nature: the samples' migrations are
 * equivalent with either builder in test/e2e/verify.test.ts while all three differ).
 * `subject` is a path (files) or a config field / topic; `field` narrows it (mode, owner, an Env name…).
 * `message` says what differs in human terms, naming the migrated side first.
 */
export interface Difference {
  readonly aspect: Aspect;
  readonly kind: 'difference' | 'info';
  readonly subject: string;
  readonly field?: string;
  readonly legacy: Shown;
  readonly migrated: Shown;
  readonly message: string;
}

export interface CompareOptions {
  /** Compare mtimes of every entry. Off by default: build-made files and COPY/WORKDIR-touched directories always differ. */
  readonly strictMtime: boolean;
  /** Globs of absolute paths left out of the file comparison (`*`, `?` within a segment, `**` across segments). */
  readonly ignore: readonly string[];
}

export const defaultCompareOptions: CompareOptions = { strictMtime: false, ignore: [] };

/** A differ compares one aspect of the two sides. Pure: same facts in, same findings out. */
export interface Differ {
  readonly id: Aspect;
  readonly title: string;
  compare(legacy: SideFacts, migrated: SideFacts, options: CompareOptions): Difference[];
}

export type Verdict = 'equivalent' | 'different';

/** The outcome of comparing two images: differences decide the verdict, info is context. */
export interface Comparison {
  readonly verdict: Verdict;
  readonly differences: readonly Difference[];
  readonly info: readonly Difference[];
}
