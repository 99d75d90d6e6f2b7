/**
 * `migrate(dir)`: discover → parse → analyze → plan → emit, reading the directory and never
 * writing. The stages below it are pure; this is where the file system is read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { diagnostic, hasErrors, sortDiagnostics, type Diagnostic } from './model/diagnostic.js';
import type { ParsedDockerfile } from './model/dockerfile.js';
import type { Analysis, HostTree } from './model/analysis.js';
import type { StagePlan } from './model/plan.js';
import type { FoundFile, MigrationResult, MigrationStatus } from './model/result.js';
import { discover } from './discover/discover.js';
import { checkBuildInputs, checkCopySources, Confinement, refusalDiagnostic } from './discover/confine.js';
import { parseDockerfile } from './parse/dockerfile.js';
import { parseShell } from './parse/shell.js';
import { analyzeScript } from './analyze/script.js';
import { matchArtifacts } from './analyze/artifacts.js';
import { dockerignore, type ContextFilter } from './analyze/dockerignore.js';
import { planMigration } from './plan/index.js';
import { emitDockerfile } from './emit/dockerfile.js';
import { lintScratchShellForm } from './lint/scratch-shell-form.js';
import type { BuildFlow } from './model/flow.js';

export interface MigrateOptions {
  /** Paths in the result are relative to this directory (default: the current directory). */
  readonly displayBase?: string;
  /** Where the migrated Dockerfile will be written (--out); default: in place of the runtime Dockerfile. */
  readonly output?: string;
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
      status, directory: dir, files, stages: [], artifacts: [], dockerfile: null, buildCommand: null, obsolete: [],
      diagnostics: sortDiagnostics(diagnostics), target: null, written: [], ...extra,
    });

    let stat: fs.Stats | undefined;
    try { stat = fs.statSync(root); } catch { /* reported below */ }
    if (!stat?.isDirectory()) {
      diagnostics.push(diagnostic('RS101', { file: display(root), line: 1, column: 1 }, stat ? 'this is a file, not a directory: give restage the directory that holds the Dockerfiles and the build script' : 'no such directory'));
      return empty('error');
    }
    // Every read below goes through the confinement: inside the directory, regular files only.
    const confinement = new Confinement(root);
    const found = discover(root, confinement);
    const rel = (name: string) => display(path.join(root, name));
    const readText = (abs: string): string | null => { const got = confinement.readText(abs); return 'text' in got ? got.text : null; };
    for (const r of found.refused) diagnostics.push(refusalDiagnostic(r.reason, { file: rel(r.name), line: 1, column: 1 }, r.name));
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
        diagnostics.push(diagnostic('RS105', { file: rel(o), line: 1, column: 1 }, `${o} runs docker, but restage analyses shell scripts only for now; move the docker steps into a build.sh (or migrate by hand) and run restage again`));
      }
    }
    for (const m of found.inertMakefiles) files.push({ path: rel(m), role: 'makefile' });

    if (found.dockerfiles.length === 0) {
      diagnostics.push(diagnostic('RS102', { file: display(root), line: 1, column: 1 },
        found.entries.length === 0 ? 'the directory is empty: there is no Dockerfile to migrate' : `there is no Dockerfile in this directory${found.scripts.length ? ` (${found.scripts.join(', ')} runs docker, but the Dockerfiles it builds are not here)` : ''}; run restage on the directory that holds the Dockerfiles`));
      for (const s of found.scripts) files.push({ path: rel(s), role: 'orchestrator' });
      return empty('error');
    }

    const scriptName = chooseScript(found.scripts, (s) => readText(path.join(root, s)) ?? '', diagnostics, rel);
    if (!scriptName) {
      for (const d of found.dockerfiles) { files.push({ path: rel(d), role: 'dockerfile' }); parseAt(path.join(root, d)); }
      return empty(hasErrors(diagnostics) ? 'error' : 'nothing-to-migrate');
    }
    files.push({ path: rel(scriptName), role: 'orchestrator' });
    const shell = parseShell(rel(scriptName), readText(path.join(root, scriptName)) ?? '');
    diagnostics.push(...shell.diagnostics);
    if (!shell.script) {
      for (const d of found.dockerfiles) files.push({ path: rel(d), role: 'dockerfile' });
      return empty('error');
    }
    const { flow, diagnostics: flowDiagnostics } = analyzeScript(shell.script, root, path.join(root, scriptName));
    diagnostics.push(...flowDiagnostics.map((d) => ({ ...d })));

    const inputs = checkBuildInputs(flow, confinement, display);
    diagnostics.push(...inputs.diagnostics);
    for (const event of flow.events) {
      if (event.kind !== 'build' || !inputs.readable.has(event.dockerfile)) continue;
      if (!parseAt(event.dockerfile)) {
        diagnostics.push(diagnostic('RS103', event.dockerfileAt, `the Dockerfile ${display(event.dockerfile)} that this build uses does not exist${event.dockerfileGiven ? ' (named by -f, which is relative to the directory the script runs in)' : ''}; fix the path and run restage again`));
      }
    }
    diagnostics.push(...checkCopySources(flow, parsedFiles, confinement));
    const tree: HostTree = { kind: (p) => { const c = confinement.check(p); return c.ok ? c.kind : null; } };
    const ignores = new Map<string, ContextFilter>();
    const ignoredIn = (context: string, p: string) => {
      if (!ignores.has(context)) ignores.set(context, dockerignore(readText(path.join(context, '.dockerignore')) ?? ''));
      return ignores.get(context)!(path.relative(context, p));
    };
    const match = matchArtifacts({ flow, root, tree, dockerfiles: parsedFiles, display, ignoredIn, scriptFailed: hasErrors(flowDiagnostics) });
    diagnostics.push(...match.diagnostics);
    analysis = { flow, artifacts: match.artifacts, consumptions: match.consumptions, runtime: match.runtime, dockerfiles: parsedFiles, diagnostics };
    recordRoles(files, flow, analysis, display);

    if (!match.runtime || copiedAlready(match.consumptions)) {
      const already = alreadyMigrated(analysis);
      if (already) {
        const obsolete = [rel(scriptName), ...flow.events.filter((e) => e.kind === 'build' && e.dockerfile !== already.dockerfile).map((e) => display((e as { dockerfile: string }).dockerfile))];
        // The script is stale: its extraction and its context COPYs no longer describe the build.
        const kept = diagnostics.filter((d) => d.code !== 'RS402' && d.code !== 'RS403');
        diagnostics.length = 0;
        diagnostics.push(...kept, diagnostic('RS504', { file: display(already.dockerfile), line: 1, column: 1 }, `this Dockerfile is already multi-stage and copies from its own stages; the script's extraction is no longer used: ${[...new Set(obsolete)].join(', ')} can go`));
        return empty(hasErrors(diagnostics) ? 'error' : 'nothing-to-migrate', { obsolete: [...new Set(obsolete)] });
      }
      if (match.artifacts.length > 0 && !hasErrors(diagnostics)) {
        diagnostics.push(diagnostic('RS106', { file: rel(scriptName), line: 1, column: 1 }, 'the script extracts artifacts, but no later `docker build` in it copies them from its context; there is nothing restage can turn into COPY --from'));
      }
      return empty(hasErrors(diagnostics) ? 'error' : 'nothing-to-migrate');
    }

    if (hasErrors(diagnostics)) return empty('error');
    const output = options.output ? path.resolve(options.output) : match.runtime.dockerfile;
    plan = planMigration(analysis, { root, output, display, exists: (p) => confinement.check(p).ok });
    if (!plan) return empty('error');
    diagnostics.push(...plan.diagnostics);
    const artifacts = summarizeArtifacts(analysis, plan.stages, display);
    if (hasErrors(diagnostics)) return empty('error', { stages: plan.stages, artifacts });
    const dockerfile = emitDockerfile(plan);
    const status: MigrationStatus = diagnostics.some((d) => d.severity === 'warning') ? 'needs-attention' : 'migrated';
    return empty(status, {
      stages: plan.stages.map(({ name, from, source }) => ({ name, from, source })),
      artifacts,
      dockerfile,
      buildCommand: plan.buildCommand,
      // Another build still takes artifacts from the script (RS108): the script and builder stay needed.
      obsolete: diagnostics.some((d) => d.code === 'RS108') ? [] : plan.obsolete,
      target: display(output),
    });
  }
}

