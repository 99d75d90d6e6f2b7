/**
 * Analysis → StagePlan: names the stages, turns artifact COPYs into COPY --from, pins ownership,
 * places ARGs, merges build contexts and writes the replacement `docker build` command.
 * Pure: no file system, no engine.
 */
import path from 'node:path';
import { diagnostic, type Diagnostic } from '../model/diagnostic.js';
import type { Instruction, ParsedDockerfile, Stage, Token } from '../model/dockerfile.js';
import type { Builder, ImageBuild } from '../model/flow.js';
import type { Analysis, Consumption, StagedSource } from '../model/analysis.js';
import type { PlannedFile, PlannedStage, StagePlan, TextEdit } from '../model/plan.js';
import { imageKey } from '../shared/image-ref.js';
import { lineStartOf } from '../shared/text-position.js';
import { isContextSource, readsContext } from '../shared/context-copy.js';
import { buildArgCollisions, hoistGlobalArgs, renameBuildArgs } from './args.js';
import { buildCommand, mergedBuilder } from './command.js';
import { copyEdits, pathInPlace, written, type CopySource, type PathValue } from './copies.js';
import { nameStage, StageNames } from './names.js';
import { pinnedOwnership } from './ownership.js';
import { planModes } from './modes.js';
import { toolInStage, toolLackedInStage } from './tools.js';
import { planRunStages } from './run-stage.js';
import { planDockerignore, type ContextRead, type ContextTree } from './dockerignore.js';
import { dockerfileIgnorePath } from '../analyze/build-ignore.js';
import { parseDockerignore, ruleText } from '../analyze/dockerignore.js';

export interface PlanOptions {
  readonly root: string;
  /** Absolute path the migrated Dockerfile is written to (or would be). */
  readonly output: string;
  readonly display: (absolutePath: string) => string;
  /**
   * The tree before the script runs, for the merged context's `.dockerignore` (src/plan/dockerignore.ts);
   * absent: no directory has a `.dockerignore`.
   */
  readonly tree?: ContextTree;
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
  const dockerfiles = analysis.dockerfiles;
  const events = analysis.flow.events;
  /** The image a build of the script made under this name before `before` ran, if restage read its Dockerfile. */
  const builtBefore = (image: string, before: ImageBuild): ImageBuild | undefined => {
    const key = imageKey(image);
    const earlier = events.slice(0, events.indexOf(before));
    return earlier
      .filter((e): e is ImageBuild => e.kind === 'build' && e.tags.some((t) => imageKey(t) === key))
      .filter((e) => dockerfiles.has(e.dockerfile))
      .pop();
  };
  const stageOf = (build: ImageBuild, file: ParsedDockerfile) => {
    const target = build.target?.toLowerCase();
    return (target ? file.stages.find((s) => s.name === target) : undefined) ?? file.stages[file.stages.length - 1]!;
  };
  /**
   * The builds a build depends on, each a stage of the merged file: those its consumed artifacts
   * come from, and those whose image one of its stages starts FROM (a chained builder, a runtime
   * FROM the builder image). A stage the build does not reach (after its target) is not followed.
   */
  const dependencies = (build: ImageBuild): ImageBuild[] => {
    const file = dockerfiles.get(build.dockerfile);
    if (!file) return [];
    const fromArtifacts = analysis.consumptions
      .filter((c) => c.build === build)
      .flatMap((c) =>
        c.artifact.source.kind === 'build' && dockerfiles.has(c.artifact.source.build.dockerfile)
          ? [c.artifact.source.build]
          : [],
      );
    const fromImages = file.stages.flatMap((s) => {
      const b = builtBefore(s.image, build);
      return b ? [b] : [];
    });
    return [...new Set([...fromArtifacts, ...fromImages])];
  };
  const builderBuilds: ImageBuild[] = [];
  const visiting = new Set<ImageBuild>();
  const visit = (build: ImageBuild): void => {
    if (build === runtime || builderBuilds.includes(build) || visiting.has(build)) return;
    visiting.add(build);
    dependencies(build).forEach(visit);
    builderBuilds.push(build);
  };
  dependencies(runtime).forEach(visit);
  /** Builds whose artifacts reach a consumer: their copies get --chown=0:0 (RS501). */
  const sources = new Set(
    analysis.consumptions
      .filter((c) => c.build === runtime || builderBuilds.includes(c.build))
      .flatMap((c) => (c.artifact.source.kind === 'build' ? [c.artifact.source.build] : [])),
  );
  const uses = analysis.consumptions.filter((c) => c.build === runtime || builderBuilds.includes(c.build));
  const builderFiles = builderBuilds.map((b) => dockerfiles.get(b.dockerfile)!);
  const names = new StageNames(
    [...builderFiles, runtimeFile].flatMap((f) => f.stages.map((s) => s.name).filter((n): n is string => n !== null)),
  );

