/**
 * Walks a parsed script in execution order, as the shell would run it once with every command
 * succeeding, and hands each simple command to an analyzer. Follows variables, `cd` (also inside
 * subshells, which restore it), functions, `&&`/`||` chains (`a || b` runs only a), `exit`,
 * simple `if`/`case` conditions and `for` loops over literal lists. Where it cannot decide a
 * condition around docker commands, it says which branch it assumed (RS306); a branch that only
 * reports a failure and exits non-zero is the failure path, not taken (RS321). The script's
 * arguments and environment are what the caller gives (`--script-arg`, `--env`); a default taken
 * for one it did not give is named at its first use in a docker argument or host path (RS322).
 */
import { diagnostic, type Diagnostic, type Location } from '../../model/diagnostic.js';
import type { FlowEvent, ScriptCall } from '../../model/flow.js';
import type { ShellScript, SyntaxNode } from '../../parse/shell.js';
import { DOCKER_CLIENTS } from '../../shared/docker-cli.js';
import {
  isContainerStream,
  type CommandAnalyzer,
  type CommandCall,
  type PipeContent,
  type ReadFile,
  type Redirect,
  type RunPackage,
} from '../command.js';
import { builtin, callFunction, runPackageScript, runScript } from './builtins.js';
import { runCase, runCondition, assumeNotRun, assumeSuccess, runFor, runIf } from './control-flow.js';
import { expandArguments, expandValue } from './expand.js';
import { flowSink, reportAssumed, reportUnsetExpansions, toRedirect } from './flow-sink.js';
import { isFailurePath } from './guards.js';
import { Exit, mentionsDocker, type Frame, type RunContext, type Shell } from './state.js';
import { concat, known, unresolved, type ShellValue } from './values.js';

export interface EvaluationResult {
  readonly events: FlowEvent[];
  readonly diagnostics: Diagnostic[];
  /** The other scripts the script sourced or ran (absolute paths), in the order first met. */
  readonly included: readonly string[];
  /** Each run or source of another script, in order. */
  readonly calls: readonly ScriptCall[];
}

export interface EvaluationOptions {
  /** Absolute host path of the directory being migrated; the script runs with it as cwd. */
  readonly root: string;
  /** The script's absolute path, what `$0` expands to. */
  readonly scriptPath: string;
  /** The script's path as diagnostics show it. */
  readonly displayFile: string;
  /** The script's arguments (`$1`, `$2`…), when the user gave them; otherwise they are unknown. */
  readonly args?: readonly string[];
  /** Environment variables the script reads, when the user gave them; every other one is unset. */
  readonly env?: Readonly<Record<string, string>>;
  /** Chooses the analyzer for a command name (after `sudo`/`command` prefixes are dropped). */
  readonly analyzerFor: (name: string) => CommandAnalyzer | undefined;
  /** Sees every command that redirects output into a file, builtins included (`echo x > app`). */
  readonly onRedirect?: CommandAnalyzer;
  /**
   * Another script of the tree that the script sources (`. f`, `source f`: any file, the shell
   * reads it as shell) or runs (`./f.sh`, `sh f.sh`: a shell script), by absolute path, parsed;
   * null when restage cannot read it (outside the tree, missing). Without it, neither is followed.
   */
  readonly readScript?: (absolutePath: string, sourced: boolean) => ShellScript | null;
  /** Another file of the tree by absolute path (a compose file), or null; without it, none is read. */
  readonly readFile?: (absolutePath: string) => ReadFile | null;
  /** The directory the script starts in (a package's, for its npm script); default: `root`. */
  readonly cwd?: string;
  /** The package script an `npm run` command runs (src/orchestrate/package-runs.ts); without it, none is followed. */
  readonly runPackage?: RunPackage;
}

/** The tree a node belongs to (tree-sitter gives every node of one parse the same tree object). */
const treeOf = (node: SyntaxNode): object | undefined => (node as { readonly tree?: object }).tree;

