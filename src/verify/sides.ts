/**
 * The two images verify compares, built on scratch copies of the directory: the legacy flow
 * replayed and the migrated Dockerfile (buildBoth), or, with nothing to migrate, the directory's own
 * Dockerfile and restage's output for it (buildSame); and the base images each side needs first.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Analysis } from '../model/analysis.js';
import type { StagePlan } from '../model/plan.js';
import { displayPath } from '../shared/display-path.js';
import { Confinement } from '../discover/confine.js';
import { discover, isDockerfileName } from '../discover/discover.js';
import { legacyBases, missingBases, runBases, textBases, type BaseUse } from './bases.js';
import type { Engine } from './engine/engine.js';
import type { Migration } from '../migrate.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { buildImage, replayLegacy, scriptBuildArgs, type BuildSettings } from './replay.js';
import { mapImage, placeRewritten, rewriteImages, ScratchTree } from './scratch.js';
import type { VerifyOptions } from './options.js';

/** Every image either side needs before it builds anything (see bases.ts). */
export function baseUses(
  root: string,
  analysis: Analysis | null,
  both: boolean,
  migrated: string | null,
  options: VerifyOptions,
  runAlone = false,
): BaseUse[] {
  const text = (file: string) => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return null;
    }
  };
  const given = options.dockerfile ? text(options.dockerfile) : null;
  const uses: BaseUse[] = [];
  // A run without analysis may build the directory's own Dockerfile FROM an image it tags itself: runBaseUses.
  if (both && analysis) uses.push(...legacyBases(analysis, options.imageMap));
  else if (!runAlone) {
    const own = text(path.join(root, 'Dockerfile'));
    if (own !== null)
      uses.push(
        ...textBases(
          displayPath(path.join(root, 'Dockerfile'), options.displayBase ?? process.cwd()),
          own,
          options.imageMap,
        ),
      );
  }
  const mine = given ?? (both ? migrated : null);
  if (mine !== null) uses.push(...textBases(options.dockerfile ?? 'Dockerfile (migrated)', mine, options.imageMap));
  return uses;
}

/**
 * The images a run without analysis may need (bases.ts runBases): the Dockerfiles at the top of
 * `root` and those the orchestrators or `command` name by path, read as the user wrote them.
 */