  // One Dockerfile cannot hold two stages of one name: the classic builder refuses it ("a stage
  // name already used") and BuildKit's COPY --from takes the later one (measured on docker 20.10;
  // RS210 in src/lint/duplicate-stage-name.ts). Renaming a stage and every reference is not done.
  const named = new Map<string, ParsedDockerfile>();
  for (const f of new Set([...builderFiles, runtimeFile]))
    for (const s of f.stages) {
      if (!s.name) continue;
      const other = named.get(s.name);
      if (!other) named.set(s.name, f);
      else if (other !== f) {
        const at = s.from.args[s.from.args.length - 1] ?? s.from;
        diagnostics.push(
          diagnostic(
            'RS511',
            { file: f.file, line: at.line, column: at.column },
            `${f.file} names a stage \`${s.name}\`, and so does ${other.file}: the one Dockerfile would hold two stages of that name, which the classic builder refuses and BuildKit resolves to the later one; rename the stage in one file (and every FROM and --from that names it) and run restage again`,
          ),
        );
      }
    }

  const edits = new Map<ParsedDockerfile, TextEdit[]>();
  const editsOf = (f: ParsedDockerfile): TextEdit[] => {
    if (!edits.has(f)) edits.set(f, []);
    return edits.get(f)!;
  };
  const stages: PlannedStage[] = [];

  const builders: BuilderPlan[] = builderBuilds.map((build, i) => {
    const file = builderFiles[i]!;
    const stage = stageOf(build, file);
    const name = names.claim(builderBuilds.length === 1 ? 'builder' : roleFromTag(build, i), stage.name);
    if (!stage.name) editsOf(file).push(nameStage(file, stage.from, name));
    // Members of an archive ADD unpacked keep the builder's owners: no --chown for them (RS345 says so).
    if (
      sources.has(build) &&
      uses.some(
        (u) =>
          u.artifact.source.kind === 'build' &&
          u.artifact.source.build === build &&
          u.artifact.unpackedAs === undefined,
      )
    ) {
      const pinned = pinnedOwnership(file, stage);
      diagnostics.push(diagnostic('RS501', { file: file.file, line: pinned.line, column: 1 }, pinned.message));
    }
    return { build, file, stage, name, chown: true };
  });

  const baseSource = (c: Consumption) => {
    const src = c.artifact.source;
    if (src.kind === 'image') return { source: { ref: src.image, chown: true }, stageName: null, noShell: false };
    const b = builders.find((x) => x.build === src.build)!;
    return {
      source: { ref: b.name, chown: b.chown },
      stageName: b.name,
      noShell: b.stage.image.toLowerCase() === 'scratch',
      image: b.stage.image,
      tool: (name: string) => toolInStage(name, b.file, b.stage),
      lacks: (name: string) => toolLackedInStage(name, b.file, b.stage),
    };
  };
  const { context, reads } = mergeContexts(
    runtime,
    builders,
    runtimeFile,
    editsOf,
    uses,
    analysis.staged ?? [],
    diagnostics,
    options,
  );
  // The run stages (a container's commands, src/plan/run-stage.ts) and then the post-processing
  // stages of each consuming file go before its first consuming stage; a post-processing stage of
  // an artifact a container made starts FROM that run stage.
  const consumingFiles = [...new Set(uses.map((u) => u.dockerfile))];
  const usesIn = (f: ParsedDockerfile) => uses.filter((u) => u.dockerfile === f);
  const runPlans = new Map(
    consumingFiles.map((f) => [
      f,
      planRunStages(usesIn(f), baseSource, f, names, context, options.display, diagnostics),
    ]),
  );
  const modePlans = new Map(
    consumingFiles.map((f) => [f, planModes(usesIn(f), runPlans.get(f)!.sourceOf, f, names, diagnostics)]),
  );
  // Insertions at one offset land in reverse order of the edits: the run stages go before the modes stages.
  for (const f of consumingFiles) editsOf(f).push(...modePlans.get(f)!.edits, ...runPlans.get(f)!.edits);
  const sourceOf: (c: Consumption) => CopySource = (c) => modePlans.get(c.dockerfile)!.sourceOf(c);

