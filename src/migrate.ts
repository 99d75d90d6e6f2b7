/**
 * `migrate(dir)`: the runner. It reads the directory (through the confinement: inside it, regular
 * files only), calls the stages in order — discover → parse → analyze → plan → emit — and never
 * writes. Every decision lives in the stage that owns it; the stages take and return plain data.
 */
import fs from 'node:fs';
import path from 'node:path';
import { hasErrors, sortDiagnostics, type Diagnostic } from './model/diagnostic.js';
import type { ParsedDockerfile } from './model/dockerfile.js';
import type { Analysis, HostSnapshot } from './model/analysis.js';
import type { BuildFlow } from './model/flow.js';
import type { StagePlan } from './model/plan.js';
import type { FoundFile, MigrationResult, MigrationStatus } from './model/result.js';
import { discover } from './discover/discover.js';
import { checkBuildInputs, checkCopySources, Confinement } from './discover/confine.js';
import { notADirectory, reportDiscovery } from './discover/report.js';
import { chooseScript, namedScript, scriptShape, type ScriptChoice } from './discover/choose.js';
import { missingDockerfiles } from './discover/inputs.js';
import { hostKinds } from './discover/host.js';
import { parseDockerfile } from './parse/dockerfile.js';
import { parseShell } from './parse/shell.js';
import { analyzeScript } from './analyze/script.js';
import { matchArtifacts } from './analyze/artifacts.js';
import { parseDockerignore } from './analyze/dockerignore.js';
import { buildContexts, envFilesAsked, hostPathsAsked } from './analyze/host-snapshot.js';
import { planMigration } from './plan/index.js';
import { nothingToMigrate } from './plan/already.js';
import { obsoleteFiles, stillNeededDiagnostics } from './plan/still-needed.js';
import { emitDockerfile } from './emit/dockerfile.js';
import { dockerfileRoles, migrationStatus, summarizeArtifacts } from './emit/result.js';
import { lintScratchShellForm } from './lint/scratch-shell-form.js';
import { displayPath } from './shared/display-path.js';

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
  /** Absolute path of the build script chosen (what verify runs as the legacy pipeline), or null. */
  readonly script: string | null;
}

export function migrate(dir: string, options: MigrateOptions = {}): MigrationResult {
  return analyzeDirectory(dir, options).result;
}

