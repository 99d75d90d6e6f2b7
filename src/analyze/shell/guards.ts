/**
 * Failure guards: a branch that only reports a failure and ends the script (or the function)
 * with a non-zero status — `echo failed >&2; exit 1`, `{ docker rm -f c; exit 2; }`, `die "…"`
 * with `die` such a function. It runs only when something failed; restage follows the path where
 * every command succeeds, so the analysis does not take it.
 */
import type { SyntaxNode } from '../../parse/shell.js';
import { CLIENT_WORD } from '../../shared/docker-cli.js';

/** Commands that only report or clean up: they change nothing a later build reads. */
const REPORTING = new Set([
  'echo',
  'printf',
  'logger',
  'cat',
  'tee',
  ':',
  'true',
  'false',
  'printenv',
  'rm',
  'set',
  'trap',
  'sleep',
  'date',
  'env',
]);
/** Docker commands that only clean up or show what happened. */
const DOCKER_CLEANUP = new RegExp(
  String.raw`^${CLIENT_WORD}\s+((container|image)\s+)?(rm|rmi|stop|kill|logs|ps|inspect|images|prune)\b`,
);
/** Docker verbs that act (build, create, copy …), as opposed to queries: their success is the path restage follows. */
const DOCKER_ACTION = new RegExp(
  String.raw`^${CLIENT_WORD}\s+(-\S+\s+)*((image|container|buildx|builder)\s+)?(build|b|create|run|cp|start|restart|exec|rm|rmi|tag|push|pull|save|load|export)\b`,
);

const MAX_DEPTH = 8;

type Functions = ReadonlyMap<string, SyntaxNode>;

const statementsOf = (nodes: readonly SyntaxNode[]) => nodes.filter((n) => n.isNamed && n.type !== 'comment');
const nameOf = (node: SyntaxNode) => node.childForFieldName('name')?.text ?? '';

/** The statements end with `exit N`/`return N` (N ≠ 0, or `$?`) after commands that only report failure. */
export function isFailurePath(nodes: readonly SyntaxNode[], functions: Functions, depth = 0): boolean {
  const statements = statementsOf(nodes);
  const last = statements[statements.length - 1];
  if (!last || depth > MAX_DEPTH) return false;
  return (
    statements.slice(0, -1).every((n) => onlyReports(n, functions, depth)) && endsInFailure(last, functions, depth)
  );
}

/** A docker command that acts (build, create, cp …), whose success the evaluator assumes. */
export function isDockerAction(node: SyntaxNode): boolean {
  const inner = node.type === 'redirected_statement' ? (node.childForFieldName('body') ?? node.namedChildren[0]) : node;
  return inner?.type === 'command' && DOCKER_ACTION.test(inner.text);
}

function endsInFailure(node: SyntaxNode, functions: Functions, depth: number): boolean {
  switch (node.type) {
    case 'redirected_statement': {
      const body = node.childForFieldName('body') ?? node.namedChildren[0];
      return body ? endsInFailure(body, functions, depth) : false;
    }
    case 'compound_statement':
      return isFailurePath(node.namedChildren, functions, depth + 1);
    case 'list': {
      const parts = statementsOf(node.namedChildren);
      const op = node.children.find((c) => !c.isNamed && (c.type === '&&' || c.type === '||'))?.type;
      return (
        op === '&&' &&
        parts.length === 2 &&
        onlyReports(parts[0]!, functions, depth) &&
        endsInFailure(parts[1]!, functions, depth)
      );
    }
    case 'command': {
      const name = nameOf(node);
      if (name === 'exit' || name === 'return') {
        const status = node.childrenForFieldName('argument')[0]?.text.replace(/^"(.*)"$/, '$1');
        return status !== undefined && (/^[0-9]+$/.test(status) ? Number(status) !== 0 : status === '$?');
      }
      const body = functions.get(name);
      return (
        body !== undefined &&
        isFailurePath(body.type === 'compound_statement' ? body.namedChildren : [body], functions, depth + 1)
      );
    }
    default:
      return false;
  }
}

function onlyReports(node: SyntaxNode, functions: Functions, depth: number): boolean {
  switch (node.type) {
    case 'comment':
    case 'variable_assignment':
      return true;
    case 'redirected_statement': {
      const body = node.childForFieldName('body') ?? node.namedChildren[0];
      return body ? onlyReports(body, functions, depth) : true;
    }
    case 'compound_statement':
    case 'list':
    case 'pipeline':
      return statementsOf(node.namedChildren).every((n) => onlyReports(n, functions, depth));
    case 'command': {
      const name = nameOf(node);
      if (REPORTING.has(name) || DOCKER_CLEANUP.test(node.text)) return true;
      const body = functions.get(name);
      return (
        body !== undefined &&
        depth < MAX_DEPTH &&
        statementsOf(body.type === 'compound_statement' ? body.namedChildren : [body]).every((n) =>
          onlyReports(n, functions, depth + 1),
        )
      );
    }
    default:
      return false;
  }
}
