/**
 * `$1` dispatch: a script whose `case "$1" in build) … ;; clean) … ;; esac` runs a different pipeline
 * per argument. The literal words its branches match are the arguments worth trying when the user
 * gave none (`--script-arg` picks one). Pure: reads the parse tree only.
 */
import type { ShellScript, SyntaxNode } from '../parse/shell.js';

const FIRST_ARGUMENT = /^"?\$(1|\{1\}|\{1:-[^}]*\})"?$/;
const LITERAL = /^[A-Za-z0-9_.:+@%,-]+$/;

export interface Dispatch {
  /** The literal words the branches match, in order, each once (no patterns). */
  readonly words: string[];
  /** Where the first such `case` starts (1-based). */
  readonly at: { readonly line: number; readonly column: number } | null;
}

export function dispatchWords(script: ShellScript): Dispatch {
  const words: string[] = [];
  let at: Dispatch['at'] = null;
  const visit = (node: SyntaxNode, depth: number) => {
    if (depth > 64) return;
    if (node.type === 'case_statement' && FIRST_ARGUMENT.test(node.childForFieldName('value')?.text ?? '')) {
      at ??= { line: node.startPosition.row + 1, column: node.startPosition.column + 1 };
      for (const item of node.namedChildren) {
        if (item.type !== 'case_item') continue;
        for (const v of item.childrenForFieldName('value')) {
          const word = v.type === 'string' || v.type === 'raw_string' ? v.text.slice(1, -1) : v.text;
          if (LITERAL.test(word) && !words.includes(word)) words.push(word);
        }
      }
    }
    // A function body's `$1` is the function's argument, not the script's.
    if (node.type === 'function_definition') return;
    for (const c of node.namedChildren) visit(c, depth + 1);
  };
  visit(script.root, 0);
  return { words, at };
}
