/**
 * Where verify puts a Dockerfile it rewrote (image map, the run's own tags) so the build context
 * stays exactly the user's. Docker facts (test/e2e/self-copy.test.ts measures them):
 * - the classic builder's client, given a Dockerfile outside the context, adds it to the context
 *   under a random name and appends that name to the context's `.dockerignore`
 *   (`\n.dockerfile.<20 hex>\n`): an image that copies its `.dockerignore` then holds that line.
 *   With no `.dockerignore`, or one that excludes itself, the daemon drops both files and nothing
 *   shows;
 * - a Dockerfile inside the context that the context's `.dockerignore` excludes is read by both
 *   builders and enters no image (the classic daemon removes it, BuildKit never sends it).
 * So: when the context has a `.dockerignore` that does not exclude itself, the rewritten file goes
 * into the context at a name that `.dockerignore` already excludes (made from one of its patterns
 * with a wildcard, holding `tag` so it names no file of the user's); otherwise, or when no such
 * name exists, outside the context, where BuildKit looks for `<Dockerfile>.dockerignore` beside it.
 * A `<Dockerfile>.dockerignore` beside the original keeps the file outside: BuildKit reads that
 * file only beside the Dockerfile it is given, instead of the context's `.dockerignore`, and the
 * classic builder never (test/e2e/dockerignore-file.test.ts), so the copy beside the rewritten file
 * filters the context as the original did under either builder. The same holds for the migrated
 * Dockerfile's own file that the migration extends (src/plan/index.ts `mergedIgnore`).
 */
import { ignoredBy, parseDockerignore } from '../analyze/dockerignore.js';

/**
 * The name relative to the context root at which a rewritten Dockerfile is excluded by the
 * context's `.dockerignore` text, or null when the file should go outside the context (no
 * `.dockerignore`, one that excludes itself, a `<Dockerfile>.dockerignore`, or no pattern gives a name).
 * `tag` is a word of letters and digits unique to the build.
 */
export function excludedName(ignore: string | null, ownIgnore: boolean, tag: string): string | null {
  if (ignore === null || ownIgnore) return null;
  const rules = parseDockerignore(ignore);
  if (ignoredBy(rules, '.dockerignore')) return null;
  for (const rule of rules) {
    if (rule.exception || /[[\\]/.test(rule.pattern)) continue;
    // `**` may stand for no directory; the file stays at the top of the context, whose every directory exists.
    const segments = rule.pattern.split('/').filter((s) => s !== '**');
    if (segments.length !== 1 || !/[*?]/.test(segments[0]!)) continue;
    const name = segments[0]!.replace(/\*+/g, `restage-${tag}`).replace(/\?/g, 'r');
    if (name.includes(tag) && ignoredBy(rules, name)) return name;
  }
  return null;
}