  /** Builds a stage of the merged file starts FROM: their image config reaches that stage. */
  const derived = new Set<ImageBuild>();
  /** A stage FROM an image an earlier build of the script made: that build's stage (RS354). */
  const fromBuilder = (build: ImageBuild, file: ParsedDockerfile, s: Stage): string | null => {
    const made = builtBefore(s.image, build);
    const b = made && builders.find((x) => x.build === made);
    if (!b) return null;
    derived.add(b.build);
    const token = s.from.args.find((a) => a.raw === s.image);
    if (token) editsOf(file).push({ start: token.start, end: token.end, text: b.name });
    diagnostics.push(
      diagnostic(
        'RS354',
        { file: file.file, line: s.from.line, column: s.from.column },
        `FROM ${s.image} is the image the script builds from ${b.file.file} (${made.at.file}:${made.at.line}); in the merged Dockerfile it is that stage: FROM ${b.name}`,
      ),
    );
    return b.name;
  };
  const withPost = (f: ParsedDockerfile, list: PlannedStage[]) => {
    const r = runPlans.get(f);
    const m = modePlans.get(f);
    if (r && r.stages.length > 0) list = [...list.slice(0, r.before), ...r.stages, ...list.slice(r.before)];
    if (!m || m.stages.length === 0) return list;
    const at = m.before + (r && r.before <= m.before ? r.stages.length : 0);
    return [...list.slice(0, at), ...m.stages, ...list.slice(at)];
  };
  /**
   * `--target`: the legacy build never built the builder file's stages after its target (the
   * classic builder builds the stages up to the target, BuildKit those the target needs), while
   * the merged build, whose target is the runtime, would build them all under the classic builder
   * (a `RUN` that fails there, a test stage, would fail it). No stage up to the target can name a
   * later one, so they are cut from the merged file: by file, where the cut starts.
   */
  const unbuilt = new Map<ParsedDockerfile, number>();
  for (const b of builders) {
    const next = b.file.stages[b.stage.index + 1];
    if (b.build.target && next && b.file !== runtimeFile && builders.filter((x) => x.file === b.file).length === 1)
      unbuilt.set(
        b.file,
        lineEndAfter(b.file.text, (b.stage.instructions[b.stage.instructions.length - 1] ?? b.stage.from).end),
      );
    if (runtime.platform && !b.build.platform)
      diagnostics.push(
        diagnostic(
          'RS355',
          b.build.at,
          `this build of ${b.file.file} had no --platform, so it ran for the engine's own platform, but the one build takes the runtime build's --platform ${runtime.platform} (${runtime.at.file}:${runtime.at.line}) for every stage: if the engine's platform is not ${runtime.platform}, add --platform=<the engine's platform> to the FROM lines of ${b.file.file}'s stages in the merged Dockerfile`,
        ),
      );
    if (b.build.platform && b.build.platform !== runtime.platform) {
      for (const s of b.file.stages.slice(0, b.stage.index + 1)) {
        // A stage FROM an earlier stage has that stage's platform already.
        if (
          s.from.flags.some((f) => f.name === 'platform') ||
          b.file.stages.some((p) => p.index < s.index && p.name === s.image.toLowerCase())
        )
          continue;
        const at = s.from.keywordSpan.end;
        editsOf(b.file).push({ start: at, end: at, text: ` --platform=${b.build.platform}` });
      }
    }
  }
  for (const b of builders) {
    const list = b.file.stages
      .filter((s) => !(unbuilt.has(b.file) && s.index > b.stage.index))
      .map((s) => ({
        name: s === b.stage ? b.name : (s.name ?? `${b.name}-stage-${s.index}`),
        from: fromBuilder(b.build, b.file, s) ?? s.image,
        source: b.file.file,
        role: s === b.stage ? ('builder' as const) : ('other' as const),
      }));
    stages.push(...withPost(b.file, list));
  }
  const finalStage = runtimeFile.stages[runtimeFile.stages.length - 1]!;
  const runtimeName = names.claim('runtime', finalStage.name);
  const runtimeStages: PlannedStage[] = [];
  for (const s of runtimeFile.stages) {
    const from = fromBuilder(runtime, runtimeFile, s);
    if (s === finalStage && !s.name) editsOf(runtimeFile).push(nameStage(runtimeFile, s.from, runtimeName));
    runtimeStages.push({
      name: s === finalStage ? runtimeName : (s.name ?? `stage-${s.index}`),
      from: from ?? s.image,
      source: runtimeFile.file,
      role: s === finalStage ? 'runtime' : 'other',
    });
  }
  stages.push(...withPost(runtimeFile, runtimeStages));

