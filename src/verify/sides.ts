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
import { legacyBases, textBases, type BaseUse } from './bases.js';
import { buildImage, replayLegacy, scriptBuildArgs, type BuildSettings } from './replay.js';
import { mapImage, rewriteImages, ScratchTree } from './scratch.js';
import type { VerifyOptions } from './options.js';

/** Every image either side needs before it builds anything (see bases.ts). */
export function baseUses(
  root: string,
  analysis: Analysis | null,
  both: boolean,
  migrated: string | null,
  options: VerifyOptions,
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
  if (both && analysis) uses.push(...legacyBases(analysis, options.imageMap));
  else {
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
  const target = newTree.writable(newTree.map(runtime.dockerfile), 'write the migrated Dockerfile');
  fs.writeFileSync(
    target,
    rewriteImages(text, (image) => mapImage(image, settings.imageMap)),
  );
  const buildArgs: Record<string, string> = {};
  for (const b of analysis.flow.events) if (b.kind === 'build') Object.assign(buildArgs, scriptBuildArgs(b, {}));
  const tag = settings.session.image('migrated');
  const seconds = await buildImage(settings, 'migrated: docker build', {
    context: newTree.map(options.dockerfile ? runtime.context : plan.context),
    dockerfile: target,
    tag,
    buildArgs: { ...buildArgs, ...settings.buildArgs },
    verb: runtime.invocation.verb,
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
      rewriteImages(text ?? fs.readFileSync(file, 'utf8'), (image) => mapImage(image, settings.imageMap)),
    );
    const tag = settings.session.image(role);
    const seconds = await buildImage(settings, `${role}: docker build`, {
      context: tree.map(root),
      dockerfile: file,
      tag,
      buildArgs: { ...settings.buildArgs },
    });
    return { image: tag, buildSeconds: seconds };
  };
  const legacy = await side('legacy', null);
  const migrated = await side('migrated', options.dockerfile ? fs.readFileSync(options.dockerfile, 'utf8') : null);
  return { legacy, migrated };
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
