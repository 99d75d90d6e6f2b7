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
import path from 'node:path';
import { diagnostic, type Diagnostic, type Location } from '../../model/diagnostic.js';
import type { FlowEvent } from '../../model/flow.js';
import type { ShellScript, SyntaxNode } from '../../parse/shell.js';
import type { CommandAnalyzer, CommandCall, FlowSink, Redirect } from '../command.js';
import { expandArguments, expandValue, type ExpansionScope } from './expand.js';
import { concat, known, unresolved, type ShellValue, type Word } from './values.js';
import { decideCondition } from './conditions.js';
import { isDockerAction, isFailurePath } from './guards.js';
import { invokesDocker } from '../../shared/docker-cli.js';
import { caseMatches } from '../../shared/glob.js';

export interface EvaluationResult {
  readonly events: FlowEvent[];
  readonly diagnostics: Diagnostic[];
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
}

class Exit extends Error {}

const MAX_CALL_DEPTH = 16;
const MAX_LOOP_ITERATIONS = 64;

interface Frame {
  vars: Map<string, ShellValue>;
  positional: ShellValue[];
}

export function evaluateScript(script: ShellScript, options: EvaluationOptions): EvaluationResult {
  const events: FlowEvent[] = [];
  const diagnostics: Diagnostic[] = [];
  const functions = new Map<string, SyntaxNode>();
  const globals = new Map<string, ShellValue>(Object.entries(options.env ?? {}).map(([k, v]) => [k, known(v)]));
  const scriptFrame: Frame = { vars: globals, positional: (options.args ?? []).map(known) };
  let frame = scriptFrame;
  let cwd = options.root;
  let handles = 0;
  let depth = 0;
  const file = options.displayFile;
  const scriptPath = options.scriptPath;
  const locate = (node: SyntaxNode): Location => ({
    file,
    line: node.startPosition.row + 1,
    column: node.startPosition.column + 1,
  });
  const reported = new Set<string>();
  const report = (d: Diagnostic) => {
    const key = `${d.code}:${d.line}:${d.column}:${d.message}`;
    if (!reported.has(key)) {
      reported.add(key);
      diagnostics.push(d);
    }
  };

  const scope: ExpansionScope = {
    // $PWD follows cd like the shell's; everything else unset comes from the environment.
    lookup: (name) => frame.vars.get(name) ?? globals.get(name) ?? (name === 'PWD' ? known(cwd) : undefined),
    assign: (name, value) => {
      frame.vars.set(name, value);
    },
    special: (name) => {
      if (name === '0') return known(scriptPath);
      if (/^[1-9][0-9]*$/.test(name)) return frame.positional[Number(name) - 1];
      if (name === '#') return known(String(frame.positional.length));
      return unresolved(`the special parameter $${name}`);
    },
    assumable: (name) =>
      /^[1-9][0-9]*$/.test(name) ? frame === scriptFrame && options.args === undefined : /^[A-Za-z_]/.test(name),
    substitute: (node) => substitute(node),
    locate,
  };

  const sink: FlowSink = {
    get cwd() {
      return cwd;
    },
    emit: (event) => {
      events.push(event);
    },
    report,
    hostPath: (word, role) => {
      reportAssumed(word);
      const text = sink.require(word, role);
      return text === null ? null : path.resolve(cwd, text);
    },
    require: (word, role) => {
      if (word.unresolved !== null) {
        report(
          diagnostic(
            'RS304',
            word.at,
            `the ${role} \`${word.written}\` depends on ${word.unresolved}, which restage cannot know without running the script; restage does not guess: write it as a literal (or a variable with a literal value) and run restage again`,
          ),
        );
        return null;
      }
      if (word.environment.length > 0) {
        const names = word.environment.map((n) => `$${n}`).join(', ');
        report(
          diagnostic(
            'RS304',
            word.at,
            `the ${role} \`${word.written}\` depends on ${names}, which the script never sets (it comes from the environment of whoever runs it, and expands to nothing when unset); restage does not guess: give it a literal default, e.g. \${${word.environment[0]}:-value}, or its value with --env ${word.environment[0]}=VALUE, and run restage again`,
          ),
        );
        return null;
      }
      return word.text;
    },
    newContainerHandle: () => `@container#${++handles}`,
    startContainer: (container, start) => {
      for (let i = events.length - 1; i >= 0; i--) {
        const e = events[i]!;
        if (e.kind === 'remove' && e.containers.includes(container)) return false;
        if (e.kind !== 'create' || e.handle !== container) continue;
        if (!e.started) events[i] = { ...e, started: start.how === 'start' ? { ...start, command: e.command } : start };
        return true;
      }
      return false;
    },
    changeDirectory: (to) => {
      cwd = to;
    },
  };

  function substitute(node: SyntaxNode): ShellValue {
    const inner = node.namedChildren;
    let output: ShellValue | undefined;
    for (const statement of inner) output = runStatement(statement, { captured: true });
    return output ?? unresolved(`the output of \`${node.text}\``);
  }

  function runBlock(nodes: readonly SyntaxNode[]): ShellValue | undefined {
    let last: ShellValue | undefined;
    for (const n of nodes) if (n.isNamed) last = runStatement(n, {});
    return last;
  }

  interface RunContext {
    captured?: boolean;
    redirects?: Redirect[];
    pipedOut?: boolean;
  }

  function runStatement(node: SyntaxNode, ctx: RunContext): ShellValue | undefined {
    switch (node.type) {
      case 'comment':
        return undefined;
      case 'command':
        return runCommand(node, ctx);
      case 'variable_assignment':
        assign(node, frame.vars);
        return known('');
      case 'variable_assignments':
        for (const a of node.namedChildren) assign(a, frame.vars);
        return known('');
      case 'declaration_command':
        return declare(node);
      case 'unset_command':
        for (const w of node.namedChildren.slice(0)) if (w.type !== 'command_name') frame.vars.delete(w.text);
        return undefined;
      case 'list':
        return runList(node, ctx);
      case 'pipeline': {
        const parts = node.namedChildren;
        let out: ShellValue | undefined;
        parts.forEach((p, i) => {
          out = runStatement(p, { ...ctx, pipedOut: i < parts.length - 1 });
        });
        return out;
      }
      case 'redirected_statement': {
        const body = node.childForFieldName('body') ?? node.namedChildren[0];
        const redirects = node.namedChildren.filter((c) => c !== body).map(toRedirect);
        return body ? runStatement(body, { ...ctx, redirects: [...(ctx.redirects ?? []), ...redirects] }) : undefined;
      }
      case 'subshell':
        return isolated(() => runBlock(node.namedChildren));
      case 'compound_statement':
      case 'do_group':
        return runBlock(node.namedChildren);
      case 'function_definition': {
        const name = node.childForFieldName('name')?.text;
        const body = node.childForFieldName('body');
        if (name && body) functions.set(name, body);
        return undefined;
      }
      case 'if_statement':
        return runIf(node);
      case 'for_statement':
        return runFor(node);
      case 'case_statement':
        return runCase(node);
      case 'while_statement':
        assumeNotRun(node, 'loop');
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

  function runList(node: SyntaxNode, ctx: RunContext): ShellValue | undefined {
    // A list is `left op right`; `a || b` runs b only when a fails, and restage assumes success.
    const [left, right] = [node.namedChildren[0], node.namedChildren[node.namedChildren.length - 1]];
    const op = node.children.find((c) => !c.isNamed && (c.type === '&&' || c.type === '||'))?.type;
    // `[ $? -ne 0 ] && { echo failed; exit 1; }`: a failure guard, taken only when the test holds.
    if (op === '&&' && left && right && right !== left && isFailurePath([right], functions)) {
      const decided = runCondition([left]);
      if (decided === null) assumeSuccess(node, left);
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

  function isolated<T>(body: () => T): T {
    const savedCwd = cwd;
    const savedVars = new Map(frame.vars);
    try {
      return body();
    } finally {
      cwd = savedCwd;
      frame.vars.clear();
      for (const [k, v] of savedVars) frame.vars.set(k, v);
    }
  }

  function assign(node: SyntaxNode, into: Map<string, ShellValue>): void {
    const name = node.childForFieldName('name')?.text ?? node.namedChildren[0]?.text;
    if (!name) return;
    const valueNode = node.childForFieldName('value');
    const appending = node.children.some((c) => c.type === '+=');
    const value = expandValue(valueNode, scope);
    const previous = appending ? (frame.vars.get(name) ?? globals.get(name)) : undefined;
    into.set(name, previous ? concat(previous, value) : value);
  }

  /** `export`/`local`/`readonly`/`declare`: assignments into the current frame (`local` keeps them there). */
  function declare(node: SyntaxNode): undefined {
    for (const child of node.namedChildren) if (child.type === 'variable_assignment') assign(child, frame.vars);
    return undefined;
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
      for (const a of node.namedChildren) if (a.type === 'variable_assignment') assign(a, frame.vars);
      return known('');
    }
    const words = expandArguments([nameNode.namedChildren[0] ?? nameNode, ...argNodes], scope, script.text);
    let sudo = false;
    while (words.length > 0 && ['sudo', 'command', 'exec', 'time', 'nohup'].includes(words[0]!.text)) {
      sudo ||= words.shift()!.text === 'sudo';
      while (words.length > 0 && words[0]!.text.startsWith('-') && words[0]!.text !== '--') words.shift();
    }
    const name = words[0];
    if (!name) return known('');
    const args = words.slice(1);
    if (name.text === 'docker' || name.text === 'podman') reportUnsetExpansions(argNodes);
    const call: CommandCall = {
      name,
      args,
      at: locate(node),
      redirects,
      captured: ctx.captured ?? false,
      pipedOut: ctx.pipedOut ?? false,
      ...(sudo ? { sudo } : {}),
    };
    if (call.redirects.some((r) => /^(\d*|&)>>?\|?$/.test(r.operator))) options.onRedirect?.(call, sink);
    const builtinOutput = builtin(call);
    if (builtinOutput !== undefined) return builtinOutput;
    if (functions.has(name.text)) return callFunction(call);
    const analyzer = options.analyzerFor(name.text);
    if (analyzer) for (const w of args) reportAssumed(w);
    return analyzer?.(call, sink);
  }

  /** The first use that matters of a parameter restage gave its default (a docker argument, a host path): said once (RS322). */
  function reportAssumed(word: Word): void {
    for (const a of word.assumed ?? []) {
      if (reported.has(`assumed:${a.name}`)) continue;
      reported.add(`assumed:${a.name}`);
      const positional = /^[0-9]+$/.test(a.name);
      report(
        diagnostic(
          'RS322',
          word.at,
          positional
            ? `assumed $${a.name}=${a.value} (its default): the script's argument $${a.name} is unknown to restage, so the analysis used the default; give the script's arguments with --script-arg (in order) to analyse the build you run`
            : `assumed ${a.name}=${a.value} (its default): ${a.name} comes from the environment of whoever runs the script, and restage assumed it unset; give its value with --env ${a.name}=VALUE to analyse the build you run`,
        ),
      );
    }
  }

  /** `$DOCKER_BUILD_OPTS` unset and unquoted: the shell drops the word; so does restage, and says so. */
  function reportUnsetExpansions(nodes: readonly SyntaxNode[]): void {
    for (const node of nodes) {
      if (node.type !== 'simple_expansion' && node.type !== 'expansion') continue;
      const name = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(node.text)?.[1];
      if (name && scope.lookup(name) === undefined) {
        report(
          diagnostic(
            'RS305',
            locate(node),
            `$${name} is not set by the script, so it expands to nothing here, as in the shell; if your environment sets it, give its value with --env ${name}=VALUE (or add its options to the build command restage prints)`,
          ),
        );
      }
    }
  }

  function builtin(call: CommandCall): ShellValue | undefined {
    const text = (w: Word | undefined) => (w && w.unresolved === null ? w.text : null);
    switch (call.name.text) {
      case 'exit':
        throw new Exit();
      case 'pwd':
        return known(cwd);
      case 'dirname': {
        const a = call.args[0];
        return a && text(a) !== null
          ? known(path.dirname(a.text))
          : unresolved(`the output of \`dirname ${a?.written ?? ''}\``);
      }
      case 'basename': {
        const a = call.args[0];
        if (!a || text(a) === null) return unresolved(`the output of \`basename ${a?.written ?? ''}\``);
        const base = path.basename(a.text);
        const suffix = text(call.args[1]);
        return known(suffix && base.endsWith(suffix) && base !== suffix ? base.slice(0, -suffix.length) : base);
      }
      case 'echo':
      case 'printf': {
        if (!call.captured) return known('');
        const args = call.args.filter((w, i) => !(i === 0 && /^-[neE]+$/.test(w.text)));
        if (call.name.text === 'printf' && args.length > 1) return unresolved('the output of printf');
        const bad = args.find((w) => w.unresolved !== null);
        return bad ? unresolved(bad.unresolved!) : known(args.map((w) => w.text).join(' '));
      }
      case 'set':
      case 'shopt':
      case 'true':
      case ':':
      case 'trap':
      case 'umask':
        return known('');
      case 'shift':
        frame.positional = frame.positional.slice(Number(text(call.args[0]) ?? '1') || 1);
        return known('');
      case 'source':
      case '.':
        report(
          diagnostic(
            'RS306',
            call.at,
            `restage does not follow \`${call.name.text} ${call.args[0]?.written ?? ''}\`; variables it sets are unknown to the analysis`,
          ),
        );
        return known('');
      default:
        return undefined;
    }
  }

  function callFunction(call: CommandCall): ShellValue | undefined {
    const body = functions.get(call.name.text);
    if (!body) return undefined;
    if (depth >= MAX_CALL_DEPTH) return unresolved(`a recursive call of ${call.name.text}`);
    const saved = frame;
    frame = { vars: new Map(), positional: [...call.args] };
    depth++;
    try {
      return runStatement(body, { captured: call.captured }) ?? known('');
    } finally {
      depth--;
      // Function variables are global in the shell unless declared `local`.
      for (const [k, v] of frame.vars) if (!isLocalIn(body, k)) globals.set(k, v);
      frame = saved;
    }
  }

  function runIf(node: SyntaxNode): ShellValue | undefined {
    const branches: { conditions: SyntaxNode[] | null; body: SyntaxNode[] }[] = [clauseOf(node)];
    for (const clause of node.namedChildren) {
      if (clause.type === 'elif_clause') branches.push(clauseOf(clause));
      else if (clause.type === 'else_clause') branches.push({ conditions: null, body: clause.namedChildren });
    }
    for (const branch of branches) {
      if (!branch.conditions) return runBlock(branch.body);
      const decided = runCondition(branch.conditions);
      if (decided === false) continue;
      if (decided === null && isFailurePath(branch.body, functions)) {
        assumeSuccess(node, branch.conditions[branch.conditions.length - 1]!);
        continue;
      }
      // Undecidable: assume the branch runs (the common path), and say so when docker commands depend on it.
      if (decided === null && branches.some((b) => b.body.some(mentionsDocker))) {
        report(
          diagnostic(
            'RS306',
            locate(branch.conditions[0]!),
            `restage cannot decide this condition and assumed it is true; check that the docker commands it guards are the ones your build runs`,
          ),
        );
      }
      return runBlock(branch.body);
    }
    return undefined;
  }

  /** `if`/`elif` clause: the statements before `then` are the condition, the ones after it (up to elif/else) the body. */
  function clauseOf(clause: SyntaxNode): { conditions: SyntaxNode[]; body: SyntaxNode[] } {
    const conditions: SyntaxNode[] = [];
    const body: SyntaxNode[] = [];
    let seenThen = false;
    for (const child of clause.children) {
      if (child.type === 'then') {
        seenThen = true;
        continue;
      }
      if (!child.isNamed || child.type === 'elif_clause' || child.type === 'else_clause') continue;
      (seenThen ? body : conditions).push(child);
    }
    return { conditions, body };
  }

  /**
   * Runs a condition as the shell does (its commands are part of the flow) and decides it: a test
   * on known values, a docker action (which succeeds, as everywhere in the analysis), its negation;
   * null when it depends on something restage does not know.
   */
  function runCondition(nodes: readonly SyntaxNode[]): boolean | null {
    const statements = nodes.filter((n) => n.type !== 'comment');
    for (const n of statements.slice(0, -1)) runStatement(n, {});
    const last = statements[statements.length - 1];
    return last ? decide(last) : null;
    function decide(node: SyntaxNode): boolean | null {
      if (node.type === 'negated_command') {
        const inner = node.namedChildren[0];
        const v = inner ? decide(inner) : null;
        return v === null ? null : !v;
      }
      if (
        node.type === 'test_command' ||
        (node.type === 'command' && ['[', 'test'].includes(node.childForFieldName('name')?.text ?? ''))
      ) {
        return decideCondition(node, (n) => expandArguments(n, scope, script.text));
      }
      runStatement(node, {});
      return isDockerAction(node) ? true : null;
    }
  }

  /** A failure guard restage did not take (RS321): the condition is undecidable and the branch only reports and exits. */
  function assumeSuccess(at: SyntaxNode, condition: SyntaxNode): void {
    report(
      diagnostic(
        'RS321',
        locate(at),
        `restage cannot decide \`${condition.text.split('\n')[0]}\`; what it guards only reports a failure and exits with an error, so restage followed the path where the script succeeds (as if the condition were false). If this guard fires in your build, the build fails there`,
      ),
    );
  }

  function runFor(node: SyntaxNode): ShellValue | undefined {
    const variable = node.childForFieldName('variable')?.text;
    const valueNodes = node.childrenForFieldName('value');
    const body = node.childForFieldName('body');
    if (!variable || !body) return undefined;
    const items = expandArguments(valueNodes, scope, script.text);
    if (valueNodes.length === 0 || items.some((w) => w.unresolved !== null)) {
      assumeNotRun(node, 'loop over values restage cannot list');
      return undefined;
    }
    let out: ShellValue | undefined;
    for (const item of items.slice(0, MAX_LOOP_ITERATIONS)) {
      frame.vars.set(variable, item);
      out = runStatement(body, {});
    }
    return out;
  }

  function runCase(node: SyntaxNode): ShellValue | undefined {
    const value = node.childForFieldName('value');
    const word = value ? expandValue(value, scope) : unresolved('no value');
    for (const item of node.namedChildren.filter((c) => c.type === 'case_item')) {
      const patterns = item.childrenForFieldName('value');
      const body = item.namedChildren.filter((c) => !patterns.includes(c));
      if (word.unresolved !== null) {
        if (mentionsDocker(node))
          report(
            diagnostic(
              'RS306',
              locate(node),
              `restage cannot tell which branch of this case runs (${word.unresolved}) and did not analyse the docker commands in it`,
            ),
          );
        return undefined;
      }
      if (patterns.some((p) => caseMatches(p.text.replace(/^["']|["']$/g, ''), word.text))) return runBlock(body);
    }
    return undefined;
  }

  function assumeNotRun(node: SyntaxNode, what: string): void {
    if (mentionsDocker(node))
      report(
        diagnostic(
          'RS306',
          locate(node),
          `restage does not follow this ${what}; the docker commands in it were not analysed`,
        ),
      );
  }

  try {
    runBlock(script.root.namedChildren);
  } catch (e) {
    if (!(e instanceof Exit)) throw e;
  }
  return { events, diagnostics };
}

function toRedirect(node: SyntaxNode): Redirect {
  const operator = node.children.find((c) => !c.isNamed && /[<>]/.test(c.type))?.type ?? node.type;
  const destination =
    node.childForFieldName('destination') ?? node.namedChildren.find((c) => c.type !== 'file_descriptor') ?? null;
  const target: Word | null = destination
    ? {
        text: destination.text,
        unresolved: null,
        environment: [],
        at: { file: '', line: destination.startPosition.row + 1, column: destination.startPosition.column + 1 },
        written: destination.text,
      }
    : null;
  const fd = node.namedChildren.find((c) => c.type === 'file_descriptor')?.text ?? '';
  return { operator: fd + operator, target };
}

function mentionsDocker(node: SyntaxNode): boolean {
  return invokesDocker(node.text);
}

function isLocalIn(body: SyntaxNode, name: string): boolean {
  return new RegExp(`(^|\\s)local\\s+([^\\n;]*\\s)?${name}(=|\\s|$)`, 'm').test(body.text);
}