  const byInstruction = new Map<Instruction, Consumption[]>();
  for (const u of uses) byInstruction.set(u.instruction, [...(byInstruction.get(u.instruction) ?? []), u]);
  for (const [inst, list] of byInstruction)
    editsOf(list[0]!.dockerfile).push(...copyEdits(list[0]!.dockerfile, inst, list, sourceOf, diagnostics));
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

  // Every later file's global ARGs go above the first FROM: in the middle of the merged file they would belong to the stage before.
  const firstBuilder = builderFiles[0] ?? runtimeFile;
  const hoist = { lines: [] as string[] };
  for (const f of [...new Set([...builderFiles.slice(1), runtimeFile])]) {
    if (f === firstBuilder) continue;
    const h = hoistGlobalArgs(firstBuilder, f, diagnostics);
    editsOf(f).push(...h.removals);
    hoist.lines.push(...h.lines.filter((l) => !hoist.lines.includes(l)));
  }
  const renamed = renameBuildArgs(
    builders,
    { build: runtime, file: runtimeFile },
    derived,
    options.display,
    diagnostics,
  );
  for (const [f, list] of renamed.edits) editsOf(f).push(...list);
  buildArgCollisions(
    [...builders.map((b) => ({ build: b.build, file: b.file })), { build: runtime, file: runtimeFile }],
    diagnostics,
    renamed.renames,
  );

  const directives = planDirectives([...builderFiles, runtimeFile], editsOf, diagnostics);
  // A stage cut from the merged file (after a builder's --target) copies nothing.
  const ignore = options.tree
    ? mergedIgnore(
        options.tree,
        options.output,
        context,
        mergedBuilder([runtime, ...builderBuilds]),
        options.display,
        (target) =>
          planDockerignore(
            context,
            [runtime, ...builderBuilds].map((b) => ({
              context: b.context,
              ignore: options.tree!.ignoreOf ? options.tree!.ignoreOf(b) : path.join(b.context, '.dockerignore'),
            })),
            reads.filter((r) => {
              const cut = unbuilt.get(r.file);
              return cut === undefined || r.offset < cut;
            }),
            options.tree!,
            options.display,
            target,
          ),
      )
    : { file: null, diagnostics: [] };
  diagnostics.push(...ignore.diagnostics);

  const ordered = [...new Set([...builderFiles, runtimeFile])];
  const files: PlannedFile[] = ordered.map((f) => {
    const cut = unbuilt.get(f);
    const list = edits.get(f) ?? [];
    return {
      dockerfile: f,
      edits:
        cut === undefined ? list : [...list.filter((e) => e.start < cut), { start: cut, end: f.text.length, text: '' }],
    };
  });
  const obsolete = [
    analysis.flow.script,
    ...builderFiles.filter((f) => f !== runtimeFile).map((f) => f.file),
    ...builderBuilds.flatMap((b) => b.tags.map((t) => `image ${t}`)),
  ];
  const copiedFrom = new Map(
    analysis.consumptions
      .filter((c) => c.artifact.copyOut.reader?.runsCommand && c.artifact.run)
      .map((c) => [c.artifact.id, sourceOf(c).ref] as const),
  );
  return {
    stages,
    files,
    copiedFrom,
    hoistedArgs: hoist.lines,
    directives,
    buildCommand: buildCommand({
      root: options.root,
      runtime,
      builders: builderBuilds,
      dockerfile: options.output,
      context,
      renames: renamed.renames,
    }),
    builder: mergedBuilder([runtime, ...builderBuilds]),
    context,
    dockerignore: ignore.file,
    obsolete: [...new Set(obsolete)],
    replacedBuilds: [...builderBuilds, runtime],
    renamedBuildArgs: Object.fromEntries(
      [...renamed.renames].flatMap(([build, map]) =>
        [...map].map(([name, to]) => [to, build.buildArgs.find((a) => a.name === name)!.value!]),
      ),
    ),
    diagnostics,
  };
}

