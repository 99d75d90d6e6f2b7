/**
 * RS208. `CMD ['./app', '-v']` is not JSON (JSON strings take double quotes), so Docker takes it
 * as shell form and runs `/bin/sh -c "['./app', '-v']"`; the shell looks for a program named
 * `[./app,` and the container exits 127 ("[./app,: not found", measured with busybox sh). RUN
 * reads its arguments the same way. On a stage built on scratch, RS203 says it for CMD and
 * ENTRYPOINT (the shell is missing too), so this rule does not.
 */
import { diagnostic, type Diagnostic } from '../model/diagnostic.js';
import type { ParsedDockerfile } from '../model/dockerfile.js';
import { quotedItems, rootImage, type LintRule } from './rule.js';

const KEYWORDS = new Set(['CMD', 'ENTRYPOINT', 'RUN']);

export function lintPseudoJsonForm(file: ParsedDockerfile): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const stage of file.stages) {
    const scratch = rootImage(file, stage).toLowerCase() === 'scratch';
    for (const inst of stage.instructions) {
      if (!KEYWORDS.has(inst.keyword) || inst.jsonForm || inst.args.length === 0) continue;
      if (scratch && inst.keyword !== 'RUN') continue;
      const written = file.text.slice(inst.args[0]!.start, inst.args[inst.args.length - 1]!.end);
      const items = quotedItems(written);
      if (items === null || !written.includes("'")) continue;
      out.push(
        diagnostic(
          'RS208',
          { file: file.file, line: inst.args[0]!.line, column: inst.args[0]!.column },
          `${inst.keyword} ${written} is not valid JSON (JSON needs double quotes), so Docker runs the text through /bin/sh -c, and the shell looks for a program named \`${firstShellWord(written)}\`: the command fails; write it in exec form: ${inst.keyword} ${JSON.stringify(items).replace(/","/g, '", "')}`,
        ),
      );
    }
  }
  return out;
}

/** The first word the shell reads from `written` (quotes removed; `written` holds no backslash). */
function firstShellWord(written: string): string {
  let word = '';
  let quote: string | null = null;
  for (const c of written.trim()) {
    if (quote !== null) {
      if (c === quote) quote = null;
      else word += c;
    } else if (c === "'" || c === '"') quote = c;
    else if (/\s/.test(c)) break;
    else word += c;
  }
  return word;
}

export const pseudoJsonForm: LintRule = { name: 'pseudo-json-form', code: 'RS208', check: lintPseudoJsonForm };
