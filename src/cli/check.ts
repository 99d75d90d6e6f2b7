/**
 * The check command, for pre-commit and CI: the builder patterns the given paths belong to
 * (src/check/find.ts), each with a suggestion and the diff `migrate --write` would apply
 * (check-suggest.ts). Writes nothing. Exit 1 when it suggests something, 0 when not (or with
 * `warnOnly`); a path that does not exist is a usage error (exit 2). The analysis, and the parsers
 * with it, load only when a path leads to a directory that may hold a pattern
 * (test/cli/check.test.ts).
 */
import { checkTargets } from '../check/find.js';
import { EXIT } from './exit.js';
import type { Suggestion } from './check-suggest.js';

export interface CheckOutcome {
  readonly stdout: string;
  readonly exitCode: number;
}

export async function runCheck(
  paths: readonly string[],
  options: { readonly json: boolean; readonly warnOnly: boolean; readonly base?: string },
): Promise<CheckOutcome | { readonly usage: string }> {
  const base = options.base ?? process.cwd();
  const targets = checkTargets(paths.length > 0 ? paths : ['.'], base);
  if ('missing' in targets) return { usage: `${targets.missing}: no such file or directory` };
  let suggestions: Suggestion[] = [];
  if (targets.trees.length > 0 || targets.dirs.size > 0) {
    const { suggest } = await import('./check-suggest.js');
    suggestions = suggest(targets, base);
  }
  const exitCode = suggestions.length > 0 && !options.warnOnly ? EXIT.findings : EXIT.ok;
  return { stdout: options.json ? `${JSON.stringify(suggestions, null, 2)}\n` : renderText(suggestions), exitCode };
}

function renderText(suggestions: readonly Suggestion[]): string {
  const out: string[] = [];
  for (const s of suggestions) {
    out.push(
      `restage: ${s.directory}: ${s.kind === 'migrate' ? 'suggests a migration' : 'builder pattern to migrate by hand'}`,
    );
    out.push(s.suggestion, '');
    if (s.diff) out.push(s.diff);
  }
  return out.join('\n');
}
