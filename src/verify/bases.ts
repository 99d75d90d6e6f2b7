/**
 * The base images both sides need, checked before anything is built: every FROM image and
 * `COPY --from=<image>` of every Dockerfile either side builds, and every image the script creates a
 * container from, after --image-map — less stage names, `scratch`, references built from ARGs
 * (only the build knows them) and the images the legacy flow tags itself. Builds run without
 * `--pull` and create/run pass `--pull=never`, so an image the engine does not hold locally is one
 * verify cannot get: it is reported, every one of them at once, and nothing is built.
 */
import { imageKey, namesVersion } from '../shared/image-ref.js';
import { diagnostic, type Diagnostic } from '../model/diagnostic.js';
import type { Analysis } from '../model/analysis.js';
import type { ParsedDockerfile } from '../model/dockerfile.js';
import { parseDockerfile } from '../parse/dockerfile.js';
import { EngineError, type Engine } from './engine/engine.js';
import { neededBuilds } from './refusals.js';
import { imageReferences, mapImage, type ImageMap } from './scratch.js';

/** One image reference a build or a create of either side uses. */
export interface BaseUse {
  /** The reference as the engine is asked for it (after --image-map). */
  readonly image: string;
  /** As written, when --image-map changed it. */
  readonly written: string;
  readonly at: { readonly file: string; readonly line: number; readonly column: number };
}

/** Image references of one parsed Dockerfile, `ours` (tags built earlier in the same flow) left out. */
export function dockerfileBases(
  parsed: ParsedDockerfile,
  map: ImageMap,
  ours: ReadonlySet<string> = new Set(),
): BaseUse[] {
  return imageReferences(parsed)
    .filter((ref) => !ref.image.includes('$') && !ours.has(imageKey(ref.image)))
    .map((ref) => ({
      image: mapImage(ref.image, map),
      written: ref.image,
      at: { file: parsed.file, line: ref.span.line, column: ref.span.column },
    }));
}

/** The images the legacy replay needs: those of the builds it replays and of its `docker create`s. */
export function legacyBases(analysis: Analysis, map: ImageMap): BaseUse[] {
  const runtime = analysis.runtime!;
  const needed = neededBuilds(analysis);
  const ours = new Set<string>();
  const uses: BaseUse[] = [];
  for (const event of analysis.flow.events) {
    if (event.kind === 'build' && needed.has(event)) {
      const parsed = analysis.dockerfiles.get(event.dockerfile);
      if (parsed) uses.push(...dockerfileBases(parsed, map, ours));
      for (const t of event.tags) ours.add(imageKey(t));
      if (event === runtime) break;
    }
    if (event.kind === 'create' && !ours.has(imageKey(event.image)) && !event.image.includes('$')) {
      uses.push({ image: mapImage(event.image, map), written: event.image, at: event.at });
    }
  }
  return uses;
}

/**
 * The images a run of a pipeline restage has no analysis of may need: those of every Dockerfile
 * it may build (`dockerfiles`), less the ones the orchestrators' text names (`docker build -t
 * myorg/builder` in a Makefile: the run likely makes them itself). Which Dockerfiles the run
 * really builds is known only once it has run, so these are reported as warnings, not refusals.
 */
export function runBases(
  dockerfiles: readonly { readonly file: string; readonly text: string }[],
  orchestrators: readonly string[],
  map: ImageMap,
): BaseUse[] {
  const named = new Set(
    orchestrators.flatMap((text) =>
      text
        .split(/[\s'"=]+/)
        .filter(Boolean)
        .map(imageKey),
    ),
  );
  return dockerfiles.flatMap((d) => textBases(d.file, d.text, map)).filter((use) => !named.has(imageKey(use.written)));
}

/** The images a Dockerfile given as text needs; `file` names it in the diagnostics. */
export function textBases(file: string, text: string, map: ImageMap): BaseUse[] {
  return dockerfileBases(parseDockerfile(file, text).dockerfile, map);
}

/** The first use of each image the engine does not hold, in the order of `uses`. */
export async function absentBases(engine: Engine, uses: readonly BaseUse[], signal: AbortSignal): Promise<BaseUse[]> {
  const present = new Map<string, boolean>();
  const absent: BaseUse[] = [];
  for (const use of uses) {
    if (!present.has(use.image))
      present.set(
        use.image,
        await engine.inspectImage(use.image, { signal }).then(
          () => true,
          (e: unknown) => {
            if (e instanceof EngineError && e.notFound) return false;
            throw e;
          },
        ),
      );
    if (!present.get(use.image) && !absent.some((a) => a.image === use.image)) absent.push(use);
  }
  return absent;
}

/** What each code says of an image the engine lacks. */
const LACKING = {
  // A side surely needs it: nothing is built.
  RS701: (use: BaseUse) =>
    `the image ${shownImage(use)} is not on the engine, and verify never pulls: load or build it (\`docker pull ${use.image}\` where a registry is reachable), or map it to an image the engine has with \`--image-map ${exactReference(use.written)}=<local image>\``,
  // A Dockerfile a run without analysis may build names it (runBases): listed, and the run goes ahead.
  RS709: (use: BaseUse) =>
    `the image ${shownImage(use)} is not on the engine, and verify never pulls: if the legacy run builds this Dockerfile, that build fails. Load it, or map it with \`--image-map ${exactReference(use.written)}=<local image>\``,
} as const;

/** One diagnostic (RS701 by default) per image the engine does not hold, at its first use; none when every image is there. */
export async function missingBases(
  engine: Engine,
  uses: readonly BaseUse[],
  signal: AbortSignal,
  code: keyof typeof LACKING = 'RS701',
): Promise<Diagnostic[]> {
  return (await absentBases(engine, uses, signal)).map((use) => diagnostic(code, use.at, LACKING[code](use)));
}

const shownImage = (use: BaseUse) =>
  use.image === use.written ? use.image : `${use.image} (${use.written} mapped by --image-map)`;

/** The reference with its tag spelled out: an --image-map entry naming the tag wins over any naming only the repository. */
function exactReference(written: string): string {
  return namesVersion(written) ? written : `${written}:latest`;
}
