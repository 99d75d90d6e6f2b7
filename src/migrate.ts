/**
 * `migrate(dir)`: discover → parse → analyze → plan → emit, reading the directory and never
 * writing. The stages below it are pure; this is where the file system is read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { diagnostic, hasErrors, sortDiagnostics, type Diagnostic, type Location } from './model/diagnostic.js';
import type { ParsedDockerfile } from './model/dockerfile.js';
import type { Analysis, Artifact, HostTree } from './model/analysis.js';
import type { StagePlan } from './model/plan.js';
import type { FoundFile, MigrationResult, MigrationStatus } from './model/result.js';
import { discover } from './discover/discover.js';
import { checkBuildInputs, checkCopySources, Confinement, refusalDiagnostic, refusalText } from './discover/confine.js';
import { parseDockerfile } from './parse/dockerfile.js';
import { parseShell } from './parse/shell.js';
import { analyzeScript } from './analyze/script.js';
import { matchArtifacts } from './analyze/artifacts.js';
import { dockerignore, type ContextFilter } from './analyze/dockerignore.js';
import { planMigration } from './plan/index.js';
import { emitDockerfile } from './emit/dockerfile.js';
import { lintScratchShellForm } from './lint/scratch-shell-form.js';
import { isWithin } from './shared/paths.js';
import type { BuildFlow, ImageBuild } from './model/flow.js';

export interface MigrateOptions {
  /** Paths in the result are relative to this directory (default: the current directory). */
  readonly displayBase?: string;
  /** Where the migrated Dockerfile will be written (--out); default: in place of the runtime Dockerfile. */
  readonly output?: string;
  /** The script's arguments (`--script-arg`, in order): `$1`, `$2`… for the analysis. */
  readonly scriptArgs?: readonly string[];
  /** Environment variables the script reads (`--env NAME=VALUE`); every other one is unset. */
  readonly env?: Readonly<Record<string, string>>;
  /** The build script to migrate, relative to the migrated directory (--script); needed when several scripts are candidate pipelines. */
  readonly script?: string;
}

/** What verify needs beyond the result: the analysed flow and the plan it was emitted from. */
export interface Migration {
  readonly result: MigrationResult;
  /** Absolute path of the migrated directory. */
  readonly root: string;
  readonly analysis: Analysis | null;
  readonly plan: StagePlan | null;
}

export function migrate(dir: string, options: MigrateOptions = {}): MigrationResult {
  return analyzeDirectory(dir, options).result;
}

