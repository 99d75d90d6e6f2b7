/**
 * Diagnostics: every problem restage reports has a stable code from the catalogue
 * below, a severity, a message that says what to do, and a location.
 *
 * Locations are 1-based (line and column), as editors and `file:line:col` show them.
 * A diagnostic about a whole directory or file points at line 1, column 1.
 */

export type Severity = 'error' | 'warning' | 'info';

export interface Location {
  /** Path as the user gave it (relative to the working directory when they gave it so). */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface Diagnostic extends Location {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
}

/**
 * The catalogue. A code never changes meaning once released; retired codes are not reused.
 * RS1xx: discovery, RS2xx: Dockerfiles, RS3xx: scripts, RS4xx: artifact flow, RS5xx: plan/emit,
 * RS6xx: writing files, RS7xx: verify.
 */
export const CATALOGUE = {
  RS100: { severity: 'error', title: 'usage error: the command line is not valid' },
  RS101: { severity: 'error', title: 'directory not found or unreadable' },
  RS102: { severity: 'error', title: 'no Dockerfile in the directory' },
  RS103: { severity: 'error', title: 'a Dockerfile named by the script does not exist' },
  RS105: { severity: 'error', title: 'orchestrator kind not supported yet' },
  RS106: { severity: 'info', title: "no runtime build consumes the builder's artifacts" },
  RS107: { severity: 'warning', title: 'several scripts drive docker; restage analysed one' },
  RS108: { severity: 'warning', title: 'several builds consume artifacts; restage migrated the last' },
  RS110: { severity: 'error', title: 'several scripts are candidate pipelines; --script picks one' },
  RS111: { severity: 'error', title: 'the script named by --script is not in the directory' },
  RS112: { severity: 'warning', title: 'a builder Dockerfile that nothing in its directory builds' },
  RS113: {
    severity: 'info',
    title: 'nothing to migrate: no shell script, Makefile, package.json script or JS/TS build script here runs docker',
  },
  RS114: { severity: 'info', title: 'the script argument restage followed (`case "$1"` dispatch)' },
  RS116: {
    severity: 'error',
    title: 'no builder pattern uses the Dockerfile --build-dockerfile/--runtime-dockerfile names',
  },
  RS117: { severity: 'error', title: 'not written: another pattern of the tree cannot be migrated' },
  RS120: { severity: 'error', title: 'a path the build names lies outside the directory' },
  RS121: { severity: 'error', title: 'a symlink points outside the directory' },
  RS122: { severity: 'error', title: 'not a regular file (FIFO, socket or device)' },
  RS201: { severity: 'error', title: 'Dockerfile syntax error' },
  RS203: { severity: 'warning', title: 'shell-form CMD/ENTRYPOINT on an image without a shell' },
  RS204: { severity: 'error', title: 'Dockerfiles use different escape characters' },
  RS205: { severity: 'error', title: 'a carriage return that does not end a line in a Dockerfile' },
  RS206: { severity: 'error', title: 'the Dockerfile validator failed on this file' },
  RS207: { severity: 'info', title: 'a base image without a tag or with :latest' },
  RS208: {
    severity: 'warning',
    title: 'a CMD/ENTRYPOINT/RUN array in single quotes: Docker runs it as a shell string',
  },
  RS209: { severity: 'info', title: 'a stage name that is not lower-case' },
  RS210: { severity: 'warning', title: 'two stages of one Dockerfile have the same name' },
  RS211: { severity: 'warning', title: 'COPY --from names no earlier stage' },
  RS301: { severity: 'error', title: 'script syntax error' },
  RS302: { severity: 'error', title: 'backslash followed by white space at the end of a line' },
  RS303: { severity: 'error', title: 'script has CRLF line endings' },
  RS304: { severity: 'error', title: 'value depends on something restage cannot resolve' },
  RS305: { severity: 'info', title: 'unset variable expands to nothing' },
  RS306: { severity: 'warning', title: 'docker command not understood' },
  RS307: { severity: 'error', title: 'extraction form not supported yet' },
  RS308: { severity: 'warning', title: 'host-side change to an artifact not carried over' },
  RS309: { severity: 'warning', title: 'host path depends on something the script does not set' },
  RS310: { severity: 'error', title: 'verify cannot replay the script inside its scratch area' },
  RS311: { severity: 'error', title: 'script nests too deep to analyse' },
  RS320: { severity: 'warning', title: 'retired (was: docker cp from a container that ran a command)' },
  RS321: { severity: 'info', title: 'a failure guard was assumed not to fire' },
  RS322: { severity: 'info', title: 'a script parameter took an assumed value' },
  RS323: { severity: 'info', title: 'a file written by redirection takes its mode from the umask (022 assumed)' },
  RS324: { severity: 'error', title: 'a copy reads a container whose command may still be running' },
  RS325: { severity: 'error', title: "a container's command cannot be reproduced as a build step" },
  RS326: { severity: 'error', title: 'docker stop cuts off a command that may still be running' },
  RS327: { severity: 'info', title: 'the run stage assumes the base image sets no ENTRYPOINT' },
  RS328: { severity: 'error', title: 'an artifact lies in a volume or tmpfs' },
  RS329: { severity: 'info', title: "a volume or tmpfs's content is left out of the run stage" },
  RS330: { severity: 'error', title: 'a COPY source under a bind-mounted directory already exists in the tree' },
  RS331: { severity: 'warning', title: '.dockerignore may leave out files a bind mount showed' },
  RS332: { severity: 'error', title: 'a bind-mounted directory cannot be reproduced from the build context' },
  RS333: { severity: 'error', title: "a command's output into a host file that a build step cannot reproduce" },
  RS334: { severity: 'error', title: "a command's output needs /bin/sh in an image that may lack it" },
  RS335: { severity: 'info', title: "a command's output is written by the run stage through /bin/sh" },
  RS336: { severity: 'error', title: 'a build context streamed on standard input that restage cannot read' },
  RS337: { severity: 'info', title: 'a build context streamed on standard input, read as what the stream holds' },
  RS338: { severity: 'error', title: 'docker cp of a path the builder image never holds: the script fails as written' },
  RS339: { severity: 'error', title: 'a runtime COPY of a file that no step produces and the tree lacks' },
  RS340: { severity: 'error', title: 'a tar stream whose members restage cannot know' },
  RS341: { severity: 'info', title: 'tar -x on the host keeps the archive modes when run as root (assumed)' },
  RS342: { severity: 'error', title: 'a tar stream that no tar -x restage reads unpacks' },
  RS343: { severity: 'error', title: 'a tar member lands where tar -x would merge or fail' },
  RS344: { severity: 'error', title: 'a streamed tar archive consumed by something other than one ADD' },
  RS345: {
    severity: 'info',
    title: 'ADD of a streamed tar archive keeps its owners and modes: COPY --from without --chown',
  },
  RS346: { severity: 'info', title: 'a tar run assumes the base image sets no ENTRYPOINT' },
  RS347: { severity: 'error', title: 'a docker export stream that no tar -x restage reads unpacks' },
  RS348: { severity: 'error', title: 'a tar -x of a docker export stream whose members restage cannot map' },
  RS349: { severity: 'error', title: 'a COPY from an unpacked docker export that maps to no single container path' },
  RS350: { severity: 'info', title: 'a host post-processing step is replayed in an intermediate stage' },
  RS351: { severity: 'warning', title: 'a host post-processing step needs a tool the builder image may lack' },
  RS352: {
    severity: 'warning',
    title:
      'a host change to an extracted artifact is not carried (a host file into or over it, a host link in a copied directory)',
  },
  RS353: { severity: 'info', title: 'a build argument was renamed to keep the values of both builds' },
  RS354: {
    severity: 'info',
    title: 'chained builders: the input of a builder from another builder became a stage reference',
  },
  RS355: { severity: 'warning', title: "the runtime build's --platform now applies to a builder built without one" },
  RS356: { severity: 'info', title: 'a host unpack of an extracted archive is replayed in an intermediate stage' },
  RS357: { severity: 'warning', title: 'a host unpack needs a tool the builder image may lack' },
  RS358: { severity: 'error', title: 'a host unpack of an extracted archive restage cannot replay' },
  RS359: { severity: 'error', title: 'a file the runtime build copies comes from outside the builder' },
  RS360: { severity: 'error', title: 'a Makefile line restage cannot evaluate' },
  RS361: { severity: 'error', title: 'a Makefile includes a file the tree does not have' },
  RS362: { severity: 'error', title: 'the make target to migrate is not known' },
  RS363: { severity: 'info', title: 'the make target restage followed' },
  RS370: { severity: 'error', title: 'a Compose command or service restage cannot model' },
  RS371: { severity: 'error', title: 'a compose file or service restage cannot read' },
  RS372: { severity: 'error', title: "retired (was: verify's sandboxed run cannot run Compose)" },
  RS380: { severity: 'error', title: 'a package.json script restage cannot follow' },
  RS381: { severity: 'error', title: 'the package.json script to migrate is not known' },
  RS382: { severity: 'error', title: 'the scripts of a package.json cannot be read' },
  RS383: { severity: 'info', title: 'the package.json script restage followed' },
  RS384: { severity: 'error', title: 'a command of a JS/TS build script restage cannot know' },
  RS385: {
    severity: 'error',
    title: "verify's sandboxed run cannot run this build script: its runner is not in the tree",
  },
  RS390: { severity: 'info', title: 'a COPY source a staging step copied from the tree is copied from the tree' },
  RS391: {
    severity: 'error',
    title:
      "a build's ignore file depends on the builder (<Dockerfile>.dockerignore), which the script leaves to the engine",
  },
  RS392: { severity: 'error', title: "the script writes a build context's .dockerignore in a way restage cannot read" },
  RS401: { severity: 'error', title: 'docker cp from a container that was never created' },
  RS402: { severity: 'warning', title: 'extracted artifact is never consumed' },
  RS403: { severity: 'error', title: 'COPY source is neither in the build context nor produced' },
  RS406: { severity: 'warning', title: 'artifact destination may be an existing directory' },
  RS407: { severity: 'error', title: 'COPY source pattern covers an extracted artifact' },
  RS410: { severity: 'error', title: 'COPY source walks out of the build context' },
  RS501: { severity: 'info', title: 'ownership pinned with --chown=0:0' },
  RS502: { severity: 'warning', title: 'build argument collides once the builds are merged' },
  RS503: { severity: 'warning', title: 'build contexts differ; COPY sources rewritten' },
  RS504: { severity: 'info', title: 'already migrated' },
  RS505: { severity: 'info', title: "the merged build context's .dockerignore the migration writes" },
  RS506: { severity: 'info', title: 'parser directive dropped' },
  RS507: { severity: 'info', title: 'the script does more than the migration; no legacy file is obsolete' },
  RS508: { severity: 'error', title: "one .dockerignore cannot keep every stage's files as its legacy context did" },
  RS509: { severity: 'error', title: 'a rewritten COPY source holds whitespace in a shell-form instruction' },
  RS510: {
    severity: 'error',
    title:
      "the one build's ignore file depends on the builder (<Dockerfile>.dockerignore), which its command leaves to the engine",
  },
  RS511: { severity: 'error', title: 'two legacy Dockerfiles name a stage alike' },
  RS601: { severity: 'error', title: 'refusing to overwrite a file git cannot restore' },
  RS602: { severity: 'error', title: 'could not write a file' },
  RS603: { severity: 'error', title: 'refusing to write over a file of the legacy flow' },
  RS604: { severity: 'error', title: 'refusing to replace an earlier backup (NAME.orig)' },
  RS605: { severity: 'info', title: 'original kept as NAME.orig before overwriting' },
  RS610: {
    severity: 'error',
    title: 'refusing to rewrite the orchestrator: a builder-pattern step cannot be removed cleanly',
  },
  RS611: { severity: 'error', title: 'refusing to remove a legacy file that another file still uses' },
  RS612: { severity: 'info', title: 'the orchestrator was rewritten: the builder-pattern steps became the one build' },
  RS613: { severity: 'info', title: 'a legacy file the migration made obsolete was removed (--remove-legacy)' },
  RS614: { severity: 'info', title: 'the .dockerignore the migration needs is not written by --out' },
  RS701: { severity: 'error', title: 'an image verify needs is not on the engine' },
  RS702: { severity: 'error', title: 'the legacy flow could not be reproduced' },
  RS703: { severity: 'warning', title: 'verify could not remove something it made' },
  RS704: { severity: 'info', title: 'the script runs the engine client under sudo; verify does not' },
  RS705: { severity: 'error', title: 'the legacy pipeline failed when run in the sandbox' },
  RS706: { severity: 'warning', title: 'the legacy run and the analysis disagree' },
  RS707: { severity: 'info', title: "the legacy pipeline was run without restage's analysis of it" },
  RS708: { severity: 'info', title: 'the legacy side was replayed, not run' },
  RS709: { severity: 'warning', title: 'a Dockerfile the legacy run may build names an image the engine lacks' },
} as const satisfies Record<string, { severity: Severity; title: string }>;

export type DiagnosticCode = keyof typeof CATALOGUE;

/** Builds a diagnostic with the catalogue's severity (a caller may lower or raise it only by choosing another code). */
export function diagnostic(code: DiagnosticCode, at: Location, message: string): Diagnostic {
  return { code, severity: CATALOGUE[code].severity, message, file: at.file, line: at.line, column: at.column };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Stable order for reports: by file, then line, column, severity and code. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      a.code.localeCompare(b.code),
  );
}
