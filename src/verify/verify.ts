/**
 * `verify(dir)`: builds the legacy pipeline and the multi-stage Dockerfile on a real engine and
 * compares the two images, aspect by aspect. The user's tree is never touched: each side is built
 * in its own scratch copy, with unique names, and everything is removed at the end (unless kept),
 * whatever happens.
 */
import fs from 'node:fs';
import path from 'node:path';
import { analyzeDirectory } from '../migrate.js';
import { diagnostic, hasErrors, type Diagnostic } from '../model/diagnostic.js';
import type { Analysis } from '../model/analysis.js';
import type { StagePlan } from '../model/plan.js';
import type { Backend, Engine } from './engine/engine.js';
import { compareImages } from './differs/index.js';
import { gatherFacts } from './facts.js';
import { EngineFailure } from './failure.js';
import type { Progress } from './progress.js';
import { buildImage, replayLegacy, replayRefusals, scriptBuildArgs, type BuildSettings } from './replay.js';
import type { VerifyResult } from './result.js';
import { mapImage, rewriteImages, scratchArea, ScratchTree, type ImageMap } from './scratch.js';
import { Session } from './session.js';

export interface VerifyOptions {
  readonly engine: Engine;
  readonly backend?: Backend;
  /** A hand-written Dockerfile to judge instead of restage's own migration. */
  readonly dockerfile?: string;
  readonly network: string;
  readonly imageMap: ImageMap;
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly strictMtime: boolean;
  readonly ignore: readonly string[];
  readonly run: { readonly args: readonly string[]; readonly user?: string; readonly timeoutSeconds: number } | null;
  readonly keep: boolean;
  readonly progress: Progress;
  readonly signal: AbortSignal;
  readonly displayBase?: string;
  readonly session?: Session;
  /** What the build script receives (`--script-arg`, `--env`): the analysis, and so the replayed flow, use them. */
  readonly scriptArgs?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** The build script to replay and migrate, relative to the directory (--script). */
  readonly script?: string;
}

export async function verify(dir: string, options: VerifyOptions): Promise<VerifyResult> {
  const started = performance.now();
  const { engine, signal } = options;
  const migration = analyzeDirectory(dir, { ...(options.displayBase ? { displayBase: options.displayBase } : {}), ...(options.scriptArgs ? { scriptArgs: options.scriptArgs } : {}), ...(options.env ? { env: options.env } : {}), ...(options.script !== undefined ? { script: options.script } : {}) });
  const diagnostics: Diagnostic[] = [...migration.result.diagnostics];
  const base: VerifyResult = {
    status: 'bad-input', directory: dir, migratedFrom: options.dockerfile ?? 'restage migrate', engine: null, differences: [], info: [],
    sizes: null, times: null, diagnostics, failure: null, kept: [],
  };
  if (options.dockerfile && !fs.existsSync(options.dockerfile)) {
    diagnostics.push(diagnostic('RS103', { file: options.dockerfile, line: 1, column: 1 }, 'the Dockerfile given with --dockerfile does not exist'));
    return base;
  }
  const { analysis, plan, result } = migration;
  const area = scratchArea(migration.root, analysis ? flowPaths(analysis) : []);
  if (analysis?.runtime && plan) diagnostics.push(...replayRefusals(analysis, area));
  if (result.status === 'error' || hasErrors(diagnostics)) return base;

  const ping = await engine.ping({ signal });
  if (!ping.ok) {
    return { ...base, status: 'engine-failure', failure: { step: 'connect', message: `no container engine answers (${ping.message}). Start one — on Debian: \`apt-get install docker.io && dockerd &\`, or \`bash scripts/engine.sh start\` in restage's repository — or point DOCKER_HOST / a docker context at one`, logTail: [] } };
  }
  const backend: Backend = options.backend ?? defaultBackend(ping.version ?? '');
  // Podman has one builder (buildah): DOCKER_BUILDKIT does not apply there.
  const engineInfo = { kind: engine.kind, client: engine.client, version: ping.version ?? '', backend: engine.kind === 'podman' ? 'buildah' : backend };
  const session = options.session ?? new Session();
  const settings: BuildSettings = { engine, session, backend, network: options.network, imageMap: options.imageMap, buildArgs: options.buildArgs, progress: options.progress, signal };

  try {
    const sides = analysis?.runtime && plan
      ? await buildBoth(area, analysis, plan, result.dockerfile!, settings, options)
      : await buildSame(migration.root, area, settings, options);
    const factOptions = { ignore: options.ignore, run: options.run, signal };
    const legacyFacts = await options.progress.step('legacy: read the image', () => gatherFacts(engine, session, sides.legacy, factOptions));
    const migratedFacts = await options.progress.step('migrated: read the image', () => gatherFacts(engine, session, sides.migrated, factOptions));
    const comparison = compareImages(legacyFacts, migratedFacts, { strictMtime: options.strictMtime, ignore: options.ignore });
    const total = (performance.now() - started) / 1000;
    const builds = sides.legacy.buildSeconds + sides.migrated.buildSeconds;
    const run = legacyFacts.runSeconds + migratedFacts.runSeconds;
    const cleanup = await session.cleanup(engine, options.keep);
    return {
      ...base,
      status: comparison.verdict === 'equivalent' ? 'equivalent' : 'different',
      engine: engineInfo,
      differences: comparison.differences,
      info: comparison.info,
      sizes: {
        legacy: legacyFacts.image.size, migrated: migratedFacts.image.size, legacyBuilder: sides.legacy.builderImageSize ?? 0,
        ratio: legacyFacts.image.size > 0 ? migratedFacts.image.size / legacyFacts.image.size : 0,
      },
      times: { legacyBuild: sides.legacy.buildSeconds, migratedBuild: sides.migrated.buildSeconds, run, total, overhead: Math.max(0, total - builds - run), overheadShare: total > 0 ? Math.max(0, total - builds - run) / total : 0 },
      kept: cleanup.kept,
    };
  } catch (error) {
    const cleanup = await session.cleanup(engine, options.keep);
    if (signal.aborted) return { ...base, status: 'interrupted', engine: engineInfo, kept: cleanup.kept };
    if (error instanceof EngineFailure) return { ...base, status: 'engine-failure', engine: engineInfo, failure: { step: error.step, message: error.message, logTail: error.logTail }, kept: cleanup.kept };
    const message = error instanceof Error ? error.message : String(error);
    return { ...base, status: 'engine-failure', engine: engineInfo, failure: { step: 'engine', message, logTail: [] }, kept: cleanup.kept };
  }
}

