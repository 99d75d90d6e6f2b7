/**
 * The legacy side: replays the analysed flow in a scratch area (src/verify/scratch.ts) — each
 * build the migration depends on, the extraction containers (with a dummy command, since `docker
 * create` refuses an image without CMD/ENTRYPOINT), the copies out, the removals, the host-side
 * commands of src/shared/host-ops.ts — with unique names and `--no-cache` on every build
 * (BuildKit's COPY cache ignores uid/gid and mtime: a warm build could reuse the other side's
 * layer and compare falsely equal).
 *
 * Every path is mapped into the scratch area by `ScratchTree.map`, and every write is guarded by
 * `ScratchTree.writable`. What the replay cannot do there faithfully is refused before anything
 * runs (`replayRefusals` in src/verify/refusals.ts): a path that depends on something the script does not set, a file the
 * flow reads that exists only outside the copied area, a host command on an artifact that
 * restage does not model.
 */
import fs from 'node:fs';
import { imageKey } from '../shared/image-ref.js';
import type { Analysis } from '../model/analysis.js';
import type { ImageBuild } from '../model/flow.js';
import { applyHost } from './host-replay.js';
import { readerPath, redirectInto, stdoutStaging } from './replay-stdout.js';
import { neededBuilds } from './refusals.js';
import type { Backend, Engine } from './engine/engine.js';
import { EngineError } from './engine/engine.js';
import { EngineFailure, LegacyNotReproduced } from './failure.js';
import { stepImageReader } from './engine/build-log.js';
import type { Progress } from './progress.js';
import { mapImage, placeRewritten, rewriteImages, type ImageMap, type ScratchTree } from './scratch.js';
import type { Session } from './session.js';

