/**
 * Analysis → StagePlan: names the stages, turns artifact COPYs into COPY --from, pins ownership,
 * places ARGs, merges build contexts and writes the replacement `docker build` command.
 * Pure: no file system, no engine.
 */
import path from 'node:path';
import { diagnostic, type Diagnostic } from '../model/diagnostic.js';
import type { Instruction, ParsedDockerfile, Stage } from '../model/dockerfile.js';
import type { ImageBuild } from '../model/flow.js';
import type { Analysis, Consumption } from '../model/analysis.js';
import type { PlannedFile, PlannedStage, StagePlan, TextEdit } from '../model/plan.js';
import { imageKey } from '../shared/image-ref.js';
import { lineStartOf } from '../shared/text-position.js';
import { isContextSource, readsContext } from '../shared/context-copy.js';
import { buildArgCollisions, hoistGlobalArgs } from './args.js';
import { buildCommand } from './command.js';
import { copyEdits, type CopySource } from './copies.js';
import { nameStage, StageNames } from './names.js';
import { pinnedOwnership } from './ownership.js';
import { planModes } from './modes.js';
import { planRunStages } from './run-stage.js';

export interface PlanOptions {
  readonly root: string;
  /** Absolute path the migrated Dockerfile is written to (or would be). */
  readonly output: string;
  readonly display: (absolutePath: string) => string;
  /** Absolute paths of the `.dockerignore` files present in the build contexts (RS505). */
  readonly dockerignores: ReadonlySet<string>;
}

interface BuilderPlan {
  build: ImageBuild;
  file: ParsedDockerfile;
  stage: Stage;
  name: string;
  chown: boolean;
}

