/**
 * What the analysis concludes from the flow: which files are artifacts, where each landed on
 * the host, and which runtime COPY/ADD consumes it.
 */
import type { Diagnostic, Location } from './diagnostic.js';
import type { Instruction, ParsedDockerfile } from './dockerfile.js';
import type { BuildFlow, CopyOut, ImageBuild } from './flow.js';

/**
 * What a host path was before the script ran, as the confinement saw it (src/discover/confine.ts):
 * `refused`: restage does not look at it (outside the directory, a link out of it, a FIFO), so
 * whether it exists is unknown.
 */
export type HostKind = 'file' | 'dir' | 'refused';

/** One line of a .dockerignore, cleaned: `pattern` relative to the context root, `exception` for `!`. */
export interface DockerignoreRule {
  readonly exception: boolean;
  readonly pattern: string;
}

/**
 * The user's directory before the script runs, read once by the runner: the host paths the
 * analysis asks about (src/analyze/host-snapshot.ts `hostPathsAsked`) and each build context's
 * .dockerignore rules. Plain data, so the analysis never reads the disk.
 */
export interface HostSnapshot {
  /** By absolute path, without a trailing '/'. A path not listed does not exist. */
  readonly kinds: ReadonlyMap<string, HostKind>;
  /** By absolute build context path: its `.dockerignore`. A context not listed ignores nothing. */
  readonly dockerignores: ReadonlyMap<string, readonly DockerignoreRule[]>;
  /**
   * By build: the ignore file its context was filtered by (src/analyze/build-ignore.ts: a
   * `<Dockerfile>.dockerignore` under BuildKit, a staged copy); a build not listed reads its context's.
   */
  readonly buildIgnores?: ReadonlyMap<ImageBuild, IgnoreResolution>;
  /** The text of each `--env-file` the runs name, by absolute path; null when restage does not read it (outside the directory, missing). */
  readonly envFiles?: ReadonlyMap<string, string | null>;
}

/** Where an artifact comes from: an image the script built, or an image it only used. */
export type ArtifactSource =
  { readonly kind: 'build'; readonly build: ImageBuild } | { readonly kind: 'image'; readonly image: string };

export interface Artifact {
  readonly id: number;
  readonly copyOut: CopyOut;
  readonly source: ArtifactSource;
  /** Absolute container path, without a trailing `/.`. */
  readonly containerPath: string;
  /** `docker cp c:/dir/. dest`: the directory's content, not the directory. */
  readonly contentOnly: boolean;
  /** Absolute host path the artifact occupies after `docker cp` (and any later `mv`). */
  readonly hostPath: string;
  /** Modes the host gave it before the runtime build, in order: the redirection that wrote it, then `chmod`s. */
  readonly modes: readonly ModeChange[];
  /**
   * A member of a tar archive the runtime build unpacks with `ADD ARCHIVE DEST`: its name in the
   * archive (`.` for the content of containerPath), so it lands at DEST/name with the archive's
   * owners and modes. Absent for an artifact that is a host file.
   */
  readonly unpackedAs?: string;
  /**
   * Everything the host did to it before the runtime build, in order: `modes` and the
   * post-processing steps between them (src/plan/modes.ts replays them all in one stage).
   */
  readonly changes: readonly HostChange[];
  /**
   * The commands the container ran before the copy (a run-time build), which a run stage
   * reproduces; null (or absent) when the copy reads the image as built.
   */
  readonly run?: ContainerRun | null;
}

/**
 * What a started container's file system holds when an artifact is copied from it: its image,
 * then each step's command run to its end, in order (the container's own command, unless it only
 * kept the container alive, then each `docker exec`). Every value is resolved: the exact argv
 * docker ran, the working directory and user it ran in.
 */
export interface ContainerRun {
  /** The container's handle (a name, or `@container#N`): the steps of one container share a stage. */
  readonly container: string;
  /** The line that started the container. */
  readonly at: Location;
  readonly steps: readonly RunStep[];
}

export interface RunStep {
  readonly at: Location;
  /** The argv docker runs (entrypoint and command combined; a shell form as `/bin/sh -c TEXT`). */
  readonly argv: readonly string[];
  /** Absolute; null: the image's WORKDIR, unchanged. */
  readonly workdir: string | null;
  /** null: the image's USER, unchanged. */
  readonly user: string | null;
  readonly env: readonly (readonly [string, string])[];
  /**
   * Mounts of the command: a host directory of the tree COPYed to its mount point first (`source`),
   * or a mount point made as an empty directory (`source` null: a bind of a directory docker or a
   * `mkdir` made, a volume, a tmpfs).
   */
  readonly binds: readonly RunBind[];
  /**
   * Absolute container path the step's standard output is written to (a command whose output the
   * script redirected into a host file); absent: its output goes nowhere, as in a build step.
   */
  readonly stdoutTo?: string;
}

