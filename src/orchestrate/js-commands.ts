/**
 * The commands a JS/TS build script runs, as the lines of a shell script: `execSync('docker …')`
 * and `exec` (shell text), `spawnSync('docker', [...])`, `spawn`, `execFileSync`, `execFile`,
 * `execa('docker', [...])` (argv, quoted word by word) and zx's `` $`docker …` `` (a template whose
 * `${…}` are single words), in straight-line top-level code or in functions of the same file
 * called from it. A template's `${NAME}` must be a `const` of the file whose value is known.
 * Anything else that runs a command — in a loop, under a condition, with a computed command or
 * options — is declined at its JS location (RS384): restage does not guess what the script runs.
 *
 * The TypeScript module is passed in: the caller loads it only when such a file is read.
 */
import { shellQuote } from '../shared/shell-quote.js';
import type * as TS from 'typescript';
import { diagnostic, type Diagnostic, type Location } from '../model/diagnostic.js';

type Point = { readonly line: number; readonly column: number };

export interface JsScript {
  readonly text: string;
  /** For each line of `text`: where the call it came from starts. */
  readonly origins: readonly Point[];
  readonly diagnostics: readonly Diagnostic[];
}

const SHELL_CALLS = new Set(['execSync', 'exec']);
const ARGV_CALLS = new Set(['spawnSync', 'spawn', 'execFileSync', 'execFile', 'execa', 'execaSync']);
/** Options that do not change what runs or where. */
const HARMLESS_OPTIONS = new Set(['stdio', 'encoding', 'maxBuffer', 'windowsHide']);
/** Calls that run no command and change nothing the pipeline reads. */
const QUIET = /^(console\.\w+|process\.exitCode)$/;
const MAX_DEPTH = 16;
/** node:fs calls that make or change files a later command (a docker build's context) may read. */
const WRITES = /^(writeFile|appendFile|copyFile|cp|rename|symlink|link|outputFile)(Sync)?$/;

export interface JsCommandOptions {
  /**
   * The script is given arguments, said so (``package.json:3:14 runs it with `--prod` ``): its
   * first read of `process.argv` is declined, since restage does not model a script's arguments.
   */
  readonly argv?: string;
}

