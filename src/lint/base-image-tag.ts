/**
 * RS207 (info). A base image without a tag is `:latest`, and `:latest` is whatever the registry
 * holds when the engine pulls it: the image built on it changes without the Dockerfile changing.
 * Not a warning: the legacy build used the same reference, and the migration keeps it. Not
 * checked: `scratch`, an earlier stage (`FROM builder`), a digest (`@sha256:…`), a reference with
 * a variable (`FROM ${BASE}`: its value is the build's).
 */
import { diagnostic, type Diagnostic } from '../model/diagnostic.js';
import type { ParsedDockerfile } from '../model/dockerfile.js';
import { earlierStage, type LintRule } from './rule.js';

/** The tag of an image reference (`registry:5000/app:1.2` → `1.2`), or null for none. */
export function imageTag(reference: string): string | null {
  const lastPart = reference.slice(reference.lastIndexOf('/') + 1);
  const colon = lastPart.indexOf(':');
  return colon < 0 ? null : lastPart.slice(colon + 1);
}

export function lintBaseImageTag(file: ParsedDockerfile): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const stage of file.stages) {
    const image = stage.image;
    const token = stage.from.args[0];
    if (!token || image.includes('$') || image.includes('@') || image.toLowerCase() === 'scratch') continue;
    if (earlierStage(file, stage)) continue;
    const tag = imageTag(image);
    if (tag !== null && tag !== 'latest') continue;
    const repository = tag === null ? image : image.slice(0, -':latest'.length);
    out.push(
      diagnostic(
        'RS207',
        { file: file.file, line: token.line, column: token.column },
        `FROM ${image} ${tag === null ? 'has no tag, so Docker uses :latest' : 'uses :latest'}, which is whatever the registry holds when the engine pulls it: the image changes with it although the Dockerfile does not; pin a version tag (${repository}:<version>) or a digest (${repository}@sha256:…)`,
      ),
    );
  }
  return out;
}

export const baseImageTag: LintRule = { name: 'base-image-tag', code: 'RS207', check: lintBaseImageTag };