export function planMigration(analysis: Analysis, options: PlanOptions): StagePlan | null {
  const runtime = analysis.runtime;
  const runtimeFile = runtime && analysis.dockerfiles.get(runtime.dockerfile);
  if (!runtime || !runtimeFile) return null;
  const diagnostics: Diagnostic[] = [];
  const uses = analysis.consumptions.filter((c) => c.build === runtime);

  const builderBuilds: ImageBuild[] = [];
  for (const u of uses) {
    const source = u.artifact.source;
    if (
      source.kind === 'build' &&
      !builderBuilds.includes(source.build) &&
      analysis.dockerfiles.has(source.build.dockerfile)
    )
      builderBuilds.push(source.build);
  }
  const builderFiles = builderBuilds.map((b) => analysis.dockerfiles.get(b.dockerfile)!);
  const names = new StageNames(
    [...builderFiles, runtimeFile].flatMap((f) => f.stages.map((s) => s.name).filter((n): n is string => n !== null)),
  );

  const edits = new Map<ParsedDockerfile, TextEdit[]>();
  const editsOf = (f: ParsedDockerfile): TextEdit[] => {
    if (!edits.has(f)) edits.set(f, []);
    return edits.get(f)!;
  };
  const stages: PlannedStage[] = [];

  const builders: BuilderPlan[] = builderBuilds.map((build, i) => {
    const file = builderFiles[i]!;
    const target = build.target?.toLowerCase();
    const stage =
      (target ? file.stages.find((s) => s.name === target) : undefined) ?? file.stages[file.stages.length - 1]!;
    const name = names.claim(builderBuilds.length === 1 ? 'builder' : roleFromTag(build, i), stage.name);
    if (!stage.name) editsOf(file).push(nameStage(file, stage.from, name));
    const pinned = pinnedOwnership(file, stage);
    diagnostics.push(diagnostic('RS501', { file: file.file, line: pinned.line, column: 1 }, pinned.message));
    return { build, file, stage, name, chown: true };
  });
  for (const b of builders) {
    for (const s of b.file.stages) {
      stages.push({
        name: s === b.stage ? b.name : (s.name ?? `${b.name}-stage-${s.index}`),
        from: s.image,
        source: b.file.file,
        role: s === b.stage ? 'builder' : 'other',
      });
    }
  }

  const baseSource = (c: Consumption) => {
    const src = c.artifact.source;
    if (src.kind === 'image') return { source: { ref: src.image, chown: true }, stageName: null, noShell: false };
    const b = builders.find((x) => x.build === src.build)!;
    return {
      source: { ref: b.name, chown: b.chown },
      stageName: b.name,
      noShell: b.stage.image.toLowerCase() === 'scratch',
    };
  };
  const context = mergeContexts(runtime, builders, runtimeFile, editsOf, uses, diagnostics, options);
  const runs = planRunStages(uses, baseSource, runtimeFile, names, context, options.display, diagnostics);
  const modes = planModes(uses, runs.sourceOf, runtimeFile, names, diagnostics);
  stages.push(...runs.stages, ...modes.stages);
  // Insertions at one offset land in reverse order of the edits: the run stages go before the modes stages.
  editsOf(runtimeFile).push(...modes.edits, ...runs.edits);
  const sourceOf: (c: Consumption) => CopySource = modes.sourceOf;
  const finalStage = runtimeFile.stages[runtimeFile.stages.length - 1]!;
  const runtimeName = names.claim('runtime', finalStage.name);
  for (const s of runtimeFile.stages) {
    const builderOfImage = builders.find((b) => b.build.tags.some((t) => imageKey(t) === imageKey(s.image)));
    if (builderOfImage) {
      const token = s.from.args.find((a) => a.raw === s.image);
      if (token) editsOf(runtimeFile).push({ start: token.start, end: token.end, text: builderOfImage.name });
    }
    if (s === finalStage && !s.name) editsOf(runtimeFile).push(nameStage(runtimeFile, s.from, runtimeName));
    stages.push({
      name: s === finalStage ? runtimeName : (s.name ?? `stage-${s.index}`),
      from: builderOfImage ? builderOfImage.name : s.image,
      source: runtimeFile.file,
      role: s === finalStage ? 'runtime' : 'other',
    });
  }

  const byInstruction = new Map<Instruction, Consumption[]>();
  for (const u of uses) byInstruction.set(u.instruction, [...(byInstruction.get(u.instruction) ?? []), u]);
  for (const [inst, list] of byInstruction)
    editsOf(runtimeFile).push(...copyEdits(runtimeFile, inst, list, sourceOf, diagnostics));
  if (uses.some((u) => u.artifact.source.kind === 'image')) {
    const u = uses.find((x) => x.artifact.source.kind === 'image')!;
    diagnostics.push(
      diagnostic(
        'RS501',
        u.artifact.copyOut.at,
        `the artifact comes from the image ${baseSource(u).source.ref}, which the script does not build; restage copies it with COPY --from=${sourceOf(u).ref} --chown=0:0 (its user is unknown)`,
      ),
    );
  }

  const firstBuilder = builderFiles[0] ?? runtimeFile;
  const hoist =
    firstBuilder === runtimeFile
      ? { lines: [], removals: [] }
      : hoistGlobalArgs(firstBuilder, runtimeFile, diagnostics);
  editsOf(runtimeFile).push(...hoist.removals);
  buildArgCollisions(
    [...builders.map((b) => ({ build: b.build, file: b.file })), { build: runtime, file: runtimeFile }],
    diagnostics,
  );

  const directives = planDirectives([...builderFiles, runtimeFile], editsOf, diagnostics);

  const ordered = [...new Set([...builderFiles, runtimeFile])];
  const files: PlannedFile[] = ordered.map((f) => ({ dockerfile: f, edits: edits.get(f) ?? [] }));
  const obsolete = [
    analysis.flow.script,
    ...builderFiles.filter((f) => f !== runtimeFile).map((f) => f.file),
    ...builderBuilds.flatMap((b) => b.tags.map((t) => `image ${t}`)),
  ];
  return {
    stages,
    files,
    hoistedArgs: hoist.lines,
    directives,
    buildCommand: buildCommand({
      root: options.root,
      runtime,
      builders: builderBuilds,
      dockerfile: options.output,
      context,
    }),
    context,
    obsolete: [...new Set(obsolete)],
    diagnostics,
  };
}

function roleFromTag(build: ImageBuild, index: number): string {
  const tag = build.tags[0];
  if (!tag) return `builder-${index + 1}`;
  const repo = tag
    .split('/')
    .pop()!
    .split(':')[0]!
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return repo && repo !== 'scratch' && repo !== 'context' ? repo : `builder-${index + 1}`;
}

/**
 * One build has one context. When the builds used different ones, the merged context is their
 * common ancestor and every context-relative COPY/ADD source is re-rooted (RS503); a
 * .dockerignore of a context that is not the merged one stops applying (RS505).
 */
