/**
 * The difference no migration can avoid when the image copies its own runtime Dockerfile (a
 * `COPY .` of a context that holds it): the legacy image holds the legacy Dockerfile, the
 * migrated image the Dockerfile that replaced it. The difference stays a difference (the images
 * do differ); its message says why and what the user can do. Recognised by content: the legacy
 * entry holds exactly the legacy runtime Dockerfile's bytes and the migrated entry exactly the
 * migrated Dockerfile's (test/e2e/self-copy.test.ts, golden copy-dot-with-artifact).
 */
import { createHash } from 'node:crypto';
import type { Difference, Manifest } from './model.js';

export interface ReplacedDockerfile {
  /** The runtime Dockerfile relative to its build context, as a `.dockerignore` names it. */
  readonly inContext: string;
  /** The legacy runtime Dockerfile's text, as the build context held it. */
  readonly legacy: string;
  /** The migrated Dockerfile's text, as verify put it in the context. */
  readonly migrated: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** `differences` with the file differences that are the replaced Dockerfile itself explained. */
export function explainSelfCopy(
  differences: readonly Difference[],
  legacy: Manifest,
  migrated: Manifest,
  replaced: ReplacedDockerfile,
): Difference[] {
  const [old, now] = [sha256(replaced.legacy), sha256(replaced.migrated)];
  return differences.map((d) => {
    if (d.aspect !== 'files' || (d.field !== 'size' && d.field !== 'sha256')) return d;
    if (legacy.entries.get(d.subject)?.sha256 !== old || migrated.entries.get(d.subject)?.sha256 !== now) return d;
    return {
      ...d,
      message:
        `${d.message}: the image holds its runtime Dockerfile itself (a COPY of the build context that includes ` +
        `${replaced.inContext}), and the migration replaces that Dockerfile, so this file cannot be the same. ` +
        `Add \`${replaced.inContext}\` to the context's .dockerignore to leave it out of the image, or keep the ` +
        `legacy Dockerfile and write the migration to another file (\`restage migrate --out FILE\`)`,
    };
  });
}
