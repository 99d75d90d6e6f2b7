/**
 * A Makefile as the orchestrator: `make [VAR=value…] GOAL` as the shell script the analysis reads,
 * and every location the analysis makes in that script moved back to the Makefile line it came from.
 *
 * Pure: the caller reads the Makefile and its includes. The script is `makeScript`'s (one subshell
 * per recipe line, prerequisites first); its parse tree carries the Makefile's display name, so a
 * location is recognised by that file name and its line in the script.
 */
import type { Diagnostic } from '../../model/diagnostic.js';
import { parseShell, type ShellParse } from '../../parse/shell.js';
import { readMakefile, type Makefile } from './read.js';
import { relocator } from '../../shared/relocate.js';
import { makefileLocation, makeScript } from './recipes.js';

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
    readFile: (name) => invocation.readFile(name)?.text ?? null,
    read: (commandLine) => readInvocation(invocation, commandLine),
    goal,
    file: invocation.file,
    commandLine: invocation.commandLine,
  });
  const shell = parseShell(invocation.file, script.text);
  const relocate = relocator(invocation.file, (at) => makefileLocation(script, at));
  relocate(shell.diagnostics);
  return { goal: script.goal, shell, lines: script.origins.length, diagnostics: script.diagnostics, relocate };
}

/** The Makefile's targets that `make TARGET` can be asked for: not special (`.PHONY`), not patterns. */
export function makeTargets(makefile: Makefile): string[] {
  return [...makefile.rules.keys()].filter((t) => !t.startsWith('.') && !t.includes('%'));
}
