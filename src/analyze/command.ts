/**
 * The contract between the shell evaluator and the command analyzers (docker verbs, host
 * commands): a command arrives with its words already expanded and its redirections known;
 * the analyzer records FlowEvents and diagnostics through the sink, and may return the text
 * the command would print when it runs inside `$(…)`.
 */
import type { Diagnostic, Location } from '../model/diagnostic.js';
import type { ContainerStart, FlowEvent, ImageBuild, StdoutReader } from '../model/flow.js';
import type { TarEntry } from '../shared/host-ops.js';
import type { ShellValue, Word } from './shell/values.js';
import type { ShellScript } from '../parse/shell.js';

export interface Redirect {
  /** `>`, `>>`, `<`, `2>`, `&>` … as written. */
  readonly operator: string;
  readonly target: Word | null;
}

export interface CommandCall {
  readonly name: Word;
  readonly args: readonly Word[];
  readonly at: Location;
  readonly redirects: readonly Redirect[];
  /** Inside `$(…)`: the output is captured by the script. */
  readonly captured: boolean;
  /** The command's output goes into a pipe (`docker export c | tar x`). */
  readonly pipedOut: boolean;
  /**
   * What the script puts in the command's environment: its exported variables and `--env` values,
   * then the command's own `A=b` prefixes (`DOCKER_BUILDKIT=1 docker build …`). Variables of the
   * user's environment the script does not set are not here.
   */
  readonly environment: ReadonlyMap<string, ShellValue>;
  /** The command reads the output of the one before it in a pipeline. */
  readonly pipedIn?: boolean;
  /** The command ran under `sudo`. */
  readonly sudo?: boolean;
  /** For a docker analyzer: the verb path it was chosen by (`['buildx', 'build']`). */
  readonly verb?: readonly string[];
}

export interface FlowSink {
  /** Absolute host path of the working directory at this point of the script. */
  readonly cwd: string;
  emit(event: FlowEvent): void;
  report(diagnostic: Diagnostic): void;
  /** An absolute host path for a word, or null after reporting why it cannot be known (RS304). */
  hostPath(word: Word, role: string): string | null;
  /** The word's text, or null after reporting why it cannot be known (RS304). */
  require(word: Word, role: string): string | null;
  /** A new handle for a container whose id the script captured (`id=$(docker create …)`). */
  newContainerHandle(): string;
  /** Marks a container the script created as started (its first start counts); false when the script never created it. */
  startContainer(container: string, start: ContainerStart): boolean;
  /** Changes the working directory for the rest of the script (or subshell). */
  changeDirectory(path: string): void;
  /**
   * Another file of the tree (a compose file), by absolute path: its text and how diagnostics show
   * it; null when restage cannot read it (outside the tree, missing). Absent: no file is read.
   */
  readonly readFile?: (absolutePath: string) => ReadFile | null;
  /** Tar streams on their way to a `tar -x`; absent where no script runs (verify reading its trace). */
  readonly streams?: TarStreams;
  /** The script's last build of the image the container was made from, or null (an image the script does not build). */
  readonly imageBuildOf?: (container: string) => ImageBuild | null;
}

/**
 * A tar stream a docker command wrote to its standard output: `docker run IMG tar -c …` (the
 * container `container`, removed once read when `removeAfter`) or `docker cp C:/p -`.
 */
export interface TarStream {
  readonly at: Location;
  readonly container: string;
  readonly entries: readonly TarEntry[];
  readonly gzip: boolean;
  /** `docker run --rm`: the container is removed once the stream is read. */
  readonly removeAfter: boolean;
  /** The producing command as written, for messages. */
  readonly command: string;
  /** The run's reader (`tar -c …` in the image), checked against the image like a `cat`; null for `docker cp`. */
  readonly reader: StdoutReader | null;
  /**
   * `docker export C`: the container's whole file system (entries: `/.` as `.`), whose members the
   * `tar -x` that reads it names (src/analyze/export-stream.ts).
   */
  readonly exported?: boolean;
}

/**
 * What a fetch from outside the builder writes into a pipe (`curl -fsSL URL | tar -xz -C out`,
 * `wget -qO- URL | tar x`): content no step restage migrates knows (src/analyze/fetch.ts).
 */
export interface FetchedStream {
  readonly fetched: true;
  /** The fetching command's word (`curl`, `wget`). */
  readonly at: Location;
  /** The fetching command as written, for messages. */
  readonly command: string;
}

/**
 * A `tar -c` run on the host into a pipe (`tar -C build -c Dockerfile app | docker build -t app -`):
 * read only as a build context streamed to `docker build -` (src/analyze/build-stdin.ts).
 */
export interface HostTarStream {
  readonly hostTar: true;
  readonly at: Location;
  /** The tar command as written, for messages. */
  readonly command: string;
  /** Each member as written, with the absolute host directory it is read from (`-C`, else the working directory). */
  readonly members: readonly { readonly operand: string; readonly dir: string }[];
  /** Why the members are not knowable (an option restage does not model, a word it cannot read), or null. */
  readonly refused: string | null;
}

/** What one part of a pipeline leaves for the next to read. */
export type PipeContent = TarStream | FetchedStream | HostTarStream;

export const isFetched = (c: PipeContent): c is FetchedStream => 'fetched' in c;
export const isHostTar = (c: PipeContent): c is HostTarStream => 'hostTar' in c;
/** A tar stream out of a container (`docker run IMG tar -c`, `docker cp C:/p -`, `docker export`). */
export const isContainerStream = (c: PipeContent): c is TarStream => 'container' in c;

/**
 * Where streams wait for their reader: the pipe of the pipeline being run (the next command
 * takes it), or a host file a redirection wrote it into (`> out.tar`), until a `tar -x -f` reads it.
 */
export interface TarStreams {
  toPipe(stream: PipeContent): void;
  fromPipe(): PipeContent | null;
  toFile(hostPath: string, stream: TarStream): void;
  fromFile(hostPath: string): TarStream | null;
}

/** A package's script the analysis runs in place of an `npm run` command. */
export interface PackageRun {
  /** The generated script, null when restage declines the run (its `diagnostics` say why). */
  readonly script: ShellScript | null;
  /** The package's directory: the script's working directory. */
  readonly directory: string;
  /** What identifies the run on the stack of running scripts (a loop of packages running each other). */
  readonly key: string;
  /** The package.json, absolute. */
  readonly file: string;
  /** Whether the script runs docker itself or through a JS build script (one of `included`). */
  readonly reaches: boolean;
  /** The JS build scripts the run reads, absolute. */
  readonly included: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
  /** Said when the run turns out part of the pipeline (it reaches docker): which script ran where. */
  readonly followed?: Diagnostic;
}

/**
 * The package run `words` (all known) make in `cwd`, called at `at`; null when they are no npm run
 * or no package.json is there to run (the command then stays an unknown host command).
 */
export type RunPackage = (cwd: string, words: readonly string[], at: Location) => PackageRun | null;

/** A file of the tree as a reader gives it. */
export interface ReadFile {
  readonly display: string;
  readonly text: string;
}

export type CommandAnalyzer = (call: CommandCall, sink: FlowSink) => ShellValue | undefined;
