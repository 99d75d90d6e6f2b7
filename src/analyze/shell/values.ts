/**
 * What the evaluator knows about a shell value. A value is either known text, or unresolved
 * with the reason why (the output of a command restage does not run, a positional parameter…).
 * Unset variables expand to nothing, as in the shell, but the value remembers which environment
 * variables it read, so a path that silently became empty can be reported instead of guessed.
 */
import type { Location } from '../../model/diagnostic.js';

export interface ShellValue {
  readonly text: string;
  /** Why the text is not known; null when it is. */
  readonly unresolved: string | null;
  /** Variables the script never set that the value read (they expanded to nothing). */
  readonly environment: readonly string[];
  /** Script parameters the value took from a default (`${1:-x}`, `${VERSION:-1.0}`): restage assumed them. */
  readonly assumed?: readonly Assumption[];
}

/** A script parameter (`1`, `VERSION`) the script did not receive, with the default it then took. */
export interface Assumption {
  readonly name: string;
  readonly value: string;
}

/** One shell word after expansion and field splitting, with where it was written. */
export interface Word extends ShellValue {
  readonly at: Location;
  /** The source text of the argument this word came from. */
  readonly written: string;
}

export const known = (text: string): ShellValue => ({ text, unresolved: null, environment: [] });
export const unresolved = (reason: string): ShellValue => ({ text: '', unresolved: reason, environment: [] });
export const fromEnvironment = (name: string): ShellValue => ({ text: '', unresolved: null, environment: [name] });

export function concat(a: ShellValue, b: ShellValue): ShellValue {
  const assumed = [
    ...(a.assumed ?? []),
    ...(b.assumed ?? []).filter((x) => !a.assumed?.some((y) => y.name === x.name)),
  ];
  return {
    text: a.text + b.text,
    unresolved: a.unresolved ?? b.unresolved,
    environment: [...a.environment, ...b.environment.filter((n) => !a.environment.includes(n))],
    ...(assumed.length > 0 ? { assumed } : {}),
  };
}
