/**
 * `if`, `for` and `case` as the evaluator follows them, and the conditions it decides. A
 * condition on known values is decided; a docker action in a condition succeeds, as everywhere in
 * the analysis; an undecidable one is assumed true and said (RS306), unless its branch only
 * reports a failure and exits, which is the failure path, not taken (RS321). A `for` runs over a
 * literal list (at most 64 items); a loop restage cannot list, or a `while`, is not followed.
 */
import { diagnostic } from '../../model/diagnostic.js';
import type { SyntaxNode } from '../../parse/shell.js';
import { caseMatches } from '../../shared/glob.js';
import { decideCondition } from './conditions.js';
import { expandArguments, expandValue } from './expand.js';
import { isDockerAction, isFailurePath } from './guards.js';
import { mentionsDocker, type Shell } from './state.js';
import { unresolved, type ShellValue } from './values.js';

const MAX_LOOP_ITERATIONS = 64;

export function runIf(sh: Shell, node: SyntaxNode): ShellValue | undefined {
  const branches: { conditions: SyntaxNode[] | null; body: SyntaxNode[] }[] = [clauseOf(node)];
  for (const clause of node.namedChildren) {
    if (clause.type === 'elif_clause') branches.push(clauseOf(clause));
    else if (clause.type === 'else_clause') branches.push({ conditions: null, body: clause.namedChildren });
  }
  for (const branch of branches) {
    if (!branch.conditions) return sh.runBlock(branch.body);
    const decided = runCondition(sh, branch.conditions);
    if (decided === false) continue;
    if (decided === null && isFailurePath(branch.body, sh.functions)) {
      assumeSuccess(sh, node, branch.conditions[branch.conditions.length - 1]!);
      continue;
    }
    // Undecidable: assume the branch runs (the common path), and say so when docker commands depend on it.
    if (decided === null && branches.some((b) => b.body.some(mentionsDocker))) {
      sh.report(
        diagnostic(
          'RS306',
          sh.locate(branch.conditions[0]!),
          `restage cannot decide this condition and assumed it is true; check that the docker commands it guards are the ones your build runs`,
        ),
      );
    }
    return sh.runBlock(branch.body);
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
export function runCondition(sh: Shell, nodes: readonly SyntaxNode[]): boolean | null {
  const statements = nodes.filter((n) => n.type !== 'comment');
  for (const n of statements.slice(0, -1)) sh.runStatement(n, {});
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
      return decideCondition(node, (n) => expandArguments(n, sh.scope, sh.textOf(node)));
    }
    sh.runStatement(node, {});
    return isDockerAction(node) ? true : null;
  }
}

/** A failure guard restage did not take (RS321): the condition is undecidable and the branch only reports and exits. */
export function assumeSuccess(sh: Shell, at: SyntaxNode, condition: SyntaxNode): void {
  sh.report(
    diagnostic(
      'RS321',
      sh.locate(at),
      `restage cannot decide \`${condition.text.split('\n')[0]}\`; what it guards only reports a failure and exits with an error, so restage followed the path where the script succeeds (as if the condition were false). If this guard fires in your build, the build fails there`,
    ),
  );
}

export function runFor(sh: Shell, node: SyntaxNode): ShellValue | undefined {
  const variable = node.childForFieldName('variable')?.text;
  const valueNodes = node.childrenForFieldName('value');
  const body = node.childForFieldName('body');
  if (!variable || !body) return undefined;
  const items = expandArguments(valueNodes, sh.scope, sh.textOf(node));
  if (valueNodes.length === 0 || items.some((w) => w.unresolved !== null)) {
    assumeNotRun(sh, node, 'loop over values restage cannot list');
    return undefined;
  }
  let out: ShellValue | undefined;
  for (const item of items.slice(0, MAX_LOOP_ITERATIONS)) {
    sh.frame.vars.set(variable, item);
    out = sh.runStatement(body, {});
  }
  return out;
}

export function runCase(sh: Shell, node: SyntaxNode): ShellValue | undefined {
  const value = node.childForFieldName('value');
  const word = value ? expandValue(value, sh.scope) : unresolved('no value');
  for (const item of node.namedChildren.filter((c) => c.type === 'case_item')) {
    const patterns = item.childrenForFieldName('value');
    const body = item.namedChildren.filter((c) => !patterns.includes(c));
    if (word.unresolved !== null) {
      if (mentionsDocker(node))
        sh.report(
          diagnostic(
            'RS306',
            sh.locate(node),
            `restage cannot tell which branch of this case runs (${word.unresolved}) and did not analyse the docker commands in it`,
          ),
        );
      return undefined;
    }
    if (patterns.some((p) => caseMatches(p.text.replace(/^["']|["']$/g, ''), word.text))) return sh.runBlock(body);
  }
  return undefined;
}

export function assumeNotRun(sh: Shell, node: SyntaxNode, what: string): void {
  if (mentionsDocker(node))
    sh.report(
      diagnostic(
        'RS306',
        sh.locate(node),
        `restage does not follow this ${what}; the docker commands in it were not analysed`,
      ),
    );
}