export function runBaseUses(root: string, command: readonly string[], options: VerifyOptions): BaseUse[] {
  const confinement = new Confinement(root);
  const found = discover(root, confinement);
  const read = (file: string) => {
    const got = confinement.readText(file);
    return 'text' in got ? got.text : null;
  };
  const orchestrators = [...found.scripts, ...found.makefiles, ...found.packages, ...found.otherOrchestrators]
    .map(read)
    .filter((t) => t !== null);
  orchestrators.push(command.join(' '));
  const named = orchestrators
    .flatMap((t) => t.split(/[\s'"=]+/))
    .filter((w) => isDockerfileName(path.basename(w)) && !path.isAbsolute(w) && !w.includes('$'));
  const files = [...new Set([...found.dockerfiles, ...named].map((f) => path.normalize(f)))].sort();
  const dockerfiles = files.flatMap((f) => {
    const text = read(f);
    return text === null ? [] : [{ file: displayPath(path.join(root, f), options.displayBase ?? process.cwd()), text }];
  });
  return runBases(dockerfiles, orchestrators, options.imageMap);
}

/**
 * The base images, checked before anything is built or run: RS701 for each one a side surely
 * needs and the engine lacks (then `refusal` says why nothing is built), and, for a run without
 * analysis (`alone`), an RS709 warning for each one a Dockerfile it may build names.
 */
export async function checkBases(
  engine: Engine,
  migration: Migration,
  alone: { readonly command: readonly string[] } | null,
  options: VerifyOptions,
): Promise<{ diagnostics: Diagnostic[]; refusal: string | null }> {
  const { analysis, plan, result, root } = migration;
  const both = plan !== null && analysis?.runtime !== null;
  const uses = baseUses(root, analysis, both, result.dockerfile, options, alone !== null);
  const missing = await missingBases(engine, uses, options.signal);
  if (missing.length > 0) {
    const images = [...new Set(missing.map((d) => /the image (\S+)/.exec(d.message)![1]!))];
    return {
      diagnostics: missing,
      refusal: `the engine lacks ${images.join(', ')}; nothing was built. Give each an --image-map FROM=TO to a local image (e.g. ${images.map((i) => `--image-map ${i}=<local image>`).join(' ')}), or load them into the engine`,
    };
  }
  const maybe = alone
    ? await missingBases(engine, runBaseUses(root, alone.command, options), options.signal, 'RS709')
    : [];
  return { diagnostics: maybe, refusal: null };
}

export interface Sides {
  legacy: { image: string; buildSeconds: number; builderImageSize?: number };
  migrated: { image: string; buildSeconds: number };
}

/** The legacy flow replayed on one scratch copy; the migrated (or --dockerfile) one built on another. */
export async function buildBoth(
  area: string,
  analysis: Analysis,
  plan: StagePlan,
  dockerfile: string,
  settings: BuildSettings,
  options: VerifyOptions,
): Promise<Sides> {
  const runtime = analysis.runtime!;
  const legacyTree = ScratchTree.copy(area, settings.session.scratch('legacy'));
  const legacy = await replayLegacy(analysis, legacyTree, settings);
  let builderImageSize = 0;
  for (const b of legacy.builders)
    builderImageSize += (await settings.engine.inspectImage(b, { signal: settings.signal })).Size ?? 0;

  const newTree = ScratchTree.copy(area, settings.session.scratch('migrated'));
  const text = options.dockerfile ? fs.readFileSync(options.dockerfile, 'utf8') : dockerfile;
  const buildArgs = migratedBuildArgs(analysis, plan, settings);
  if (!options.dockerfile) placeDockerignore(newTree, plan);
  const target = placeMigrated(
    newTree,
    newTree.writable(newTree.map(runtime.dockerfile), 'write the migrated Dockerfile'),
    newTree.map(options.dockerfile ? runtime.context : plan.context),
    text,
    settings,
    buildArgs,
  );
  const tag = settings.session.image('migrated');
  const seconds = await buildImage(settings, 'migrated: docker build', {
    context: newTree.map(options.dockerfile ? runtime.context : plan.context),
    dockerfile: target,
    tag,
    buildArgs,
    verb: runtime.invocation.verb,
    backend: settings.migratedBackend,
    // The replacement command keeps the runtime build's --label (src/plan/command.ts): so does this build.
    ...(runtime.labels ? { labels: runtime.labels } : {}),
  });
  return {
    legacy: { image: legacy.runtime, buildSeconds: legacy.buildSeconds, builderImageSize },
    migrated: { image: tag, buildSeconds: seconds },
  };
}

/**
 * Nothing to migrate (already multi-stage): the "legacy" image is the directory's own Dockerfile,
 * the migrated one is restage's output for it — the same file — or the --dockerfile given.
 */
export async function buildSame(
  root: string,
  area: string,
  settings: BuildSettings,
  options: VerifyOptions,
): Promise<Sides> {
  const side = async (role: 'legacy' | 'migrated', text: string | null) => {
    const tree = ScratchTree.copy(area, settings.session.scratch(role));
    const file = tree.writable(tree.map(path.join(root, 'Dockerfile')), 'write the Dockerfile');
    fs.writeFileSync(
      file,
      rewriteImages(
        text ?? fs.readFileSync(file, 'utf8'),
        (image) => mapImage(image, settings.imageMap),
        settings.buildArgs,
      ),
    );
    const tag = settings.session.image(role);
    const seconds = await buildImage(settings, `${role}: docker build`, {
      context: tree.map(root),
      dockerfile: file,
      tag,
      buildArgs: { ...settings.buildArgs },
      ...(role === 'migrated' ? { backend: settings.migratedBackend } : {}),
    });
    return { image: tag, buildSeconds: seconds };
  };
  const legacy = await side('legacy', null);
  const migrated = await side('migrated', options.dockerfile ? fs.readFileSync(options.dockerfile, 'utf8') : null);
  return { legacy, migrated };
}

/**
 * The build arguments of the migrated build: every value the script's builds passed (the
 * migration's build command carries them all), a builder's argument renamed by the migration
 * (RS353) keeping that build's value, and verify's own --build-arg last.
 */
export function migratedBuildArgs(
  analysis: Analysis | null,
  plan: Pick<StagePlan, 'renamedBuildArgs'> | null,
  settings: Pick<BuildSettings, 'buildArgs'>,
): Record<string, string> {
  const buildArgs: Record<string, string> = {};
  for (const b of analysis?.flow.events ?? []) if (b.kind === 'build') Object.assign(buildArgs, scriptBuildArgs(b, {}));
  Object.assign(buildArgs, plan?.renamedBuildArgs ?? {});
  return { ...buildArgs, ...settings.buildArgs };
}

/**
 * Writes the migrated Dockerfile `text` to `file` in the scratch tree as restage emits it (what
 * `migrate --write` leaves in the build context, which a `COPY .` takes), and returns the file
 * the build is given: the image-mapped text (under the build's `buildArgs`) placed by placeRewritten.
 */
export function placeMigrated(
  tree: ScratchTree,
  file: string,
  context: string,
  text: string,
  settings: Pick<BuildSettings, 'imageMap' | 'session'>,
  buildArgs: Readonly<Record<string, string>>,
): string {
  fs.writeFileSync(file, text);
  const mapped = rewriteImages(text, (image) => mapImage(image, settings.imageMap), buildArgs);
  return placeRewritten(tree, file, context, mapped, settings.session);
}

/**
 * Writes the merged context's `.dockerignore` the migration needs (src/plan/dockerignore.ts) into
 * the scratch tree, as `migrate --write` leaves it: the migrated build is built with it.
 */
export function placeDockerignore(tree: ScratchTree, plan: Pick<StagePlan, 'dockerignore'>): void {
  const ignore = plan.dockerignore;
  if (ignore) fs.writeFileSync(tree.writable(tree.map(ignore.path), 'write the .dockerignore'), ignore.text);
}

/** Every host path the flow names: what the scratch area must hold of the repository. */
export function flowPaths(analysis: Analysis): string[] {
  return analysis.flow.events.flatMap((e) =>
    e.kind === 'build'
      ? [e.context, e.dockerfile]
      : e.kind === 'copy-out'
        ? [e.hostPath]
        : e.kind === 'host'
          ? e.paths
          : [],
  );
}