export function evaluateScript(script: ShellScript, options: EvaluationOptions): EvaluationResult {
  const events: FlowEvent[] = [];
  const diagnostics: Diagnostic[] = [];
  const globals = new Map<string, ShellValue>(Object.entries(options.env ?? {}).map(([k, v]) => [k, known(v)]));
  const scriptFrame: Frame = { vars: globals, positional: (options.args ?? []).map(known) };
  const scriptPath = options.scriptPath;
  const reported = new Set<string>();
  const scripts = new WeakMap<object, ShellScript>();
  const register = (s: ShellScript) => {
    const tree = treeOf(s.root);
    if (tree) scripts.set(tree, s);
  };
  register(script);
  const scriptOf = (node: SyntaxNode): ShellScript => {
    const tree = treeOf(node);
    return (tree && scripts.get(tree)) ?? script;
  };
  const sh: Shell = {
    script,
    // $PWD follows cd like the shell's; everything else unset comes from the environment.
    scope: {
      lookup: (name) => sh.frame.vars.get(name) ?? globals.get(name) ?? (name === 'PWD' ? known(sh.cwd) : undefined),
      assign: (name, value) => {
        sh.frame.vars.set(name, value);
      },
      special: (name) => {
        if (name === '0') return known(sh.scriptPath);
        if (/^[1-9][0-9]*$/.test(name)) return sh.frame.positional[Number(name) - 1];
        if (name === '#') return known(String(sh.frame.positional.length));
        return unresolved(`the special parameter $${name}`);
      },
      positional: () => (sh.frame === scriptFrame && options.args === undefined ? null : sh.frame.positional),
      assumable: (name) =>
        /^[1-9][0-9]*$/.test(name) ? sh.frame === scriptFrame && options.args === undefined : /^[A-Za-z_]/.test(name),
      substitute: (node) => substitute(node),
      locate: (node) => sh.locate(node),
    },
    functions: new Map(),
    globals,
    exported: new Set(Object.keys(options.env ?? {})),
    reported,
    frame: scriptFrame,
    cwd: options.cwd ?? options.root,
    depth: 0,
    report: (d: Diagnostic) => {
      const key = `${d.code}:${d.line}:${d.column}:${d.message}`;
      if (!reported.has(key)) {
        reported.add(key);
        diagnostics.push(d);
      }
    },
    locate: (node: SyntaxNode): Location => ({
      file: scriptOf(node).file,
      line: node.startPosition.row + 1,
      column: node.startPosition.column + 1,
    }),
    textOf: (node) => scriptOf(node).text,
    scriptPath,
    readScript: (abs, sourced) => {
      const read = options.readScript?.(abs, sourced) ?? null;
      if (read) register(read);
      return read;
    },
    ...(options.readFile ? { readFile: options.readFile } : {}),
    ...(options.runPackage
      ? {
          runPackage: (cwd: string, words: readonly string[], at: Location) => {
            const run = options.runPackage!(cwd, words, at);
            if (run?.script) register(run.script);
            return run;
          },
        }
      : {}),
    included: new Set(),
    calls: [],
    running: [],
    runs: 0,
    runBlock: (nodes) => runBlock(nodes),
    runStatement: (node, ctx) => runStatement(node, ctx),
  };
  const { scope, functions, report, locate } = sh;
  const sink = flowSink(sh, events);

  function substitute(node: SyntaxNode): ShellValue {
    const inner = node.namedChildren;
    let output: ShellValue | undefined;
    for (const statement of inner) output = runStatement(statement, { captured: true });
    return output ?? unresolved(`the output of \`${node.text}\``);
  }

  function runBlock(nodes: readonly SyntaxNode[], ctx: RunContext = {}): ShellValue | undefined {
    let last: ShellValue | undefined;
    for (const n of nodes) if (n.isNamed) last = runStatement(n, ctx);
    return last;
  }

  /** What of a context a block's commands share: the pipe around it. */
  const piping = (ctx: RunContext): RunContext => ({
    ...(ctx.pipedOut ? { pipedOut: true } : {}),
    ...(ctx.pipedIn ? { pipedIn: true } : {}),
  });

  function runStatement(node: SyntaxNode, ctx: RunContext): ShellValue | undefined {
    switch (node.type) {
      case 'comment':
        return undefined;
      case 'command':
        return runCommand(node, ctx);
      case 'variable_assignment':
        assign(node, sh.frame.vars);
        return known('');
      case 'variable_assignments':
        for (const a of node.namedChildren) assign(a, sh.frame.vars);
        return known('');
      case 'declaration_command':
        return declare(node);
      case 'unset_command':
        for (const w of node.namedChildren.slice(0)) if (w.type !== 'command_name') sh.frame.vars.delete(w.text);
        return undefined;
      case 'list':
        return runList(node, ctx);
      case 'pipeline':
        return runPipeline(node, ctx, []);
      case 'redirected_statement': {
        const body = node.childForFieldName('body') ?? node.namedChildren[0];
        const redirects = node.namedChildren.filter((c) => c !== body).map(toRedirect);
        // `a | b > f`: the parser hangs the redirection on the whole pipeline, but the shell gives it
        // to the last command alone (a writes into the pipe).
        if (body?.type === 'pipeline') return runPipeline(body, ctx, redirects);
        return body ? runStatement(body, { ...ctx, redirects: [...(ctx.redirects ?? []), ...redirects] }) : undefined;
      }
      // Every command of `( … )` or `{ … }` in a pipeline writes into (and may read) its pipe.
      case 'subshell':
        return isolated(() => runBlock(node.namedChildren, piping(ctx)));
      case 'compound_statement':
        return runBlock(node.namedChildren, piping(ctx));
      case 'do_group':
        return runBlock(node.namedChildren);
      case 'function_definition': {
        const name = node.childForFieldName('name')?.text;
        const body = node.childForFieldName('body');
        if (name && body) functions.set(name, body);
        return undefined;
      }
      case 'if_statement':
        return runIf(sh, node);
      case 'for_statement':
        return runFor(sh, node);
      case 'case_statement':
        return runCase(sh, node);
      case 'while_statement':
        assumeNotRun(sh, node, 'loop');
        return undefined;
      case 'negated_command':
      case 'test_command':
        return undefined;
      default:
        if (mentionsDocker(node))
          report(
            diagnostic(
              'RS306',
              locate(node),
              `restage does not follow a ${node.type.replace(/_/g, ' ')} here, and it contains docker commands that were not analysed`,
            ),
          );
        return undefined;
    }
  }

  /**
   * A pipeline's parts run with their pipe; `trailing` are the redirections written after the last
   * part, which are that part's alone. A stdout redirection of an enclosing block (`{ a | b; } > f`)
   * reaches only the last part too: the others write into the pipe.
   */
  function runPipeline(node: SyntaxNode, ctx: RunContext, trailing: Redirect[]): ShellValue | undefined {
    const parts = node.namedChildren;
    let out: ShellValue | undefined;
    const outer = ctx.redirects ?? [];
    const piped = outer.filter((r) => !/^1?>/.test(r.operator));
    // A tar stream a part writes into the pipe is the next part's to read (src/analyze/host.ts `tar`);
    // a fetch's output or a host tar read by anything else is none of restage's concern.
    sink.streams?.fromPipe();
    let pending: PipeContent | null = null;
    parts.forEach((p, i) => {
      if (pending) sink.streams?.toPipe(pending);
      const last = i === parts.length - 1;
      const redirects = last ? [...outer, ...trailing] : piped;
      out = runStatement(p, { ...ctx, redirects, pipedOut: !last, pipedIn: i > 0 });
      const left = sink.streams?.fromPipe() ?? null;
      if (pending && left === pending && isContainerStream(pending))
        report(
          pending.exported
            ? diagnostic(
                'RS347',
                pending.at,
                `\`${pending.command}\` streams the whole file system of a container into \`${p.text}\`, which restage does not read as an extraction (it reads \`tar -x [-C DIR] MEMBER…\`): restage cannot tell which files land where; pipe it into \`tar -x -C DIR MEMBER…\`, or copy out with \`docker cp CONTAINER:PATH HOSTPATH\``,
              )
            : diagnostic(
                'RS342',
                pending.at,
                `the tar stream of \`${pending.command}\` is piped into \`${p.text}\`, which restage does not read as an extraction (it reads \`tar -x [-z] [-C DIR]\` of the whole stream): restage cannot tell which files land where; pipe it into \`tar -x -C DIR\`, or migrate this step by hand`,
              ),
        );
      pending = left === pending ? null : left;
    });
    return out;
  }

  function runList(node: SyntaxNode, ctx: RunContext): ShellValue | undefined {
    // A list is `left op right`; `a || b` runs b only when a fails, and restage assumes success.
    const [left, right] = [node.namedChildren[0], node.namedChildren[node.namedChildren.length - 1]];
    const op = node.children.find((c) => !c.isNamed && (c.type === '&&' || c.type === '||'))?.type;
    // `[ $? -ne 0 ] && { echo failed; exit 1; }`: a failure guard, taken only when the test holds.
    if (op === '&&' && left && right && right !== left && isFailurePath([right], functions)) {
      const decided = runCondition(sh, [left]);
      if (decided === null) assumeSuccess(sh, node, left);
      return decided === true ? runStatement(right, ctx) : known('');
    }
    const out = left ? runStatement(left, ctx) : undefined;
    if (op === '||') {
      if (right && mentionsDocker(right) && !isFailurePath([right], functions))
        report(
          diagnostic(
            'RS306',
            locate(right),
            'this runs only when the command before `||` fails; restage assumes every command succeeds and did not analyse it',
          ),
        );
      return out;
    }
    return right && right !== left ? runStatement(right, ctx) : out;
  }

  /**
   * A script run as a command is a child process: it sees the exported variables only, none of the
   * functions, and its variables, functions, exports and `cd` end with it.
   */
  function isolatedScript<T>(args: readonly ShellValue[], body: () => T): T {
    const saved = {
      frame: sh.frame,
      cwd: sh.cwd,
      globals: new Map(globals),
      exported: new Set(sh.exported),
      functions: new Map(functions),
    };
    const inherited = [...sh.exported].flatMap((k) => {
      const v = scope.lookup(k);
      return v === undefined ? [] : [[k, v] as const];
    });
    globals.clear();
    for (const [k, v] of inherited) globals.set(k, v);
    functions.clear();
    sh.frame = { vars: globals, positional: [...args] };
    try {
      return body();
    } finally {
      sh.frame = saved.frame;
      sh.cwd = saved.cwd;
      globals.clear();
      for (const [k, v] of saved.globals) globals.set(k, v);
      sh.exported.clear();
      for (const k of saved.exported) sh.exported.add(k);
      functions.clear();
      for (const [k, v] of saved.functions) functions.set(k, v);
    }
  }

  function isolated<T>(body: () => T): T {
    const savedCwd = sh.cwd;
    const savedVars = new Map(sh.frame.vars);
    try {
      return body();
    } finally {
      sh.cwd = savedCwd;
      sh.frame.vars.clear();
      for (const [k, v] of savedVars) sh.frame.vars.set(k, v);
    }
  }

  function assign(node: SyntaxNode, into: Map<string, ShellValue>): void {
    const name = node.childForFieldName('name')?.text ?? node.namedChildren[0]?.text;
    if (!name) return;
    const valueNode = node.childForFieldName('value');
    const appending = node.children.some((c) => c.type === '+=');
    const value = expandValue(valueNode, scope);
    const previous = appending ? (sh.frame.vars.get(name) ?? sh.globals.get(name)) : undefined;
    into.set(name, previous ? concat(previous, value) : value);
  }

  /** `export`/`local`/`readonly`/`declare`: assignments into the current sh.frame (`local` keeps them there). */
  function declare(node: SyntaxNode): undefined {
    const exporting = node.children[0]?.text === 'export';
    for (const child of node.namedChildren) {
      if (child.type === 'variable_assignment') assign(child, sh.frame.vars);
      const name = child.type === 'variable_assignment' ? child.childForFieldName('name')?.text : child.text;
      if (exporting && name && /^[A-Za-z_]\w*$/.test(name)) sh.exported.add(name);
    }
    return undefined;
  }

  /** What the command sees in its environment from the script: exported variables, then its own `A=b` prefixes. */
  function environmentOf(node: SyntaxNode): Map<string, ShellValue> {
    const env = new Map<string, ShellValue>();
    for (const name of sh.exported) {
      const value = scope.lookup(name);
      if (value !== undefined) env.set(name, value);
    }
    for (const a of node.namedChildren) {
      if (a.type !== 'variable_assignment') continue;
      const name = a.childForFieldName('name')?.text;
      if (name) env.set(name, expandValue(a.childForFieldName('value'), scope));
    }
    return env;
  }

  function runCommand(node: SyntaxNode, ctx: RunContext): ShellValue | undefined {
    const nameNode = node.childForFieldName('name');
    const argNodes = node.childrenForFieldName('argument');
    const redirects = [
      ...(ctx.redirects ?? []),
      ...node.namedChildren.filter((c) => /redirect|herestring/.test(c.type)).map(toRedirect),
    ];
    if (!nameNode) {
      // Only prefix assignments (`A=b`): they set shell variables.
      for (const a of node.namedChildren) if (a.type === 'variable_assignment') assign(a, sh.frame.vars);
      return known('');
    }
    const words = expandArguments([nameNode.namedChildren[0] ?? nameNode, ...argNodes], scope, sh.textOf(node));
    let sudo = false;
    while (words.length > 0 && ['sudo', 'command', 'exec', 'time', 'nohup'].includes(words[0]!.text)) {
      sudo ||= words.shift()!.text === 'sudo';
      while (words.length > 0 && words[0]!.text.startsWith('-') && words[0]!.text !== '--') words.shift();
    }
    const name = words[0];
    if (!name) return known('');
    const args = words.slice(1);
    if (DOCKER_CLIENTS.has(name.text)) reportUnsetExpansions(sh, argNodes);
    const call: CommandCall = {
      name,
      args,
      at: locate(node),
      redirects,
      captured: ctx.captured ?? false,
      pipedOut: ctx.pipedOut ?? false,
      environment: environmentOf(node),
      ...(ctx.pipedIn ? { pipedIn: true } : {}),
      ...(sudo ? { sudo } : {}),
    };
    if (call.redirects.some((r) => /^(\d*|&)>>?\|?$/.test(r.operator))) options.onRedirect?.(call, sink);
    const builtinOutput = builtin(sh, call);
    if (builtinOutput !== undefined) return builtinOutput;
    if (functions.has(name.text)) return callFunction(sh, call);
    const ran = runScript(sh, call, isolatedScript) ?? runPackageScript(sh, call, isolatedScript);
    if (ran !== undefined) return ran;
    const analyzer = options.analyzerFor(name.text);
    if (analyzer) for (const w of args) reportAssumed(sh, w);
    return analyzer?.(call, sink);
  }

  try {
    runBlock(script.root.namedChildren);
  } catch (e) {
    if (!(e instanceof Exit)) throw e;
  }
  return { events, diagnostics, included: [...sh.included], calls: sh.calls };
}
