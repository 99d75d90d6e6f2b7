/**
 * `--write` for orchestrators: the build script (or Makefile) with its builder-pattern steps
 * replaced by the one `docker build` of the migrated Dockerfile. Pure: text in, text (or a refusal)
 * out.
 *
 * The steps are the flow's own events (the builder builds, the containers made, run, copied from
 * and removed, the host commands on the extracted artifacts, `docker rmi` of a builder image), each
 * located in the orchestrator or in a shell script its run ran or sourced (rewriteFlow: each file
 * loses its own steps, all files or none). The runtime build's statement becomes the one build;
 * every other step's statement is removed with its lines; every other line is kept byte for byte.
 * A step is removed only when its statement stands alone on its lines, at the top level of its
 * script: a step that shares a line with another command (`&&`, `;`, `|`), or sits in a function,
 * loop, `if`, `case` branch, subshell or here-doc, or lies in a file restage does not rewrite, is a
 * refusal (RS610), never a guess: removing it could change what the other command, the other
 * branch or the other caller does. A Makefile recipe line is a shell command line of its own: its
 * tab and its `@`/`-`/`+` prefixes are kept.
 */
import path from 'node:path';
import { DOCKER_CLIENTS, globalOptions } from '../shared/docker-cli.js';
import { diagnostic, type Diagnostic, type Location } from '../model/diagnostic.js';
import { parseShell, type SyntaxNode } from '../parse/shell.js';

export interface RewriteStep {
  readonly at: Location;
  /** The runtime build, whose statement becomes the one build; every other step is removed. */
  readonly runtime?: boolean;
  /** What the step is, for messages (`docker cp`, `rm -f ./app`). */
  readonly what: string;
}

export interface RewriteInput {
  /** The orchestrator as the locations name it. */
  readonly file: string;
  readonly text: string;
  readonly kind: 'script' | 'makefile';
  readonly steps: readonly RewriteStep[];
  /**
   * The one build to write in place of the runtime build's command, in the orchestrator's own
   * syntax (a Makefile's `$` doubled), its paths relative to the directory the script is run from
   * (a script that changes directory is refused); null when the runtime build's
   * statement as written already is that build (it builds the replaced Dockerfile with the same
   * context and options) and is kept byte for byte.
   */
  readonly buildCommand: string | null;
  /**
   * Words that name a builder image or a builder container, as written in the orchestrator and
   * as expanded: a remaining command that uses one would no longer find it. `docker rmi` of only
   * such words is a step of the pattern (the builder image's cleanup) and is removed with it.
   */
  readonly builderWords: readonly string[];
  /**
   * Where the pattern put its artifacts on the host, relative to the directory the orchestrator
   * runs in (`tool`, `dist/app`): a remaining command that names one (`./tool --version`) would
   * no longer find it. (Absent: none.)
   */
  readonly extractedPaths?: readonly string[];
  /**
   * The runtime build is in this other file (a script this one runs, or the one that runs this
   * one), whose rewrite writes the one build: this file holds no runtime build and only loses its
   * steps. With no steps either, the file is only checked: nothing in it may use what the pattern
   * no longer makes.
   */
  readonly runtimeIn?: string;
  /** Where this file runs a script that holds steps: in a Makefile, those recipes are the steps' recipes too. */
  readonly callsAt?: readonly Location[];
}

export type RewriteOutcome =
  | { readonly ok: true; readonly text: string; readonly removedLines: number; readonly buildLine: number }
  | { readonly ok: false; readonly diagnostic: Diagnostic };

export function rewriteOrchestrator(input: RewriteInput): RewriteOutcome {
  const foreign = input.steps.find((s) => s.at.file !== input.file);
  if (foreign)
    return refuse(
      foreign.at,
      `${foreign.what} is in ${foreign.at.file}, which ${input.file} sources, runs or includes; restage rewrites only ${input.file}`,
      input.file,
    );
  const runtime = input.steps.filter((s) => s.runtime);
  if (input.runtimeIn !== undefined ? runtime.length > 0 : runtime.length !== 1)
    return refuse(
      runtime[1]?.at ?? { file: input.file, line: 1, column: 1 },
      runtime.length === 0 ? 'restage found no runtime build in it' : 'the runtime image is built at two places',
      input.file,
    );
  return input.kind === 'script' ? rewriteScript(input) : rewriteMakefile(input);
}

/**
 * A file of the flow: the orchestrator, or a script it (or a script it runs) ran or sourced. The
 * builder-pattern steps may lie in any of them (a Makefile recipe that runs `./ci/build.sh`, a
 * script that builds the builder and runs `./ci/extract.sh`): each file that holds steps loses
 * them, the one that holds the runtime build gets the one build, and every other file of the flow
 * is only checked, as one change of all of them or none.
 */
