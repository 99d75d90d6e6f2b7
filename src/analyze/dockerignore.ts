/**
 * `.dockerignore`, as the build context sees it: Docker's own rules, which no glob library has
 * (picomatch's `**` is a whole segment only; Docker's is not, and `a/**` leaves `a` itself in).
 * test/analyze/dockerignore.test.ts holds the cases, and test/e2e/dockerignore.test.ts checks them
 * against what the engine puts in an image with `COPY . /ctx`.
 *
 * - The file: a line starting with `#` is a comment; lines are trimmed; `!` makes an exception;
 *   a pattern is cleaned as a path (`./a/` is `a`, `a/../b` is `b`) and a leading '/' dropped:
 *   patterns and paths are relative to the context root.
 * - A pattern: `*` is any run within one segment, `?` one character (never '/'), `[…]` a class,
 *   `\` makes the next character literal; `**` is any run of segments (`**`+`/x` matches `x` and
 *   `a/b/x`), a trailing `**` any text (`a/**` matches below `a` but not `a`), and a pattern
 *   starting with `**` followed by literal text only matches any path ending in that text.
 * - A path is excluded when the last pattern that matches it, or one of its parent directories,
 *   is not an exception.
 */
import path from 'node:path';
import type { DockerignoreRule } from '../model/analysis.js';

export type ContextFilter = (relativePath: string) => boolean;

/** A predicate: is this context-relative path excluded from the build context? */
export function dockerignore(text: string): ContextFilter {
  const rules = compileRules(parseDockerignore(text));
  return (relativePath) => excludedBy(rules, relativePath);
}

/** The rules of a .dockerignore's text, in order. */
export function parseDockerignore(text: string): DockerignoreRule[] {
  return dockerignoreLines(text).map(({ exception, pattern }) => ({ exception, pattern }));
}

/** The rules of a .dockerignore's text, in order, each with the (1-based) line it is on. */
export function dockerignoreLines(text: string): (DockerignoreRule & { readonly line: number })[] {
  return patternsOf(text).map(({ pattern, line }) => {
    const exception = pattern.startsWith('!');
    return { exception, pattern: exception ? pattern.slice(1) : pattern, line };
  });
}

/** A rule as a .dockerignore line writes it. */
export function ruleText(rule: DockerignoreRule): string {
  return `${rule.exception ? '!' : ''}${rule.pattern}`;
}

/**
 * The index of the rule that decides whether the path is excluded (the last one matching it or a
 * parent directory), or -1 when none matches (the path is then kept).
 */
export function decidingRule(rules: readonly DockerignoreRule[], relativePath: string): number {
  const parts = cleanPath(relativePath).split('/');
  if (parts[0] === '.' || parts[0] === '') return -1;
  const selfAndParents = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let found = -1;
  compileRules(rules).forEach((rule, i) => {
    if (selfAndParents.some(rule.matches)) found = i;
  });
  return found;
}

/**
 * The rule re-rooted below `prefix` (a directory of a larger context, relative to its root,
 * without a trailing '/'): it decides for `prefix/P` what it decided for `P` in a context rooted
 * at `prefix`, and nothing outside `prefix`. Null for a rule that matches nothing (`.`, `/`, `..`
 * and below it: no context path is one of them). The prefix's `*`, `?`, `[`, `]` and `\` are
 * escaped. A pattern that starts with `**` followed by literal text only (`**foo`, a suffix:
 * any path ending in `foo`) becomes `prefix/**` + `/*foo` (any path below prefix whose last part
 * ends in `foo`), since `prefix/**foo` would match only a last part that is exactly `foo`.
 * test/analyze/dockerignore.test.ts runs every engine-checked case re-rooted.
 */
export function rerootRule(rule: DockerignoreRule, prefix: string): DockerignoreRule | null {
  const { pattern } = rule;
  if (pattern === '.' || pattern === '/' || pattern === '..' || pattern.startsWith('../')) return null;
  const base = prefix.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
  const suffix =
    pattern.startsWith('**') && pattern[2] !== '/' && pattern.length > 2 && !/[*?[\]\\]/.test(pattern.slice(2));
  return { exception: rule.exception, pattern: suffix ? `${base}/**/*${pattern.slice(2)}` : `${base}/${pattern}` };
}

