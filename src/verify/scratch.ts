/**
 * Scratch areas: verify never builds, writes or deletes in the user's tree, nor anywhere else on
 * the host. Each side gets a scratch root holding a mirror of the host file system: every host
 * path P of the analysis is `<root>/fs/P` (one mapping for every replayed operation). The mirror
 * starts empty — a private `/tmp`, `/opt`, … — except for the *area*: the part of the enclosing
 * repository (the git work tree holding the directory, without .git; else the directory) that
 * the flow names, copied in. `cd "$(dirname "$0")/.."` from `ci/` thus reaches the copy of the
 * repository root, and `/tmp/out` a private empty directory.
 *
 * Image mapping (`--image-map FROM=TO`): base images are substituted in every Dockerfile verify
 * builds, on both sides alike, for air-gapped machines and mirrors. A key with a tag matches that
 * exact image; a key without one matches the repository with any tag.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { imageKey, namesVersion, repositoryKey } from '../shared/image-ref.js';
import { parseDockerfile } from '../parse/dockerfile.js';
import { applyEdits } from '../emit/dockerfile.js';
import type { TextEdit } from '../model/plan.js';
import type { ParsedDockerfile, TextSpan } from '../model/dockerfile.js';
import { isWithin } from '../shared/paths.js';
import { repositoryOf } from '../shared/repository.js';
import { excludedName } from './placement.js';
import { expandWord, globalScope } from './arg-scope.js';
import type { Session } from './session.js';

/** A write the replay was about to make outside its scratch root: a bug in restage, never done. */
export class ConfinementError extends Error {
  constructor(what: string, target: string, root: string) {
    super(
      `internal error: verify's replay was about to ${what} ${target}, outside its scratch area ${root}; nothing was written`,
    );
    this.name = 'ConfinementError';
  }
}

export { repositoryOf };

/**
 * The part of the repository the replay copies: the deepest directory holding `dir` and every
 * path of `paths` that lies in the repository. Paths outside the repository are not copied.
 */
export function scratchArea(dir: string, paths: Iterable<string>): string {
  const repo = repositoryOf(dir);
  let area = path.resolve(dir);
  for (const p of paths) {
    if (!isWithin(p, repo)) continue;
    while (!isWithin(p, area)) area = path.dirname(area);
  }
  return area;
}

export class ScratchTree {
  /** `area`: the host directory copied in; `root`: the session's scratch directory for this side. */
  constructor(
    readonly area: string,
    readonly root: string,
  ) {}

  static copy(area: string, root: string): ScratchTree {
    const tree = new ScratchTree(area, root);
    const target = tree.map(area);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.cpSync(area, target, {
      recursive: true,
      verbatimSymlinks: true,
      preserveTimestamps: true,
      filter: (p) => path.basename(p) !== '.git',
    });
    return tree;
  }

  /** The scratch path of a host path of the analysis: inside the mirror, whatever the path. */
  map(hostPath: string): string {
    return path.join(this.root, 'fs', path.resolve('/', hostPath));
  }

  /** Whether a host path is in the copied area (else it exists in the mirror only if the flow made it). */
  copied(hostPath: string): boolean {
    return isWithin(path.resolve(hostPath), this.area);
  }