export function analyzeDirectory(dir: string, options: MigrateOptions = {}): Migration {
  let analysis: Analysis | null = null;
  let plan: StagePlan | null = null;
  let script: string | null = null;
  const root = path.resolve(dir);
  const result = run();
  return { result, root, analysis, plan, script };

  function run(): MigrationResult {
    const display = (p: string) => displayPath(p, options.displayBase ?? process.cwd());
    const diagnostics: Diagnostic[] = [];
    const files: FoundFile[] = [];
    const finish = (status: MigrationStatus, extra: Partial<MigrationResult> = {}): MigrationResult => ({
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
      diagnostics.push(notADirectory(stat !== undefined, { file: display(root), line: 1, column: 1 }));
      return finish('error');
    }
    const confinement = new Confinement(root);
    const found = discover(root, confinement);
    const rel = (name: string) => display(path.join(root, name));
    const readText = (abs: string): string | null => {
      const got = confinement.readText(abs);
      return 'text' in got ? got.text : null;
    };
    const discovered = reportDiscovery(found, rel, display(root));
    files.push(...discovered.files);
    diagnostics.push(...discovered.diagnostics);
    if (discovered.noDockerfile) return finish('error');

    const parsedFiles = new Map<string, ParsedDockerfile>();
    const parseAt = (abs: string): void => {
      if (parsedFiles.has(abs)) return;
      const text = readText(abs);
      if (text === null) return;
      const parsed = parseDockerfile(display(abs), text);
      diagnostics.push(...parsed.diagnostics, ...lintScratchShellForm(parsed.dockerfile));
      parsedFiles.set(abs, parsed.dockerfile);
    };
    /** The directory before the script runs, as far as the analysis of this flow asks. */
    const hostOf = (flow: BuildFlow, dockerfiles: ReadonlyMap<string, ParsedDockerfile>): HostSnapshot => ({
      kinds: hostKinds(confinement, hostPathsAsked(flow, dockerfiles)),
      dockerignores: new Map(
        buildContexts(flow).map((c) => [c, parseDockerignore(readText(path.join(c, '.dockerignore')) ?? '')]),
      ),
      envFiles: new Map(envFilesAsked(flow).map((f) => [f, readText(f)])),
    });
    const parameters = {
      ...(options.scriptArgs ? { args: options.scriptArgs } : {}),
      ...(options.env ? { env: options.env } : {}),
    };
    /** What a script does, analysed silently: its diagnostics come only from the script restage migrates. */
    const shapeOf = (name: string) => {
      const text = readText(path.join(root, name));
      const shell = text === null ? null : parseShell(rel(name), text);
      if (!shell?.script) return scriptShape(null);
      const { flow } = analyzeScript(shell.script, root, path.join(root, name), parameters);
      const builds = flow.events.filter((e) => e.kind === 'build');
      if (builds.length === 0) return scriptShape({ builds: 0, consumptions: 0 });
      const dockerfiles = new Map<string, ParsedDockerfile>();
      for (const b of builds) {
        const t = readText(b.dockerfile);
        if (t !== null) dockerfiles.set(b.dockerfile, parseDockerfile(display(b.dockerfile), t).dockerfile);
      }
      const host = hostOf(flow, dockerfiles);
      const match = matchArtifacts({ flow, root, host, dockerfiles, display, scriptFailed: true });
      return scriptShape({ builds: builds.length, consumptions: match.consumptions.length });
    };
    let choice: ScriptChoice;
    if (options.script !== undefined) {
      const abs = path.resolve(root, options.script);
      choice = namedScript(options.script, root, abs, confinement.check(abs), display);
    } else choice = chooseScript(found.scripts, shapeOf, rel);
    diagnostics.push(...choice.diagnostics);
    const scriptName = choice.script;
    if (!scriptName) {
      for (const d of found.dockerfiles) {
        files.push({ path: rel(d), role: 'dockerfile' });
        parseAt(path.join(root, d));
      }
      return finish(migrationStatus(diagnostics, false));
    }
    script = path.join(root, scriptName);
    files.push({ path: rel(scriptName), role: 'orchestrator' });
    const shell = parseShell(rel(scriptName), readText(path.join(root, scriptName)) ?? '');
    diagnostics.push(...shell.diagnostics);
    if (!shell.script) {
      for (const d of found.dockerfiles) files.push({ path: rel(d), role: 'dockerfile' });
      return finish('error');
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
      if (event.kind === 'build' && inputs.readable.has(event.dockerfile)) parseAt(event.dockerfile);
    }
    diagnostics.push(...missingDockerfiles(flow, inputs.readable, parsedFiles, display));
    diagnostics.push(...checkCopySources(flow, parsedFiles, confinement));
    const match = matchArtifacts({
      flow,
      root,
      host: hostOf(flow, parsedFiles),
      dockerfiles: parsedFiles,
      display,
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
    files.push(...dockerfileRoles(analysis, files, display));

    const settled = nothingToMigrate(analysis, diagnostics, rel(scriptName), display);
    if (settled) {
      diagnostics.splice(0, diagnostics.length, ...settled.diagnostics);
      return finish(migrationStatus(diagnostics, false), { obsolete: settled.obsolete });
    }
    if (hasErrors(diagnostics) || !match.runtime) return finish('error');
    const output = options.output ? path.resolve(options.output) : match.runtime.dockerfile;
    const dockerignores = new Set(
      flow.events
        .flatMap((e) => (e.kind === 'build' ? [path.join(e.context, '.dockerignore')] : []))
        .filter((p) => confinement.check(p).ok),
    );
    plan = planMigration(analysis, { root, output, display, dockerignores });
    if (!plan) return finish('error');
    diagnostics.push(...plan.diagnostics);
    diagnostics.push(
      ...stillNeededDiagnostics(
        analysis,
        match.runtime.dockerfile,
        diagnostics,
        rel(scriptName),
        display,
        new Set(plan.replacedBuilds ?? []),
      ),
    );
    const artifacts = summarizeArtifacts(analysis, plan.stages, display, plan.copiedFrom);
    if (hasErrors(diagnostics)) return finish('error', { stages: plan.stages, artifacts });
    return finish(migrationStatus(diagnostics, true), {
      stages: plan.stages.map(({ name, from, source }) => ({ name, from, source })),
      artifacts,
      dockerfile: emitDockerfile(plan),
      buildCommand: plan.buildCommand,
      obsolete: obsoleteFiles(plan.obsolete, diagnostics),
      target: display(output),
    });
  }
}
