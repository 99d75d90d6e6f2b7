/**
 * Which Dockerfile sources come from the build context. A `COPY` or `ADD` without `--from` reads
 * its sources from the context (`--from` names a stage or an image instead); among them, an `ADD`
 * URL (`https://…`), a git source (`git@…`) and a heredoc (`<<EOF`) are not context files.
 */
import type { Instruction } from '../model/dockerfile.js';

/** Whether the instruction copies from the build context: COPY or ADD without `--from`. */
export function readsContext(inst: Instruction): boolean {
  return (inst.keyword === 'COPY' || inst.keyword === 'ADD') && !inst.flags.some((f) => f.name === 'from');
}

/** Whether a source of such an instruction names a file of the context (not a URL, git or heredoc source). */
export function isContextSource(raw: string): boolean {
  return !/^[a-z]+:\/\//i.test(raw) && !raw.startsWith('git@') && !raw.startsWith('<<');
}
