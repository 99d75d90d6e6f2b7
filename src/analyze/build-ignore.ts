/**
 * Which ignore file filters a build's context. Docker facts (docker 20.10.24 from Debian, measured
 * by test/e2e/dockerignore-file.test.ts with `COPY . /ctx` and both files present):
 * - BuildKit reads `<Dockerfile>.dockerignore` (the `-f` path with `.dockerignore` appended;
 *   `Dockerfile.dockerignore` for the default name) beside the Dockerfile it is given, also when
 *   that Dockerfile lies outside the context, INSTEAD of the context's `.dockerignore`: the two
 *   are not merged, and an empty one leaves out nothing. Its patterns are relative to the context
 *   root. A file of that name anywhere else (at the context root when the Dockerfile is not there)
 *   is not read. Without one, BuildKit reads the context's `.dockerignore`.
 * - The classic builder reads the context's `.dockerignore` only.
 * So a build whose Dockerfile has its own ignore file depends on the builder: the script's
 * DOCKER_BUILDKIT or `buildx` decides it (ImageBuild.builder); when the script leaves it to the
 * engine and the two files keep different paths, restage does not guess (RS391). Podman's builder
 * is not measured here: restage treats it as unknown.
 * A `.dockerignore` a staging step copied into the context (src/analyze/staging.ts) is the one
 * the build reads: its text is the tree file it was copied from.
 */
import { isDeepStrictEqual } from 'node:util';
import path from 'node:path';
import type { DockerignoreRule } from '../model/analysis.js';
import type { Location } from '../model/diagnostic.js';
import type { ImageBuild } from '../model/flow.js';
import { parseDockerignore } from './dockerignore.js';

/** The ignore file BuildKit reads for a Dockerfile in preference to the context's `.dockerignore`. */
export function dockerfileIgnorePath(dockerfile: string): string {
  return `${dockerfile}.dockerignore`;
}

/** The rules a build's context was filtered by, and the tree file they come from (null: none). */
export interface BuildIgnore {
  readonly file: string | null;
  readonly rules: readonly DockerignoreRule[];
}

/** The builder decides between two ignore files that leave out different paths, and the script does not choose it. */
export interface UndecidedIgnore {
  readonly undecided: { readonly own: string; readonly context: string | null };
  /** The context's rules (what the classic builder reads), for the analysis that goes on. */
  readonly rules: readonly DockerignoreRule[];
}

/** The script writes the context's `.dockerignore` before the build in a way restage does not model. */
export interface UnknownIgnore {
  readonly unknown: { readonly command: string; readonly at: Location };
  /** The rules of the file the tree holds there before the script, for the analysis that goes on. */
  readonly rules: readonly DockerignoreRule[];
}

export type IgnoreResolution = BuildIgnore | UndecidedIgnore | UnknownIgnore;

/**
 * The ignore file of `build` as the facts above say. `text` reads a tree file before the script
 * runs (null: none, or restage does not read it); `stagedFrom` is the tree file a staging step
 * copied to the context's `.dockerignore`, or null.
 */
export function resolveBuildIgnore(
  build: Pick<ImageBuild, 'context' | 'dockerfile' | 'builder' | 'streamed'>,
  text: (file: string) => string | null,
  stagedFrom: string | null = null,
): IgnoreResolution {
  const contextFile = stagedFrom ?? path.join(build.context, '.dockerignore');
  const contextText = text(contextFile);
  const ofContext: BuildIgnore = {
    file: contextText === null ? null : contextFile,
    rules: parseDockerignore(contextText ?? ''),
  };
  // A stream's Dockerfile is a member of the stream (src/analyze/build-stdin.ts): no file beside it.
  if (build.streamed !== undefined || build.builder === 'classic') return ofContext;
  const own = dockerfileIgnorePath(build.dockerfile);
  const ownText = text(own);
  if (ownText === null) return ofContext;
  const ofOwn: BuildIgnore = { file: own, rules: parseDockerignore(ownText) };
  if (build.builder === 'buildkit') return ofOwn;
  if (isDeepStrictEqual(ofOwn.rules, ofContext.rules)) return ofContext;
  return { undecided: { own, context: ofContext.file }, rules: ofContext.rules };
}

export function isUndecided(r: IgnoreResolution): r is UndecidedIgnore {
  return 'undecided' in r;
}

export function isUnknown(r: IgnoreResolution): r is UnknownIgnore {
  return 'unknown' in r;
}

/** The file whose rules filtered the context: null for none, or when restage cannot tell. */
export function ignoreFileOf(r: IgnoreResolution): string | null {
  return 'file' in r ? r.file : null;
}