export interface FlowFile {
  readonly file: string;
  readonly text: string;
  /** A file restage does not rewrite (`package.json`'s scripts, a JavaScript build script): why. */
  readonly kind: 'script' | 'makefile' | { readonly declined: string };
  /** Where the flow ran or sourced it, each time (empty: the orchestrator itself). */
  readonly calledAt: readonly Location[];
  /**
   * Why it does not run in the directory the one build names its paths from (a script run after
   * `cd sub`, a Makefile in a sub-directory), or null when it does.
   */
  readonly elsewhere: string | null;
  /** Where the pattern put its artifacts, relative to the directory the file runs in. */
  readonly extractedPaths: readonly string[];
}

export interface FlowRewriteInput {
  /** The orchestrator first. */
  readonly files: readonly FlowFile[];
  readonly steps: readonly RewriteStep[];
  /** As RewriteInput's, in the syntax of the file that holds the runtime build. */
  readonly buildCommand: string | null;
  readonly builderWords: readonly string[];
  /** The directory the one build names its Dockerfile and context from, as messages show it. */
  readonly buildDir: string;
}

export interface FileRewrite {
  readonly file: string;
  readonly text: string;
  readonly removedLines: number;
  /** The line of the one build, in the file that holds it. */
  readonly buildLine: number | null;
  /** The line (before the rewrite) of the first step removed. */
  readonly firstRemoved: number;
  /** The file now runs nothing, and its run was removed from its caller here (null: none was). */
  readonly runRemoved: Location | null;
}

export type FlowRewriteOutcome =
  | {
      readonly ok: true;
      readonly rewritten: readonly FileRewrite[];
      /** Where the one build is once the files are written. */
      readonly runtimeAt: Location;
    }
  | { readonly ok: false; readonly diagnostic: Diagnostic };

/**
 * Every file of the flow that holds steps, rewritten (unchanged files left out), or one refusal
 * (RS610) for all. A file of steps that the flow ran twice is refused (the rewrite would change
 * both runs, and the pattern was one of them), as is a file restage does not rewrite that holds a
 * step, naming where the other steps are.
 */
