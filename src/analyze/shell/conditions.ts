/**
 * Decides simple shell conditions from known values: `[ -z W ]`, `[ -n W ]`, `[ A = B ]`,
 * `[ A != B ]` (also `[[ … ]]` and `test …`). Returns null when the answer depends on something
 * restage does not know (a file test, a command's status, an unresolved value).
 */
import type { SyntaxNode } from '../../parse/shell.js';
import type { Word } from './values.js';

type Expand = (nodes: readonly SyntaxNode[]) => Word[];

export function decideCondition(node: SyntaxNode, expand: Expand): boolean | null {
  if (node.type === 'test_command') {
    const inner = node.namedChildren[0];
    return inner ? decideExpression(inner, expand) : null;
  }
  if (node.type === 'command') {
    const name = node.childForFieldName('name')?.text;
    if (name !== 'test' && name !== '[') return null;
    const words = expand(node.childrenForFieldName('argument')).filter((w) => w.text !== ']');
    return decideWords(words);
  }
  return null;
}

function decideExpression(node: SyntaxNode, expand: Expand): boolean | null {
  if (node.type === 'unary_expression') {
    const op = node.childForFieldName('operator')?.text ?? node.children[0]?.text;
    const operand = node.namedChildren.filter((c) => c.type !== 'test_operator');
    return decideWords([
      { text: op ?? '', unresolved: null, environment: [], at: { file: '', line: 0, column: 0 }, written: op ?? '' },
      ...expand(operand),
    ]);
  }
  if (node.type === 'binary_expression') {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const op = node.children.find((c) => !c.isNamed)?.type;
    if (!left || !right || !op) return null;
    const [l] = expand([left]);
    const [r] = expand([right]);
    return compare(l, op, r);
  }
  return null;
}

function decideWords(words: Word[]): boolean | null {
  if (words.some((w) => w.unresolved !== null)) return null;
  const [a, b, c] = words;
  if (words.length === 2 && a && (a.text === '-z' || a.text === '-n')) return (b!.text === '') === (a.text === '-z');
  if (words.length === 1 && a && (a.text === '-z' || a.text === '-n')) return a.text === '-n' ? true : null;
  if (words.length === 3 && b) return compare(a, b.text, c);
  return null;
}

function compare(l: Word | undefined, op: string, r: Word | undefined): boolean | null {
  const left = l ?? null;
  const right = r ?? null;
  if ((left && left.unresolved !== null) || (right && right.unresolved !== null)) return null;
  const a = left?.text ?? '';
  const b = right?.text ?? '';
  if (op === '=' || op === '==') return a === b;
  if (op === '!=') return a !== b;
  return null;
}
