/**
 * RS209 (info). Docker reads a stage name in lower case: `FROM … AS Build` is the stage `build`,
 * and `COPY --from=build` finds it (measured with BuildKit and the classic builder of Docker
 * 20.10). Written otherwise, the name reads as if case mattered; BuildKit's build checks warn too.
 */
import { diagnostic, type Diagnostic } from '../model/diagnostic.js';
import type { ParsedDockerfile } from '../model/dockerfile.js';
import { stageNameToken, type LintRule } from './rule.js';

export function lintStageNameCase(file: ParsedDockerfile): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const stage of file.stages) {
    const token = stageNameToken(stage);
    if (!token || token.raw === token.raw.toLowerCase()) continue;
    out.push(
      diagnostic(
        'RS209',
        { file: file.file, line: token.line, column: token.column },
        `the stage name ${token.raw} is not lower-case: Docker reads it as ${token.raw.toLowerCase()}; write it so`,
      ),
    );
  }
  return out;
}

export const stageNameCase: LintRule = { name: 'stage-name-case', code: 'RS209', check: lintStageNameCase };