export function rewriteFlow(input: FlowRewriteInput): FlowRewriteOutcome {
  const orchestrator = input.files[0]!;
  const fileOf = new Map(input.files.map((f) => [f.file, f]));
  const stepsIn = (f: FlowFile) => input.steps.filter((s) => s.at.file === f.file);
  const holding = input.files.filter((f) => stepsIn(f).length > 0);
  const names = listed(holding.map((f) => f.file)) || orchestrator.file;
  const shown = (s: RewriteStep) => `${s.what} (${s.at.file}:${s.at.line})`;
  const fail = (at: Location, why: string): FlowRewriteOutcome => ({
    ok: false,
    diagnostic: rewriteRefusal(at, why, names),
  });
  const unknown = input.steps.find((s) => !fileOf.has(s.at.file));
  if (unknown) {
    const others = holding.map((f) => shown(stepsIn(f)[0]!));
    return fail(
      unknown.at,
      `${shown(unknown)} is in ${unknown.at.file}, ${JS.test(unknown.at.file) ? 'a JavaScript build script' : `which ${orchestrator.file} includes or runs as no shell script`}; restage rewrites the orchestrator and the shell scripts the flow runs or sources${others.length > 0 ? `, which hold the pattern's other steps from ${listed(others)}` : ''}`,
    );
  }
  const runtimeStep = input.steps.find((s) => s.runtime);
  const runtimeFile = runtimeStep ? fileOf.get(runtimeStep.at.file)! : orchestrator;
  for (const f of holding) {
    const own = stepsIn(f)[0]!;
    const others = holding.filter((o) => o !== f).map((o) => shown(stepsIn(o)[0]!));
    const rest = others.length > 0 ? `; the pattern's other steps start with ${listed(others)}` : '';
    if (typeof f.kind !== 'string') return fail(own.at, `${shown(own)} is in ${f.file}, ${f.kind.declined}${rest}`);
    if (f.calledAt.length > 1)
      return fail(
        own.at,
        `${shown(own)} is in ${f.file}, which the flow runs ${f.calledAt.length} times (${f.calledAt.map((c) => `${c.file}:${c.line}`).join(', ')}): rewriting it changes every run, and the pattern is only part of them`,
      );
  }
  if (runtimeStep && input.buildCommand !== null && runtimeFile.elsewhere !== null)
    return fail(
      runtimeStep.at,
      `${runtimeFile.elsewhere}, and the one build that replaces the runtime build (${runtimeFile.file}:${runtimeStep.at.line}) names its Dockerfile and context relative to ${input.buildDir}`,
    );
  // A file that holds no step is checked as a rewrite with no steps; one restage does not rewrite
  // (package.json) by its commands' words.
  const calls = input.files.flatMap((f) => f.calledAt);
  /** Every file rewritten with its steps and the `extra` ones (the runs of scripts left empty). */
  const rewriteAll = (extra: ReadonlyMap<string, readonly RewriteStep[]>): FileRewrite[] | FlowRewriteOutcome => {
    const rewritten: FileRewrite[] = [];
    for (const f of input.files) {
      if (typeof f.kind !== 'string') {
        const use = wordUse(f, input.builderWords);
        if (use)
          return fail(
            use.at,
            `${f.file} runs \`${oneLine(use.command)}\`, which uses ${use.word}: the builder pattern made it, and the rewritten ${runtimeFile.file} no longer does`,
          );
        continue;
      }
      const own = [...stepsIn(f), ...(extra.get(f.file) ?? [])];
      const runtimeHere = f === runtimeFile && own.some((s) => s.runtime);
      const outcome = rewriteOrchestrator({
        file: f.file,
        text: f.text,
        kind: f.kind,
        steps: own,
        buildCommand: runtimeHere ? input.buildCommand : null,
        builderWords: input.builderWords,
        extractedPaths: f.extractedPaths,
        ...(runtimeHere ? {} : { runtimeIn: runtimeFile.file }),
        callsAt: calls.filter((c) => c.file === f.file),
      });
      if (!outcome.ok)
        return names === f.file ? outcome : { ok: false, diagnostic: widened(outcome.diagnostic, f.file, names) };
      if (outcome.text !== f.text)
        rewritten.push({
          file: f.file,
          text: outcome.text,
          removedLines: outcome.removedLines,
          buildLine: runtimeHere ? outcome.buildLine : null,
          firstRemoved: own.find((s) => !s.runtime)?.at.line ?? 1,
          runRemoved: null,
        });
    }
    return rewritten;
  };
  let rewritten = rewriteAll(new Map());
  if (!Array.isArray(rewritten)) return rewritten;
  // A script the rewrite leaves with nothing to do (its steps were all it ran) is no longer run: its
  // run goes from its caller, when that removes cleanly (else the harmless run stays).
  const extra = new Map<string, readonly RewriteStep[]>();
  const tried = new Set<string>();
  const removedRuns = new Map<string, Location>();
  for (;;) {
    const empty = rewritten.find(
      (r) =>
        !tried.has(r.file) &&
        r.buildLine === null &&
        fileOf.get(r.file)!.calledAt.length === 1 &&
        runsNothing(r.file, r.text),
    );
    if (!empty) break;
    tried.add(empty.file);
    const call = fileOf.get(empty.file)!.calledAt[0]!;
    const trial = new Map(extra).set(call.file, [
      ...(extra.get(call.file) ?? []),
      { at: call, what: `the run of ${empty.file}, which does nothing once rewritten` },
    ]);
    const again = rewriteAll(trial);
    if (!Array.isArray(again)) continue;
    extra.set(call.file, trial.get(call.file)!);
    removedRuns.set(empty.file, call);
    rewritten = again;
  }
  const final = rewritten.map((r) => ({ ...r, runRemoved: removedRuns.get(r.file) ?? null }));
  const runtimeRewrite = final.find((r) => r.buildLine !== null);
  return {
    ok: true,
    rewritten: final,
    runtimeAt: { file: runtimeFile.file, line: runtimeRewrite?.buildLine ?? runtimeStep?.at.line ?? 1, column: 1 },
  };
}

/** Set options (`set -e`, `set -o pipefail`): what a script does that affects nothing once it ends. */
const OPTION_WORD = /^[-+]/;

/** The shell script runs no command (comments, a `#!` line and `set` options aside). */
function runsNothing(file: string, text: string): boolean {
  const root = parseShell(file, text).script?.root;
  if (!root || root.hasError) return false;
  return root.namedChildren.every((n) => {
    if (n.type === 'comment') return true;
    if (n.type !== 'command') return false;
    const [name, ...args] = commandWords(n);
    return name === 'set' && args.every((w, i) => OPTION_WORD.test(w) || /^[-+]o$/.test(args[i - 1] ?? ''));
  });
}

/** What no longer makes a thing: this file rewritten, or (a file only checked) the run's rewritten files. */
function rewrittenRun(input: RewriteInput, noun: string): string {
  return input.steps.length > 0 || input.runtimeIn === undefined
    ? `the rewritten ${noun}`
    : `the run, rewritten in ${input.runtimeIn},`;
}

function refuse(at: Location, why: string, file: string): RewriteOutcome {
  return { ok: false, diagnostic: rewriteRefusal(at, why, file) };
}

