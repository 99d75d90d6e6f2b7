/**
 * Scratch copies: verify never builds in the user's tree. A copy of the directory (without .git)
 * is made per side, and host paths of the analysis are mapped into it.
 *
 * Image mapping (`--image-map FROM=TO`): base images are substituted in every Dockerfile verify
 * builds, on both sides alike, for air-gapped machines and mirrors. A key with a tag matches that
 * exact image; a key without one matches the repository with any tag.
 */
import fs from 'node:fs';
import path from 'node:path';
import { normalizeTag } from '../analyze/artifacts.js';
import { parseDockerfile } from '../parse/dockerfile.js';
import { applyEdits } from '../emit/dockerfile.js';
import type { TextEdit } from '../model/plan.js';

export class ScratchTree {
  constructor(readonly source: string, readonly root: string) {}

  static copy(source: string, root: string): ScratchTree {
    fs.cpSync(source, root, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true, filter: (p) => path.basename(p) !== '.git' });
    return new ScratchTree(source, root);
  }

  /** The scratch path for a host path of the analysis (paths outside the directory are kept). */
  map(hostPath: string): string {
    const rel = path.relative(this.source, hostPath);
    return rel.startsWith('..') || path.isAbsolute(rel) ? hostPath : path.join(this.root, rel);
  }
}

export type ImageMap = ReadonlyMap<string, string>;

/** `FROM=TO` strings → a map; throws with the offending entry when one is malformed. */
export function parseImageMap(entries: readonly string[]): ImageMap {
  const map = new Map<string, string>();
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq <= 0 || eq === entry.length - 1) throw new Error(`--image-map takes FROM=TO, got "${entry}"`);
    map.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  return map;
}

/** The image an image reference maps to, or the reference itself. */
export function mapImage(image: string, map: ImageMap): string {
  const normal = normalizeTag(image);
  for (const [from, to] of map) {
    const hasTag = from.slice(from.lastIndexOf('/') + 1).includes(':') || from.includes('@');
    if (hasTag ? normalizeTag(from) === normal : normal.startsWith(`${normalizeTag(from).replace(/:latest$/, '')}:`)) return to;
  }
  return image;
}

/**
 * Rewrites a Dockerfile's FROM images and `COPY --from=<image>` references through `resolve`
 * (which returns the reference unchanged when it has nothing to say). Stage names are left alone.
 */
export function rewriteImages(text: string, resolve: (image: string) => string): string {
  const { dockerfile } = parseDockerfile('Dockerfile', text);
  const stageNames = new Set(dockerfile.stages.map((s) => s.name).filter((n): n is string => n !== null));
  const edits: TextEdit[] = [];
  for (const stage of dockerfile.stages) {
    const token = stage.from.args.find((a) => !a.raw.startsWith('--'));
    if (token && !stageNames.has(token.raw.toLowerCase()) && token.raw.toLowerCase() !== 'scratch') {
      const to = resolve(token.raw);
      if (to !== token.raw) edits.push({ start: token.start, end: token.end, text: to });
    }
    for (const inst of stage.instructions) {
      const from = inst.flags.find((f) => f.name === 'from');
      if (!from?.value || stageNames.has(from.value.toLowerCase()) || /^\d+$/.test(from.value)) continue;
      const to = resolve(from.value);
      if (to !== from.value) edits.push({ start: from.start, end: from.end, text: `--from=${to}` });
    }
  }
  return applyEdits(text, edits);
}