export function analyzeDirectory(dir: string, options: MigrateOptions = {}): Migration {
  let analysis: Analysis | null = null;
  let plan: StagePlan | null = null;
  const root = path.resolve(dir);
  const result = run();
  return { result, root, analysis, plan };

  function run(): MigrationResult {
    const base = path.resolve(options.displayBase ?? process.cwd());
    const display = (p: string) => {
      const shown = path.relative(base, p);
      return shown.startsWith('..') ? p : shown || '.';
    };
    const diagnostics: Diagnostic[] = [];
    const files: FoundFile[] = [];
    const empty = (status: MigrationStatus, extra: Partial<MigrationResult> = {}): MigrationResult => ({
      status,
      directory: dir,
      files,
      stages: [],
      artifacts: [],
      dockerfile: null,
      buildCommand: null,
      obsolete: [],
      diagnostics: sortDiagnostics(diagnostics),
      target: null,
      written: [],
      ...extra,
    });

    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(root);
    } catch {
      /* reported below */
    }
    if (!stat?.isDirectory()) {
      diagnostics.push(
        diagnostic(
          'RS101',
          { file: display(root), line: 1, column: 1 },
          stat
            ? 'this is a file, not a directory: give restage the directory that holds the Dockerfiles and the build script'
            : 'no such directory',
        ),
      );
      return empty('error');
    }
    // Every read below goes through the confinement: inside the directory, regular files only.
    const confinement = new Confinement(root);
    const found = discover(root, confinement);
    const rel = (name: string) => display(path.join(root, name));
    const readText = (abs: string): string | null => {
      const got = confinement.readText(abs);
      return 'text' in got ? got.text : null;
    };
    for (const r of found.refused)
      diagnostics.push(refusalDiagnostic(r.reason, { file: rel(r.name), line: 1, column: 1 }, r.name));
    const parsedFiles = new Map<string, ParsedDockerfile>();
    const parseAt = (abs: string): ParsedDockerfile | null => {
      const cached = parsedFiles.get(abs);
      if (cached) return cached;
      const text = readText(abs);
      if (text === null) return null;
      const parsed = parseDockerfile(display(abs), text);
      diagnostics.push(...parsed.diagnostics, ...lintScratchShellForm(parsed.dockerfile));
      parsedFiles.set(abs, parsed.dockerfile);
      return parsed.dockerfile;
    };

    for (const o of found.otherOrchestrators) {
      files.push({ path: rel(o), role: 'other-orchestrator' });
      if (found.scripts.length === 0) {
        diagnostics.push(
          diagnostic(
            'RS105',
            { file: rel(o), line: 1, column: 1 },
            `${o} runs docker, but restage analyses shell scripts only for now; move the docker steps into a build.sh (or migrate by hand) and run restage again`,
          ),
        );
      }
    }
    for (const m of found.inertMakefiles) files.push({ path: rel(m), role: 'makefile' });

    if (found.dockerfiles.length === 0) {
      diagnostics.push(
        diagnostic(
          'RS102',
          { file: display(root), line: 1, column: 1 },
          found.entries.length === 0
            ? 'the directory is empty: there is no Dockerfile to migrate'
            : `there is no Dockerfile in this directory${found.scripts.length ? ` (${found.scripts.join(', ')} runs docker, but the Dockerfiles it builds are not here)` : ''}; run restage on the directory that holds the Dockerfiles`,
        ),
      );
      for (const s of found.scripts) files.push({ path: rel(s), role: 'orchestrator' });
      return empty('error');
    }

    const tree: HostTree = {
      kind: (p) => {
        const c = confinement.check(p);
        return c.ok ? c.kind : null;
      },
      refused: (p) => {
        const c = confinement.check(p);
        return !c.ok && c.reason !== 'missing';
      },
    };
    const ignores = new Map<string, ContextFilter>();
    const ignoredIn = (context: string, p: string) => {
      if (!ignores.has(context))
        ignores.set(context, dockerignore(readText(path.join(context, '.dockerignore')) ?? ''));
      return ignores.get(context)!(path.relative(context, p));
    };
    const parameters = {
      ...(options.scriptArgs ? { args: options.scriptArgs } : {}),
      ...(options.env ? { env: options.env } : {}),
    };
    /** What a script does, analysed silently: its diagnostics come only from the script restage migrates. */
    const shapeOf = (name: string): ScriptShape => {
      const text = readText(path.join(root, name));
      const shell = text === null ? null : parseShell(rel(name), text);
      if (!shell?.script) return 'unknown';
      const { flow } = analyzeScript(shell.script, root, path.join(root, name), parameters);
      const builds = flow.events.filter((e) => e.kind === 'build');
      if (builds.length === 0) return 'none';
      const files = new Map<string, ParsedDockerfile>();
      for (const b of builds) {
        const t = readText(b.dockerfile);
        if (t !== null) files.set(b.dockerfile, parseDockerfile(display(b.dockerfile), t).dockerfile);
      }
      return matchArtifacts({ flow, root, tree, dockerfiles: files, display, ignoredIn, scriptFailed: true })
        .consumptions.length > 0
        ? 'pipeline'
        : 'builds';
    };
    const scriptName =
      options.script !== undefined
        ? namedScript(options.script, root, confinement, display, diagnostics)
        : chooseScript(found.scripts, shapeOf, diagnostics, rel);
    if (!scriptName) {
      for (const d of found.dockerfiles) {
        files.push({ path: rel(d), role: 'dockerfile' });
        parseAt(path.join(root, d));
      }
      return empty(hasErrors(diagnostics) ? 'error' : 'nothing-to-migrate');
    }
    files.push({ path: rel(scriptName), role: 'orchestrator' });
    const shell = parseShell(rel(scriptName), readText(path.join(root, scriptName)) ?? '');
    diagnostics.push(...shell.diagnostics);
    if (!shell.script) {
      for (const d of found.dockerfiles) files.push({ path: rel(d), role: 'dockerfile' });
      return empty('error');
    }
    const { flow, diagnostics: flowDiagnostics } = analyzeScript(
      shell.script,
      root,
      path.join(root, scriptName),
      parameters,
    );
    diagnostics.push(...flowDiagnostics.map((d) => ({ ...d })));

    const inputs = checkBuildInputs(flow, confinement, display);
    diagnostics.push(...inputs.diagnostics);
    for (const event of flow.events) {
      if (event.kind !== 'build' || !inputs.readable.has(event.dockerfile)) continue;
      if (!parseAt(event.dockerfile)) {
        diagnostics.push(
          diagnostic(
            'RS103',
            event.dockerfileAt,
            `the Dockerfile ${display(event.dockerfile)} that this build uses does not exist${event.dockerfileGiven ? ' (named by -f, which is relative to the directory the script runs in)' : ''}; fix the path and run restage again`,
          ),
        );
      }
    }
    diagnostics.push(...checkCopySources(flow, parsedFiles, confinement));
    const match = matchArtifacts({
      flow,
      root,
      tree,
      dockerfiles: parsedFiles,
      display,
      ignoredIn,
      scriptFailed: hasErrors(flowDiagnostics),
    });
    diagnostics.push(...match.diagnostics);
    analysis = {
      flow,
      artifacts: match.artifacts,
      consumptions: match.consumptions,
      runtime: match.runtime,
      dockerfiles: parsedFiles,
      diagnostics,
    };
    recordRoles(files, flow, analysis, display);

    if (!match.runtime || copiedAlready(match.consumptions)) {
      const already = alreadyMigrated(analysis);
      if (already) {
        if (already.stillNeeded === null) {
          const obsolete = [...new Set([rel(scriptName), ...already.replaced.map(display)])];
          // The script is stale: its extraction and its context COPYs no longer describe the build.
          const kept = diagnostics.filter((d) => d.code !== 'RS402' && d.code !== 'RS403');
          diagnostics.length = 0;
          diagnostics.push(
            ...kept,
            diagnostic(
              'RS504',
              { file: display(already.dockerfile), line: 1, column: 1 },
              `this Dockerfile is already multi-stage and copies from its own stages everything the script extracts; the script's extraction is no longer used: ${obsolete.join(', ')} can go`,
            ),
          );
          return empty(hasErrors(diagnostics) ? 'error' : 'nothing-to-migrate', { obsolete });
        }
        diagnostics.push(
          diagnostic(
            'RS504',
            { file: display(already.dockerfile), line: 1, column: 1 },
            `this Dockerfile is already multi-stage, so restage has nothing to merge; but ${rel(scriptName)} still does what it does not: ${already.stillNeeded}, so keep the script until this Dockerfile does that too`,
          ),
        );
        return empty(hasErrors(diagnostics) ? 'error' : 'nothing-to-migrate');
      }
      if (match.artifacts.length > 0 && !hasErrors(diagnostics)) {
        diagnostics.push(
          diagnostic(
            'RS106',
            { file: rel(scriptName), line: 1, column: 1 },
            'the script extracts artifacts, but no later `docker build` in it copies them from its context; there is nothing restage can turn into COPY --from',
          ),
        );
      }
      return empty(hasErrors(diagnostics) ? 'error' : 'nothing-to-migrate');
    }

    if (hasErrors(diagnostics)) return empty('error');
    const output = options.output ? path.resolve(options.output) : match.runtime.dockerfile;
    plan = planMigration(analysis, { root, output, display, exists: (p) => confinement.check(p).ok });
    if (!plan) return empty('error');
    diagnostics.push(...plan.diagnostics);
    const needed = scriptStillNeeded(analysis, match.runtime.dockerfile, display);
    if (needed && !diagnostics.some((d) => d.code === 'RS108')) {
      diagnostics.push(
        diagnostic(
          'RS507',
          needed.at,
          `${rel(scriptName)} is still needed after the migration: ${needed.reason}; restage lists no legacy file as obsolete`,
        ),
      );
    }
    const artifacts = summarizeArtifacts(analysis, plan.stages, display);
    if (hasErrors(diagnostics)) return empty('error', { stages: plan.stages, artifacts });
    const dockerfile = emitDockerfile(plan);
    const status: MigrationStatus = diagnostics.some((d) => d.severity === 'warning') ? 'needs-attention' : 'migrated';
    return empty(status, {
      stages: plan.stages.map(({ name, from, source }) => ({ name, from, source })),
      artifacts,
      dockerfile,
      buildCommand: plan.buildCommand,
      // Another build still takes artifacts from the script (RS108), a container's run-time command made one (RS320), or the script does more (RS507): the legacy files stay needed.
      obsolete: diagnostics.some((d) => d.code === 'RS108' || d.code === 'RS320' || d.code === 'RS507')
        ? []
        : plan.obsolete,
      target: display(output),
    });
  }
}