/**
 * The first command of a file restage does not rewrite that names a builder image or container, or
 * an extracted path: a package.json's scripts, any other file's quoted strings.
 */
function wordUse(f: FlowFile, builderWords: readonly string[]): { at: Location; command: string; word: string } | null {
  let commands: string[];
  try {
    const scripts =
      path.basename(f.file) === 'package.json' ? (JSON.parse(f.text) as { scripts?: unknown }).scripts : null;
    commands =
      scripts && typeof scripts === 'object'
        ? Object.values(scripts).filter((v): v is string => typeof v === 'string')
        : [...f.text.matchAll(/(["'`])((?:\\.|(?!\1)[^\n])*)\1/g)].map((m) => m[2]!);
  } catch {
    commands = [];
  }
  const names = new Set(builderWords.flatMap((w) => [w, unquote(w)]).filter((w) => w !== ''));
  for (const command of commands) {
    const word = command.split(/[\s;&|()<>]+/).find((w) => namesOne(w, names) || namesPath(w, f.extractedPaths));
    if (word === undefined) continue;
    const index = f.text.indexOf(command);
    const line = index < 0 ? 1 : f.text.slice(0, index).split('\n').length;
    return { at: { file: f.file, line, column: 1 }, command, word };
  }
  return null;
}

/** `a`, `a and b`, `a, b and c`. */
function listed(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]!}`;
}

/** A JavaScript build script (an npm script's `node scripts/build.mjs`). */
const JS = /\.[cm]?[jt]sx?$/;

/** One file's refusal, as the refusal of all the files that hold steps (nothing of any is written). */
function widened(d: Diagnostic, file: string, names: string): Diagnostic {
  return {
    ...d,
    message: d.message
      .replace(`not rewriting ${file}: `, `not rewriting ${names}: in ${file}, `)
      .replace(`Edit ${file} by hand`, `Edit ${names} by hand`),
  };
}

/** RS610: why the orchestrator is not rewritten, and what the user can do instead. */
export function rewriteRefusal(at: Location, why: string, file: string): Diagnostic {
  return diagnostic(
    'RS610',
    at,
    `not rewriting ${file}: ${why}; nothing was written. Edit ${file} by hand (the one build is the report's build command), or write only the Dockerfile with --out naming the runtime Dockerfile`,
  );
}

/** A change of the text: [start, end) replaced by `text` (empty: removed). */
interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** The runtime build's edit (or its place, when it is kept as written). */
  readonly runtime?: boolean;
}

/** The edit removing rows first..last (0-based), their line ends included. */
function removeRows(text: string, first: number, last: number): Edit {
  return { start: rowStart(text, first), end: rowStart(text, last + 1), text: '' };
}

function rowStart(text: string, row: number): number {
  let at = 0;
  for (let r = 0; r < row; r++) {
    const nl = text.indexOf('\n', at);
    if (nl === -1) return text.length;
    at = nl + 1;
  }
  return at;
}

function finish(text: string, edits: readonly Edit[]): RewriteOutcome {
  const sorted = [...edits].sort((x, y) => x.start - y.start);
  let out = '';
  let at = 0;
  let buildLine = 1;
  let removedLines = 0;
  for (const e of sorted) {
    out += text.slice(at, e.start);
    if (e.runtime) buildLine = out.split('\n').length;
    out += e.text;
    if (!e.runtime) removedLines += text.slice(e.start, e.end).split('\n').length - 1;
    at = e.end;
  }
  out += text.slice(at);
  return { ok: true, text: out, removedLines, buildLine };
}

// ---------------------------------------------------------------------------------------------
// Shell scripts

/** Statements whose body the step would be removed from: removing it changes what they do. */
const ENCLOSING: Readonly<Record<string, string>> = {
  function_definition: 'a function, which may be called from elsewhere',
  for_statement: 'a loop',
  c_style_for_statement: 'a loop',
  while_statement: 'a loop',
  if_statement: 'an `if`, whose branches restage does not rewrite',
  elif_clause: 'an `if`, whose branches restage does not rewrite',
  else_clause: 'an `if`, whose branches restage does not rewrite',
  case_statement: 'a `case` branch (a dispatch on the script arguments), whose other branches do other things',
  case_item: 'a `case` branch (a dispatch on the script arguments), whose other branches do other things',
  subshell: 'a subshell `( … )`',
  heredoc_redirect: 'a here-doc',
  do_group: 'a loop',
  negated_command: 'a negated command `! …`',
};

/** Nodes a step's statement may consist of, between the step's command and the top level. */
const TRANSPARENT = new Set([
  'redirected_statement',
  'compound_statement',
  'string',
  'command_substitution',
  'variable_assignment',
  'declaration_command',
  'list',
  'pipeline',
]);

function rewriteScript(input: RewriteInput): RewriteOutcome {
  const parsed = parseShell(input.file, input.text);
  const root = parsed.script?.root;
  if (!root || root.hasError)
    return refuse({ file: input.file, line: 1, column: 1 }, 'restage cannot parse it', input.file);
  const parents = new Map<string, SyntaxNode>();
  const commands: SyntaxNode[] = [];
  let argument: SyntaxNode | null = null;
  // In a function, `$1` and `$*` are the function's arguments.
  const walk = (n: SyntaxNode, inFunction: boolean) => {
    if (n.type === 'command') commands.push(n);
    if (!argument && !inFunction && readsArguments(n)) argument = n;
    for (const c of n.namedChildren) {
      parents.set(key(c), n);
      walk(c, inFunction || n.type === 'function_definition');
    }
  };
  walk(root, false);
  const reads = argument as SyntaxNode | null;
  // A file that holds no step is not changed: only its uses of what the pattern made are checked.
  if (reads && input.steps.length > 0)
    return refuse(
      locationOf(input.file, reads),
      `it reads its arguments (\`${oneLine(reads.text)}\`): restage migrated the build of one argument, and a rewrite would build that one whatever the arguments`,
      input.file,
    );
  // The one build's paths are relative to the directory the script is run from.
  const moves = commands.find((c) => ['cd', 'pushd', 'popd'].includes(commandWords(c)[0] ?? ''));
  if (moves && input.buildCommand !== null)
    return refuse(
      locationOf(input.file, moves),
      `it changes its working directory (\`${oneLine(moves.text)}\`), and the one build that replaces the runtime build names its Dockerfile and context relative to the directory the script is run from`,
      input.file,
    );
  const rowStarts = input.text.split('\n').map((_, row) => rowStart(input.text, row));
  const stepOf = new Map<string, { node: SyntaxNode; step: RewriteStep }>();
  for (const step of input.steps) {
    // The step's command: the one that starts there, else the innermost one holding the place
    // (a bind mount's extraction is located at its `-v`).
    const offset = (rowStarts[step.at.line - 1] ?? input.text.length) + step.at.column - 1;
    const holding = commands.filter((c) => c.startIndex <= offset && offset < c.endIndex);
    const node = holding.find((c) => c.startIndex === offset) ?? holding.sort((x, y) => y.startIndex - x.startIndex)[0];
    if (!node) return refuse(step.at, `restage cannot find the command of ${step.what} at this position`, input.file);
    const known = stepOf.get(key(node));
    if (!known || step.runtime) stepOf.set(key(node), { node, step });
  }
  // A docker command on a builder image, container or volume that is no event of the flow: part
  // of the pattern in a statement of steps (`docker cp c:/out - | tar -x`), and on its own line only
  // as cleanup (`docker rmi`, `docker rm`, `docker volume rm|create`). Any other use would no longer
  // find what it names.
  const builderWords = new Set(input.builderWords.flatMap((w) => [w, unquote(w)]).filter((w) => w !== ''));
  const names = (c: SyntaxNode) => commandWords(c).filter((w) => namesOne(w, builderWords));
  const helpers = new Set<string>();
  for (const c of commands) {
    if (stepOf.has(key(c)) || names(c).length === 0 || !dockerVerb(commandWords(c))) continue;
    helpers.add(key(c));
  }
  const edits: Edit[] = [];
  const done = new Set<string>();
  const statementOf = (c: SyntaxNode) => topStatement(c, parents);
  const isStep = (c: SyntaxNode) => stepOf.has(key(c)) || helpers.has(key(c));
  for (const c of commands) {
    if (!helpers.has(key(c))) continue;
    const statement = statementOf(c);
    const inSteps = typeof statement !== 'string' && commandsIn(statement).some((o) => stepOf.has(key(o)));
    const words = commandWords(c);
    const verb = dockerVerb(words)!;
    const operands = words.slice(verb.next).filter((w) => !w.startsWith('-'));
    if (inSteps || (CLEANUP.has(verb.verb) && operands.length === names(c).length)) {
      if (!stepOf.has(key(c)))
        stepOf.set(key(c), { node: c, step: { at: locationOf(input.file, c), what: `\`${oneLine(c.text)}\`` } });
      continue;
    }
    return refuse(
      locationOf(input.file, c),
      `\`${oneLine(c.text)}\` uses ${names(c)[0]}, which ${rewrittenRun(input, 'script')} no longer makes (it was a step of the builder pattern)`,
      input.file,
    );
  }
  const extracted = input.extractedPaths ?? [];
  for (const c of commands) {
    if (isStep(c) || printsOnly(c, parents) || ['echo', 'printf'].includes(commandWords(c)[0] ?? '')) continue;
    const used = commandWords(c).find((w) => namesPath(w, extracted));
    if (used)
      return refuse(
        locationOf(input.file, c),
        `\`${oneLine(c.text)}\` uses ${used}, which the builder pattern extracted and ${rewrittenRun(input, 'script')} no longer puts on the host`,
        input.file,
      );
  }
  for (const { node: command, step } of [...stepOf.values()].sort(
    (x, y) => Number(y.step.runtime ?? false) - Number(x.step.runtime ?? false),
  )) {
    const statement = statementOf(command);
    if (typeof statement === 'string') return refuse(step.at, `${step.what} is in ${statement}`, input.file);
    if (done.has(key(statement))) continue;
    done.add(key(statement));
    if (hasNode(statement, 'heredoc_redirect'))
      return refuse(step.at, `${step.what} is in a statement with a here-doc`, input.file);
    const inside = commandsIn(statement);
    if (step.runtime) {
      // A pipeline of steps that feeds the runtime build its context (`docker run B tar -c … |
      // docker build -`) is replaced whole by the one build.
      const pipe = parents.get(key(command));
      const fed = pipe?.type === 'pipeline' && commandsIn(pipe).every(isStep) ? pipe : null;
      if (fed && input.buildCommand !== null) {
        edits.push({ start: fed.startIndex, end: fed.endIndex, text: input.buildCommand, runtime: true });
        continue;
      }
      // The runtime build is replaced where it stands: what the statement does around it stays.
      const other = inside.find((c) => c !== command && key(c) !== key(command) && isStep(c));
      if (other)
        return refuse(
          step.at,
          `${step.what} shares its statement with \`${oneLine(other.text)}\`, a step of the builder pattern that restage would have to remove from it`,
          input.file,
        );
      edits.push(
        input.buildCommand === null
          ? { start: command.startIndex, end: command.startIndex, text: '', runtime: true }
          : { start: command.startIndex, end: command.endIndex, text: input.buildCommand, runtime: true },
      );
      continue;
    }
    const others = inside.filter((c) => !isStep(c) && !onFailure(c, statement, parents) && !printsOnly(c, parents));
    if (others.length > 0)
      return refuse(
        step.at,
        `${step.what} shares its statement with \`${oneLine(others[0]!.text)}\`, which is not a step of the builder pattern`,
        input.file,
      );
    const alone = aloneOnLines(input.text, statement.startIndex, statement.endIndex);
    if (alone !== null) return refuse(step.at, `${step.what} shares its line with \`${oneLine(alone)}\``, input.file);
    const first = statement.startPosition.row;
    const last = first + (input.text.slice(statement.startIndex, statement.endIndex).match(/\n/g)?.length ?? 0);
    edits.push(removeRows(input.text, first, last));
  }
  return finish(input.text, edits);
}

/** Cleanup verbs whose only operands are what the pattern made: removed with it. */
const CLEANUP = new Set(['rmi', 'image rm', 'rm', 'container rm', 'volume rm', 'volume create']);

/** Commands that only report or end a failure: `cmd || exit 1`, `|| { echo … >&2; exit 1; }`, `|| true`. */
const ON_FAILURE = new Set(['exit', 'return', 'true', ':', 'echo', 'printf']);

/** The command only runs when a step failed, and only reports it or ends the script: it goes with the step. */
function onFailure(command: SyntaxNode, statement: SyntaxNode, parents: ReadonlyMap<string, SyntaxNode>): boolean {
  if (!ON_FAILURE.has(commandWords(command)[0] ?? '')) return false;
  for (let n = command, p = parents.get(key(command)); p && key(n) !== key(statement); n = p, p = parents.get(key(p))) {
    if (p.type !== 'list') continue;
    const or = p.children.find((c) => !c.isNamed && c.text === '||');
    if (or && n.startIndex > or.startIndex) return true;
  }
  return false;
}

/** Commands that only print a value (`"$(pwd)/out:/out"`), in a command substitution of a step: they go with it. */
const PRINTS = new Set(['pwd', 'id', 'dirname', 'basename', 'realpath', 'readlink', 'uname', 'whoami']);

function printsOnly(command: SyntaxNode, parents: ReadonlyMap<string, SyntaxNode>): boolean {
  return PRINTS.has(commandWords(command)[0] ?? '') && parents.get(key(command))?.type === 'command_substitution';
}

/** `$1`, `${1:-x}`, `$@`, `$*`, `$#`, `shift`: the script reads its positional parameters (`$0`, its own path, aside). */
function readsArguments(n: SyntaxNode): boolean {
  if (n.type === 'simple_expansion') return /^\$[1-9@*#]$/.test(n.text);
  if (n.type === 'expansion') return /^\$\{#?[1-9@*#](?![A-Za-z_0-9])/.test(n.text);
  if (n.type === 'command') return ['shift', 'getopts'].includes(n.namedChildren[0]?.text ?? '');
  return false;
}

function locationOf(file: string, n: SyntaxNode): Location {
  return { file, line: n.startPosition.row + 1, column: n.startPosition.column + 1 };
}

/**
 * The statement at the top level of the script that holds the command, or what encloses it (the
 * outermost function, loop, `if` or `case`: what removing the step would change).
 */
function topStatement(command: SyntaxNode, parents: ReadonlyMap<string, SyntaxNode>): SyntaxNode | string {
  const chain: SyntaxNode[] = [command];
  for (let p = parents.get(key(command)); p && p.type !== 'program'; p = parents.get(key(p))) chain.push(p);
  const enclosing = chain
    .slice(1)
    .reverse()
    .find((n) => ENCLOSING[n.type]);
  if (enclosing) return ENCLOSING[enclosing.type]!;
  const odd = chain.slice(1).find((n) => !TRANSPARENT.has(n.type));
  if (odd) return `a \`${odd.type.replace(/_/g, ' ')}\``;
  return chain[chain.length - 1]!;
}

/** A node's identity: the binding makes a new object each time a node is reached. */
function key(node: SyntaxNode): string {
  return `${node.type}:${node.startIndex}:${node.endIndex}`;
}

function hasNode(node: SyntaxNode, type: string): boolean {
  return node.type === type || node.namedChildren.some((c) => hasNode(c, type));
}

function commandsIn(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const walk = (n: SyntaxNode) => {
    if (n.type === 'command') out.push(n);
    for (const c of n.namedChildren) walk(c);
  };
  walk(node);
  return out;
}

/** The text beside the statement on its first and last line (a comment and a trailing `;` aside), or null. */
function aloneOnLines(text: string, start: number, end: number): string | null {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const before = text.slice(lineStart, start);
  if (before.trim() !== '') return before.trim();
  const lineEnd = text.indexOf('\n', end);
  const after = text.slice(end, lineEnd === -1 ? undefined : lineEnd);
  return /^\s*;?\s*(#.*)?$/.test(after) ? null : after.trim();
}

function commandWords(command: SyntaxNode): string[] {
  return command.namedChildren
    .filter((c) => c.type !== 'variable_assignment' && !c.type.endsWith('redirect'))
    .map((c) => c.text);
}

/** The docker verb of a command's words (after `sudo` and the client's global options), and where its arguments start. */
function dockerVerb(words: readonly string[]): { verb: string; next: number } | null {
  const start = unquote(words[0] ?? '') === 'sudo' ? 1 : 0;
  if (!DOCKER_CLIENTS.has(unquote(words[start] ?? ''))) return null;
  const i = start + 1 + globalOptions(words.slice(start + 1)).verbAt;
  const verb = words[i];
  if (verb === undefined) return null;
  if (verb === 'image' && words[i + 1] !== undefined) return { verb: `image ${words[i + 1]}`, next: i + 2 };
  return { verb, next: i + 1 };
}

/** The word is one of the names, or a `docker cp` operand `NAME:PATH` on one. */
function namesOne(word: string, names: ReadonlySet<string>): boolean {
  const container = word.includes(':') ? word.slice(0, word.lastIndexOf(':')) : null;
  return [word, container].some((w) => w !== null && (names.has(w) || names.has(unquote(w))));
}

/** The word is a relative path to one of the paths, or below one (`./tool`, `"dist/app"`, `dist/`). */
function namesPath(word: string, paths: readonly string[]): boolean {
  const w = unquote(word)
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '');
  return w !== '' && paths.some((p) => w === p || w.startsWith(`${p}/`));
}

function unquote(word: string): string {
  return word.replace(/["']/g, '');
}

function oneLine(text: string): string {
  const first = text.split('\n')[0]!;
  return first.length > 60 ? `${first.slice(0, 57)}…` : first;
}

// ---------------------------------------------------------------------------------------------
// Makefiles

/** The recipe prefixes make strips before handing the line to the shell. */
const PREFIX = /^\t[@+-]*\s*/;

function rewriteMakefile(input: RewriteInput): RewriteOutcome {
  const lines = input.text.split(/(?<=\n)/);
  const bare = (row: number) => (lines[row] ?? '').replace(/\r?\n$/, '');
  const where = /^\s*\.(ONESHELL|RECIPEPREFIX)\b/m.exec(input.text);
  if (where && input.steps.length > 0)
    return refuse(
      { file: input.file, line: input.text.slice(0, where.index).split('\n').length, column: 1 },
      `it sets .${where[1]}, which changes how recipe lines are read`,
      input.file,
    );
  const stepRows = new Map<number, RewriteStep>();
  for (const step of input.steps) {
    const row = step.at.line - 1;
    const other = stepRows.get(row);
    if (other && (other.runtime || step.runtime))
      return refuse(step.at, `${step.what} shares its recipe line with ${other.what}`, input.file);
    stepRows.set(row, step);
  }
  // A docker command on a builder image, container or volume: in the recipes that hold steps, a
  // cleanup of only those (`docker rmi`, `docker rm`, `docker volume rm`) is a step too; elsewhere
  // (`make clean`) a cleanup stays, as harmless as before. Any other use would no longer find it.
  const builderWords = new Set(input.builderWords.flatMap((w) => [w, unquote(w)]).filter((w) => w !== ''));
  const calls = (input.callsAt ?? []).filter((c) => c.file === input.file).map((c) => c.line - 1);
  const inSteps = new Set(recipeRows(lines, [...stepRows.keys(), ...calls]));
  for (let row = 0; row < lines.length; row++) {
    if (stepRows.has(row) || !lines[row]!.startsWith('\t')) continue;
    const words = bare(row)
      .replace(PREFIX, '')
      .split(/\s+/)
      .filter((w) => w !== '');
    const used = inSteps.has(row) ? words.find((w) => namesPath(w, input.extractedPaths ?? [])) : undefined;
    if (used)
      return refuse(
        { file: input.file, line: row + 1, column: 1 },
        `\`${oneLine(bare(row).trim())}\` uses ${used}, which the builder pattern extracted and ${rewrittenRun(input, 'Makefile')} no longer puts on the host`,
        input.file,
      );
    const verb = dockerVerb(words);
    const named = words.filter((w) => namesOne(w, builderWords));
    if (!verb || named.length === 0) continue;
    const at = { file: input.file, line: row + 1, column: 1 };
    const operands = words.slice(verb.next).filter((w) => !w.startsWith('-') && !/^\d?>/.test(w));
    const cleanup = CLEANUP.has(verb.verb) && operands.every((w) => namesOne(w, builderWords));
    if (cleanup && !inSteps.has(row)) continue;
    if (cleanup && separator(bare(row).replace(PREFIX, '')) === null)
      stepRows.set(row, { at, what: `\`${bare(row).trim()}\`` });
    else
      return refuse(
        at,
        `\`${oneLine(bare(row).trim())}\` uses ${named[0]}, which ${rewrittenRun(input, 'Makefile')} no longer makes (it was a step of the builder pattern)`,
        input.file,
      );
  }
  const edits: Edit[] = [];
  for (const [row, step] of stepRows) {
    const line = bare(row);
    if (!line.startsWith('\t')) return refuse(step.at, `${step.what} is not on a recipe line of its own`, input.file);
    if (line.endsWith('\\') || bare(row - 1).endsWith('\\'))
      return refuse(step.at, `${step.what} is on a continued recipe line (\`\\\` at the end of a line)`, input.file);
    const body = line.replace(PREFIX, '');
    const joined = separator(body);
    if (joined)
      return refuse(
        step.at,
        `${step.what} shares its recipe line with another command (\`${joined}\`); make runs the whole line in one shell`,
        input.file,
      );
    const start = rowStart(input.text, row) + PREFIX.exec(line)![0].length;
    edits.push(
      !step.runtime
        ? removeRows(input.text, row, row)
        : input.buildCommand === null
          ? { start, end: start, text: '', runtime: true }
          : { start, end: rowStart(input.text, row) + line.length, text: input.buildCommand, runtime: true },
    );
  }
  return finish(input.text, edits);
}

/** The rows of the recipes (tab lines under one rule) that hold any of the rows given. */
function recipeRows(lines: readonly string[], rows: readonly number[]): readonly number[] {
  const out = new Set<number>();
  for (const row of rows) {
    if (!lines[row]?.startsWith('\t')) continue;
    let first = row;
    while (first > 0 && /^(\t|\s*$|#)/.test(lines[first - 1]!)) first--;
    let last = row;
    while (last + 1 < lines.length && /^(\t|\s*$|#)/.test(lines[last + 1]!)) last++;
    for (let r = first; r <= last; r++) if (lines[r]!.startsWith('\t')) out.add(r);
  }
  return [...out].sort((a, b) => a - b);
}

/** The first unquoted `;`, `&&`, `||` or `|` of a command line, or null. */
function separator(line: string): string | null {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"') i++;
      continue;
    }
    if (c === '\\') i++;
    else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return null;
    else if (c === ';' || c === '|' || (c === '&' && line[i + 1] === '&')) return line.slice(i, i + 2).trim();
  }
  return null;
}
