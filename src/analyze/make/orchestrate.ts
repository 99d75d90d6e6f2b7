/**
 * A Makefile as the orchestrator: `make [VAR=value…] GOAL` as the shell script the analysis reads,
 * and every location the analysis makes in that script moved back to the Makefile line it came from.
 *
 * Pure: the caller reads the Makefile and its includes. The script is `makeScript`'s (one subshell
 * per recipe line, prerequisites first); its parse tree carries the Makefile's display name, so a
 * location is recognised by that file name and its line in the script.
 */
import type { Diagnostic, Location } from '../../model/diagnostic.js';
import { parseShell, type ShellParse } from '../../parse/shell.js';
import { readMakefile, type Makefile } from './read.js';
import { makefileLocation, makeScript, type MakeScript } from './recipes.js';

export interface MakeInvocation {
  /** The Makefile as diagnostics show it. */
  readonly file: string;
  readonly text: string;
  /** `make VAR=value` on the command line. */
  readonly commandLine: Readonly<Record<string, string>>;
  /** The environment make starts in (unset variables are unknown, as for a script). */
  readonly environment: Readonly<Record<string, string>>;
  /** An included file's text, by the name the Makefile gives it, or null when missing. */
  readonly readFile: (name: string) => { readonly display: string; readonly text: string } | null;
}

export interface MakeOrchestration {
  /** The goal made: the one given, else the Makefile's default goal (null: the Makefile has no target). */
  readonly goal: string | null;
  readonly shell: ShellParse;
  /** How many lines the generated script has: a measure of how much `make GOAL` does. */
  readonly lines: number;
  /** The read phase's and the recipe walk's diagnostics, already on Makefile lines. */
  readonly diagnostics: readonly Diagnostic[];
  /**
   * Moves, in place, every location in `value` that is in the generated script back to the
   * Makefile. Each object is visited once (locations shared by several events move once).
   */
  readonly relocate: (value: unknown) => void;
}

/** The Makefile read with the invocation's variables. */
export function readInvocation(
  invocation: MakeInvocation,
  commandLine: Readonly<Record<string, string>> = invocation.commandLine,
): Makefile {
  return readMakefile(invocation.file, invocation.text, {
    commandLine,
    environment: invocation.environment,
    readFile: invocation.readFile,
  });
}

export function orchestrateMake(invocation: MakeInvocation, goal: string | null): MakeOrchestration {
  const script = makeScript({
    read: (commandLine) => readInvocation(invocation, commandLine),
    goal,
    file: invocation.file,
    commandLine: invocation.commandLine,
  });
  const shell = parseShell(invocation.file, script.text);
  const relocate = relocator(script, invocation.file);
  relocate(shell.diagnostics);
  return { goal: script.goal, shell, lines: script.origins.length, diagnostics: script.diagnostics, relocate };
}

/** The Makefile's targets that `make TARGET` can be asked for: not special (`.PHONY`), not patterns. */
export function makeTargets(makefile: Makefile): string[] {
  return [...makefile.rules.keys()].filter((t) => !t.startsWith('.') && !t.includes('%'));
}

function relocator(script: MakeScript, file: string): (value: unknown) => void {
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
      const moved = makefileLocation(script, { line: at.line, column: at.column });
      if (moved) Object.assign(value, { file: moved.file, line: moved.line, column: moved.column });
    }
    for (const v of Object.values(value)) visit(v);
  };
  return visit;
}
