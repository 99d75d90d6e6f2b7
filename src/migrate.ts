/**
 * `migrate(dir)`: the runner. It reads the directory (through the confinement: inside it, regular
 * files only), calls the stages in order — discover → parse → analyze → plan → emit — and never
 * writes. Every decision lives in the stage that owns it; the stages take and return plain data.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isWithin } from './shared/paths.js';
import { diagnostic, hasErrors, sortDiagnostics, type Diagnostic } from './model/diagnostic.js';
import type { ParsedDockerfile } from './model/dockerfile.js';
import type { Analysis, HostSnapshot } from './model/analysis.js';
import type { BuildFlow } from './model/flow.js';
import type { StagePlan } from './model/plan.js';
import type { FoundFile, MigrationResult, MigrationStatus } from './model/result.js';
import { discover, isShellScript } from './discover/discover.js';
import { checkBuildInputs, checkCopySources, Confinement } from './discover/confine.js';
import { noOrchestrator, notADirectory, reportDiscovery } from './discover/report.js';
import {
  chooseGoal,
  chooseScript,
  namedScript,
  scriptShape,
  type GoalChoice,
  type ScriptChoice,
} from './discover/choose.js';
import { missingDockerfiles } from './discover/inputs.js';
import { contextEntries, hostKinds } from './discover/host.js';
import { parseDockerfile } from './parse/dockerfile.js';
import { parseShell, type ShellParse, type ShellScript } from './parse/shell.js';
import {
  isTargetKind,
  makeArguments,
  orchestratorKind,
  type NeededPackage,
  type Orchestration,
  type OrchestratorContext,
  type TargetKind,
} from './orchestrate/index.js';
import { analyzeScript } from './analyze/script.js';
import { packageRuns } from './orchestrate/package-runs.js';
import type { ReadFile } from './analyze/command.js';
import { dispatchWords } from './analyze/dispatch.js';
import { matchArtifacts } from './analyze/artifacts.js';
import { parseDockerignore } from './analyze/dockerignore.js';
import { buildContexts, envFilesAsked, hostPathsAsked } from './analyze/host-snapshot.js';
import { buildIgnores } from './analyze/build-ignore.js';
import { planMigration } from './plan/index.js';
import type { ContextTree } from './plan/dockerignore.js';
import { nothingToMigrate } from './plan/already.js';
import { obsoleteFiles, stillNeededDiagnostics } from './plan/still-needed.js';
import { emitDockerfileWithOrigins } from './emit/dockerfile.js';
import { dockerfileRoles, migrationStatus, summarizeArtifacts } from './emit/result.js';
import { lintDockerfile, lintEmitted } from './lint/index.js';
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
  /** The target of a Makefile orchestrator to follow (--make-target); default: the one that builds the runtime image. */
  readonly makeTarget?: string;
}

/** A Makefile orchestrator's invocation, as verify runs it: `make -f SCRIPT ARGS… GOAL`. */
export interface MakeRun {
  readonly goal: string;
  /** The `VAR=value` words of the command line (`--script-arg`). */
  readonly args: readonly string[];
}

/** A package.json orchestrator's invocation, as verify runs it: `npm run NAME` in the package's directory. */
export interface NpmRun {
  readonly script: string;
  /** Packages the run needs from the tree's node_modules (`tsx` for `tsx scripts/build.ts`), in order. */
  readonly packages: readonly NeededPackage[];
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
  /** When the script is a Makefile: the goal followed and make's command-line variables. */
  readonly make: MakeRun | null;
  /** When the script is a package.json: the script run. */
  readonly npm: NpmRun | null;
  /** The script's arguments restage chose (a `case "$1"` dispatch) when the user gave none, else null. */
  readonly scriptArgs: readonly string[] | null;
}

export function migrate(dir: string, options: MigrateOptions = {}): MigrationResult {
  return analyzeDirectory(dir, options).result;
}