/** SGR colour sequences (ESC [ … m) in a build log tail. */
// eslint-disable-next-line no-control-regex
const ANSI_COLOUR = /\x1b\[[0-9;]*m/g;

export interface BuildSettings {
  readonly engine: Engine;
  readonly session: Session;
  /** The builder of the legacy builds that do not choose their own (DOCKER_BUILDKIT in the script). */
  readonly backend: Backend;
  /** The builder of the migrated image: --backend, else the one the migration's build command asks for, else `backend`. */
  readonly migratedBackend: Backend;
  readonly network: string;
  readonly imageMap: ImageMap;
  /** Build arguments given to verify (`--build-arg`), on top of the script's. */
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly progress: Progress;
  readonly signal: AbortSignal;
}

export interface LegacyImages {
  readonly runtime: string;
  readonly builders: readonly string[];
  readonly buildSeconds: number;
}

/** The script's literal build arguments; ones read from the environment come from verify's own. */
export function scriptBuildArgs(build: ImageBuild, extra: Readonly<Record<string, string>>): Record<string, string> {
  const args: Record<string, string> = {};
  for (const a of build.buildArgs) {
    if (a.fromEnvironment.length === 0 && a.value !== null) args[a.name] = a.value;
    else if (a.value === null && process.env[a.name] !== undefined) args[a.name] = process.env[a.name]!;
  }
  return { ...args, ...extra };
}

export async function buildImage(
  settings: BuildSettings,
  label: string,
  request: {
    context: string;
    dockerfile: string;
    tag: string;
    buildArgs: Record<string, string>;
    target?: string | null;
    verb?: readonly string[];
    /** This build's builder, when not settings.backend. */
    backend?: Backend;
    /** The script's `--label`s for this image (verify's session label is added by the engine). */
    labels?: Readonly<Record<string, string>>;
  },
): Promise<number> {
  // A failed build fails its progress step (the engine reports it in its result, not by throwing).
  const result = await settings.progress.step(label, async () => {
    const built = await settings.engine.build({
      onLog: stepImageReader((id) => settings.session.intermediate(id)),
      context: request.context,
      dockerfile: request.dockerfile,
      tag: request.tag,
      buildArgs: request.buildArgs,
      noCache: true,
      network: settings.network,
      backend: request.backend ?? settings.backend,
      pull: false,
      signal: settings.signal,
      ...(request.target ? { target: request.target } : {}),
      ...(request.verb ? { verb: request.verb } : {}),
      ...(request.labels ? { labels: request.labels } : {}),
    });
    // Build logs carry terminal colour codes (the classic builder colours RUN's stderr): not for a report.
    if (!built.ok)
      throw new EngineFailure(
        label,
        `the build failed (exit ${built.exitCode})`,
        built.logTail.map((l) => l.replace(ANSI_COLOUR, '')),
      );
    return built;
  });
  return result.seconds;
}

export async function replayLegacy(
  analysis: Analysis,
  tree: ScratchTree,
  settings: BuildSettings,
): Promise<LegacyImages> {
  const { engine, session, signal } = settings;
  const runtime = analysis.runtime!;
  const needed = neededBuilds(analysis);
  const tags = new Map<string, string>();
  const containers = new Map<string, string>();
  const builders: string[] = [];
  let buildSeconds = 0;
  const resolveImage = (image: string) => tags.get(imageKey(image)) ?? mapImage(image, settings.imageMap);

  for (const event of analysis.flow.events) {
    switch (event.kind) {
      case 'build': {
        if (!needed.has(event)) break;
        const tag = session.image(event === runtime ? 'legacy' : 'legacy-builder');
        const original = tree.writable(tree.map(event.dockerfile), 'rewrite the Dockerfile');
        // The context keeps the user's Dockerfile; the build reads the rewritten one from where it enters no image.
        const dockerfile = placeRewritten(
          tree,
          original,
          tree.map(event.context),
          rewriteImages(fs.readFileSync(original, 'utf8'), resolveImage, scriptBuildArgs(event, settings.buildArgs)),
          session,
        );
        buildSeconds += await buildImage(
          settings,
          `legacy: ${settings.engine.kind} ${event.invocation.verb.join(' ')} ${event.tags[0] ?? ''}`.trim(),
          {
            context: tree.map(event.context),
            dockerfile,
            tag,
            buildArgs: scriptBuildArgs(event, settings.buildArgs),
            target: event.target,
            // The script's own DOCKER_BUILDKIT for this build wins, as in the client it ran (--backend too).
            ...(event.builder ? { backend: event.builder } : {}),
            verb: event.invocation.verb,
            ...(event.labels ? { labels: event.labels } : {}),
          },
        );
        for (const t of event.tags) tags.set(imageKey(t), tag);
        if (event === runtime) return { runtime: tag, builders, buildSeconds };
        builders.push(tag);
        break;
      }
      case 'create': {
        const name = session.container('extract');
        await settings.progress.step(`legacy: docker create ${event.image}`, () =>
          engine.create({ image: resolveImage(event.image), name, command: ['/restage-never-runs'], signal }),
        );
        containers.set(event.handle, name);
        break;
      }
      case 'copy-out': {
        const container = containers.get(event.container);
        if (!container)
          throw new EngineFailure(
            'docker cp',
            `the script copies from ${event.container}, which the replay has no container for`,
          );
        const started = performance.now();
        // Through stdout: staged, then written as the shell's redirection writes (src/verify/replay-stdout.ts).
        const staged = event.via === 'stdout' ? stdoutStaging(tree) : null;
        const from = staged ? readerPath(analysis, event) : event.containerPath;
        await settings.progress.step(
          staged ? `legacy: cat ${from} > ${event.reader?.target ?? ''}` : `legacy: docker cp ${from}`,
          () =>
            engine
              .cp({
                container,
                from,
                to: staged ?? tree.writable(tree.map(event.hostPath), 'docker cp to'),
                followLink: event.followLink,
                signal,
              })
              .catch((e: unknown) => {
                // The engine copied nothing because the image lacks the path the script names: the legacy flow as restage read it does not work.
                if (
                  e instanceof EngineError &&
                  /could not find the file|no such file or directory|no such container:path/i.test(e.stderr)
                )
                  throw new LegacyNotReproduced(
                    `${staged ? 'cat' : 'docker cp'} ${from}`,
                    event.at,
                    `${from} does not exist in the container the script ${staged ? 'reads' : 'copies'} it from (${e.message})`,
                  );
                throw e;
              }),
        );
        if (staged) redirectInto(staged, event, from, tree);
        buildSeconds += (performance.now() - started) / 1000;
        break;
      }
      case 'remove':
        for (const handle of event.containers) {
          const name = containers.get(handle);
          if (!name) continue;
          await engine.rm({ container: name, force: true, missingOk: true, signal });
          session.forgetContainer(name);
          containers.delete(handle);
        }
        break;
      case 'host':
        applyHost(event, tree);
        break;
    }
  }
  throw new EngineFailure('replay', 'the replay ended before the runtime build');
}
