/**
 * The one `docker build` that replaces the script: the runtime build's tags, every build argument
 * of the merged builds (as written where they read the environment, so `$https_proxy` still does),
 * its cache and platform options, and the merged Dockerfile and context.
 */
import { shellQuote } from '../shared/shell-quote.js';
import path from 'node:path';
import type { Builder, ImageBuild } from '../model/flow.js';
import type { ArgRenames } from './args.js';

export interface CommandInput {
  readonly root: string;
  readonly runtime: ImageBuild;
  readonly builders: readonly ImageBuild[];
  /** Absolute path the migrated Dockerfile will have. */
  readonly dockerfile: string;
  /** Absolute path of the merged build's context. */
  readonly context: string;
  /** Build arguments a builder's Dockerfile now declares under another name (src/plan/args.ts). */
  readonly renames?: ArgRenames;
}

export function buildCommand(input: CommandInput): string {
  const { runtime, builders } = input;
  const rel = (p: string) => path.relative(input.root, p) || '.';
  const parts = ['docker', 'build'];
  const seen = new Set<string>();
  for (const build of [...builders, runtime]) {
    for (const arg of build.buildArgs) {
      const renamed = input.renames?.get(build)?.get(arg.name);
      const spelled = renamed
        ? shellQuote(`${renamed}=${arg.value}`)
        : arg.fromEnvironment.length > 0
          ? arg.written
          : shellQuote(arg.value === null ? arg.name : `${arg.name}=${arg.value}`);
      if (seen.has(spelled)) continue;
      seen.add(spelled);
      parts.push('--build-arg', spelled);
    }
  }
  if ([runtime, ...builders].some((b) => b.noCache)) parts.push('--no-cache');
  if ([runtime, ...builders].some((b) => b.pull)) parts.push('--pull');
  if (runtime.platform) parts.push('--platform', runtime.platform);
  parts.push(...runtime.passThrough);
  for (const tag of runtime.tags) parts.push('-t', shellQuote(tag));
  const defaultFile = path.join(input.context, 'Dockerfile');
  if (input.dockerfile !== defaultFile) parts.push('-f', shellQuote(rel(input.dockerfile)));
  parts.push(shellQuote(rel(input.context)));
  const builder = mergedBuilder([runtime, ...builders]);
  return `${builder === null ? '' : `DOCKER_BUILDKIT=${builder === 'buildkit' ? 1 : 0} `}${parts.join(' ')}`;
}

/**
 * The builder the one build needs: BuildKit when any of the builds it replaces asked for it (their
 * Dockerfiles may use what only BuildKit reads: `COPY --chmod`, `RUN --mount`), the classic builder
 * when they asked for that, and the engine's choice when none asked.
 */
export function mergedBuilder(builds: readonly ImageBuild[]): Builder | null {
  const asked = builds.map((b) => b.builder).filter((b) => b !== null);
  if (asked.includes('buildkit')) return 'buildkit';
  return asked.length > 0 ? 'classic' : null;
}
