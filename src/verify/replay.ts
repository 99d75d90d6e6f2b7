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
 * runs (`replayRefusals`): a path that depends on something the script does not set, a file the
 * flow reads that exists only outside the copied area, a host command on an artifact that
 * restage does not model.
 */
import fs from 'node:fs';
import path from 'node:path';
import { imageKey } from '../shared/image-ref.js';
import type { Analysis } from '../model/analysis.js';
import { diagnostic, type Diagnostic, type Location } from '../model/diagnostic.js';
import type { ContainerCreate, CopyOut, HostOperation, ImageBuild } from '../model/flow.js';
import { applyMode, hostPaths, hostSteps, MODELLED_OPS, type HostStep } from '../shared/host-ops.js';
import type { Backend, Engine } from './engine/engine.js';
import { EngineError } from './engine/engine.js';
import { EngineFailure, LegacyNotReproduced } from './failure.js';
import type { Progress } from './progress.js';
import { mapImage, rewriteImages, type ImageMap, type ScratchTree } from './scratch.js';
import type { Session } from './session.js';
import { isWithin } from '../shared/paths.js';

/** SGR colour sequences (ESC [ … m) in a build log tail. */
// eslint-disable-next-line no-control-regex
const ANSI_COLOUR = /\x1b\[[0-9;]*m/g;

export interface BuildSettings {
  readonly engine: Engine;
  readonly session: Session;
  readonly backend: Backend;
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

/**
 * The classic builder and podman keep an image per step, and those of a stage that is not the final
 * image stay behind untagged. They are read off the build log (the id printed after each step),
 * skipping the id printed for a FROM step: that one is the base image, not ours.
 */
function intermediateImages(session: Session): (line: string) => void {
  let afterFrom = false;
  return (line) => {
    // Classic: `Step 2/4 : RUN …` then ` ---> 3f2a…`; podman: `[1/2] STEP 2/2: RUN …` then `--> 74d8a1b3e25`.
    if (/^(\[\d+\/\d+\] )?step \d+\/\d+ ?: /i.test(line)) afterFrom = /: FROM\s/i.test(line);
    const id = /^ ?--?-> ([0-9a-f]{11,64})$/.exec(line)?.[1];
    if (id && !afterFrom) session.intermediate(id);
  };
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
  },
): Promise<number> {
  // A failed build fails its progress step (the engine reports it in its result, not by throwing).
  const result = await settings.progress.step(label, async () => {
    const built = await settings.engine.build({
      onLog: intermediateImages(settings.session),
      context: request.context,
      dockerfile: request.dockerfile,
      tag: request.tag,
      buildArgs: request.buildArgs,
      noCache: true,
      network: settings.network,
      backend: settings.backend,
      pull: false,
      signal: settings.signal,
      ...(request.target ? { target: request.target } : {}),
      ...(request.verb ? { verb: request.verb } : {}),
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
        const dockerfile = tree.writable(tree.map(event.dockerfile), 'rewrite the Dockerfile');
        fs.writeFileSync(dockerfile, rewriteImages(fs.readFileSync(dockerfile, 'utf8'), resolveImage));
        buildSeconds += await buildImage(
          settings,
          `legacy: ${settings.engine.kind} ${event.invocation.verb.join(' ')} ${event.tags[0] ?? ''}`.trim(),
          {
            context: tree.map(event.context),
            dockerfile,
            tag,
            buildArgs: scriptBuildArgs(event, settings.buildArgs),
            target: event.target,
            verb: event.invocation.verb,
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
        await settings.progress.step(`legacy: docker cp ${event.containerPath}`, () =>
          engine
            .cp({
              container,
              from: event.containerPath,
              to: tree.writable(tree.map(event.hostPath), 'docker cp to'),
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
                  `docker cp ${event.containerPath}`,
                  event.at,
                  `${event.containerPath} does not exist in the container the script copies it from (${e.message})`,
                );
              throw e;
            }),
        );
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

/** The builds the replay runs: the runtime and the builders of its artifacts. */
export function neededBuilds(analysis: Analysis): Set<ImageBuild> {
  return new Set<ImageBuild>([
    analysis.runtime!,
    ...analysis.artifacts.flatMap((a) => (a.source.kind === 'build' ? [a.source.build] : [])),
  ]);
}

/**
 * Why the replay cannot run the flow inside a scratch area that copies `area` (RS310 errors,
 * located on the script line), checked before anything runs; empty when it can. Only the events
 * up to the runtime build count: the replay stops there.
 */
export function replayRefusals(analysis: Analysis, area: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const needed = neededBuilds(analysis);
  const produced: string[] = [];
  const available = (p: string) => isWithin(p, area) || produced.some((d) => isWithin(p, d));
  const needs = (at: Location, p: string, what: string) => {
    if (!available(p))
      out.push(
        diagnostic(
          'RS310',
          at,
          `the replay needs ${what} ${p}, which is outside the area verify copies (${area}) and is not made by the script before this line; verify never reads or writes outside its scratch area: keep what the build needs in the repository (or make the script create it), then run verify again`,
        ),
      );
  };
  const containers = new Map<string, ContainerCreate>();
  for (const event of analysis.flow.events) {
    if (event.kind === 'create') containers.set(event.handle, event);
    if (event.kind === 'copy-out') refuseStarted(event);
    if (event.kind === 'build') {
      if (!needed.has(event)) continue;
      needs(event.dockerfileAt, event.dockerfile, 'the Dockerfile');
      needs(event.at, event.context, 'the build context');
      if (event === analysis.runtime) break;
    } else if (event.kind === 'copy-out') produced.push(event.hostPath);
    else if (event.kind === 'host') refuseHost(event);
  }
  return out;

  /** The replay creates containers and never runs them: a copy from one the script ran (RS320) would read the image as built, not what its command left. */
  function refuseStarted(event: CopyOut): void {
    const started = containers.get(event.container)?.started;
    if (!started) return;
    out.push(
      diagnostic(
        'RS702',
        started.at,
        `verify cannot reproduce the legacy flow: the script ${started.how === 'exec' ? 'runs a command in' : 'starts'} this container before \`docker cp\` reads ${event.containerPath} from it (line ${event.at.line}), and the replay only creates containers; comparing would judge the image as built, not what its command left. Migrate this step by hand (restage migrate says the same, RS320)`,
      ),
    );
  }

  function refuseHost(event: HostOperation): void {
    for (const u of event.undecidable) {
      out.push(
        diagnostic(
          'RS310',
          u.at,
          `verify does not run \`${event.command}\`: the path \`${u.written}\` depends on ${u.reason}, so which real path it names is unknown and the replay does not guess; ${u.fix}, and run verify again`,
        ),
      );
    }
    if (!MODELLED_OPS.has(event.op)) {
      if (
        analysis.diagnostics.some(
          (d) =>
            d.code === 'RS308' && d.line === event.at.line && d.column === event.at.column && d.file === event.at.file,
        )
      ) {
        out.push(
          diagnostic(
            'RS310',
            event.at,
            `verify does not replay \`${event.command}\`: it changes an extracted artifact in a way restage does not model (RS308), so the replayed legacy image would not be the script's; move the change into the builder's Dockerfile and run verify again`,
          ),
        );
      }
      return;
    }
    if (event.undecidable.length > 0) return;
    const { reads, makes } = hostPaths(event);
    for (const p of reads) needs(event.at, p, `\`${event.command}\` to read`);
    produced.push(...makes);
  }
}

/** A host command of the script, done in the scratch area with the steps of the shared model. */
function applyHost(event: HostOperation, tree: ScratchTree): void {
  if (!MODELLED_OPS.has(event.op) || event.undecidable.length > 0) return;
  const isDir = (p: string) => fs.statSync(tree.map(p), { throwIfNoEntry: false })?.isDirectory() ?? false;
  for (const step of hostSteps(event, isDir)) applyStep(step, tree);
}

function applyStep(step: HostStep, tree: ScratchTree): void {
  switch (step.kind) {
    case 'mkdir':
      fs.mkdirSync(tree.writable(tree.map(step.path), 'create the directory'), { recursive: true });
      return;
    case 'remove':
      fs.rmSync(tree.writable(tree.map(step.path), 'remove', true), { recursive: true, force: true });
      return;
    case 'move':
    case 'copy': {
      const from = tree.map(step.from);
      if (!fs.existsSync(from)) return;
      const to = tree.writable(tree.map(step.to), step.kind === 'move' ? 'move to' : 'copy to');
      if (step.kind === 'move') fs.renameSync(tree.writable(from, 'move', true), to);
      else fs.cpSync(from, to, { recursive: true, verbatimSymlinks: true });
      return;
    }
    case 'chmod':
      chmodTree(tree.writable(tree.map(step.path), 'chmod'), step.mode, step.recursive, true);
  }
}

/** `chmod [-R] MODE path`: like chmod(1), a symlink met while recursing is left alone (its mode means nothing). */
function chmodTree(p: string, mode: string, recursive: boolean, top: boolean): void {
  const stat = top ? fs.statSync(p) : fs.lstatSync(p);
  if (stat.isSymbolicLink()) return;
  fs.chmodSync(p, applyMode(mode, stat.mode, stat.isDirectory()));
  if (recursive && stat.isDirectory())
    for (const name of fs.readdirSync(p)) chmodTree(path.join(p, name), mode, true, false);
}