export function jsCommands(ts: typeof TS, file: string, text: string, options: JsCommandOptions = {}): JsScript {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(ts, file));
  if (Object.keys(SYNTAX_NAMES).length === 0) {
    const k = ts.SyntaxKind;
    SYNTAX_NAMES.loop = [k.ForStatement, k.ForOfStatement, k.ForInStatement, k.WhileStatement, k.DoStatement];
    SYNTAX_NAMES.condition = [k.IfStatement, k.SwitchStatement];
    SYNTAX_NAMES['try statement'] = [k.TryStatement];
  }
  const lines: string[] = [];
  const origins: Point[] = [];
  const diagnostics: Diagnostic[] = [];
  const point = (node: TS.Node): Point => {
    const p = source.getLineAndCharacterOfPosition(node.getStart(source));
    return { line: p.line + 1, column: p.character + 1 };
  };
  const at = (node: TS.Node): Location => ({ file, ...point(node) });
  const decline = (node: TS.Node, what: string): void => {
    diagnostics.push(
      diagnostic(
        'RS384',
        at(node),
        `${what}; restage does not guess what this build script runs — write the command with literal strings or constants in straight-line code, or migrate this step by hand`,
      ),
    );
  };

  const constants = new Map<string, string | readonly string[]>();
  const functions = new Map<string, TS.FunctionLikeDeclaration>();
  for (const s of source.statements) {
    if (ts.isFunctionDeclaration(s) && s.name && s.body) functions.set(s.name.text, s);
    if (ts.isVariableStatement(s))
      for (const d of s.declarationList.declarations)
        if (
          ts.isIdentifier(d.name) &&
          d.initializer &&
          (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))
        )
          functions.set(d.name.text, d.initializer);
  }
  if (options.argv !== undefined) {
    const read = firstArgvRead(source);
    if (read)
      decline(
        read,
        `this reads the script's arguments (process.argv), and ${options.argv}, which restage does not model`,
      );
  }
  statements(source.statements, []);
  return { text: lines.length > 0 ? lines.join('\n') + '\n' : '', origins, diagnostics };

  function statements(list: readonly TS.Statement[], stack: readonly string[]): void {
    for (const s of list) statement(s, stack);
  }

  function statement(s: TS.Statement, stack: readonly string[]): void {
    if (
      ts.isImportDeclaration(s) ||
      ts.isFunctionDeclaration(s) ||
      ts.isTypeAliasDeclaration(s) ||
      ts.isInterfaceDeclaration(s)
    )
      return;
    if (ts.isEmptyStatement(s)) return;
    if (ts.isVariableStatement(s)) {
      const isConst = (s.declarationList.flags & ts.NodeFlags.Const) !== 0;
      for (const d of s.declarationList.declarations) {
        if (!d.initializer || ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer)) continue;
        if (ts.isIdentifier(d.name) && isConst) {
          const value = constant(d.initializer);
          if (value !== null) {
            constants.set(d.name.text, value);
            continue;
          }
        }
        expression(d.initializer, stack);
      }
      return;
    }
    if (ts.isExpressionStatement(s)) return expression(s.expression, stack);
    if (ts.isBlock(s)) return statements(s.statements, stack);
    if (ts.isReturnStatement(s) && !s.expression) return;
    if (runsAnything(s))
      decline(
        s,
        `this ${what(s)} runs commands; restage lists the commands of straight-line code only (which commands a loop or a condition runs depends on values it does not evaluate)`,
      );
  }

  /** Whether a node calls an exec function, zx's `$` or a function of the file. */
  function runsAnything(node: TS.Node): boolean {
    let found = false;
    const visit = (n: TS.Node): void => {
      if (found) return;
      if (ts.isCallExpression(n)) {
        const name = calleeName(n.expression);
        if (name && (SHELL_CALLS.has(name) || ARGV_CALLS.has(name) || functions.has(name))) found = true;
      }
      if (ts.isTaggedTemplateExpression(n) && calleeName(n.tag) === '$') found = true;
      ts.forEachChild(n, visit);
    };
    visit(node);
    return found;
  }

  function firstArgvRead(node: TS.Node): TS.Node | null {
    if (isArgv(node)) return node;
    return ts.forEachChild(node, (n) => firstArgvRead(n) ?? undefined) ?? null;
  }

  function isArgv(node: TS.Node): boolean {
    return (
      ts.isPropertyAccessExpression(node) &&
      node.name.text === 'argv' &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'process'
    );
  }

  /** Why a value is not one restage knows. */
  function unknownValue(node: TS.Node): string {
    const argv = firstArgvRead(node);
    return argv
      ? "is built from the script's arguments (process.argv), which restage does not model"
      : 'is not a string restage knows (an unknown variable or a computed value)';
  }

  function calleeName(e: TS.Expression): string | null {
    if (ts.isIdentifier(e)) return e.text;
    if (ts.isPropertyAccessExpression(e)) return e.name.text;
    return null;
  }

  function expression(e: TS.Expression, stack: readonly string[]): void {
    while (ts.isAwaitExpression(e) || ts.isParenthesizedExpression(e) || ts.isVoidExpression(e)) e = bare(e.expression);
    if (ts.isTaggedTemplateExpression(e) && calleeName(e.tag) === '$') return zx(e);
    if (ts.isBinaryExpression(e) && /^process\.(env\b|cwd)/.test(e.left.getText(source)))
      return decline(e, 'this changes the environment the commands run in');
    if (!ts.isCallExpression(e)) {
      if (runsAnything(e)) decline(e, 'this expression runs commands in a way restage cannot follow');
      return;
    }
    // `main().catch(…)`, `main().then(…)`: what main runs.
    if (ts.isPropertyAccessExpression(e.expression) && ['catch', 'then', 'finally'].includes(e.expression.name.text)) {
      if (e.arguments.some((a) => runsAnything(a))) decline(e, 'a callback of this promise runs commands');
      return expression(e.expression.expression, stack);
    }
    const name = calleeName(e.expression);
    const text = e.expression.getText(source);
    if (name === null) {
      if (runsAnything(e)) decline(e, 'this call runs commands through a computed function');
      return;
    }
    if (SHELL_CALLS.has(name)) return shellCall(e);
    if (ARGV_CALLS.has(name)) return argvCall(e, name);
    const fn = ts.isIdentifier(e.expression) ? functions.get(name) : undefined;
    if (fn) {
      if (e.arguments.length > 0 || fn.parameters.length > 0)
        return decline(e, `${name}(…) takes arguments; restage follows a function of the script only without them`);
      if (stack.includes(name) || stack.length >= MAX_DEPTH)
        return decline(e, `${name}() calls itself; restage does not follow recursion`);
      const body = fn.body!;
      if (ts.isBlock(body)) statements(body.statements, [...stack, name]);
      else expression(body, [...stack, name]);
      return;
    }
    if (QUIET.test(text)) return;
    if (text === 'process.chdir')
      return decline(e, 'process.chdir moves the commands that follow to another directory');
    if (WRITES.test(name))
      return decline(e, `${text} writes files of the tree the commands may read; restage follows the commands only`);
    if (e.arguments.some((a) => runsAnything(a))) decline(e, `${text}(…) is given code that runs commands`);
  }

  /** An expression without its TypeScript-only wrappers (`x as const`, `x satisfies T`, `x!`), which change no value. */
  function bare(e: TS.Expression): TS.Expression {
    while (
      ts.isAsExpression(e) ||
      ts.isSatisfiesExpression(e) ||
      ts.isNonNullExpression(e) ||
      ts.isTypeAssertionExpression(e) ||
      ts.isParenthesizedExpression(e)
    )
      e = e.expression;
    return e;
  }

  /** A JS value restage knows: a string, number, or a template or array of them. */
  function constant(e: TS.Expression): string | readonly string[] | null {
    e = bare(e);
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
    if (ts.isNumericLiteral(e)) return e.text;
    if (ts.isTemplateExpression(e)) {
      let out = e.head.text;
      for (const span of e.templateSpans) {
        const v = ts.isIdentifier(span.expression) ? constants.get(span.expression.text) : constant(span.expression);
        if (typeof v !== 'string') return null;
        out += v + span.literal.text;
      }
      return out;
    }
    if (ts.isIdentifier(e)) return constants.get(e.text) ?? null;
    if (ts.isArrayLiteralExpression(e)) {
      const words: string[] = [];
      for (const el of e.elements) {
        if (ts.isSpreadElement(el)) {
          const v = constant(el.expression);
          if (!Array.isArray(v)) return null;
          words.push(...(v as string[]));
          continue;
        }
        const v = constant(el);
        if (typeof v !== 'string') return null;
        words.push(v);
      }
      return words;
    }
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const l = constant(e.left);
      const r = constant(e.right);
      return typeof l === 'string' && typeof r === 'string' ? l + r : null;
    }
    return null;
  }

  /** Whether a call's options (its last argument, an object) change only what is printed. */
  function harmlessOptions(call: TS.CallExpression, from: number): boolean {
    for (const o of call.arguments.slice(from).map(bare)) {
      if (ts.isArrowFunction(o) || ts.isFunctionExpression(o)) continue; // exec's callback
      if (!ts.isObjectLiteralExpression(o)) {
        decline(o, 'these options are not an object literal restage can read');
        return false;
      }
      for (const p of o.properties) {
        const key = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : null;
        if (key === null || !HARMLESS_OPTIONS.has(key)) {
          decline(
            p,
            `the option ${key ?? p.getText(source)} changes how or where the command runs (restage reads stdio and encoding only)`,
          );
          return false;
        }
      }
    }
    return true;
  }

  function emit(line: string, node: TS.Node): void {
    for (const part of line.split('\n')) {
      lines.push(part);
      origins.push(point(node));
    }
  }

  function shellCall(call: TS.CallExpression): void {
    const [command] = call.arguments;
    const value = command ? constant(command) : null;
    if (typeof value !== 'string')
      return decline(command ?? call, `the command ${command ? unknownValue(command) : 'is missing'}`);
    if (harmlessOptions(call, 1)) emit(value, call);
  }

  function argvCall(call: TS.CallExpression, name: string): void {
    const [file, written] = call.arguments;
    const args = written ? bare(written) : undefined;
    const program = file ? constant(file) : null;
    if (typeof program !== 'string')
      return decline(file ?? call, `the program ${file ? unknownValue(file) : 'is missing'}`);
    let words: readonly string[] = [];
    let optionsFrom = 1;
    if (args && ts.isArrayLiteralExpression(args)) {
      const v = constant(args);
      if (!Array.isArray(v)) return decline(args, `an argument ${unknownValue(args)}`);
      words = v as string[];
      optionsFrom = 2;
    } else if (args && !ts.isObjectLiteralExpression(args)) {
      const v = constant(args);
      if (!Array.isArray(v))
        return decline(
          args,
          firstArgvRead(args) ? `the arguments ${unknownValue(args)}` : 'the arguments are not an array restage knows',
        );
      words = v as string[];
      optionsFrom = 2;
    }
    if (name.startsWith('execa') && words.length === 0 && /\s/.test(program))
      return decline(call, 'execa takes the program and its arguments apart; this one names a whole command line');
    if (harmlessOptions(call, optionsFrom)) emit([program, ...words].map(shellQuote).join(' '), call);
  }

  function zx(e: TS.TaggedTemplateExpression): void {
    const t = e.template;
    if (ts.isNoSubstitutionTemplateLiteral(t)) return emit(t.text, e);
    let out = t.head.text;
    for (const span of t.templateSpans) {
      const v = constant(span.expression);
      if (v === null) return decline(span.expression, `this value ${unknownValue(span.expression)}`);
      // zx quotes each interpolated value as one word, an array as several.
      out +=
        (Array.isArray(v) ? (v as string[]).map(shellQuote).join(' ') : shellQuote(v as string)) + span.literal.text;
    }
    emit(out, e);
  }
}

/** A statement as the user calls it. */
function what(s: TS.Statement): string {
  const kind = (s as { kind: number }).kind;
  const name = Object.entries(SYNTAX_NAMES).find(([, kinds]) => kinds.includes(kind));
  return name?.[0] ?? 'statement';
}
const SYNTAX_NAMES: Record<string, number[]> = {};

function scriptKind(ts: typeof TS, file: string): TS.ScriptKind {
  if (/\.(m|c)?ts$/.test(file)) return ts.ScriptKind.TS;
  return ts.ScriptKind.JS;
}
