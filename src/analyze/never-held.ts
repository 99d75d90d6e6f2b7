/**
 * A copy out of a path the builder image provably never holds: the script fails there as
 * written (`docker cp` exits "Could not find the file … in container"), so no migration can match
 * it. restage proves it only for an image built FROM scratch, which starts empty: the path must
 * then come from a COPY, an ADD or a WORKDIR of the stages it is built through; a RUN (which may
 * write anything), a destination restage cannot read (a variable), or a path where docker itself
 * puts files in a container (/dev, /proc, /sys, /etc) leaves it unproven.
 */
import path from 'node:path';
import type { ImageBuild } from '../model/flow.js';
import type { ParsedDockerfile } from '../model/dockerfile.js';
import { stageChain } from './stdout.js';

/** Why the image of `build` cannot hold `containerPath`; null when it may. */
export function neverHeld(file: ParsedDockerfile, build: ImageBuild, containerPath: string): string | null {
  const target = build.target?.toLowerCase();
  const stage = (target && file.stages.find((s) => s.name === target)) || file.stages[file.stages.length - 1];
  if (!stage) return null;
  const chain = stageChain(file, stage);
  const root = chain[chain.length - 1]!;
  if (root.image.toLowerCase() !== 'scratch') return null;
  const wanted = path.posix.normalize(containerPath.replace(/\/\.$/, '') || '/');
  if (wanted === '/' || /^\/(dev|proc|sys|etc)(\/|$)/.test(wanted)) return null;
  const related = (p: string) => p === wanted || p.startsWith(`${wanted}/`) || wanted.startsWith(`${p}/`);
  let workdir = '/';
  for (const s of [...chain].reverse()) {
    for (const inst of s.instructions) {
      if (inst.keyword === 'RUN') return null;
      if (inst.keyword !== 'COPY' && inst.keyword !== 'ADD' && inst.keyword !== 'WORKDIR') continue;
      const raw = inst.keyword === 'WORKDIR' ? inst.args.map((a) => a.raw).join(' ') : inst.args.at(-1)?.raw;
      if (raw === undefined || /[$"'\\[]/.test(raw)) return null;
      const resolved = path.posix.normalize(path.posix.join(raw.startsWith('/') ? '/' : workdir, raw));
      if (inst.keyword === 'WORKDIR') workdir = resolved;
      if (related(resolved.replace(/(.)\/$/, '$1'))) return null;
    }
  }
  return `${path.basename(file.file)} builds ${build.tags[0] ?? 'the image'} FROM scratch, which starts empty, and no COPY, ADD or WORKDIR of it puts anything at ${wanted} (nor a RUN that could)`;
}