/** Whether the rules exclude this context-relative path from the build context. */
export function ignoredBy(rules: readonly DockerignoreRule[], relativePath: string): boolean {
  return excludedBy(compileRules(rules), relativePath);
}

interface CompiledRule {
  readonly exception: boolean;
  readonly matches: (relativePath: string) => boolean;
}

function compileRules(rules: readonly DockerignoreRule[]): CompiledRule[] {
  return rules.map(({ exception, pattern }) => ({ exception, matches: compile(pattern) }));
}

function excludedBy(rules: readonly CompiledRule[], relativePath: string): boolean {
  if (rules.length === 0) return false;
  const parts = cleanPath(relativePath).split('/');
  if (parts[0] === '.' || parts[0] === '') return false;
  const selfAndParents = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let excluded = false;
  for (const rule of rules) if (selfAndParents.some(rule.matches)) excluded = !rule.exception;
  return excluded;
}

/** The patterns of a .dockerignore, cleaned, `!` kept in front of an exception, with their lines. */
function patternsOf(text: string): { pattern: string; line: number }[] {
  const patterns: { pattern: string; line: number }[] = [];
  for (const [index, line] of text
    .replace(/^\uFEFF/, '')
    .split('\n')
    .entries()) {
    if (line.startsWith('#')) continue;
    let pattern = line.trim();
    if (pattern === '') continue;
    const exception = pattern.startsWith('!');
    if (exception) pattern = pattern.slice(1).trim();
    if (pattern !== '') {
      pattern = cleanPath(pattern);
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    if (exception && pattern === '') continue;
    patterns.push({ pattern: exception ? `!${pattern}` : pattern, line: index + 1 });
  }
  return patterns;
}

/** A path cleaned lexically: no empty, '.' or '..'-after-a-name segments, no trailing '/'. */
function cleanPath(p: string): string {
  const normal = path.posix.normalize(p);
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
}

const ESCAPED = new Set('.+()|{}$');

/** One pattern as a predicate on a cleaned relative path. */
function compile(pattern: string): (relativePath: string) => boolean {
  let source = '^';
  let kind: 'exact' | 'prefix' | 'suffix' | 'regexp' = 'exact';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*' && pattern[i + 1] === '*') {
      const first = i === 0;
      i++;
      if (pattern[i + 1] === '/') i++;
      if (i + 1 >= pattern.length) {
        if (kind === 'exact') kind = 'prefix';
        else {
          source += '.*';
          kind = 'regexp';
        }
      } else {
        source += '(.*/)?';
        kind = 'regexp';
      }
      if (first) kind = 'suffix';
    } else if (ch === '*') {
      source += '[^/]*';
      kind = 'regexp';
    } else if (ch === '?') {
      source += '[^/]';
      kind = 'regexp';
    } else if (ESCAPED.has(ch)) {
      source += `\\${ch}`;
    } else if (ch === '\\') {
      if (i + 1 < pattern.length) {
        i++;
        source += `\\${pattern[i]!}`;
        kind = 'regexp';
      } else source += '\\\\';
    } else if (ch === '[' || ch === ']') {
      source += ch;
      kind = 'regexp';
    } else {
      source += ch;
    }
  }
  switch (kind) {
    case 'exact':
      return (p) => p === pattern;
    case 'prefix': {
      const prefix = pattern.slice(0, -2);
      return (p) => p.startsWith(prefix);
    }
    case 'suffix': {
      const suffix = pattern.slice(2);
      return (p) => p.endsWith(suffix) || (suffix.startsWith('/') && p === suffix.slice(1));
    }
    default: {
      let regexp: RegExp | null = null;
      try {
        regexp = new RegExp(`${source}$`);
      } catch {
        // Docker refuses the build over such a pattern; nothing is matched here.
      }
      return (p) => regexp?.test(p) ?? false;
    }
  }
}