/** Several scripts may run docker: the one that copies out of a container is the orchestrator. */
function chooseScript(scripts: readonly string[], text: (name: string) => string, diagnostics: Diagnostic[], rel: (n: string) => string): string | null {
  if (scripts.length <= 1) return scripts[0] ?? null;
  const extracting = scripts.filter((s) => /\bdocker\s+(container\s+)?cp\b/.test(text(s)));
  const chosen = extracting[0] ?? scripts[0]!;
  if (extracting.length !== 1) {
    diagnostics.push(diagnostic('RS107', { file: rel(chosen), line: 1, column: 1 }, `${scripts.join(', ')} all run docker; restage analysed ${chosen}${extracting.length > 1 ? ', the first that runs docker cp' : ''}. Run restage on a directory with one orchestrating script to be sure`));
  }
  return chosen;
}

function recordRoles(files: FoundFile[], flow: BuildFlow, analysis: Analysis, display: (p: string) => string): void {
  const builders = new Set(analysis.artifacts.flatMap((a) => (a.source.kind === 'build' ? [a.source.build.dockerfile] : [])));
  for (const e of flow.events) {
    if (e.kind !== 'build' || !analysis.dockerfiles.has(e.dockerfile)) continue;
    const role = e === analysis.runtime ? 'runtime-dockerfile' : builders.has(e.dockerfile) ? 'builder-dockerfile' : 'dockerfile';
    if (!files.some((f) => f.path === display(e.dockerfile))) files.push({ path: display(e.dockerfile), role });
  }
}

