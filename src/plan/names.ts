/**
 * Stage names: lower-case, derived from the role (`builder`, `runtime`), kept when the legacy
 * file already named the stage, made unique, and never `scratch` or `context` (reserved words
 * for COPY --from and build contexts).
 */
import type { Instruction, ParsedDockerfile } from '../model/dockerfile.js';
import type { TextEdit } from '../model/plan.js';
import { matchCase } from './copies.js';

const RESERVED = new Set(['scratch', 'context']);

export class StageNames {
  private readonly taken = new Set<string>();

  constructor(existing: Iterable<string>) {
    for (const n of existing) this.taken.add(n.toLowerCase());
  }

  /** A fresh name for a role; `preferred` (an existing stage name) is used when it is safe. */
  claim(role: string, preferred: string | null = null): string {
    if (preferred && !RESERVED.has(preferred.toLowerCase())) return preferred.toLowerCase();
    let name = role;
    for (let i = 2; this.taken.has(name) || RESERVED.has(name); i++) name = `${role}-${i}`;
    this.taken.add(name);
    return name;
  }
}

/** `FROM image` → `FROM image AS name`, in the case the user wrote FROM in. */
export function nameStage(file: ParsedDockerfile, from: Instruction, name: string): TextEdit {
  const last = from.args[from.args.length - 1];
  const at = last ? last.end : from.keywordSpan.end;
  return { start: at, end: at, text: ` ${matchCase(from.keywordSpan, file.text, 'AS')} ${name}` };
}
