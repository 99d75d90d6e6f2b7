/**
 * RS210. Two stages of one Dockerfile named alike (in any case: Docker lower-cases stage names):
 * the classic builder refuses the file ("a stage name already used"), and BuildKit builds it,
 * resolving `COPY --from=name` to one of them — the last, with Docker 20.10's BuildKit, though it
 * came after the stage the reader meant (both measured).
 */
import { diagnostic, type Diagnostic } from '../model/diagnostic.js';
import type { ParsedDockerfile } from '../model/dockerfile.js';
import { stageNameToken, type LintRule } from './rule.js';

export function lintDuplicateStageName(file: ParsedDockerfile): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const stage of file.stages) {
    const token = stageNameToken(stage);
    const first = file.stages.find((s) => s.index < stage.index && s.name !== null && s.name === stage.name);
    if (!token || !first) continue;
    out.push(
      diagnostic(
        'RS210',
        { file: file.file, line: token.line, column: token.column },
        `the stage name ${stage.name} is already the name of the stage at line ${first.from.line}: the classic builder refuses the file ("a stage name already used"), and BuildKit reads COPY --from=${stage.name} as one of them only; rename one of the stages (and the references to it)`,
      ),
    );
  }
  return out;
}

export const duplicateStageName: LintRule = {
  name: 'duplicate-stage-name',
  code: 'RS210',
  check: lintDuplicateStageName,
};