/**
 * Every artifact the runtime build still takes from its context is also copied, by the same stage,
 * from one of the file's own stages (`COPY . /app` next to restage's `COPY --from=builder /app/bin …`):
 * the file is migrated and the script is stale.
 */
function copiedAlready(consumptions: Analysis['consumptions']): boolean {
  return consumptions.length > 0 && consumptions.every((c) => {
    const stage = c.dockerfile.stages[c.instruction.stage];
    const internal = new Set(c.dockerfile.stages.map((s) => s.name).filter((n) => n !== null));
    return stage?.instructions.some((i) => i.keyword === 'COPY' && i.flags.some((f) => f.name === 'from' && internal.has((f.value ?? '').toLowerCase()))
      && i.args.slice(0, -1).some((a) => a.raw === c.containerPath)) ?? false;
  });
}

/** The runtime Dockerfile already copies from its own stages, and nothing the script extracts is used. */
function alreadyMigrated(analysis: Analysis): { dockerfile: string } | null {
  for (const e of analysis.flow.events) {
    if (e.kind !== 'build') continue;
    const f = analysis.dockerfiles.get(e.dockerfile);
    if (f && f.stages.length > 1 && f.instructions.some((i) => i.keyword === 'COPY' && i.flags.some((fl) => fl.name === 'from'))) return { dockerfile: e.dockerfile };
  }
  return null;
}

function summarizeArtifacts(analysis: Analysis, stages: readonly { name: string; source: string; role: string }[], display: (p: string) => string) {
  return analysis.artifacts.map((a) => {
    const builderFile = a.source.kind === 'build' ? analysis.dockerfiles.get(a.source.build.dockerfile)?.file : undefined;
    const stage = a.source.kind === 'image' ? a.source.image : stages.find((s) => s.role === 'builder' && s.source === builderFile)?.name ?? '';
    return {
      stage,
      path: a.containerPath,
      hostPath: display(a.hostPath),
      consumers: analysis.consumptions.filter((c) => c.artifact === a).map((c) => ({
        file: c.dockerfile.file,
        line: c.instruction.line,
        instruction: c.dockerfile.text.slice(c.instruction.start, c.instruction.end),
        dest: c.instruction.args[c.instruction.args.length - 1]?.raw ?? '',
      })),
    };
  });
}

