/**
 * RS203. `FROM scratch` has no shell. A CMD or ENTRYPOINT in shell form — including invalid JSON
 * such as `CMD ['./hello']` (single quotes), which Docker silently treats as shell form — runs as
 * `/bin/sh -c …` and fails with "no such file or directory" at `docker run`. A stage built on an
 * earlier stage (`FROM base`) has that stage's base.
 */
import { diagnostic, type Diagnostic } from '../model/diagnostic.js';
import type { ParsedDockerfile } from '../model/dockerfile.js';
import { rootImage, suggestExecForm, type LintRule } from './rule.js';

export function lintScratchShellForm(file: ParsedDockerfile): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const stage of file.stages) {
    if (rootImage(file, stage).toLowerCase() !== 'scratch') continue;
    for (const inst of stage.instructions) {
      if ((inst.keyword !== 'CMD' && inst.keyword !== 'ENTRYPOINT') || inst.jsonForm || inst.args.length === 0)
        continue;
      const written = file.text.slice(inst.args[0]!.start, inst.args[inst.args.length - 1]!.end);
      const fix = suggestExecForm(written);
      out.push(
        diagnostic(
          'RS203',
          { file: file.file, line: inst.args[0]!.line, column: inst.args[0]!.column },
          `${inst.keyword} ${written} is not valid JSON${written.startsWith('[') ? ' (JSON needs double quotes)' : ''}, so Docker runs it through /bin/sh, which a FROM scratch image does not have: the container fails to start. Write it in exec form: ${fix === null ? `a JSON array of the program and its arguments, as the shell would have split them (it uses shell syntax — quotes, $, operators, globs — that exec form does not interpret)` : `${inst.keyword} ${fix}`}`,
        ),
      );
    }
  }
  return out;
}

export const scratchShellForm: LintRule = { name: 'scratch-shell-form', code: 'RS203', check: lintScratchShellForm };
