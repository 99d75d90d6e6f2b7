/**
 * Word expansion over tree-sitter-bash nodes: quoting, escapes, parameter expansion
 * (`$X`, `${X}`, `${X:-default}`, `${X-default}`, `${X:=default}`, `${X:+alt}`), command
 * substitution (delegated to the evaluator), and field splitting of unquoted expansions.
 * Pathname expansion (globbing) is not performed: docker arguments rarely rely on it.
 */
import type { SyntaxNode } from '../../parse/shell.js';
import { concat, fromEnvironment, known, unresolved, type ShellValue, type Word } from './values.js';
import type { Location } from '../../model/diagnostic.js';

export interface ExpansionScope {
  lookup(name: string): ShellValue | undefined;
  assign(name: string, value: ShellValue): void;
  /** `$0`, `$1`…, `$#`, `$?`…; undefined when a positional parameter is unset (or unknown: see assumable). */
  special(name: string): ShellValue | undefined;
  /**
   * Whether an unset parameter is unset only because restage does not know it: a variable from the
   * environment, or the script's own argument when none were given (`--script-arg`). A default such
   * a parameter takes is an assumption, and is recorded on the value.
   */
  assumable(name: string): boolean;
  /** The positional parameters, when restage knows them all (a function's call, a script given its arguments); else null. */
  positional(): readonly ShellValue[] | null;
  substitute(node: SyntaxNode): ShellValue;
  locate(node: SyntaxNode): Location;
}

interface Piece {
  value: ShellValue;
  splittable: boolean;
}

/** Expands the argument nodes of a command into words, merging adjacent nodes (one shell word). */
export function expandArguments(nodes: readonly SyntaxNode[], scope: ExpansionScope, source: string): Word[] {
  const groups: SyntaxNode[][] = [];
  for (const node of nodes) {
    const last = groups[groups.length - 1];
    const prev = last?.[last.length - 1];
    if (last && prev && prev.endIndex === node.startIndex) last.push(node);
    else groups.push([node]);
  }
  const words: Word[] = [];
  for (const group of groups) {
    const first = group[0]!;
    const written = source.slice(first.startIndex, group[group.length - 1]!.endIndex);
    const all = group.length === 1 ? allParameters(first, scope) : null;
    const values = all ? all.map((p) => p.value) : split(group.flatMap((n) => piecesOf(n, scope, false)));
    for (const value of values) words.push({ ...value, at: scope.locate(first), written });
  }
  return words;
}

/**
 * A word that is `"$@"` (or `"${@}"`) alone: one field per positional parameter, none when there are
 * none — the shell's one expansion that makes several words of a quoted one. An unquoted `$@` is
 * the same fields, each split further. Null when the word is something else or the parameters are
 * not known (the word then expands as `$@`, which is unresolved).
 */
function allParameters(node: SyntaxNode, scope: ExpansionScope): Piece[] | null {
  const quoted = /^"\$(@|\{@\})"$/.test(node.text) && node.type === 'string';
  const bare = /^\$(@|\{@\})$/.test(node.text) && (node.type === 'simple_expansion' || node.type === 'expansion');
  if (!quoted && !bare) return null;
  const positional = scope.positional();
  if (positional === null) return null;
  return positional
    .flatMap((value) => (bare ? split([{ value, splittable: true }]) : [value]))
    .map((value) => ({ value, splittable: false }));
}

/** Expands one node as a single value with no field splitting (assignment right-hand sides). */
export function expandValue(node: SyntaxNode | null, scope: ExpansionScope): ShellValue {
  if (!node) return known('');
  return piecesOf(node, scope, true).reduce((acc, p) => concat(acc, p.value), known(''));
}

function split(pieces: Piece[]): ShellValue[] {
  const fields: ShellValue[] = [];
  let current: ShellValue | null = null;
  let pendingEnvironment: string[] = [];
  const append = (v: ShellValue) => {
    current = concat(current ?? { ...known(''), environment: pendingEnvironment }, v);
    pendingEnvironment = [];
  };
  for (const piece of pieces) {
    const v = piece.value;
    if (!piece.splittable || v.unresolved !== null) {
      append(v);
      continue;
    }
    if (v.text === '') {
      pendingEnvironment.push(...v.environment);
      if (current) append(v);
      continue;
    }
    const parts = v.text.split(/[ \t\n]+/);
    parts.forEach((part, i) => {
      if (i > 0 && current) {
        fields.push(current);
        current = null;
      }
      if (part !== '') append({ ...v, text: part });
    });
  }
  if (current) fields.push(current);
  return fields;
}

function piecesOf(node: SyntaxNode, scope: ExpansionScope, inQuotes: boolean): Piece[] {
  const literal = (text: string): Piece => ({ value: known(text), splittable: false });
  switch (node.type) {
    case 'word':
    case 'number':
      return [literal(inQuotes ? node.text : unescapeUnquoted(node.text))];
    case 'raw_string':
      return [literal(node.text.slice(1, -1))];
    case 'ansi_c_string':
      return [literal(decodeAnsiC(node.text.slice(2, -1)))];
    case 'string':
    case 'translated_string':
      return stringPieces(node, scope);
    case 'concatenation':
      return withGaps(node, scope, inQuotes, (gap) => literal(inQuotes ? gap : unescapeUnquoted(gap)));
    case 'simple_expansion':
      return [{ value: simpleExpansion(node, scope), splittable: !inQuotes }];
    case 'expansion':
      return [{ value: parameterExpansion(node, scope), splittable: !inQuotes }];
    case 'command_substitution':
      return [{ value: scope.substitute(node), splittable: !inQuotes }];
    case 'arithmetic_expansion':
      return [{ value: unresolved(`arithmetic ${node.text}`), splittable: false }];
    default:
      return [{ value: unresolved(`${node.type.replace(/_/g, ' ')} \`${node.text}\``), splittable: false }];
  }
}