  /**
   * Guards a write: `scratchPath` must be inside the scratch root once symlinks are resolved (a
   * link copied from the repository may point anywhere). `entry`: the operation acts on the
   * directory entry itself (rm, rename of a link), so only its parent is resolved.
   */
  writable(scratchPath: string, what: string, entry = false): string {
    const root = fs.realpathSync(this.root);
    if (!isWithin(path.resolve(scratchPath), path.resolve(this.root)))
      throw new ConfinementError(what, scratchPath, this.root);
    for (let probe = entry ? path.dirname(scratchPath) : scratchPath; ; probe = path.dirname(probe)) {
      let real: string | null = null;
      try {
        real = fs.realpathSync(probe);
      } catch {
        // A dangling link: writing through it would create its target, wherever that is.
        if (fs.lstatSync(probe, { throwIfNoEntry: false })?.isSymbolicLink() || path.dirname(probe) === probe)
          throw new ConfinementError(what, scratchPath, this.root);
      }
      if (real !== null) {
        if (!isWithin(real, root)) throw new ConfinementError(what, scratchPath, this.root);
        break;
      }
    }
    return scratchPath;
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

/**
 * The image an image reference maps to, or the reference itself. An entry naming the exact tag
 * wins over one naming the repository, whatever their order (RS701 suggests the exact tag).
 */
export function mapImage(image: string, map: ImageMap): string {
  const key = imageKey(image);
  for (const [from, to] of map) if (namesVersion(from) && imageKey(from) === key) return to;
  const repository = repositoryKey(image);
  for (const [from, to] of map) if (!namesVersion(from) && repositoryKey(from) === repository) return to;
  return image;
}

/**
 * Rewrites a Dockerfile's FROM images and `COPY --from=<image>` references through `resolve`
 * (which returns the reference unchanged when it has nothing to say). Stage names are left alone.
 * A FROM written with variables (`FROM golang:${GO_VERSION}`) is resolved by its value under the
 * build's `buildArgs` (arg-scope.ts) when given and knowable — the same value the legacy run's shim
 * gives it, so both sides of a verify map a base behind a build argument alike — and stays as
 * written otherwise.
 */
export function rewriteImages(
  text: string,
  resolve: (image: string) => string,
  buildArgs?: Readonly<Record<string, string>>,
): string {
  const dockerfile = parseDockerfile('Dockerfile', text).dockerfile;
  const stages = new Set(dockerfile.stages.map((s) => s.name).filter((n): n is string => n !== null));
  const global = buildArgs && globalScope(dockerfile, new Map(Object.entries(buildArgs)));
  const edits: TextEdit[] = [];
  for (const ref of imageReferences(dockerfile)) {
    const written = ref.image.includes('$')
      ? !ref.flag && global
        ? expandWord(ref.image, global, dockerfile.escapeChar)
        : null
      : ref.image;
    if (written === null || stages.has(written.toLowerCase())) continue;
    const to = resolve(written);
    if (to !== written) edits.push({ start: ref.span.start, end: ref.span.end, text: ref.flag ? `--from=${to}` : to });
  }
  return applyEdits(text, edits);
}

/** An image a Dockerfile names: a `FROM` image, or `COPY --from=<image>` (`span` is the whole flag then). */
export interface ImageReference {
  readonly image: string;
  readonly span: TextSpan;
  readonly flag: boolean;
}

/** The images a Dockerfile names; stage names (either case), `scratch` and stage indices are not images. */
export function imageReferences(dockerfile: ParsedDockerfile): ImageReference[] {
  const stageNames = new Set(dockerfile.stages.map((s) => s.name).filter((n): n is string => n !== null));
  const isImage = (ref: string) =>
    !stageNames.has(ref.toLowerCase()) && ref.toLowerCase() !== 'scratch' && !/^\d+$/.test(ref);
  const refs: ImageReference[] = [];
  for (const stage of dockerfile.stages) {
    const token = stage.from.args.find((a) => !a.raw.startsWith('--'));
    if (token && isImage(token.raw)) refs.push({ image: token.raw, span: token, flag: false });
    for (const inst of stage.instructions) {
      const from = inst.flags.find((f) => f.name === 'from');
      if (from?.value && isImage(from.value)) refs.push({ image: from.value, span: from, flag: true });
    }
  }
  return refs;
}

/**
 * The file a build of `context` is given for `rewritten`, verify's rewriting of the Dockerfile
 * `file` in the scratch tree, which keeps its own text: `file` itself when nothing changed, else
 * the rewritten text placed as placement.ts says (inside `context` under a name its
 * `.dockerignore` excludes, else in a scratch directory outside it, a `<Dockerfile>.dockerignore`
 * beside `file` copied beside it), so verify's own rewriting never enters the image.
 */
export function placeRewritten(
  tree: ScratchTree,
  file: string,
  context: string,
  rewritten: string,
  session: Pick<Session, 'scratch'>,
): string {
  const read = (f: string) => {
    try {
      return fs.readFileSync(f, 'utf8');
    } catch {
      return null;
    }
  };
  if (read(file) === rewritten) return file;
  const ownIgnore = read(`${file}.dockerignore`);
  const tag = createHash('sha256').update(file).update('\0').update(rewritten).digest('hex').slice(0, 16);
  const inside = excludedName(read(path.join(context, '.dockerignore')), ownIgnore !== null, tag);
  if (inside !== null) {
    const target = tree.writable(path.join(context, inside), 'write the rewritten Dockerfile');
    fs.writeFileSync(target, rewritten);
    return target;
  }
  const target = path.join(session.scratch('dockerfile'), path.basename(file));
  fs.writeFileSync(target, rewritten);
  if (ownIgnore !== null) fs.writeFileSync(`${target}.dockerignore`, ownIgnore);
  return target;
}
