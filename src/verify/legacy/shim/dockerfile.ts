/**
 * A build's Dockerfile under the run's names: FROM images, `COPY --from=<image>` and
 * `RUN --mount=…,from=<image>` that name a tag the run made (or a base the image map replaces)
 * are rewritten; stage names, `scratch` and `${ARG}` references are not. The rewritten file goes
 * to the scratch directory, never into the repository copy, where it would enter the build
 * context; a `<Dockerfile>.dockerignore` beside the original is copied beside it, as BuildKit
 * looks for it next to the Dockerfile it is given.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { applyEdits } from '../../../emit/dockerfile.js';
import type { TextEdit } from '../../../model/plan.js';
import { parseDockerfile } from '../../../parse/dockerfile.js';
import { imageReferences } from '../../scratch.js';
import type { Call } from './call.js';

/** The Dockerfile text with its image references passed through `resolve` (unchanged text when none changes). */
export function rewriteDockerfile(text: string, resolve: (image: string) => string): string {
  const dockerfile = parseDockerfile('Dockerfile', text).dockerfile;
  const edits: TextEdit[] = [];
  for (const ref of imageReferences(dockerfile)) {
    const to = resolve(ref.image);
    if (to !== ref.image)
      edits.push({ start: ref.span.start, end: ref.span.end, text: ref.flag ? `--from=${to}` : to });
  }
  const stages = new Set(dockerfile.stages.map((s) => s.name).filter((n): n is string => n !== null));
  for (const inst of dockerfile.instructions) {
    if (inst.keyword !== 'RUN') continue;
    for (const flag of inst.flags) {
      if (flag.name !== 'mount' || flag.value === null) continue;
      let changed = false;
      const fields = flag.value.split(',').map((field) => {
        const m = /^from=(.+)$/i.exec(field);
        if (!m || stages.has(m[1]!.toLowerCase()) || /^\d+$/.test(m[1]!)) return field;
        const to = resolve(m[1]!);
        changed ||= to !== m[1];
        return `${field.slice(0, 'from='.length)}${to}`;
      });
      if (changed) edits.push({ start: flag.start, end: flag.end, text: `--mount=${fields.join(',')}` });
    }
  }
  return edits.length === 0 ? text : applyEdits(text, edits);
}

/** Whether any Dockerfile could need rewriting: the run made a tag, or images are mapped. */
export function mayRewrite(call: Call): boolean {
  return Object.keys(call.state.images).length > 0 || call.ctx.imageMap.size > 0;
}

/**
 * Rewrites the Dockerfile at `file` (as the script sees it) into the scratch directory; returns the
 * new path, or null when nothing changes or the file cannot be read (the engine then reports it).
 */
export function placeDockerfile(call: Call, file: string): string | null {
  const text = call.io.readFile(file);
  if (text === null) return null;
  const rewritten = rewriteDockerfile(text, (image) => call.image(image));
  if (rewritten === text) return null;
  // Content-addressed: a script running builds in parallel never overwrites another's file.
  const digest = createHash('sha256').update(file).update('\0').update(rewritten).digest('hex').slice(0, 16);
  const target = path.posix.join(call.ctx.scratchDir, 'dockerfiles', digest, path.posix.basename(file));
  call.files.push({ path: target, text: rewritten });
  const ignore = call.io.readFile(`${file}.dockerignore`);
  if (ignore !== null) call.files.push({ path: `${target}.dockerignore`, text: ignore });
  return target;
}
