/**
 * Make's variable references, as GNU make expands them: `$(NAME)`, `${NAME}`, `$N` (one character),
 * `$$` (a literal `$`), nested references in names (`$($(ARCH)_CC)`), substitution references
 * (`$(SRCS:.c=.o)`) and the functions whose result does not depend on the host: subst, patsubst,
 * strip, findstring, filter, filter-out, sort, word, words, firstword, lastword, dir, notdir,
 * suffix, basename, addsuffix, addprefix, join, if, or, and, value; and, given a `MakeHost`,
 * `$(shell cat FILE)` of a file in the tree. Anything else — any other `$(shell …)`,
 * `$(wildcard …)`, `$(realpath …)`, `$(eval …)`, `$(call …)`, `$(origin …)`, an unterminated
 * reference — makes the text unknown: expansion then returns null with the reason, and the caller
 * says where (restage does not guess). A recursive variable is expanded when referenced; a
 * reference to itself (directly or not) is unknown, as make refuses it.
 * test/analyze/make/expand.test.ts holds the table.
 */

/**
 * A variable: `recursive` ones are expanded each time they are referenced, `simple` ones hold their
 * value; an `unknown` one (set by `!=`, or from a reference restage cannot evaluate) holds the
 * reason, and referencing it makes the text unknown.
 */
export interface MakeVariable {
  readonly value: string;
  readonly flavor: 'recursive' | 'simple' | 'unknown';
}

/** The variables a reference sees: by name; automatic ones (`@`, `<`, `^`) included when set. */
export type MakeScope = (name: string) => MakeVariable | undefined;

export type Expanded = { readonly text: string } | { readonly unknown: string };

const KNOWN_FUNCTIONS = new Set([
  'subst',
  'patsubst',
  'strip',
  'findstring',
  'filter',
  'filter-out',
  'sort',
  'word',
  'words',
  'firstword',
  'lastword',
  'dir',
  'notdir',
  'suffix',
  'basename',
  'addsuffix',
  'addprefix',
  'join',
  'if',
  'or',
  'and',
  'value',
]);

const UNKNOWN_FUNCTIONS = new Set([
  'shell',
  'wildcard',
  'realpath',
  'abspath',
  'eval',
  'call',
  'origin',
  'flavor',
  'foreach',
  'file',
  'error',
  'warning',
  'info',
  'guile',
  'let',
  'intcmp',
]);

class Unknown extends Error {}

/**
 * What make sees of the tree: a file's text by the name a `$(shell cat NAME)` gives it (relative to
 * the directory make runs in), or null when it has none. The read phase (an assignment `:=`, a
 * condition, a rule line) runs before any recipe, so the file is the checkout's. A recipe line is
 * expanded after the recipes before it ran: `mayChange` says which files one of them may have
 * written (reading such a file is unknown).
 */
export interface MakeHost {
  readonly readFile: (name: string) => string | null;
  readonly mayChange?: (name: string) => boolean;
}

interface State {
  readonly active: Set<string>;
  readonly host: MakeHost | undefined;
}

/** `text` with every reference expanded, or why it cannot be known. */
export function expandMake(text: string, scope: MakeScope, host?: MakeHost): Expanded {
  try {
    return { text: expand(text, scope, { active: new Set(), host }) };
  } catch (error) {
    if (error instanceof Unknown) return { unknown: error.message };
    throw error;
  }
}

function expand(text: string, scope: MakeScope, state: State): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '$') {
      out += c;
      continue;
    }
    const next = text[i + 1];
    if (next === undefined) return out + '$';
    if (next === '$') {
      out += '$';
      i++;
      continue;
    }
    if (next === '(' || next === '{') {
      const end = closing(text, i + 1);
      if (end < 0) throw new Unknown(`the reference \`${text.slice(i)}\` is never closed`);
      out += reference(text.slice(i + 2, end), scope, state);
      i = end;
      continue;
    }
    out += variable(next, scope, state);
    i++;
  }
  return out;
}

/** The index of the bracket closing the one at `open`, counting nested ones of the same kind. */
function closing(text: string, open: number): number {
  const o = text[open]!;
  const c = o === '(' ? ')' : '}';
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === o) depth++;
    else if (text[i] === c && --depth === 0) return i;
  }
  return -1;
}

