/**
 * BuildFlow: what the orchestrating script does, in order, as facts. The analyzers only gather
 * facts; decisions (which artifact feeds which COPY, which stage is the builder) come later.
 *
 * Host paths are absolute (the script runs with the migrated directory as its working directory);
 * container paths are absolute from `/`, as `docker cp` reads them, with a trailing `/.` kept
 * because it changes what is copied.
 */
import type { Location } from './diagnostic.js';

/** A `--build-arg NAME=value` (or bare `--build-arg NAME`, which takes the value from the environment). */
export interface BuildArg {
  readonly name: string;
  /** null when the argument names an environment variable (`--build-arg NAME`). */
  readonly value: string | null;
  /** The argument as written in the script, to repeat it in the replacement command. */
  readonly written: string;
  /** Environment variables the value was taken from (`$https_proxy`). */
  readonly fromEnvironment: readonly string[];
  readonly at: Location;
}

export interface ImageBuild {
  readonly kind: 'build';
  readonly at: Location;
  readonly tags: readonly string[];
  /** Absolute host path of the Dockerfile (`-f`, else `<context>/Dockerfile`). */
  readonly dockerfile: string;
  readonly dockerfileGiven: boolean;
  /** Where the Dockerfile is named (the `-f` value, else the context argument). */
  readonly dockerfileAt: Location;
  /** Absolute host path of the build context. */
  readonly context: string;
  readonly buildArgs: readonly BuildArg[];
  readonly target: string | null;
  readonly noCache: boolean;
  readonly pull: boolean;
  readonly platform: string | null;
  /** Other options, as written, that the replacement command must keep (`--network host`, `--label x=y`). */
  readonly passThrough: readonly string[];
  /**
   * `--label KEY[=VALUE]`: labels the built image carries in its config, which verify's builds must
   * put on too (absent: none, or one whose value the script does not fix).
   */
  readonly labels?: Readonly<Record<string, string>>;
  /** How the script ran the build, which verify's replay repeats. */
  readonly invocation: BuildInvocation;
  /**
   * The builder the script asks docker for: `buildkit` for `docker buildx build` or DOCKER_BUILDKIT=1
   * in the build's environment (exported, or the command's own prefix), `classic` for
   * DOCKER_BUILDKIT=0; null when the script leaves it to the user's environment and the engine
   * (Docker 23+ builds with BuildKit, older engines with the classic builder). Podman has one builder: null.
   */
  readonly builder: Builder | null;
  /** Where the script ran this build through Compose (`docker compose run`/`build`). */
  readonly compose?: Location;
  /**
   * `docker build -` reading a tar stream (src/analyze/build-stdin.ts): `context` stands for the
   * stream, which no `.dockerignore` filters (test/e2e/routes-stdin.test.ts). `members`: a host
   * `tar -c` of `context` holds only these paths of it (relative, normalized); absent, the stream
   * holds what the copy outs into `context` put there.
   */
  readonly streamed?: { readonly at: Location; readonly members?: readonly string[] };
}

export type Builder = 'buildkit' | 'classic';

/** The client (`docker`, `podman`), whether under `sudo`, and the verb path (`['buildx', 'build']`, `['image', 'build']`). */
export interface BuildInvocation {
  readonly client: 'docker' | 'podman';
  readonly sudo: boolean;
  readonly verb: readonly string[];
}

export interface ContainerCreate {
  readonly kind: 'create';
  readonly at: Location;
  /** How later commands refer to it: its `--name`, or a handle for an id captured in a variable. */
  readonly handle: string;
  readonly image: string;
  /** `--entrypoint` and the arguments after the image, as written; null when the image's own ENTRYPOINT/CMD would run. */
  readonly command: string | null;
  /** The command and its options, structured; absent from producers that do not read them. */
  readonly run?: RunSpec;
  /**
   * How the container was first started, or null while it was only created. A started container
   * ran a command that may have written files: it no longer holds only what its image holds.
   */
  readonly started: ContainerStart | null;
  /** Where the script ran this container through Compose (`docker compose run`). */
  readonly compose?: Location;
}

/** `docker run` (which creates and starts), `docker start` of a created container, or `docker exec` in it. */
export interface ContainerStart {
  readonly at: Location;
  readonly how: 'run' | 'start' | 'exec';
  /** What ran, as written (`docker exec c make dist` → `make dist`); null: the container's own command. */
  readonly command: string | null;
  /**
   * The script waited for the command to end before going on: a foreground `docker run`,
   * `docker start -a`, `docker exec` without `-d`. Absent (older producers): not known to have waited.
   */
  readonly attached?: boolean;
}

/**
 * What a container's command is and where it runs, as `docker run`/`docker create`/`docker exec`
 * gave it: the facts a run stage (src/plan/run-stage.ts) reproduces. Only literal values are
 * kept; anything restage cannot read is listed in `unreadable` (and the run is then declined when
 * its result is used).
 */