interface Sides {
  legacy: { image: string; buildSeconds: number; builderImageSize?: number };
  migrated: { image: string; buildSeconds: number };
}

/** The legacy flow replayed on one scratch copy; the migrated (or --dockerfile) one built on another. */
async function buildBoth(area: string, analysis: Analysis, plan: StagePlan, dockerfile: string, settings: BuildSettings, options: VerifyOptions): Promise<Sides> {
  const runtime = analysis.runtime!;
  const legacyTree = ScratchTree.copy(area, settings.session.scratch('legacy'));
  const legacy = await replayLegacy(analysis, legacyTree, settings);
  let builderImageSize = 0;
  for (const b of legacy.builders) builderImageSize += (await settings.engine.inspectImage(b, { signal: settings.signal })).Size ?? 0;

  const newTree = ScratchTree.copy(area, settings.session.scratch('migrated'));
  const text = options.dockerfile ? fs.readFileSync(options.dockerfile, 'utf8') : dockerfile;
  const target = newTree.writable(newTree.map(runtime.dockerfile), 'write the migrated Dockerfile');
  fs.writeFileSync(target, rewriteImages(text, (image) => mapImage(image, settings.imageMap)));
  const buildArgs: Record<string, string> = {};
  for (const b of analysis.flow.events) if (b.kind === 'build') Object.assign(buildArgs, scriptBuildArgs(b, {}));
  const tag = settings.session.image('migrated');
  const seconds = await buildImage(settings, 'migrated: docker build', { context: newTree.map(options.dockerfile ? runtime.context : plan.context), dockerfile: target, tag, buildArgs: { ...buildArgs, ...settings.buildArgs } });
  return { legacy: { image: legacy.runtime, buildSeconds: legacy.buildSeconds, builderImageSize }, migrated: { image: tag, buildSeconds: seconds } };
}

/**
 * Nothing to migrate (already multi-stage): the "legacy" image is the directory's own Dockerfile,
 * the migrated one is restage's output for it — the same file — or the --dockerfile given.
 */
async function buildSame(root: string, area: string, settings: BuildSettings, options: VerifyOptions): Promise<Sides> {
  const side = async (role: 'legacy' | 'migrated', text: string | null) => {
    const tree = ScratchTree.copy(area, settings.session.scratch(role));
    const file = tree.writable(tree.map(path.join(root, 'Dockerfile')), 'write the Dockerfile');
    fs.writeFileSync(file, rewriteImages(text ?? fs.readFileSync(file, 'utf8'), (image) => mapImage(image, settings.imageMap)));
    const tag = settings.session.image(role);
    const seconds = await buildImage(settings, `${role}: docker build`, { context: tree.map(root), dockerfile: file, tag, buildArgs: { ...settings.buildArgs } });
    return { image: tag, buildSeconds: seconds };
  };
  const legacy = await side('legacy', null);
  const migrated = await side('migrated', options.dockerfile ? fs.readFileSync(options.dockerfile, 'utf8') : null);
  return { legacy, migrated };
}

/** Every host path the flow names: what the scratch area must hold of the repository. */
function flowPaths(analysis: Analysis): string[] {
  return analysis.flow.events.flatMap((e) => (e.kind === 'build' ? [e.context, e.dockerfile] : e.kind === 'copy-out' ? [e.hostPath] : e.kind === 'host' ? e.paths : []));
}

/** Docker 23+ builds with BuildKit by default; older engines with the classic builder (DOCKER_BUILDKIT decides when set). */
export function defaultBackend(version: string): Backend {
  const env = process.env.DOCKER_BUILDKIT;
  if (env === '1') return 'buildkit';
  if (env === '0') return 'classic';
  const major = Number(/^(\d+)/.exec(version)?.[1] ?? '0');
  return major >= 23 ? 'buildkit' : 'classic';
}