/** The inside of `$(…)`: a function call, a substitution reference, or a (possibly computed) name. */
function reference(inner: string, scope: MakeScope, state: State): string {
  const fn = /^([a-z-]+)[ \t]/.exec(inner);
  if (fn && (KNOWN_FUNCTIONS.has(fn[1]!) || UNKNOWN_FUNCTIONS.has(fn[1]!))) {
    const name = fn[1]!;
    if (name === 'shell' && state.host) return shellCat(expand(inner.slice(fn[0].length), scope, state), state.host);
    if (UNKNOWN_FUNCTIONS.has(name))
      throw new Unknown(`\`$(${name} …)\` depends on the host or on make's own state, which restage does not evaluate`);
    return call(name, splitArgs(inner.slice(fn[0].length)), scope, state);
  }
  const colon = topLevelColon(inner);
  if (colon >= 0 && inner.includes('=', colon)) {
    const value = variable(expand(inner.slice(0, colon), scope, state), scope, state);
    const [from, to] = splitOnce(expand(inner.slice(colon + 1), scope, state), '=');
    const pattern = from.includes('%') ? from : `%${from}`;
    const replacement = from.includes('%') ? to : `%${to}`;
    return words(value)
      .map((w) => patsubstWord(pattern, replacement, w))
      .join(' ');
  }
  return variable(expand(inner, scope, state), scope, state);
}

/**
 * `$(shell cat FILE…)` with plain file names: the files' text as make gives a shell's output (each
 * newline a space, the trailing ones dropped). Any other command is unknown, as is a missing file
 * (make would print cat's error and go on with what it printed).
 */
function shellCat(command: string, host: MakeHost): string {
  const words = command.trim().split(/[ \t]+/);
  const plain = /^[A-Za-z0-9_./@%+,-]+$/;
  if (words[0] !== 'cat' || words.length < 2 || !words.slice(1).every((w) => plain.test(w) && !w.startsWith('-')))
    throw new Unknown(
      `\`$(shell ${command.trim()})\` depends on the host or on make's own state, which restage does not evaluate (it reads only \`$(shell cat FILE)\` of a file in the tree)`,
    );
  const texts = words.slice(1).map((w) => {
    if (host.mayChange?.(w))
      throw new Unknown(
        `\`$(shell ${command.trim()})\` reads ${w}, which a recipe line of the Makefile names: it may have changed before this line runs`,
      );
    const text = host.readFile(w);
    if (text === null) throw new Unknown(`\`$(shell ${command.trim()})\` reads ${w}, which the tree does not have`);
    return text;
  });
  return texts.join('').replace(/\n+$/, '').replace(/\r?\n/g, ' ');
}

function variable(name: string, scope: MakeScope, state: State): string {
  const v = scope(name);
  if (v === undefined) return '';
  if (v.flavor === 'unknown') throw new Unknown(`$(${name}) ${v.value}`);
  if (v.flavor === 'simple') return v.value;
  if (state.active.has(name)) throw new Unknown(`the variable ${name} references itself`);
  state.active.add(name);
  try {
    return expand(v.value, scope, state);
  } finally {
    state.active.delete(name);
  }
}

/** Arguments split on top-level commas (a comma inside `$(…)` belongs to that reference). */
function splitArgs(text: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '{') depth++;
    else if (c === ')' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      args.push(text.slice(start, i));
      start = i + 1;
    }
  }
  args.push(text.slice(start));
  return args;
}

/** The index of the first character outside any `(…)`/`{…}` for which `matches` holds, or -1. */
export function topLevelIndex(text: string, matches: (c: string, i: number) => boolean): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '(' || c === '{') depth++;
    else if (c === ')' || c === '}') depth--;
    else if (depth === 0 && matches(c, i)) return i;
  }
  return -1;
}

const topLevelColon = (text: string): number => topLevelIndex(text, (c) => c === ':');

