/**
 * The value a build gives a Dockerfile word naming an image through a variable, as far as the
 * shim can know it. Docker facts: an ARG before the first FROM is usable only in FROM lines; a
 * `--build-arg` of the build overrides an ARG's default and counts only for a declared ARG; an
 * ARG inside a stage without a default takes the global one of that name. Expansion knows `$V`,
 * `${V}`, `${V:-word}` (word when V is empty or unset), `${V:+word}` (word when V is not empty),
 * quotes and the escape character. Anything else — a variable no ARG declares (an automatic
 * platform ARG, an ENV), another modifier, a `--build-arg V` taken from the client's environment —
 * makes the word unknown (null): the shim then leaves it as written.
 * test/verify/arg-scope.test.ts holds the table.
 */
import type { Instruction, ParsedDockerfile } from '../model/dockerfile.js';

/** The build's `--build-arg`s: name -> value; null when the value comes from the client's environment. */
export type BuildArgs = ReadonlyMap<string, string | null>;

/** Variable -> value; null when the value cannot be known. A variable absent is undeclared (unknown). */
export type Scope = ReadonlyMap<string, string | null>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** The word with its variables expanded and quotes removed, or null when any part is unknown. */
export function expandWord(word: string, scope: Scope, escape = '\\'): string | null {
  const state = { at: 0 };
  const out = expandUntil(word, state, scope, escape, null);
  return out !== null && state.at === word.length ? out : null;
}

/** Expands from `state.at` up to `stop` (unquoted, at this nesting level) or the end. */
function expandUntil(word: string, state: { at: number }, scope: Scope, escape: string, stop: string | null) {
  let out = '';
  let quote: '"' | "'" | null = null;
  while (state.at < word.length) {
    const c = word[state.at]!;
    if (quote === null && c === stop) return out;
    state.at++;
    if (c === quote) quote = null;
    else if (quote === "'") out += c;
    else if (quote === null && (c === '"' || c === "'")) quote = c;
    else if (c === escape) {
      if (state.at >= word.length) return null;
      out += word[state.at++]!;
    } else if (c === '$') {
      const value = dollar(word, state, scope, escape);
      if (value === null) return null;
      out += value;
    } else out += c;
  }
  return quote === null && stop === null ? out : null;
}

/** The value of the reference after a `$` (state.at just past it); a `$` before no name is literal. */
function dollar(word: string, state: { at: number }, scope: Scope, escape: string): string | null {
  if (word[state.at] !== '{') {
    const name = NAME.exec(word.slice(state.at))?.[0];
    if (name === undefined) return '$';
    state.at += name.length;
    return scope.get(name) ?? null;
  }
  const name = NAME.exec(word.slice(state.at + 1))?.[0];
  if (name === undefined) return null;
  state.at += 1 + name.length;
  const value = scope.get(name) ?? null;
  if (word[state.at] === '}') {
    state.at++;
    return value;
  }
  const modifier = word.slice(state.at, state.at + 2);
  if (modifier !== ':-' && modifier !== ':+') return null;
  state.at += 2;
  const alternative = expandUntil(word, state, scope, escape, '}');
  if (alternative === null || word[state.at] !== '}') return null;
  state.at++;
  if (value === null) return null;
  return (modifier === ':-') === (value === '') ? alternative : value;
}

/** The `NAME[=default]` declarations of one ARG instruction. */
function declarations(arg: Instruction): { name: string; value: string | undefined }[] {
  return arg.args.map((token) => {
    const eq = token.raw.indexOf('=');
    return eq < 0
      ? { name: token.raw, value: undefined }
      : { name: token.raw.slice(0, eq), value: token.raw.slice(eq + 1) };
  });
}

function declare(
  scope: Map<string, string | null>,
  arg: Instruction,
  buildArgs: BuildArgs,
  escape: string,
  inherited: (name: string) => string | null,
): void {
  for (const { name, value } of declarations(arg)) {
    if (buildArgs.has(name)) scope.set(name, buildArgs.get(name)!);
    else if (value !== undefined) scope.set(name, expandWord(value, scope, escape));
    else scope.set(name, inherited(name));
  }
}

/** What FROM lines see: the ARGs before the first FROM (one declared without a default and not given is empty). */
export function globalScope(dockerfile: ParsedDockerfile, buildArgs: BuildArgs): Scope {
  const scope = new Map<string, string | null>();
  for (const arg of dockerfile.globalArgs) declare(scope, arg, buildArgs, dockerfile.escapeChar, () => '');
  return scope;
}

/**
 * What an instruction of a stage sees of its ARGs: those the stage declares before it. One
 * declared without a default and not given takes the global default; with neither, the value may
 * come from the base image's environment and is unknown. ENV is not followed: a name an ENV sets
 * is unknown from there on.
 */
export function stageScope(
  dockerfile: ParsedDockerfile,
  instructions: readonly Instruction[],
  buildArgs: BuildArgs,
): Scope {
  const global = globalScope(dockerfile, buildArgs);
  const scope = new Map<string, string | null>();
  for (const inst of instructions) {
    if (inst.keyword === 'ARG')
      declare(scope, inst, buildArgs, dockerfile.escapeChar, (name) => {
        const value = global.get(name);
        return value === undefined || value === '' ? null : value;
      });
    if (inst.keyword === 'ENV') for (const token of inst.args) scope.set(token.raw.split('=')[0]!, null);
  }
  return scope;
}
