/**
 * `.dockerignore`, as the build context sees it: a path is left out of the context when the last
 * pattern that matches it, or one of its parent directories, is not a `!` exception. Patterns are
 * relative to the context root; `#` lines are comments; `*`, `?` and `**` as Docker matches them.
 */
import { globMatcher } from '../shared/glob.js';

export type ContextFilter = (relativePath: string) => boolean;

/** A predicate: is this context-relative path excluded from the build context? */
export function dockerignore(text: string): ContextFilter {
  const rules = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const exception = line.startsWith('!');
      const pattern = (exception ? line.slice(1) : line).trim().replace(/^\.\//, '').replace(/\/+$/, '');
      return { exception, matches: globMatcher([pattern]) };
    });
  if (rules.length === 0) return () => false;
  return (relativePath) => {
    const parts = relativePath.split('/').filter((p) => p !== '' && p !== '.');
    let excluded = false;
    for (let depth = 1; depth <= parts.length; depth++) {
      const candidate = `/${parts.slice(0, depth).join('/')}`;
      for (const rule of rules) if (rule.matches(candidate)) excluded = !rule.exception;
    }
    return excluded;
  };
}