function splitOnce(text: string, sep: string): [string, string] {
  const at = text.indexOf(sep);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

const words = (text: string): string[] => text.split(/[ \t\n]+/).filter((w) => w !== '');

/** One word through a `%` pattern: the replacement with the stem, or the word unchanged. */
function patsubstWord(pattern: string, replacement: string, word: string): string {
  const p = pattern.indexOf('%');
  if (p < 0) return word === pattern ? replacement : word;
  const [pre, post] = [pattern.slice(0, p), pattern.slice(p + 1)];
  if (word.length < pre.length + post.length || !word.startsWith(pre) || !word.endsWith(post)) return word;
  const stem = word.slice(pre.length, word.length - post.length);
  return replacement.includes('%') ? replacement.replace('%', stem) : replacement;
}

function matchesPattern(pattern: string, word: string): boolean {
  const p = pattern.indexOf('%');
  if (p < 0) return word === pattern;
  const [pre, post] = [pattern.slice(0, p), pattern.slice(p + 1)];
  return word.length >= pre.length + post.length && word.startsWith(pre) && word.endsWith(post);
}

function call(name: string, raw: string[], scope: MakeScope, state: State): string {
  // `if`, `or` and `and` expand their arguments lazily, as make does.
  const arg = (i: number) => expand(raw[i] ?? '', scope, state);
  switch (name) {
    case 'if':
      return arg(0).trim() !== '' ? arg(1) : arg(2);
    case 'or': {
      for (let i = 0; i < raw.length; i++) {
        const v = arg(i).trim();
        if (v !== '') return v;
      }
      return '';
    }
    case 'and': {
      let last = '';
      for (let i = 0; i < raw.length; i++) {
        last = arg(i).trim();
        if (last === '') return '';
      }
      return last;
    }
    case 'value': {
      const v = scope(arg(0).trim());
      return v?.value ?? '';
    }
  }
  const a = raw.map((_, i) => arg(i));
  const list = (i: number) => words(a[i] ?? '');
  switch (name) {
    case 'subst':
      return a[0] === '' ? a[2]! : (a[2] ?? '').split(a[0]!).join(a[1] ?? '');
    case 'patsubst':
      return list(2)
        .map((w) => patsubstWord(a[0]!.trim(), a[1]!.trim(), w))
        .join(' ');
    case 'strip':
      return list(0).join(' ');
    case 'findstring':
      return (a[1] ?? '').includes(a[0] ?? '') ? (a[0] ?? '') : '';
    case 'filter':
      return list(1)
        .filter((w) => list(0).some((p) => matchesPattern(p, w)))
        .join(' ');
    case 'filter-out':
      return list(1)
        .filter((w) => !list(0).some((p) => matchesPattern(p, w)))
        .join(' ');
    case 'sort':
      return [...new Set(list(0))].sort().join(' ');
    case 'word': {
      const n = Number(a[0]!.trim());
      if (!Number.isInteger(n) || n < 1) throw new Unknown(`\`$(word ${a[0]!.trim()},…)\` takes a number from 1`);
      return list(1)[n - 1] ?? '';
    }
    case 'words':
      return String(list(0).length);
    case 'firstword':
      return list(0)[0] ?? '';
    case 'lastword':
      return list(0).at(-1) ?? '';
    case 'dir':
      return list(0)
        .map((w) => (w.includes('/') ? w.slice(0, w.lastIndexOf('/') + 1) : './'))
        .join(' ');
    case 'notdir':
      return list(0)
        .map((w) => w.slice(w.lastIndexOf('/') + 1))
        .join(' ');
    case 'suffix':
      return list(0)
        .flatMap((w) => {
          const base = w.slice(w.lastIndexOf('/') + 1);
          return base.includes('.') ? [base.slice(base.lastIndexOf('.'))] : [];
        })
        .join(' ');
    case 'basename':
      return list(0)
        .map((w) => {
          const slash = w.lastIndexOf('/');
          const dot = w.lastIndexOf('.');
          return dot > slash ? w.slice(0, dot) : w;
        })
        .join(' ');
    case 'addsuffix':
      return list(1)
        .map((w) => w + a[0]!.trim())
        .join(' ');
    case 'addprefix':
      return list(1)
        .map((w) => a[0]!.trim() + w)
        .join(' ');
    case 'join': {
      const [x, y] = [list(0), list(1)];
      return Array.from({ length: Math.max(x.length, y.length) }, (_, i) => (x[i] ?? '') + (y[i] ?? '')).join(' ');
    }
  }
  throw new Unknown(`\`$(${name} …)\` is not evaluated by restage`);
}