/** Text inside "…" that no child covers is literal; `\` escapes only $ ` " \ and newline there. */
function stringPieces(node: SyntaxNode, scope: ExpansionScope): Piece[] {
  const inner = node.children.filter((c) => c.isNamed);
  const start = node.startIndex + (node.type === 'translated_string' ? 2 : 1);
  const end = node.endIndex - 1;
  const pieces: Piece[] = [];
  let at = start;
  const text = node.text;
  const slice = (from: number, to: number) => text.slice(from - node.startIndex, to - node.startIndex);
  for (const child of inner) {
    if (child.type === 'string_content') continue;
    if (child.startIndex > at)
      pieces.push({ value: known(unescapeDoubleQuoted(slice(at, child.startIndex))), splittable: false });
    pieces.push(...piecesOf(child, scope, true));
    at = child.endIndex;
  }
  if (end > at) pieces.push({ value: known(unescapeDoubleQuoted(slice(at, end))), splittable: false });
  return pieces;
}

function withGaps(node: SyntaxNode, scope: ExpansionScope, inQuotes: boolean, gap: (text: string) => Piece): Piece[] {
  const pieces: Piece[] = [];
  let at = node.startIndex;
  const slice = (from: number, to: number) => node.text.slice(from - node.startIndex, to - node.startIndex);
  for (const child of node.children) {
    if (child.startIndex > at) pieces.push(gap(slice(at, child.startIndex)));
    pieces.push(...(child.isNamed ? piecesOf(child, scope, inQuotes) : [gap(child.text)]));
    at = child.endIndex;
  }
  if (node.endIndex > at) pieces.push(gap(slice(at, node.endIndex)));
  return pieces;
}

function variableOf(node: SyntaxNode): string {
  const name = node.namedChildren.find((c) => c.type === 'variable_name' || c.type === 'special_variable_name');
  return name ? name.text : node.text.replace(/^\$\{?/, '').replace(/\}$/, '');
}

function read(name: string, scope: ExpansionScope): ShellValue {
  if (/^([0-9]+|[@*#?$!-])$/.test(name)) {
    return (
      scope.special(name) ??
      (scope.assumable(name)
        ? unresolved(`positional parameter $${name} (the script's arguments; give them with --script-arg)`)
        : known(''))
    );
  }
  return scope.lookup(name) ?? fromEnvironment(name);
}

function simpleExpansion(node: SyntaxNode, scope: ExpansionScope): ShellValue {
  return read(variableOf(node), scope);
}

/** `${X}`, `${X:-w}`, `${X-w}`, `${X:=w}`, `${X=w}`, `${X:+w}`, `${X+w}`; anything else is unresolved. */
function parameterExpansion(node: SyntaxNode, scope: ExpansionScope): ShellValue {
  const m = /^\$\{([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*#?$!-])(?:(:?)([-=+?])([\s\S]*))?\}$/.exec(node.text);
  if (!m) return unresolved(`the expansion ${node.text}`);
  const [, name, colon, op] = m;
  const current = /^([0-9]+|[@*#?$!-])$/.test(name!) ? scope.special(name!) : scope.lookup(name!);
  const isSet = current !== undefined;
  const nonEmpty = isSet && (current.unresolved !== null || current.text !== '');
  const operand = (): ShellValue => {
    const v = operandOf(node, scope);
    if (isSet || v.unresolved !== null || !scope.assumable(name!)) return v;
    return { ...v, assumed: [...(v.assumed ?? []), { name: name!, value: v.text }] };
  };
  if (!op) return read(name!, scope);
  const applies = colon ? nonEmpty : isSet;
  if (current?.unresolved) return unresolved(`\${${name}} (${current.unresolved})`);
  switch (op) {
    case '-':
      return applies ? current! : operand();
    case '=': {
      if (applies) return current!;
      const v = operand();
      scope.assign(name!, v);
      return v;
    }
    case '+':
      return applies ? operand() : known('');
    default:
      return applies ? current! : unresolved(`\${${name}?} fails when ${name} is unset`);
  }
}

/** The word after the operator in `${X:-word}`: the named children after the variable name. */
function operandOf(node: SyntaxNode, scope: ExpansionScope): ShellValue {
  const children = node.children;
  const nameIndex = children.findIndex((c) => c.type === 'variable_name' || c.type === 'special_variable_name');
  let value = known('');
  let at = -1;
  for (let i = nameIndex + 1; i < children.length; i++) {
    const c = children[i]!;
    if (!c.isNamed) {
      if (at < 0 && /^:?[-=+?]$/.test(c.type)) at = c.endIndex;
      continue;
    }
    const gapText =
      at >= 0 && c.startIndex > at ? node.text.slice(at - node.startIndex, c.startIndex - node.startIndex) : '';
    if (gapText) value = concat(value, known(gapText));
    value = piecesOf(c, scope, true).reduce((acc, p) => concat(acc, p.value), value);
    at = c.endIndex;
  }
  return value;
}

function unescapeUnquoted(text: string): string {
  return text.replace(/\\\n/g, '').replace(/\\(.)/g, '$1');
}

function unescapeDoubleQuoted(text: string): string {
  return text.replace(/\\\n/g, '').replace(/\\([$`"\\])/g, '$1');
}

function decodeAnsiC(text: string): string {
  const map: Record<string, string> = {
    n: '\n',
    t: '\t',
    r: '\r',
    '\\': '\\',
    "'": "'",
    '"': '"',
    a: '\x07',
    b: '\b',
    e: '\x1b',
    f: '\f',
    v: '\v',
  };
  return text.replace(/\\(.)/g, (_m, c: string) => map[c] ?? `\\${c}`);
}
