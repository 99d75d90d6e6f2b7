/**
 * What verify learns about one built image: its config and history (`docker image inspect`,
 * `docker history`), its file system (a container exported as a tar stream and hashed as it
 * streams: memory stays flat whatever the image size), and, unless skipped, what running it does —
 * twice, so that output that changes from run to run is known as such and not taken for a difference.
 */
import type { Engine } from './engine/engine.js';
import { readManifest } from './manifest/read.js';
import type { ImageFacts, LayerFact, Manifest, RunOutcome, SideFacts } from './model.js';
import type { Session } from './session.js';

export interface FactOptions {
  readonly ignore: readonly string[];
  /** Run the image (`--network none`, never pulling) with these arguments; null: skip the run step. */
  readonly run: { readonly args: readonly string[]; readonly user?: string; readonly timeoutSeconds: number } | null;
  readonly signal: AbortSignal;
  /** The other side's manifest, read earlier: entries equal to its own are stored once (see readManifest). */
  readonly fold?: Manifest;
}

export interface ImageSide {
  readonly image: string;
  readonly buildSeconds: number;
  readonly builderImageSize?: number;
}

export async function gatherFacts(
  engine: Engine,
  session: Session,
  side: ImageSide,
  options: FactOptions,
): Promise<SideFacts & { runSeconds: number }> {
  const { signal } = options;
  const inspect = await engine.inspectImage(side.image, { signal });
  const history = await engine.history(side.image, { signal });
  const image: ImageFacts = {
    config: inspect.Config ?? {},
    size: inspect.Size ?? 0,
    layers: [...history].reverse().map((h): LayerFact => ({ createdBy: h.createdBy, emptyLayer: h.sizeBytes === 0 })),
    os: inspect.Os ?? '',
    architecture: inspect.Architecture ?? '',
  };
  const container = session.container('export');
  await engine.create({ image: side.image, name: container, command: ['/restage-never-runs'], signal });
  const stream = await engine.export(container, { signal });
  const manifest = await readManifest(stream, {
    ignore: options.ignore,
    ...(options.fold ? { fold: options.fold } : {}),
  });
  await engine.rm({ container, force: true, signal });
  session.forgetContainer(container);

  let run: RunOutcome | undefined;
  let runSeconds = 0;
  if (options.run) {
    const settings = options.run;
    const started = performance.now();
    const once = async (): Promise<RunOutcome> => {
      const name = session.container('run');
      const result = await engine.run({
        image: side.image,
        name,
        args: settings.args,
        network: 'none',
        timeoutSeconds: settings.timeoutSeconds,
        signal,
        ...(settings.user ? { user: settings.user } : {}),
      });
      session.forgetContainer(name);
      return {
        exitCode: result.exitCode ?? -1,
        stdout: anonymize(result.stdout, side.image, name),
        stderr: anonymize(result.stderr, side.image, name),
        timedOut: result.timedOut,
      };
    };
    const first = await once();
    run = { ...first, rerun: await once() };
    runSeconds = (performance.now() - started) / 1000;
  }
  return {
    manifest,
    image,
    buildSeconds: side.buildSeconds,
    runSeconds,
    ...(run ? { run } : {}),
    ...(side.builderImageSize !== undefined ? { builderImageSize: side.builderImageSize } : {}),
  };
}

/**
 * Engine messages name the container and image they ran (`docker: Error response …
 * container 3f2a…`): those names differ between the sides by construction, not by behaviour.
 */
function anonymize(text: string, image: string, container: string): string {
  // The docker client's own log lines (`time="…" level=error msg="error waiting for container: context canceled"`)
  // race with the container's exit: they are the client's, not the image's behaviour.
  return text
    .replace(/^time="[^"]*" level=\w+ msg=.*\n?/gm, '')
    .split(image)
    .join('<image>')
    .split(container)
    .join('<container>')
    .replace(/\b[0-9a-f]{64}\b/g, '<id>')
    .replace(/\b[0-9a-f]{12}\b/g, '<id>');
}