export function analyzeDirectory(dir: string, options: MigrateOptions = {}): Migration {
  let analysis: Analysis | null = null;
  let plan: StagePlan | null = null;
  let script: string | null = null;
  let make: MakeRun | null = null;
  let npm: NpmRun | null = null;
  let scriptArgs: readonly string[] | null = null;
  const root = path.resolve(dir);
  const result = run();
  return { result, root, analysis, plan, script, make, npm, scriptArgs };

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
    /** The lint findings on the legacy Dockerfiles as they are (src/lint/index.ts). */
    const legacyLint = new Set<Diagnostic>();
    const parseAt = (abs: string): void => {
      if (parsedFiles.has(abs)) return;
      const text = readText(abs);
      if (text === null) return;
      const parsed = parseDockerfile(display(abs), text);
      const found = lintDockerfile(parsed.dockerfile);
      for (const d of found) legacyLint.add(d);
      diagnostics.push(...parsed.diagnostics, ...found);
      parsedFiles.set(abs, parsed.dockerfile);
    };
    /** The directory before the script runs, as far as the analysis of this flow asks. */
    const hostOf = (flow: BuildFlow, dockerfiles: ReadonlyMap<string, ParsedDockerfile>): HostSnapshot => {
      const snapshot: HostSnapshot = {
        kinds: hostKinds(confinement, hostPathsAsked(flow, dockerfiles)),
        dockerignores: new Map(
          buildContexts(flow).map((c) => [c, parseDockerignore(readText(path.join(c, '.dockerignore')) ?? '')]),
        ),
        envFiles: new Map(envFilesAsked(flow).map((f) => [f, readText(f)])),
      };
      const isFile = (p: string) => {
        const checked = confinement.check(p);
        return checked.ok && checked.kind === 'file';
      };
      return { ...snapshot, buildIgnores: buildIgnores(flow, snapshot, readText, isFile) };
    };
    const parsedScripts = new Map<string, ShellScript | null>();
    /**
     * Another file of the tree that a script sources (read as shell, whatever its name) or runs (a
     * shell script by its name or #! line), parsed once; null for anything else.
     */
    const readScript = (abs: string, sourced: boolean): ShellScript | null => {
      const key = `${sourced ? 's' : 'r'}:${abs}`;
      if (!parsedScripts.has(key)) {
        const checked = confinement.check(abs);
        const text = checked.ok && checked.kind === 'file' ? readText(abs) : null;
        const shell =
          text !== null && (sourced || isShellScript(abs, () => text)) ? parseShell(display(abs), text).script : null;
        parsedScripts.set(key, shell);
      }
      return parsedScripts.get(key)!;
    };
    /** Another file of the tree an analyzer reads (a compose file), through the confinement. */
    const readFile = (abs: string): ReadFile | null => {
      const checked = confinement.check(abs);
      const text = checked.ok && checked.kind === 'file' ? readText(abs) : null;
      return text === null ? null : { display: display(abs), text };
    };
    const context: OrchestratorContext = {
      root,
      readText,
      display,
      scriptArgs: options.scriptArgs,
      env: options.env,
      makeTarget: options.makeTarget,
    };
    // `npm run` met in any orchestrator runs that package's script in its directory.
    const packages = packageRuns(context, (abs) => {
      const checked = confinement.check(abs);
      if (!checked.ok || checked.kind !== 'dir') return [];
      try {
        return fs
          .readdirSync(abs, { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => e.name)
          .sort();
      } catch {
        return [];
      }
    });
    const parameters = {
      ...(options.scriptArgs ? { args: options.scriptArgs } : {}),
      ...(options.env ? { env: options.env } : {}),
      readScript,
      readFile,
      runPackage: packages.run,
    };
    /** The orchestrator as a shell script: a script as it is, a file run with a target as running it does. */
    const readOrchestrator = (name: string, target: string | null): Orchestration => {
      const kind = orchestratorKind(name);
      return isTargetKind(kind) ? kind.read(context, name, target) : kind.read(context, name);
    };
    // A script's arguments are its `$1`…; a file run with a target takes them as the target and its variables.
    // npm runs a package's scripts in the package's directory (web/package.json: in web/).
    const scriptParameters = (name: string) =>
      orchestratorKind(name).kind === 'script'
        ? parameters
        : {
            ...(options.env ? { env: options.env } : {}),
            readScript,
            readFile,
            runPackage: packages.run,
            ...(orchestratorKind(name).kind === 'npm' ? { cwd: path.dirname(path.join(root, name)) } : {}),
          };
    /**
     * What an orchestrator does, analysed silently (diagnostics come only from the one restage
     * migrates): its shape, the scripts it sources or runs, and how many events it has.
     */
    const silently = (
      name: string,
      shell: ShellParse | null,
      args?: readonly string[],
      followed: readonly string[] = [],
    ) => {
      if (!shell?.script) return { shape: scriptShape(null), included: followed, events: 0 };
      const analysed = analyzeScript(shell.script, root, path.join(root, name), {
        ...scriptParameters(name),
        ...(args ? { args } : {}),
      });
      const flow = analysed.flow;
      const included = [...analysed.included, ...followed];
      const events = flow.events.length;
      const builds = flow.events.filter((e) => e.kind === 'build');
      if (builds.length === 0) return { shape: scriptShape({ builds: 0, consumptions: 0 }), included, events };
      const dockerfiles = new Map<string, ParsedDockerfile>();
      for (const b of builds) {
        const t = readText(b.dockerfile);
        if (t !== null) dockerfiles.set(b.dockerfile, parseDockerfile(display(b.dockerfile), t).dockerfile);
      }
      const host = hostOf(flow, dockerfiles);
      const match = matchArtifacts({ flow, root, host, dockerfiles, display, scriptFailed: true });
      return {
        shape: scriptShape({ builds: builds.length, consumptions: match.consumptions.length }),
        included,
        events,
      };
    };
    const goals = new Map<string, GoalChoice>();
    /** The target a file is run with: the one given, else the one that builds the runtime image. */
    const goalOf = (name: string, kind: TargetKind): GoalChoice => {
      const known = goals.get(name);
      if (known) return known;
      const given = kind.given(context);
      const listed = given ? null : kind.targets(context, name);
      const choice: GoalChoice = given
        ? { goal: given.target, why: given.why }
        : !listed
          ? { goal: null, why: 'unreadable' }
          : chooseGoal(
              listed.defaultTarget,
              listed.targets,
              (goal) => {
                const o = readOrchestrator(name, goal);
                return { shape: silently(name, o.shell).shape, lines: o.lines };
              },
              kind.noun,
            );
      goals.set(name, choice);
      return choice;
    };
    const targetOf = (name: string): string | null => {
      const kind = orchestratorKind(name);
      return isTargetKind(kind) ? goalOf(name, kind).goal : null;
    };
    const chooserView = new Map<string, ReturnType<typeof silently>>();
    const viewReads = new Map<string, ReturnType<typeof readOrchestrator>>();
    const viewRead = (name: string) => {
      if (!viewReads.has(name)) viewReads.set(name, readOrchestrator(name, targetOf(name)));
      return viewReads.get(name)!;
    };
    const viewShell = (name: string): ShellParse | null => viewRead(name).shell;
    const viewOf = (name: string) => {
      if (!chooserView.has(name)) {
        const o = viewRead(name);
        chooserView.set(name, silently(name, o.shell, undefined, o.included));
      }
      return chooserView.get(name)!;
    };
    const shapeOf = (name: string) => viewOf(name).shape;
    // A script another candidate sources or runs is part of that one's pipeline, no candidate of its own.
    const orchestrators = [...found.scripts, ...found.makefiles, ...found.packages];
    // A dispatching script runs its sub-scripts in the branches (`case "$1" in release) ./scripts/x.sh`): each branch counts.
    const calledBy = (o: string): readonly string[] => {
      const shell = orchestratorKind(o).kind === 'script' && options.scriptArgs === undefined ? viewShell(o) : null;
      const words = shell?.script ? dispatchWords(shell.script).words : [];
      return [...viewOf(o).included, ...words.flatMap((w) => silently(o, shell, [w]).included)];
    };
    const called = orchestrators.length > 1 ? new Set(orchestrators.flatMap(calledBy)) : new Set<string>();
    let choice: ScriptChoice;
    if (options.script !== undefined) {
      const abs = path.resolve(root, options.script);
      choice = namedScript(options.script, root, abs, confinement.check(abs), display);
    } else
      choice = chooseScript(
        orchestrators.filter((o) => !called.has(path.join(root, o))),
        shapeOf,
        rel,
      );
    diagnostics.push(...choice.diagnostics);
    const scriptName = choice.script;
    // A package another candidate runs (`npm --prefix web run build`) is part of that one's pipeline.
    for (const m of [...found.makefiles, ...found.packages])
      if (m !== scriptName && !(found.packages.includes(m) && called.has(path.join(root, m))))
        files.push({ path: rel(m), role: 'other-orchestrator' });
    if (!scriptName) {
      for (const d of found.dockerfiles) {
        files.push({ path: rel(d), role: 'dockerfile' });
        parseAt(path.join(root, d));
      }
      if (found.scripts.length + found.makefiles.length + found.packages.length === 0)
        diagnostics.push(noOrchestrator(found, rel, display(root)));
      return finish(migrationStatus(diagnostics, false));
    }
    script = path.join(root, scriptName);
    files.push({ path: rel(scriptName), role: 'orchestrator' });
    const kind = orchestratorKind(scriptName);
    const targeted = isTargetKind(kind);
    const goal = isTargetKind(kind) ? goalOf(scriptName, kind) : null;
    const orchestrator = readOrchestrator(scriptName, goal?.goal ?? null);
    const shell = orchestrator.shell ?? parseShell(rel(scriptName), '');
    diagnostics.push(...shell.diagnostics, ...orchestrator.diagnostics);
    if (isTargetKind(kind) && goal?.goal != null) {
      if (kind.kind === 'make') make = { goal: goal.goal, args: makeArguments(context) };
      else npm = { script: goal.goal, packages: orchestrator.packages ?? [] };
      diagnostics.push(
        diagnostic(
          kind.followedCode,
          kind.targetAt(context, scriptName, goal.goal) ?? { file: rel(scriptName), line: 1, column: 1 },
          `restage followed \`${kind.commandLine(context, goal.goal)}\`: ${goal.why}; ${kind.otherTarget}`,
        ),
      );
    }
    if (!shell.script) {
      for (const d of found.dockerfiles) files.push({ path: rel(d), role: 'dockerfile' });
      return finish('error');
    }
    // `case "$1" in build) …`: without --script-arg, the argument whose branch is the builder pattern.
    let dispatched: readonly string[] | undefined;
    const dispatch =
      kind.kind === 'script' && options.scriptArgs === undefined && shell.script ? dispatchWords(shell.script) : null;
    if (dispatch && dispatch.words.length > 0 && viewOf(scriptName).shape !== 'pipeline') {
      const picked = chooseGoal(null, dispatch.words, (word) => {
        const seen = silently(scriptName, shell, [word]);
        return { shape: seen.shape, lines: seen.events };
      });
      if (picked.goal !== null && dispatch.at) {
        dispatched = [picked.goal];
        const others = dispatch.words.filter((w) => w !== picked.goal);
        diagnostics.push(
          diagnostic(
            'RS114',
            { file: rel(scriptName), ...dispatch.at },
            `restage followed \`${rel(scriptName)} ${picked.goal}\`: the branch of this case that builds the runtime image${others.length > 0 ? ` (of ${[picked.goal, ...others].join(', ')})` : ''}; --script-arg picks another, and verify runs the script with ${picked.goal}`,
          ),
        );
      }
    }
    scriptArgs = dispatched ?? null;
    const { flow, diagnostics: flowDiagnostics } = analyzeScript(shell.script, root, path.join(root, scriptName), {
      ...scriptParameters(scriptName),
      ...(dispatched ? { args: dispatched } : {}),
    });
    // A generated script is restage's own: its locations are moved back to the lines they came from.
    orchestrator.relocate(flow);
    orchestrator.relocate(flowDiagnostics);
    packages.relocate(flow);
    packages.relocate(flowDiagnostics);
    diagnostics.push(...flowDiagnostics.map((d) => ({ ...d })));

    const inputs = checkBuildInputs(flow, confinement, display);
    diagnostics.push(...inputs.diagnostics);
    for (const event of flow.events) {
      if (event.kind === 'build' && inputs.readable.has(event.dockerfile)) parseAt(event.dockerfile);
    }
    diagnostics.push(...missingDockerfiles(flow, inputs.readable, parsedFiles, display));
    diagnostics.push(...checkCopySources(flow, parsedFiles, confinement));
    const host = hostOf(flow, parsedFiles);
    const ignores = host.buildIgnores;
    const match = matchArtifacts({
      flow,
      root,
      host,
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
      staged: match.staged,
      dockerfiles: parsedFiles,
      diagnostics,
    };
    files.push(...dockerfileRoles(analysis, files, display));

    // A Makefile has other targets (clean, test, push), a dispatching script other branches: the
    // migration makes one recipe or branch obsolete, not the file.
    const stays = targeted || dispatched !== undefined;
    const kept = (obsolete: readonly string[]) => (stays ? obsolete.filter((f) => f !== rel(scriptName)) : obsolete);
    const settled = nothingToMigrate(analysis, diagnostics, rel(scriptName), display, stays);
    if (settled) {
      diagnostics.splice(0, diagnostics.length, ...settled.diagnostics);
      return finish(migrationStatus(diagnostics, false), { obsolete: settled.obsolete });
    }
    if (hasErrors(diagnostics) || !match.runtime) return finish('error');
    const output = options.output ? path.resolve(options.output) : match.runtime.dockerfile;
    // No .dockerignore filtered a context streamed to `docker build -` (src/analyze/build-stdin.ts): the legacy
    // build saw none there. Unless every context lies within it (it is then the merged context, whose own file
    // applies to the one build; the analysis declined each source of the streamed build that file leaves out).
    const contexts = flow.events.flatMap((e) => (e.kind === 'build' ? [e] : []));
    const unfiltered = new Set(
      contexts
        .filter((b) => b.streamed && !contexts.every((c) => isWithin(c.context, b.context)))
        .map((b) => b.context),
    );
    const tree: ContextTree = {
      text: readText,
      entries: (dir) => contextEntries(confinement, dir),
      ignoreOf: (build) => {
        const ignore = ignores?.get(build);
        if (unfiltered.has(build.context)) return null;
        return ignore && 'file' in ignore ? ignore.file : path.join(build.context, '.dockerignore');
      },
    };
    plan = planMigration(analysis, { root, output, display, tree });
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
    // The result's stages carry the documented fields alone (schema/restage-result.schema.json).
    const stages = plan.stages.map(({ name, from, source }) => ({ name, from, source }));
    if (hasErrors(diagnostics)) return finish('error', { stages, artifacts });
    // A merged file's findings are the emitted file's: on what the migration keeps of it, and on what it wrote.
    const emitted = emitDockerfileWithOrigins(plan);
    const merged = new Set(plan.files.map((f) => f.dockerfile.file));
    const unmerged = diagnostics.filter((d) => !(legacyLint.has(d) && merged.has(d.file)));
    diagnostics.splice(0, diagnostics.length, ...unmerged, ...lintEmitted(emitted, display(output)));
    return finish(migrationStatus(diagnostics, true), {
      stages,
      artifacts,
      dockerfile: emitted.text,
      ...(plan.dockerignore
        ? {
            dockerignore: {
              path: display(plan.dockerignore.path),
              text: plan.dockerignore.text,
              exists: plan.dockerignore.previous !== null,
            },
          }
        : {}),
      buildCommand: plan.buildCommand,
      // A build script the orchestrator runs (`node scripts/build.js` of an npm script) is all pipeline, like a script run as it is.
      obsolete: kept(obsoleteFiles([...plan.obsolete, ...(orchestrator.included ?? []).map(display)], diagnostics)),
      target: display(output),
    });
  }
}