export interface RunSpec {
  readonly at: Location;
  /** `--entrypoint` (one word: docker takes it as the executable, without arguments); null when not given. */
  readonly entrypoint: string | null;
  /** The words after the image (after the container for exec), expanded as the shell passes them. */
  readonly args: readonly string[];
  /** `-w`, absolute; null when not given. */
  readonly workdir: string | null;
  /** `-u`; null when not given. */
  readonly user: string | null;
  /** `-e K=V`/`--env K=V`, in order (they override the env files' values). */
  readonly env: readonly (readonly [string, string])[];
  /** `--env-file FILE`, absolute host paths in order: read from the tree by the analysis (HostSnapshot.envFiles). */
  readonly envFiles?: readonly { readonly at: Location; readonly path: string }[];
  /** `-v`/`--mount`/`--tmpfs`, in order (create and run only). */
  readonly mounts: readonly RunMount[];
  /** Options or words restage cannot turn into a Dockerfile step, located, with why. */
  readonly unreadable: readonly { readonly at: Location; readonly why: string }[];
}

/**
 * A mount of a run. `bind`: a host directory (absolute host path) shown at `target`; what the
 * command writes below `target` lands in it. `volume`: a named or anonymous volume; `tmpfs`: a
 * memory file system. The content of the last two is not in the container's file system.
 */
export interface RunMount {
  readonly at: Location;
  readonly kind: 'bind' | 'volume' | 'tmpfs';
  /** Absolute host path (bind), volume name ('' for an anonymous volume), '' for tmpfs. */
  readonly source: string;
  /** Absolute container path. */
  readonly target: string;
  readonly readOnly: boolean;
  /** As written (`"$PWD/out:/out"`), for messages. */
  readonly written: string;
}

/**
 * A later command on a container the script made: `docker start` (again), `docker wait`,
 * `docker stop`/`kill`, `docker exec`. The first start is also recorded on the create's `started`.
 */
export interface ContainerCall {
  readonly kind: 'container';
  readonly at: Location;
  readonly container: string;
  readonly verb: 'start' | 'wait' | 'stop' | 'exec';
  /** start -a, exec without -d: the script waited for the command. */
  readonly attached: boolean;
  /** exec: what it runs, with its own -w/-u/-e. */
  readonly exec: RunSpec | null;
}

export interface CopyOut {
  readonly kind: 'copy-out';
  readonly at: Location;
  readonly container: string;
  /** Absolute container path, normalized; ends in `/.` when the content of a directory is copied. */
  readonly containerPath: string;
  /** Absolute host path as written (normalized), before `docker cp`'s directory rules are applied. */
  readonly hostPath: string;
  /** `docker cp -L`: follow a symlink in the source (a reader on stdout always follows it, as `cat` does). */
  readonly followLink: boolean;
  /**
   * How the file left the container: `cp`, by `docker cp`; `stdout`, a reader's output redirected
   * into the host file (`docker run IMG cat PATH > FILE`), which then has the mode the redirection
   * gives a new file, not the builder's; `tar`, a member of a tar stream (`docker run IMG tar -c …`,
   * `docker cp C:/p -`) that `tar -x` unpacked on the host, as root: with the builder's mode; `bind`,
   * written by the run's command into a bind-mounted host directory (containerPath is the mount point
   * with `/.`, hostPath the host directory: the directory's content as the command left it, as
   * `docker cp c:/target/. dir` would copy it).
   */
  readonly via: 'cp' | 'stdout' | 'tar' | 'bind';
  /**
   * A member of a tar stream written into the host file hostPath and not unpacked there (yet):
   * its name in the archive. The copy out then puts the archive on the host; a `tar -x` of it
   * makes copy outs of its own, and `ADD FILE` in a runtime Dockerfile unpacks it.
   */
  readonly archiveMember?: string;
  /** The directory `tar -x` unpacked the member below (its `-C`, else its working directory), which must exist. */
  readonly extractedInto?: string;
  /** The reader on stdout (`cat`, or `tar -c` of a run); null for `docker cp`. */
  readonly reader: StdoutReader | null;
  /**
   * A member of a `docker export` stream (`via: 'tar'`): where the export wrote it, which reads the
   * container as it is then. containerPath is `/.` when `tar -x` unpacked the whole file system,
   * whose runtime COPYs src/analyze/export-stream.ts checks.
   */
  readonly exportedAt?: Location;
}

