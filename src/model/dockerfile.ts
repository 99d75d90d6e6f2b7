/**
 * A parsed Dockerfile as plain data. Offsets are UTF-16 indices into `text` (what JavaScript
 * strings index), so an edit can splice the original text and keep every other byte as it was.
 */

export interface TextSpan {
  readonly start: number;
  readonly end: number;
  readonly line: number; // 1-based line of `start`
  readonly column: number; // 1-based column of `start`
}

export interface Token extends TextSpan {
  /** The token as written, quotes and escapes included. */
  readonly raw: string;
  /**
   * A COPY/ADD path as Docker reads it: quotes and escapes processed, `$` kept
   * (src/parse/dockerfile-word.ts). Absent for other instructions, and for a word Docker fails on.
   */
  readonly value?: string;
}

export interface InstructionFlag extends TextSpan {
  readonly name: string;
  readonly value: string | null;
}

export interface Instruction extends TextSpan {
  /** Upper-case keyword (`COPY`, `FROM`, …); an unknown word as written, upper-cased. */
  readonly keyword: string;
  /** The keyword's own span, as written (case kept). */
  readonly keywordSpan: TextSpan;
  readonly flags: readonly InstructionFlag[];
  /** Arguments after the flags, in order. For JSON form, the decoded strings. */
  readonly args: readonly Token[];
  /** True when the arguments are a valid JSON array (exec form). */
  readonly jsonForm: boolean;
  /** 0-based index of the stage the instruction belongs to; -1 before the first FROM. */
  readonly stage: number;
}

export interface Stage {
  readonly index: number;
  /** The `AS name` of the FROM, lower-cased as Docker treats it, or null. */
  readonly name: string | null;
  /** Image reference as written in FROM (may contain `${ARG}`). */
  readonly image: string;
  readonly from: Instruction;
  readonly instructions: readonly Instruction[];
}

export interface ParsedDockerfile {
  /** Path relative to the migrated directory, POSIX separators. */
  readonly file: string;
  readonly text: string;
  readonly escapeChar: string;
  /** Parser directives (`# syntax=…`, `# escape=…`, `# check=…`) at the top of the file. */
  readonly directives: readonly { readonly name: string; readonly value: string; readonly span: TextSpan }[];
  readonly instructions: readonly Instruction[];
  readonly stages: readonly Stage[];
  /** ARG instructions before the first FROM: usable only in FROM lines. */
  readonly globalArgs: readonly Instruction[];
}
