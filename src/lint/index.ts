/**
 * The lint rules restage runs on what it emits or keeps, one per file in src/lint (rule.ts holds
 * their contract); test/lint/index.test.ts holds this list against the folder.
 *
 * Where a finding is located: the rules run on each legacy Dockerfile restage reads (the file's
 * own lines), and on the Dockerfile it emits; a finding on the emitted one is moved to the legacy
 * file its line comes from — at the same character when restage kept the text (the emitted file
 * keeps it byte for byte), at the place restage's edit went in when restage wrote the text
 * (`lintEmitted`). Every finding so points at a line of a file that exists before `--write`.
 */
import type { Diagnostic } from '../model/diagnostic.js';
import type { ParsedDockerfile } from '../model/dockerfile.js';
import type { EmittedDockerfile } from '../emit/dockerfile.js';
import { parseDockerfile } from '../parse/dockerfile.js';
import { lineStarts, offsetAt, positionAt } from '../shared/text-position.js';
import type { LintRule } from './rule.js';
import { baseImageTag } from './base-image-tag.js';
import { copyFromStage } from './copy-from-stage.js';
import { duplicateStageName } from './duplicate-stage-name.js';
import { pseudoJsonForm } from './pseudo-json-form.js';
import { scratchShellForm } from './scratch-shell-form.js';
import { stageNameCase } from './stage-name-case.js';

export const RULES: readonly LintRule[] = [
  baseImageTag,
  copyFromStage,
  duplicateStageName,
  pseudoJsonForm,
  scratchShellForm,
  stageNameCase,
];

export function lintDockerfile(file: ParsedDockerfile): Diagnostic[] {
  return RULES.flatMap((r) => r.check(file));
}

/**
 * The findings on an emitted Dockerfile, each located in the legacy file its text comes from (see
 * above); `target` (the path the emitted file is written to) for one on restage's own lines.
 */
export function lintEmitted(emitted: EmittedDockerfile, target: string): Diagnostic[] {
  const parsed = parseDockerfile(target, emitted.text).dockerfile;
  const starts = lineStarts(emitted.text, true);
  return lintDockerfile(parsed).map((d) => {
    const origin = emitted.origin(offsetAt(starts, { line: d.line - 1, character: d.column - 1 }));
    if (!origin) return d;
    const at = positionAt(lineStarts(origin.file.text, true), origin.offset);
    return { ...d, file: origin.file.file, line: at.line + 1, column: at.character + 1 };
  });
}
