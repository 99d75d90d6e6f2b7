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
import type { BuildIgnore, HostSnapshot, IgnoreResolution, UndecidedIgnore, UnknownIgnore } from '../model/analysis.js';
import type { BuildFlow, HostOperation, ImageBuild } from '../model/flow.js';
import { hostPaths } from '../shared/host-ops.js';
import { parseDockerignore } from './dockerignore.js';
import { stagedCopy } from './staging.js';

export type { BuildIgnore, IgnoreResolution, UndecidedIgnore, UnknownIgnore };

/** The ignore file BuildKit reads for a Dockerfile in preference to the context's `.dockerignore`. */
export function dockerfileIgnorePath(dockerfile: string): string {
  return `${dockerfile}.dockerignore`;
}

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

/** Host steps that may write or remove a file they name (chmod/chown change no text a build reads). */
const WRITERS = new Set<HostOperation['op']>(['cp', 'mv', 'rm', 'ln', 'unpack', 'fetch', 'other']);

/**
 * Each build's ignore file (above): a `.dockerignore` the script copied into
 * the context before the build (src/analyze/staging.ts `stagedCopy`) stands for the tree file it
 * was copied from. `host` holds the kinds of `hostPathsAsked`; `text` reads a tree file as it is
 * before the script (null: none, or restage does not read it); `isFile`: a regular tree file.
 */
export function buildIgnores(
  flow: BuildFlow,
  host: HostSnapshot,
  text: (file: string) => string | null,
  isFile: (p: string) => boolean,
): Map<ImageBuild, IgnoreResolution> {
  const steps: HostOperation[] = [];
  const out = new Map<ImageBuild, IgnoreResolution>();
  for (const e of flow.events) {
    if (e.kind === 'host') steps.push(e);
    if (e.kind !== 'build') continue;
    const file = path.join(e.context, '.dockerignore');
    const staged = stagedCopy(file, steps, host, isFile);
    const resolved = resolveBuildIgnore(e, text, staged?.origin ?? null);
    // Another step that writes or removes the file itself (a redirection, `cp -a`, `sed -i`, `rm`): its text is not the tree's.
    const writer = staged
      ? undefined
      : [...steps]
          .reverse()
          .find((s) => WRITERS.has(s.op) && (s.op === 'cp' ? hostPaths(s).makes : s.paths).includes(file));
    out.set(
      e,
      writer && !isUndecided(resolved)
        ? { unknown: { command: writer.command, at: writer.at }, rules: resolved.rules }
        : resolved,
    );
  }
  return out;
}