/**
 * The ignore file the one build reads, planned. BuildKit reads `<Dockerfile>.dockerignore` beside
 * the Dockerfile it is given instead of the context's `.dockerignore`, the classic builder only
 * the latter (src/analyze/build-ignore.ts; test/e2e/dockerignore-file.test.ts). So the merged
 * rules go into the context's `.dockerignore`, which both builders read when the merged
 * Dockerfile has no ignore file of its own: a new `<Dockerfile>.dockerignore` would filter
 * nothing under the classic builder. When the merged Dockerfile's path has one already (the
 * runtime Dockerfile's, replaced in place), a BuildKit build reads that file: the rules go there.
 * With the builder left to the engine, either file may be read: restage goes on only when both
 * hold the same rules and nothing is added (RS510).
 */
function mergedIgnore(
  tree: ContextTree,
  output: string,
  context: string,
  builder: Builder | null,
  display: (absolutePath: string) => string,
  plan: (target: string) => ReturnType<typeof planDockerignore>,
): ReturnType<typeof planDockerignore> {
  const contextFile = path.join(context, '.dockerignore');
  const own = dockerfileIgnorePath(output);
  const ownText = tree.text(own);
  if (ownText === null || builder === 'classic') return plan(contextFile);
  if (builder === 'buildkit') return plan(own);
  const planned = plan(contextFile);
  const differ =
    parseDockerignore(ownText).map(ruleText).join('\n') !==
    parseDockerignore(tree.text(contextFile) ?? '')
      .map(ruleText)
      .join('\n');
  if (!differ && planned.file === null) return planned;
  return {
    file: null,
    diagnostics: [
      ...planned.diagnostics.filter((d) => d.code !== 'RS505'),
      diagnostic(
        'RS510',
        { file: display(own), line: 1, column: 1 },
        `the one build's Dockerfile ${display(output)} has its own ignore file ${display(own)}, which BuildKit reads instead of ${display(contextFile)} and the classic builder does not read; the build command leaves the builder to the engine, and ${
          differ
            ? 'the two files leave out different paths'
            : `the migration adds lines to ${display(contextFile)} (${planned
                .file!.text.slice(planned.file!.previous?.length ?? 0)
                .trim()
                .split('\n')
                .filter((l) => !l.startsWith('#'))
                .join(', ')})`
        }: set DOCKER_BUILDKIT=1 (or 0) on the script's builds, or merge ${display(own)} into ${display(contextFile)} and remove it, and run restage again`,
      ),
    ],
  };
}