export interface RunBind {
  readonly at: Location;
  /** Absolute host directory to copy into the stage; null when it held nothing before the run (docker made it). */
  readonly source: string | null;
  /** Absolute container path. */
  readonly target: string;
}

/**
 * A mode the host gave an artifact, in the builder's terms: a host `chmod`, or the mode a shell
 * redirection gives the new file it writes (`docker run IMG cat PATH > FILE`: 0644 under umask 022).
 */
export interface ModeChange {
  readonly at: Location;
  readonly origin: 'chmod' | 'redirect';
  /** The mode operand as written (`750`, `u+x`); `644` for a redirection. */
  readonly mode: string;
  readonly recursive: boolean;
  /** Absolute container path it applies to: the artifact's, or a path inside it. */
  readonly containerPath: string;
}

/**
 * A host command that changed an artifact, other than its mode, replayed on container paths in
 * the post-processing stage: `rm` of a part of an extracted directory, `mkdir`/`mv`/`cp` inside
 * it, `ln -s` of a link inside it, `strip` of it, the unpack of an archive artifact into a
 * scratch directory (src/analyze/unpack.ts).
 */
export interface PathChange {
  readonly at: Location;
  readonly origin: 'rm' | 'mkdir' | 'mv' | 'cp' | 'ln' | 'strip' | 'unpack';
  /** The command on container paths, as words (`['rm', '-rf', '/out/docs']`). */
  readonly argv: readonly string[];
  /** `unpack`: the commands that prepare its scratch directory, run first (`['mkdir', '/.restage-unpack-1']`). */
  readonly before?: readonly (readonly string[])[];
  /** `unpack`: the scratch directory the result lands in. */
  readonly scratch?: string;
  /** The command as the script wrote it. */
  readonly command: string;
}

export type HostChange = ModeChange | PathChange;

export interface Consumption {
  readonly artifact: Artifact;
  readonly build: ImageBuild;
  readonly dockerfile: ParsedDockerfile;
  readonly instruction: Instruction;
  /** Index into instruction.args of the source that names the artifact. */
  readonly sourceIndex: number;
  /** The absolute container path the source corresponds to (inside the artifact for a sub-path). */
  readonly containerPath: string;
  /**
   * null: the source names the artifact (or a path inside it). A path: the source is a directory
   * of the context that holds the artifact at this relative path (`COPY . /app` with ./bin
   * extracted); '' when the artifact's content was merged into that very directory.
   */
  readonly within: string | null;
  /**
   * With `within`: the directory did not exist before the script ran, and the script put nothing
   * in it but artifacts and directories (`mkdir -p dist/bin && mv app dist/bin/tool`), so the
   * context has nothing of it to copy (a COPY of it would fail: the migrated build has no such
   * directory).
   */
  readonly onlyArtifacts?: boolean;
}

/**
 * A COPY/ADD source that names a file a staging step of the script (`cp config.yml stage/`) put
 * into the build context from the tree (src/analyze/staging.ts): the migrated build copies
 * `origin` from the tree instead.
 */
export interface StagedSource {
  readonly build: ImageBuild;
  readonly dockerfile: ParsedDockerfile;
  readonly instruction: Instruction;
  /** Index into instruction.args of the source. */
  readonly sourceIndex: number;
  /** Absolute path of the tree file. */
  readonly origin: string;
}

export interface Analysis {
  readonly flow: BuildFlow;
  readonly artifacts: readonly Artifact[];
  readonly consumptions: readonly Consumption[];
  /** The build whose image the migrated Dockerfile replaces, or null when none consumes an artifact. */
  readonly runtime: ImageBuild | null;
  /** Sources a staging step put into a build context from the tree (absent: none). */
  readonly staged?: readonly StagedSource[];
  /** Dockerfiles parsed for the analysis, by absolute path. */
  readonly dockerfiles: ReadonlyMap<string, ParsedDockerfile>;
  readonly diagnostics: readonly Diagnostic[];
}

/** The rules a build's context was filtered by, and the tree file they come from (null: none). */
export interface BuildIgnore {
  readonly file: string | null;
  readonly rules: readonly DockerignoreRule[];
}

/** The builder decides between two ignore files that leave out different paths, and the script does not choose it. */
export interface UndecidedIgnore {
  readonly undecided: { readonly own: string; readonly context: string | null };
  /** The context's rules (what the classic builder reads), for the analysis that goes on. */
  readonly rules: readonly DockerignoreRule[];
}

/** The script writes the context's `.dockerignore` before the build in a way restage does not model. */
export interface UnknownIgnore {
  readonly unknown: { readonly command: string; readonly at: Location };
  /** The rules of the file the tree holds there before the script, for the analysis that goes on. */
  readonly rules: readonly DockerignoreRule[];
}

export type IgnoreResolution = BuildIgnore | UndecidedIgnore | UnknownIgnore;
