/**
 * StagePlan → the migrated Dockerfile text: each legacy file's text with its edits spliced in,
 * builder files first, the runtime file last, one blank line between them, the runtime's global
 * ARGs before the first FROM. Nothing else is reformatted.
 */
import type { ParsedDockerfile } from '../model/dockerfile.js';
import type { StagePlan, TextEdit } from '../model/plan.js';

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** Where a character of the emitted text comes from. */
export interface Origin {
  readonly file: ParsedDockerfile;
  /**
   * Offset in the legacy file's text: of the character itself when the text is kept from it; of
   * the edit that wrote it (where restage's text went in) when restage wrote it.
   */
  readonly offset: number;
  readonly kept: boolean;
}

export interface EmittedDockerfile {
  readonly text: string;
  /** The origin of the character at an offset of `text`; null for restage's own lines (parser directives, separators). */
  origin(offset: number): Origin | null;
}

/** A run of the emitted text: `text` kept from `file` at `at`, or written by restage at `at` (kept false). */
interface Piece {
  readonly text: string;
  readonly file: ParsedDockerfile | null;
  readonly at: number;
  readonly kept: boolean;
}

export function emitDockerfile(plan: StagePlan): string {
  return emitDockerfileWithOrigins(plan).text;
}

export function emitDockerfileWithOrigins(plan: StagePlan): EmittedDockerfile {
  const parts = plan.files.map((f, i) => {
    const firstFrom = f.dockerfile.stages[0]?.from.start ?? 0;
    const hoisted =
      i === 0 && plan.hoistedArgs.length > 0
        ? [{ start: firstFrom, end: firstFrom, text: `${plan.hoistedArgs.join('\n')}\n` }]
        : [];
    return splicePieces(f.dockerfile, [...f.edits, ...hoisted]);
  });
  let out: Piece[] = plan.directives.length > 0 ? [own(`${plan.directives.join('\n')}\n`)] : [];
  parts.forEach((part, i) => {
    let body = part;
    if (i > 0) {
      body = dropFront(part, /^(\s*\n)+/.exec(joined(part))?.[0].length ?? 0);
      const trailing = /\n*$/.exec(joined(out))![0].length;
      out = [...dropBack(out, trailing), own('\n\n')];
    }
    out = [...out, ...body];
  });
  if (!joined(out).endsWith('\n')) out = [...out, own('\n')];
  const pieces = out.filter((p) => p.text.length > 0);
  const starts: number[] = [];
  let text = '';
  for (const p of pieces) {
    starts.push(text.length);
    text += p.text;
  }
  return {
    text,
    origin(offset) {
      let i = starts.length - 1;
      while (i > 0 && starts[i]! > offset) i--;
      const p = pieces[i];
      if (!p?.file) return null;
      return {
        file: p.file,
        offset: p.kept ? p.at + Math.min(offset - starts[i]!, p.text.length) : p.at,
        kept: p.kept,
      };
    },
  };
}

const own = (text: string): Piece => ({ text, file: null, at: 0, kept: false });
const joined = (pieces: readonly Piece[]) => pieces.map((p) => p.text).join('');

/** The file's text with the edits spliced in, as `applyEdits` does it (back to front, on the text so far). */
function splicePieces(file: ParsedDockerfile, edits: readonly TextEdit[]): Piece[] {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let pieces: Piece[] = [{ text: file.text, file, at: 0, kept: true }];
  for (const e of sorted) {
    const [before, rest] = split(pieces, e.start);
    const [, after] = split(rest, e.end - e.start);
    pieces = [...before, { text: e.text, file, at: e.start, kept: false }, ...after];
  }
  return pieces;
}

/** The pieces cut at an offset of their joined text. */
function split(pieces: readonly Piece[], offset: number): [Piece[], Piece[]] {
  const before: Piece[] = [];
  const after: Piece[] = [];
  let pos = 0;
  for (const p of pieces) {
    const end = pos + p.text.length;
    if (end <= offset) before.push(p);
    else if (pos >= offset) after.push(p);
    else {
      const cut = offset - pos;
      before.push({ ...p, text: p.text.slice(0, cut) });
      after.push({ ...p, text: p.text.slice(cut), at: p.kept ? p.at + cut : p.at });
    }
    pos = end;
  }
  return [before, after];
}

const dropFront = (pieces: readonly Piece[], n: number) => split(pieces, n)[1];
const dropBack = (pieces: readonly Piece[], n: number) => split(pieces, joined(pieces).length - n)[0];