/** `docker run [--entrypoint cat] IMG [cat] PATH > FILE`: one file read to the run's standard output. */
export interface StdoutReader {
  /** The reader as written (`cat /app/bin/tool`; `--entrypoint cat … /app/bin/tool` shows as `cat /app/bin/tool`). */
  readonly command: string;
  /** The file the output is redirected into, as written in the script (`./app`). */
  readonly target: string;
  /** `--entrypoint` replaced the image's ENTRYPOINT: the words run as written whatever the image says. */
  readonly entrypointOverridden: boolean;
  /**
   * The operand as written when it is relative and the run gave no `-w`: docker resolves it
   * against the image's WORKDIR, which the analysis reads from the Dockerfile (containerPath then
   * holds it taken from `/`, and the Artifact holds the resolved path). null when containerPath is final.
   */
  readonly relativePath: string | null;
  /**
   * The output is not a file of the image but whatever the run's (or exec's) command prints
   * (src/analyze/stdout-command.ts): containerPath is then a fresh path below `/restage/stdout`
   * that the run stage's step writes that output to, and the artifact is copied from there.
   */
  readonly runsCommand?: boolean;
}

export interface ContainerRemove {
  readonly kind: 'remove';
  readonly at: Location;
  readonly containers: readonly string[];
}

/** Host-side operations that move artifacts around between extraction and the runtime build. */
export interface HostOperation {
  readonly kind: 'host';
  readonly at: Location;
  readonly op: 'mkdir' | 'rm' | 'mv' | 'cp' | 'chmod' | 'chown' | 'strip' | 'ln' | 'unpack' | 'fetch' | 'other';
  /** Absolute host paths the operation names, in order (for mv/cp the last one is the destination). */
  readonly paths: readonly string[];
  readonly command: string;
  /** chmod: the mode operand as written (`750`, `u+x,go-w`); null for other ops or a mode restage cannot read. */
  readonly mode: string | null;
  /** `-R`/`-r` (chmod, chown, cp, rm). */
  readonly recursive: boolean;
  /**
   * `strip`: its options as written (`--strip-unneeded`, `-s`), repeated in the image. `ln`: its
   * options, then the link's target as written (`ln -sf ../lib/x.so link` → `-sf`, `../lib/x.so`):
   * a symlink keeps that text.
   * Absent for the other ops.
   */
  readonly written?: readonly string[];
  /**
   * Operands whose path cannot be known without running the script (a variable the script never
   * sets, `~`, a command's output): they are left out of `paths`, and the operation is not
   * replayed (RS309).
   */
  readonly undecidable: readonly UndecidablePath[];
  /** `unpack`: what the command unpacks where (src/analyze/unpack.ts). */
  readonly unpack?: HostUnpack;
  /**
   * `fetch` whose output went into a pipe (`curl -fsSL URL | tar -xz -C out`): the `tar -x` that
   * unpacked it below `paths[0]` (src/analyze/fetch.ts).
   */
  readonly pipedInto?: { readonly command: string; readonly at: Location };
}

/**
 * A host command that unpacks an archive file (`tar -xzf app.tar.gz -C dist`, `unzip app.zip -d
 * dist`) or decompresses one file (`gunzip app.gz`, `xz -d`, `bunzip2`). Host paths are absolute.
 */
export interface HostUnpack {
  /** The program the image runs to replay it (`tar`, `unzip`, `gunzip`, `xz`, `bunzip2`). */
  readonly tool: string;
  readonly archive: string;
  /**
   * `tree`: the members land below `into`, a directory (which tar needs to exist; unzip makes it).
   * `file`: the one decompressed file is `into`, and the compressed file is gone (no `-k`).
   */
  readonly result: 'tree' | 'file';
  readonly into: string;
  /** The options to repeat in the image, as written (`-xzf` becomes `-x`, `-z`; `-q`, `-o`). */
  readonly options: readonly string[];
  /** Why restage does not replay it (an option it does not model, member selection), or null. */
  readonly refused: string | null;
}

export interface UndecidablePath {
  readonly at: Location;
  readonly written: string;
  /** Why: `$STAGING_DIR is never set by the script`, `~ is the home directory of whoever runs it`, … */
  readonly reason: string;
  /** What makes the path decidable, for this reason: a literal in the script, a default or `--env`, a path without `~`. */
  readonly fix: string;
}

export type FlowEvent = ImageBuild | ContainerCreate | ContainerCall | CopyOut | ContainerRemove | HostOperation;

export interface BuildFlow {
  /** The script analysed, relative to the migrated directory. */
  readonly script: string;
  readonly events: readonly FlowEvent[];
  /** The other scripts of the tree the analysed one ran or sourced, each time it did, in order (absent: none). */
  readonly calls?: readonly ScriptCall[];
}

/** One run (`./f.sh`, `sh f.sh`) or source (`. f`) of another script of the tree. */
export interface ScriptCall {
  /** The command that ran or sourced it, in the calling file. */
  readonly at: Location;
  /** Absolute path of the script. */
  readonly script: string;
  /** Absolute working directory it started in: the caller's at the call. */
  readonly cwd: string;
  readonly sourced: boolean;
}