/**
 * How far a script is a builder pattern: `pipeline` builds an image, extracts from a container and
 * builds an image that consumes the extracted artifact; `builds` builds without that; `none` builds
 * nothing (a launcher, a deploy script); `unknown` could not be analysed.
 */
type ScriptShape = 'pipeline' | 'builds' | 'none' | 'unknown';

/**
 * The script to migrate: the only one, or the only candidate pipeline. Several candidates are never
 * chosen between (RS110): `--script` picks one. Without a pipeline, the only script that builds (or
 * could not be analysed) is analysed, so that its diagnostics say why it is no pipeline.
 */
function chooseScript(
  scripts: readonly string[],
  shapeOf: (name: string) => ScriptShape,
  diagnostics: Diagnostic[],
  rel: (n: string) => string,
): string | null {
  if (scripts.length <= 1) return scripts[0] ?? null;
  const shapes = new Map(scripts.map((s) => [s, shapeOf(s)]));
  const pipelines = scripts.filter((s) => shapes.get(s) === 'pipeline');
  const candidates =
    pipelines.length > 0 ? pipelines : scripts.filter((s) => shapes.get(s) === 'builds' || shapes.get(s) === 'unknown');
  if (candidates.length <= 1) return candidates[0] ?? null;
  diagnostics.push(
    diagnostic(
      'RS110',
      { file: rel(candidates[0]!), line: 1, column: 1 },
      `${candidates.length} scripts ${pipelines.length > 0 ? 'each build a builder pattern (build, extract, build the runtime)' : 'build images'}: ${candidates.map(rel).join(', ')}; one migration makes one Dockerfile, and restage does not choose between them: pick one with --script FILE (relative to the directory), e.g. --script ${candidates[0]}`,
    ),
  );
  return null;
}

