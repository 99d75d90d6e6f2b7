/** Moving the locations the analysis made in a generated script back to the file it came from. */
import type { Location } from '../model/diagnostic.js';

type Point = { readonly line: number; readonly column: number };
/** Where a location moves: another line and column, and another file when it came from one (a Makefile's include). */
type Moved = Point & { readonly file?: string };

/**
 * A function that moves, in place, every location in a value whose file is `file` (the generated
 * script carries the orchestrator's display name) to `locate(line, column)`. Each object is
 * visited once, so a location shared by several events moves once.
 */
export function relocator(file: string, locate: (at: Point) => Moved | null): (value: unknown) => void {
  const seen = new WeakSet<object>();
  const visit = (value: unknown): void => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const v of value) visit(v);
      return;
    }
    if (value instanceof Map) {
      for (const v of value.values()) visit(v);
      return;
    }
    if (Object.getPrototypeOf(value) !== Object.prototype) return;
    const at = value as Partial<Location>;
    if (at.file === file && typeof at.line === 'number' && typeof at.column === 'number') {
      const moved = locate({ line: at.line, column: at.column });
      if (moved) Object.assign(value, { file: moved.file ?? file, line: moved.line, column: moved.column });
    }
    for (const v of Object.values(value)) visit(v);
  };
  return visit;
}
