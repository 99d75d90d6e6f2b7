/**
 * Shell script text → syntax tree + diagnostics. Throws only InternalError (the parser module does not load).
 *
 * The tree comes from tree-sitter-bash (native), chosen on evidence: it parsed every real-world
 * script we measured, heredocs and `$'…'` included, where bash-parser failed on a third of them.
 * Two gaps of tree-sitter are closed here and in the evaluator:
 * - a `\` followed by spaces at the end of a line is an escaped space, not a line continuation,
 *   in every POSIX shell; tree-sitter reads it as a continuation. We report it (RS302) at its
 *   exact column and analyse the continuation reading the author evidently meant;
 * - adjacent argument nodes with no text between them are one shell word (merged by the evaluator).
 */
import { loadShellParser } from './shell-parser.js';
import { locate } from '../shared/text-position.js';
import { diagnostic, type Diagnostic } from '../model/diagnostic.js';
import { InternalError } from '../shared/internal-error.js';

/** The subset of tree-sitter's SyntaxNode the analyzers use. */
export interface SyntaxNode {
  readonly type: string;
  readonly text: string;
  readonly isNamed: boolean;
  readonly isMissing: boolean;
  readonly hasError: boolean;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: { row: number; column: number };
  readonly children: SyntaxNode[];
  readonly namedChildren: SyntaxNode[];
  childForFieldName(name: string): SyntaxNode | null;
  childrenForFieldName(name: string): SyntaxNode[];
  walk(): TreeCursor;
}

/** tree-sitter's cursor: walks the tree without recursion. */
interface TreeCursor {
  readonly startPosition: { row: number; column: number };
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
}

/**
 * Deepest syntax tree the analysis walks. The evaluator and the error search recurse once per
 * level; real build scripts nest a few dozen levels at most, and thousands (`$($($(…)))`) exhaust
 * the JavaScript stack.
 */
export const MAX_SHELL_DEPTH = 500;

export interface ShellScript {
  readonly file: string;
  readonly text: string;
  readonly root: SyntaxNode;
}

export interface ShellParse {
  readonly script: ShellScript | null;
  readonly diagnostics: Diagnostic[];
}

interface Parser {
  parse(text: string): { rootNode: SyntaxNode };
}
let parser: Parser | undefined;

/** The parser, loaded once. A module that does not load is a broken installation, not a fault of the script: InternalError. */
function shellParser(): Parser {
  if (!parser) {
    try {
      parser = loadShellParser<Parser>();
    } catch (e) {
      throw new InternalError(
        `the shell parser (tree-sitter) could not be loaded: ${(e as Error).message.split('\n')[0]}; reinstall restage (its native modules are built on install)`,
        { cause: e },
      );
    }
  }
  return parser;
}

export function parseShell(file: string, text: string): ShellParse {
  const diagnostics: Diagnostic[] = [];
  const crlf = text.indexOf('\r\n');
  if (crlf >= 0) {
    const at = locate(text, crlf);
    diagnostics.push(
      diagnostic(
        'RS303',
        { file, ...at },
        'the script has CRLF line endings: the shell reads each "\\r" as part of the last word of its line (a context `.\\r`, a tag `app:1\\r`), so the script fails as written; convert it with `dos2unix` (or `sed -i "s/\\r$//"`) and run restage again',
      ),
    );
    return { script: null, diagnostics };
  }
  for (const m of text.matchAll(/\\([ \t]+)$/gm)) {
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    if (/^\s*#/.test(text.slice(lineStart, m.index))) continue;
    const at = locate(text, m.index);
    const spaces = m[1]!.length;
    diagnostics.push(
      diagnostic(
        'RS302',
        { file, ...at },
        `"\\" is followed by ${spaces} space${spaces === 1 ? '' : 's'} at the end of the line, so the shell does not continue the line here: "\\ " is an escaped space and the command ends; the next line runs as a command of its own. restage analysed the continuation reading (as if the spaces were not there), which is what the script evidently means; delete the trailing space${spaces === 1 ? '' : 's'} and run restage again`,
      ),
    );
  }
  // The continuation reading: "\␠␠\n" becomes "␠␠\\n", same length, so every later offset holds.
  const read = text.replace(/\\([ \t]+)\n/g, (_m, spaces: string) => `${spaces}\\\n`);
  let root: SyntaxNode;
  const shell = shellParser();
  try {
    root = shell.parse(read).rootNode;
  } catch (e) {
    diagnostics.push(
      diagnostic(
        'RS301',
        { file, line: 1, column: 1 },
        `the shell parser failed on this script: ${(e as Error).message}`,
      ),
    );
    return { script: null, diagnostics };
  }
  const deep = tooDeep(root);
  if (deep) {
    diagnostics.push(
      diagnostic(
        'RS311',
        { file, line: deep.row + 1, column: deep.column + 1 },
        `the script nests commands, subshells or substitutions more than ${MAX_SHELL_DEPTH} levels deep here; restage does not analyse a script this deep: flatten it (a function, or a variable for the inner value) and run restage again`,
      ),
    );
    return { script: null, diagnostics };
  }
  if (root.hasError) {
    diagnostics.push(syntaxError(file, read, root));
    return { script: null, diagnostics };
  }
  return { script: { file, text: read, root }, diagnostics };
}

/** Where a syntax error starts: an unterminated quote where there is one, else the first ERROR/MISSING node. */
function syntaxError(file: string, text: string, root: SyntaxNode): Diagnostic {
  const quote = unterminatedQuote(text);
  if (quote) {
    return diagnostic(
      'RS301',
      { file, ...locate(text, quote.index) },
      `unterminated ${quote.char === '"' ? 'double' : quote.char === "'" ? 'single' : 'back'} quote: the ${quote.char} opened here is never closed, so the shell reads the rest of the file as one word; close it and run restage again`,
    );
  }
  const bad = firstError(root) ?? root;
  const what = bad.isMissing ? `missing "${bad.type}"` : `unexpected "${bad.text.split('\n')[0]!.slice(0, 40)}"`;
  return diagnostic(
    'RS301',
    { file, line: bad.startPosition.row + 1, column: bad.startPosition.column + 1 },
    `shell syntax error: ${what}; the shell would refuse this script`,
  );
}

/** Where the tree first gets deeper than MAX_SHELL_DEPTH, or null. */
function tooDeep(root: SyntaxNode): { row: number; column: number } | null {
  const cursor = root.walk();
  let depth = 0;
  for (;;) {
    if (cursor.gotoFirstChild()) {
      if (++depth > MAX_SHELL_DEPTH) return cursor.startPosition;
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) return null;
      depth--;
    }
  }
}

function firstError(node: SyntaxNode): SyntaxNode | null {
  if (node.type === 'ERROR' || node.isMissing) return node;
  for (const child of node.children) {
    if (child.hasError || child.isMissing) {
      const found = firstError(child);
      if (found) return found;
    }
  }
  return null;
}

/** A small POSIX quote scanner: the position of a quote that is never closed, if any. */
export function unterminatedQuote(text: string): { index: number; char: string } | null {
  let open: { index: number; char: string } | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (open) {
      if (open.char === "'") {
        if (c === "'") open = null;
        continue;
      }
      if (c === '\\') {
        i++;
        continue;
      }
      if (c === open.char) open = null;
      continue;
    }
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') open = { index: i, char: c };
  }
  return open;
}