/** The script `--script` names, relative to the migrated directory; it must be a regular file inside it (links included). */
function namedScript(
  given: string,
  root: string,
  confinement: Confinement,
  display: (p: string) => string,
  diagnostics: Diagnostic[],
): string | null {
  const abs = path.resolve(root, given);
  const checked = confinement.check(abs);
  if (checked.ok && checked.kind === 'file') return path.relative(root, abs);
  const why = checked.ok
    ? 'it is a directory'
    : checked.reason === 'missing'
      ? `there is no file ${display(abs)}`
      : `it ${refusalText(checked.reason)}`;
  diagnostics.push(
    diagnostic(
      'RS111',
      { file: display(root), line: 1, column: 1 },
      `--script ${given}: ${why}; --script takes the path of a build script inside the directory, relative to it (e.g. --script build.sh)`,
    ),
  );
  return null;
}

function recordRoles(files: FoundFile[], flow: BuildFlow, analysis: Analysis, display: (p: string) => string): void {
  const builders = new Set(
    analysis.artifacts.flatMap((a) => (a.source.kind === 'build' ? [a.source.build.dockerfile] : [])),
  );
  for (const e of flow.events) {
    if (e.kind !== 'build' || !analysis.dockerfiles.has(e.dockerfile)) continue;
    const role =
      e === analysis.runtime ? 'runtime-dockerfile' : builders.has(e.dockerfile) ? 'builder-dockerfile' : 'dockerfile';
    if (!files.some((f) => f.path === display(e.dockerfile))) files.push({ path: display(e.dockerfile), role });
  }
}

/**
 * Every artifact the runtime build still takes from its context is also copied, by the same stage,
 * from one of the file's own stages (`COPY . /app` next to restage's `COPY --from=builder /app/bin …`):
 * the file is migrated and the script is stale.
 */
function copiedAlready(consumptions: Analysis['consumptions']): boolean {
  return consumptions.length > 0 && consumptions.every(overwrittenFromStage);
}

/** A later COPY of the same stage copies the consumed path from one of the file's own stages, so what the context gave is replaced. */
function overwrittenFromStage(c: Analysis['consumptions'][number]): boolean {
  const stage = c.dockerfile.stages[c.instruction.stage];
  const internal = new Set(c.dockerfile.stages.map((s) => s.name).filter((n) => n !== null));
  return (
    stage?.instructions.some(
      (i) =>
        i.line > c.instruction.line &&
        i.keyword === 'COPY' &&
        i.flags.some((f) => f.name === 'from' && internal.has((f.value ?? '').toLowerCase())) &&
        i.args.slice(0, -1).some((a) => a.raw === c.containerPath),
    ) ?? false
  );
}

/** `COPY --from=<stage of the same file>` instructions, with the names of the file's stages. */
function internalCopies(f: ParsedDockerfile) {
  const internal = new Set(f.stages.map((s) => s.name).filter((n) => n !== null));
  return f.instructions.filter(
    (i) =>
      i.keyword === 'COPY' && i.flags.some((fl) => fl.name === 'from' && internal.has((fl.value ?? '').toLowerCase())),
  );
}

/**
 * A multi-stage Dockerfile the script builds, which copies from its own stages. `stillNeeded` is
 * null when that file does all the script did (the script and the builder Dockerfiles it
 * `replaced` are obsolete): it copies from its own stages every path the script extracted, no
 * build takes an extracted artifact from its context, and every other build the script runs only
 * made an image to extract from. Otherwise it says what the script still does.
 */