function mergeContexts(
  runtime: ImageBuild,
  builders: readonly BuilderPlan[],
  runtimeFile: ParsedDockerfile,
  editsOf: (f: ParsedDockerfile) => TextEdit[],
  uses: readonly Consumption[],
  diagnostics: Diagnostic[],
  options: PlanOptions,
): string {
  const contexts = [runtime.context, ...builders.map((b) => b.build.context)];
  let merged = contexts[0]!;
  for (const c of contexts)
    while (!(c === merged || c.startsWith(merged.endsWith('/') ? merged : `${merged}/`))) merged = path.dirname(merged);
  if (contexts.every((c) => c === merged)) return merged;
  const consumed = new Set(uses.map((u) => `${u.instruction.start}:${u.sourceIndex}`));
  const sides = [
    { file: runtimeFile, context: runtime.context },
    ...builders.map((b) => ({ file: b.file, context: b.build.context })),
  ];
  for (const { file, context } of sides) {
    if (context === merged) continue;
    const prefix = path.relative(merged, context);
    let rewrote = 0;
    for (const inst of file.instructions) {
      if (!readsContext(inst)) continue;
      inst.args.slice(0, -1).forEach((token, i) => {
        if (file === runtimeFile && consumed.has(`${inst.start}:${i}`)) return;
        if (!isContextSource(token.raw)) return;
        const rerooted = path.posix.join(prefix, token.raw) + (token.raw.endsWith('/') ? '/' : '');
        editsOf(file).push({
          start: token.start,
          end: token.end,
          text: inst.jsonForm ? JSON.stringify(rerooted) : rerooted,
        });
        rewrote++;
      });
    }
    if (rewrote > 0) {
      diagnostics.push(
        diagnostic(
          'RS503',
          { file: file.file, line: 1, column: 1 },
          `${file.file} was built with the context ${options.display(context) || '.'}, the merged build uses ${options.display(merged) || '.'}; restage prefixed its ${rewrote} COPY/ADD source${rewrote === 1 ? '' : 's'} with ${prefix}/`,
        ),
      );
    }
    const ignore = path.join(context, '.dockerignore');
    if (options.dockerignores.has(ignore)) {
      diagnostics.push(
        diagnostic(
          'RS505',
          { file: options.display(ignore), line: 1, column: 1 },
          `this .dockerignore applied to the context ${options.display(context)}, which is no longer a build context; merge its patterns (prefixed with ${prefix}/) into ${options.display(path.join(merged, '.dockerignore'))}`,
        ),
      );
    }
  }
  return merged;
}

/**
 * `# syntax=` makes BuildKit fetch a frontend from a registry (it fails offline), so it is
 * dropped (RS506); `# escape=` must agree between the files and is kept once at the top.
 */
function planDirectives(
  files: readonly ParsedDockerfile[],
  editsOf: (f: ParsedDockerfile) => TextEdit[],
  diagnostics: Diagnostic[],
): string[] {
  const escapes = new Set(files.map((f) => f.escapeChar));
  if (escapes.size > 1) {
    const f = files.find((x) => x.escapeChar !== '\\')!;
    diagnostics.push(
      diagnostic(
        'RS204',
        { file: f.file, line: 1, column: 1 },
        `${f.file} uses the escape character ${f.escapeChar} and the other Dockerfile uses another; one Dockerfile has one escape character: make them agree and run restage again`,
      ),
    );
  }
  const kept: string[] = [];
  for (const f of files) {
    for (const d of f.directives) {
      const lineEnd = f.text.indexOf('\n', d.span.start);
      editsOf(f).push({
        start: lineStartOf(f.text, d.span.start),
        end: lineEnd < 0 ? f.text.length : lineEnd + 1,
        text: '',
      });
      if (d.name === 'escape' && kept.length === 0) kept.push(`# escape=${d.value}`);
      if (d.name === 'syntax') {
        diagnostics.push(
          diagnostic(
            'RS506',
            { file: f.file, line: d.span.line, column: 1 },
            `the parser directive "# syntax=${d.value}" is dropped: it makes BuildKit fetch a frontend image from a registry, and the plain Dockerfile features restage emits need none`,
          ),
        );
      }
    }
  }
  return kept;
}