/** The offset just past the end of the line that `offset` is on (the file's end when it has no newline). */
function lineEndAfter(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
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
 * common ancestor and every context-relative COPY/ADD source is re-rooted (RS503), `COPY .`
 * included (`COPY docker /app`: what the context `docker/` held); the merged context's
 * `.dockerignore` is planned from every source that still reads the context (`reads`, with the
 * offset of its instruction), src/plan/dockerignore.ts.
 */
function mergeContexts(
  runtime: ImageBuild,
  builders: readonly BuilderPlan[],
  runtimeFile: ParsedDockerfile,
  editsOf: (f: ParsedDockerfile) => TextEdit[],
  uses: readonly Consumption[],
  staged: readonly StagedSource[],
  diagnostics: Diagnostic[],
  options: PlanOptions,
): { context: string; reads: (ContextRead & { file: ParsedDockerfile; offset: number })[] } {
  /** A COPY/ADD source written anew in place; a shell-form word cannot hold whitespace (RS509). */
  const rewriteSource = (file: ParsedDockerfile, inst: Instruction, token: Token, p: PathValue) => {
    const text = pathInPlace(inst, p, file.escapeChar);
    if (text !== null) editsOf(file).push({ start: token.start, end: token.end, text });
    else
      diagnostics.push(
        diagnostic(
          'RS509',
          { file: file.file, line: token.line, column: token.column },
          `the merged build reads this source as ${JSON.stringify(p.value)}, which holds whitespace, and the shell form of COPY/ADD splits its words there (Docker fails on \`COPY "a b" /x\`); write this instruction in the JSON form (\`${inst.keyword} ["src", "dest"]\`) and run restage again`,
        ),
      );
  };
  const contexts = [runtime.context, ...builders.map((b) => b.build.context)];
  let merged = contexts[0]!;
  for (const c of contexts)
    while (!(c === merged || c.startsWith(merged.endsWith('/') ? merged : `${merged}/`))) merged = path.dirname(merged);
  const files = new Set([runtimeFile, ...builders.map((b) => b.file)]);
  const key = (file: ParsedDockerfile, inst: Instruction, index: number) => `${file.file}:${inst.start}:${index}`;
  // A source naming an artifact becomes a COPY --from; one holding an artifact (`COPY . /app`
  // with ./bin extracted, `within`) still copies the context, unless it is replaced whole.
  const replaced = (u: Consumption) =>
    u.within === null ||
    (u.instruction.args.length === 2 &&
      uses.filter((x) => x.instruction === u.instruction).every((x) => x.onlyArtifacts === true));
  const consumed = new Set(uses.filter(replaced).map((u) => key(u.dockerfile, u.instruction, u.sourceIndex)));
  const reads: (ContextRead & { file: ParsedDockerfile; offset: number })[] = [];
  const readOf = (file: ParsedDockerfile, inst: Instruction, i: number, build: ImageBuild, source: string) => {
    const token = inst.args[i]!;
    const { context } = build;
    const ignore = options.tree?.ignoreOf?.(build);
    reads.push({
      ...(ignore === undefined ? {} : { ignore }),
      file,
      offset: inst.start,
      at: { file: file.file, line: token.line, column: token.column },
      copy: file.text.slice(inst.start, inst.end).split('\n')[0]!,
      source,
      context,
      legacy: token.raw,
    });
  };
  // A file a staging step copied into the context from the tree is copied from the tree (src/analyze/staging.ts).
  const stagedKeys = new Set<string>();
  for (const s of staged) {
    if (!files.has(s.dockerfile)) continue;
    const token = s.instruction.args[s.sourceIndex]!;
    const source = path.relative(merged, s.origin);
    rewriteSource(s.dockerfile, s.instruction, token, { value: source });
    stagedKeys.add(key(s.dockerfile, s.instruction, s.sourceIndex));
    readOf(s.dockerfile, s.instruction, s.sourceIndex, s.build, source);
  }
  const sides = [
    { file: runtimeFile, context: runtime.context, build: runtime },
    ...builders.map((b) => ({ file: b.file, context: b.build.context, build: b.build })),
  ];
  const seen = new Set<ParsedDockerfile>();
  for (const { file, context, build } of sides) {
    // One file built twice (two targets) is one part of the merged file, re-rooted once.
    if (seen.has(file)) continue;
    seen.add(file);
    const prefix = path.relative(merged, context);
    let rewrote = 0;
    for (const inst of file.instructions) {
      if (!readsContext(inst)) continue;
      inst.args.slice(0, -1).forEach((token, i) => {
        if (consumed.has(key(file, inst, i)) || stagedKeys.has(key(file, inst, i))) return;
        const source = written(token);
        if (!isContextSource(source.value)) return;
        if (context === merged) {
          readOf(file, inst, i, build, source.value);
          return;
        }
        const rerooted = path.posix.join(prefix, source.value) + (source.value.endsWith('/') ? '/' : '');
        rewriteSource(file, inst, token, { value: rerooted, variables: true });
        readOf(file, inst, i, build, rerooted);
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
  }
  return { context: merged, reads };
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