function alreadyMigrated(
  analysis: Analysis,
): { dockerfile: string; stillNeeded: string | null; replaced: string[] } | null {
  if (analysis.artifacts.length === 0) return null;
  for (const e of analysis.flow.events) {
    if (e.kind !== 'build') continue;
    const f = analysis.dockerfiles.get(e.dockerfile);
    if (!f || f.stages.length < 2) continue;
    const copies = internalCopies(f);
    if (copies.length === 0) continue;
    const sources = new Set(
      copies.flatMap((i) =>
        i.args.slice(0, -1).map((a) => a.raw.replace(/^["']|["']$/g, '').replace(/\/+$/, '') || '/'),
      ),
    );
    const missing = analysis.artifacts.find((a) => !sources.has(a.containerPath));
    const consumed = analysis.consumptions.find((c) => !overwrittenFromStage(c));
    const other = otherBuild(analysis, e.dockerfile);
    const stillNeeded = missing
      ? `it extracts ${missing.containerPath}, which this Dockerfile does not copy from its own stages`
      : consumed
        ? `a build takes the extracted ${consumed.artifact.containerPath} from its context (${consumed.dockerfile.file}:${consumed.instruction.line})`
        : other
          ? `it also builds ${other.tags[0] ?? 'an image'} from ${path.basename(other.dockerfile)}, which this Dockerfile does not replace`
          : null;
    const extractFrom = new Set(analysis.artifacts.flatMap((a) => (a.source.kind === 'build' ? [a.source.build] : [])));
    return {
      dockerfile: e.dockerfile,
      stillNeeded,
      replaced: [...extractFrom].map((b) => b.dockerfile).filter((d) => d !== e.dockerfile),
    };
  }
  return null;
}

/** A build the script runs that is neither of `dockerfile` nor only an image to extract artifacts from. */
function otherBuild(analysis: Analysis, dockerfile: string): ImageBuild | null {
  const extractFrom = new Set(analysis.artifacts.flatMap((a) => (a.source.kind === 'build' ? [a.source.build] : [])));
  for (const b of analysis.flow.events)
    if (b.kind === 'build' && b.dockerfile !== dockerfile && !extractFrom.has(b)) return b;
  return null;
}

/**
 * What the script does that the migrated Dockerfile (replacing the build of `runtime` and the
 * builds it extracts from) does not, or null when the script is obsolete: an extracted artifact no
 * build consumes (something outside the script may use it), or a build of another image.
 */
function scriptStillNeeded(
  analysis: Analysis,
  runtime: string,
  display: (p: string) => string,
): { reason: string; at: Location } | null {
  const consumed = new Set(analysis.consumptions.map((c) => c.artifact.id));
  const events = analysis.flow.events;
  // An artifact the script itself removes afterwards is used by nothing outside it.
  const removedLater = (a: Artifact) =>
    events
      .slice(events.indexOf(a.copyOut) + 1)
      .some((e) => e.kind === 'host' && e.op === 'rm' && e.paths.some((p) => isWithin(a.hostPath, p)));
  const unused = analysis.artifacts.find((a) => !consumed.has(a.id) && !removedLater(a));
  if (unused)
    return {
      at: unused.copyOut.at,
      reason: `it extracts ${unused.containerPath} to ${display(unused.hostPath)}, which no build in it consumes, so something outside the script may use it`,
    };
  const other = otherBuild(analysis, runtime);
  if (other)
    return {
      at: other.at,
      reason: `it also builds ${other.tags[0] ?? 'an image'} from ${display(other.dockerfile)}, which the migrated Dockerfile does not replace`,
    };
  return null;
}

function summarizeArtifacts(
  analysis: Analysis,
  stages: readonly { name: string; source: string; role: string }[],
  display: (p: string) => string,
) {
  return analysis.artifacts.map((a) => {
    const builderFile =
      a.source.kind === 'build' ? analysis.dockerfiles.get(a.source.build.dockerfile)?.file : undefined;
    const stage =
      a.source.kind === 'image'
        ? a.source.image
        : (stages.find((s) => s.role === 'builder' && s.source === builderFile)?.name ?? '');
    return {
      stage,
      path: a.containerPath,
      hostPath: display(a.hostPath),
      consumers: analysis.consumptions
        .filter((c) => c.artifact.id === a.id)
        .map((c) => ({
          file: c.dockerfile.file,
          line: c.instruction.line,
          instruction: c.dockerfile.text.slice(c.instruction.start, c.instruction.end),
          dest: c.instruction.args[c.instruction.args.length - 1]?.raw ?? '',
        })),
    };
  });
}
