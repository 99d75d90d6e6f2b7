/**
 * RS211. `COPY --from=X` reads an earlier stage when X names one (or is its index, from 0);
 * otherwise Docker reads X as an image and pulls it. X naming a later stage (or its own) splits
 * the builders: BuildKit builds it from that stage, the classic builder looks for an image of that
 * name (both measured with Docker 20.10: "invalid from flag value second: Get
 * https://registry-1.docker.io/…"). A name that looks like an image reference (a tag, a digest, a
 * registry path: `:`, `@`, `/`) is taken as one; a value with a variable (`$STAGE`) is the build's.
 */
import { diagnostic, type Diagnostic } from '../model/diagnostic.js';
import type { ParsedDockerfile } from '../model/dockerfile.js';
import type { LintRule } from './rule.js';

export function lintCopyFromStage(file: ParsedDockerfile): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const stage of file.stages) {
    for (const inst of stage.instructions) {
      if (inst.keyword !== 'COPY') continue;
      for (const flag of inst.flags) {
        if (flag.name.toLowerCase() !== 'from' || flag.value === null || flag.value.includes('$')) continue;
        const value = flag.value;
        const named = /^\d+$/.test(value)
          ? file.stages[Number(value)]
          : file.stages.find((s) => s.name === value.toLowerCase());
        if (named ? named.index < stage.index : /^\d+$/.test(value) ? false : /[:@/]/.test(value)) continue;
        const at = { file: file.file, line: flag.line, column: flag.column };
        const why = named
          ? `names ${named.index === stage.index ? 'the stage it is in' : `the stage at line ${named.from.line}, which comes later`}: BuildKit builds it from that stage, the classic builder reads ${value} as an image and pulls it; move the stage it copies from before this one`
          : /^\d+$/.test(value)
            ? `names stage ${value}, which the file does not have (stages count from 0); name an earlier stage`
            : `names no stage of this file: Docker reads ${value} as the image ${value}:latest and pulls it; name an earlier stage, or give the image a tag if the image is meant`;
        out.push(diagnostic('RS211', at, `COPY --from=${value} ${why}`));
      }
    }
  }
  return out;
}

export const copyFromStage: LintRule = { name: 'copy-from-stage', code: 'RS211', check: lintCopyFromStage };
