/**
 * StagePlan → the migrated Dockerfile text: each legacy file's text with its edits spliced in,
 * builder files first, the runtime file last, one blank line between them, the runtime's global
 * ARGs before the first FROM. Nothing else is reformatted.
 */
import type { PlannedFile, StagePlan, TextEdit } from '../model/plan.js';

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

export function emitDockerfile(plan: StagePlan): string {
  const parts = plan.files.map((f, i) =>
    i === 0 && plan.hoistedArgs.length > 0
      ? withHoistedArgs(f, plan.hoistedArgs)
      : applyEdits(f.dockerfile.text, f.edits),
  );
  let out = plan.directives.length > 0 ? `${plan.directives.join('\n')}\n` : '';
  parts.forEach((part, i) => {
    const body = i === 0 ? part : part.replace(/^(\s*\n)+/, '');
    if (i > 0) out = out.replace(/\n*$/, '\n\n');
    out += body;
  });
  return out.endsWith('\n') ? out : `${out}\n`;
}

function withHoistedArgs(file: PlannedFile, lines: readonly string[]): string {
  const firstFrom = file.dockerfile.stages[0]?.from.start ?? 0;
  return applyEdits(file.dockerfile.text, [
    ...file.edits,
    { start: firstFrom, end: firstFrom, text: `${lines.join('\n')}\n` },
  ]);
}
