/**
 * Offsets in a text (UTF-16 code units, as JavaScript strings count) and the lines and columns
 * a person reads. Lines end at `\n`; with `loneCr`, a `\r` not followed by `\n` ends one too, as
 * dockerfile-ast counts them (the shell, and `locate`, do not).
 */

/** A 0-based line and the 0-based character within it. */
export interface LinePosition {
  readonly line: number;
  readonly character: number;
}

/** The offset where each line starts: `[0, …]`. */
export function lineStarts(text: string, loneCr = false): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (loneCr && c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

/** The 0-based line and character of an offset, given the text's line starts. */
export function positionAt(starts: readonly number[], offset: number): LinePosition {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low, character: offset - starts[low]! };
}

/** The offset of a 0-based line and character (line 0 when the line is past the end). */
export function offsetAt(starts: readonly number[], position: LinePosition): number {
  return (starts[position.line] ?? 0) + position.character;
}

/** 1-based line and column of an offset; lines end at `\n`. */
export function locate(text: string, offset: number): { line: number; column: number } {
  const { line, character } = positionAt(lineStarts(text), offset);
  return { line: line + 1, column: character + 1 };
}

/** The offset where the line holding `offset` starts. */
export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}
