/**
 * A build's Dockerfile under the run's names: FROM images, `COPY --from=<image>` and
 * `RUN --mount=…,from=<image>` that name a tag the run made (or a base the image map replaces)
 * are rewritten; stage names and `scratch` are not. A FROM written with variables (`FROM
 * ${BASE}`) whose value for this build (src/verify/arg-scope.ts) names a tag the run made is rewritten to that
 * tag, and one naming a base the image map replaces to the mapped image, as the restage side
 * does (scratch.ts rewriteImages); a value naming anything else, or none the shim can know, stays
 * as written. So is `COPY --from=$X` under podman, whose builder expands the stage's ARGs there; docker's does not
 * (the build fails, as it would outside verify), nor does either in `RUN --mount=from=`, which
 * stay as written. The rewritten file goes where the build context stays exactly the user's
 * (src/verify/placement.ts): into the context under a name its `.dockerignore` already
 * excludes, else to the scratch directory, with a `<Dockerfile>.dockerignore` beside the
 * original copied beside it, as BuildKit looks for it next to the Dockerfile it is given.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { applyEdits } from '../../../emit/dockerfile.js';
import type { TextEdit } from '../../../model/plan.js';
import type { ParsedDockerfile } from '../../../model/dockerfile.js';
import { parseDockerfile } from '../../../parse/dockerfile.js';
import { excludedName } from '../../placement.js';
import { imageReferences } from '../../scratch.js';
import { expandWord, globalScope, stageScope, type BuildArgs } from '../../arg-scope.js';
import type { Call } from './call.js';

/** How references written with variables are resolved: the build's arguments, and the run's tag or the mapped base for an image (else null). */
export interface VariableImages {
  readonly buildArgs: BuildArgs;
  readonly own: (image: string) => string | null;
  /** Whether `COPY --from=` expands variables (podman's builder does, docker's does not). */
  readonly copyFromExpands: boolean;
}

/**
 * The Dockerfile text with its literal image references passed through `resolve`, and those
 * written with variables through `variables` when given (unchanged text when none changes).
 */
export function rewriteDockerfile(
  text: string,
  resolve: (image: string) => string,
  variables?: VariableImages,
): string {
  const dockerfile = parseDockerfile('Dockerfile', text).dockerfile;
  const edits: TextEdit[] = [];
  for (const ref of imageReferences(dockerfile)) {
    if (ref.image.includes('$')) continue;
    const to = resolve(ref.image);
    if (to !== ref.image)
      edits.push({ start: ref.span.start, end: ref.span.end, text: ref.flag ? `--from=${to}` : to });
  }
  if (variables) edits.push(...variableEdits(dockerfile, variables));
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

/** Edits for FROM (and podman's `COPY --from=`) written with variables whose value names a tag the run made or a mapped base. */
function variableEdits(dockerfile: ParsedDockerfile, variables: VariableImages): TextEdit[] {
  const stages = new Set(dockerfile.stages.map((s) => s.name).filter((n): n is string => n !== null));
  const own = (written: string, scope: ReturnType<typeof globalScope>) => {
    const value = expandWord(written, scope, dockerfile.escapeChar);
    // A value naming a stage refers to that stage, whatever the run tagged.
    if (value === null || stages.has(value.toLowerCase()) || /^\d+$/.test(value)) return null;
    return variables.own(value);
  };
  const edits: TextEdit[] = [];
  const global = globalScope(dockerfile, variables.buildArgs);
  for (const stage of dockerfile.stages) {
    const token = stage.from.args.find((a) => !a.raw.startsWith('--'));
    const to = token?.raw.includes('$') ? own(token.raw, global) : null;
    if (token && to !== null) edits.push({ start: token.start, end: token.end, text: to });
    if (!variables.copyFromExpands) continue;
    stage.instructions.forEach((inst, i) => {
      const from = inst.keyword === 'COPY' ? inst.flags.find((f) => f.name === 'from') : undefined;
      if (!from?.value?.includes('$')) return;
      const image = own(from.value, stageScope(dockerfile, stage.instructions.slice(0, i), variables.buildArgs));
      if (image !== null) edits.push({ start: from.start, end: from.end, text: `--from=${image}` });
    });
  }
  return edits;
}

/** Whether any Dockerfile could need rewriting: the run made a tag, or images are mapped. */
export function mayRewrite(call: Call): boolean {
  return Object.keys(call.state.images).length > 0 || call.ctx.imageMap.size > 0;
}

/**
 * Rewrites the Dockerfile at `file` (as the script sees it) through `rewrite`, for a build of the
 * directory `context`, to where placement.ts says the build context stays the user's: into the
 * context under a name its `.dockerignore` excludes (recorded in `call.temporary`, removed once
 * the call is done), else into the scratch directory. Returns the new path, or null when nothing
 * changes or the file cannot be read (the engine then reports it).
 */
export function placeDockerfile(
  call: Call,
  file: string,
  rewrite: (text: string) => string,
  context: string,
): string | null {
  const text = call.io.readFile(file);
  if (text === null) return null;
  const rewritten = rewrite(text);
  if (rewritten === text) return null;
  // Content-addressed, and per call: builds side by side never overwrite or remove another's file.
  const digest = createHash('sha256')
    .update(file)
    .update('\0')
    .update(rewritten)
    .update('\0')
    .update(call.ctx.iidfile ?? '')
    .digest('hex')
    .slice(0, 16);
  const ignore = call.io.readFile(`${file}.dockerignore`);
  const inside = excludedName(call.io.readFile(path.posix.join(context, '.dockerignore')), ignore !== null, digest);
  if (inside !== null) {
    const target = path.posix.join(context, inside);
    call.files.push({ path: target, text: rewritten });
    call.temporary.push(target);
    return target;
  }
  const target = path.posix.join(call.ctx.scratchDir, 'dockerfiles', digest, path.posix.basename(file));
  call.files.push({ path: target, text: rewritten });
  if (ignore !== null) call.files.push({ path: `${target}.dockerignore`, text: ignore });
  return target;
}
