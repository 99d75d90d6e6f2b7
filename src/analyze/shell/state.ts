/**
 * The running shell that the evaluator's parts share (src/analyze/shell/evaluator.ts runs
 * statements, control-flow.ts decides conditions and loops, builtins.ts answers builtins and
 * function calls, flow-sink.ts is what command analyzers see): its variables, directory, functions
 * and the statement runner.
 */
import type { Diagnostic, Location } from '../../model/diagnostic.js';
import type { ScriptCall } from '../../model/flow.js';
import type { ShellScript, SyntaxNode } from '../../parse/shell.js';
import { invokesDocker } from '../../shared/docker-cli.js';
import type { ReadFile, Redirect, RunPackage } from '../command.js';
import type { ExpansionScope } from './expand.js';
import type { ShellValue } from './values.js';

/** Thrown by `exit`: the script stops there. */
export class Exit extends Error {}

/** The variables and positional parameters of the script or of one function call. */
export interface Frame {
  vars: Map<string, ShellValue>;
  positional: ShellValue[];
}

/** How a statement runs: inside `$(…)`, with redirections, or with its output piped on. */
export interface RunContext {
  captured?: boolean;
  redirects?: Redirect[];
  pipedOut?: boolean;
  pipedIn?: boolean;
}

export interface Shell {
  readonly script: ShellScript;
  readonly scope: ExpansionScope;
  /** Functions defined so far, by name. */
  readonly functions: Map<string, SyntaxNode>;
  /** The script's variables: a function's variables land here unless declared `local`. */
  readonly globals: Map<string, ShellValue>;
  /** Variables the commands the script runs see in their environment: `export`ed ones and `--env`'s. */
  readonly exported: Set<string>;
  /** Keys of what was already said once (RS322 `assumed:NAME`). */
  readonly reported: Set<string>;
  frame: Frame;
  cwd: string;
  /** How deep function calls are nested now. */
  depth: number;
  /** Records a diagnostic, once per code, place and message. */
  readonly report: (d: Diagnostic) => void;
  readonly locate: (node: SyntaxNode) => Location;
  /** The text of the script a node belongs to (the analysed script, or one it sources or runs). */
  readonly textOf: (node: SyntaxNode) => string;
  /** What `$0` names: the script running now. */
  scriptPath: string;
  /** Another script of the tree, by absolute path, parsed; null when restage cannot read it. */
  readonly readScript: (absolutePath: string, sourced: boolean) => ShellScript | null;
  /** Another file of the tree, by absolute path (a compose file); null when restage cannot read it. */
  readonly readFile?: (absolutePath: string) => ReadFile | null;
  /** The package script an `npm run` command runs, when the runner follows them. */
  readonly runPackage?: RunPackage;
  /** The scripts sourced or run so far (absolute paths). */
  readonly included: Set<string>;
  /** Each run or source of another script so far, in order. */
  readonly calls: ScriptCall[];
  /** The scripts being sourced or run now, outermost first (the analysed script is not among them). */
  readonly running: string[];
  /** How many times a script was sourced or run in all (bounded: a script may run others in a loop). */
  runs: number;
  readonly runBlock: (nodes: readonly SyntaxNode[]) => ShellValue | undefined;
  readonly runStatement: (node: SyntaxNode, ctx: RunContext) => ShellValue | undefined;
}

/** Whether a piece of the script runs docker somewhere inside it. */
export function mentionsDocker(node: SyntaxNode): boolean {
  return invokesDocker(node.text);
}
