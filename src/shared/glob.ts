// The glob matchers of restage, over '/'-separated paths (picomatch does the matching).
//
// `globMatcher`, for `--ignore`, over normalized absolute paths:
// - `*` matches any run of characters within one segment, `?` one character (never '/'), `[…]` a
//   class; a leading dot is matched like any other character.
// - `**` as a whole segment matches zero or more segments: `/var/cache/**` matches `/var/cache`
//   itself and everything below it; `/**/*.pyc` matches every .pyc file.
// - A pattern is anchored at the root: `var/log/*` means `/var/log/*`. A trailing '/' is ignored.
// - `\` makes the next character literal; braces, a leading `!` and extglob parentheses are literal.
import path from 'node:path';
import picomatch from 'picomatch';
import { normalizePath } from './paths.js';

/** picomatch read as plain path globs: dot files matched, no braces, negation or extglobs. */
export const PLAIN_GLOB: picomatch.PicomatchOptions = { dot: true, nobrace: true, noextglob: true, nonegate: true };

/** A predicate telling whether a path matches any of the patterns; blank patterns are ignored. */
export function globMatcher(patterns: readonly string[]): (path: string) => boolean {
  const relative = patterns
    .filter((pattern) => pattern.trim() !== '')
    .map((pattern) => pattern.replace(/^\/+/, '').replace(/\/+$/, ''));
  if (relative.length === 0) return () => false;
  const root = relative.some((pattern) => pattern === '' || /^(\*\*\/?)+$/.test(pattern));
  const matchers = relative.filter((pattern) => pattern !== '').map((pattern) => picomatch(pattern, PLAIN_GLOB));
  return (path) => {
    const normalized = normalizePath(path).slice(1);
    return normalized === '' ? root : matchers.some((matches) => matches(normalized));
  };
}

/**
 * Whether a COPY source pattern (an absolute host path with `*`, `?` or `[…]`) names `candidate`
 * or a directory holding it: a COPY of a directory copies what lies below it.
 */
export function globCovers(pattern: string, candidate: string): boolean {
  return globCoverage(pattern)(candidate);
}

/** globCovers with the pattern compiled once: a predicate on candidates. */
export function globCoverage(pattern: string): (candidate: string) => boolean {
  const matches = picomatch(pattern, PLAIN_GLOB);
  return (candidate) => {
    for (let p = candidate; ; p = path.posix.dirname(p)) {
      if (matches(p)) return true;
      if (path.posix.dirname(p) === p) return false;
    }
  };
}

/**
 * Whether a shell `case` pattern matches a word: `*` matches any text, '/' included, `[…]` is a
 * class and `\` quotes the next character. Unlike the shell's, `?` does not match a '/'.
 */
export function caseMatches(pattern: string, word: string): boolean {
  // picomatch matches no empty string; in the shell only stars (or nothing) match one.
  if (word === '') return /^\**$/.test(pattern);
  return picomatch.isMatch(word, pattern, { ...PLAIN_GLOB, bash: true });
}

/** One `.gitignore` file's rules, matched against paths relative to the directory holding it. */
export interface GitignoreRules {
  /** The last rule matching `relative` (a '/'-separated path below the file's directory): true ignores, false re-includes, null says nothing. */
  readonly match: (relative: string, isDirectory: boolean) => boolean | null;
}

/**
 * A `.gitignore` file's text as rules, with git's semantics: blank lines and `#` comments are
 * skipped (`\#` and `\!` are literal), `!` re-includes, a trailing `/` matches directories only, a
 * pattern with a `/` before its end is anchored to the file's directory, one without matches a
 * name at any depth; `*`, `?`, `[…]` stay within a segment and `**` spans segments. The last
 * matching line wins. test/shared/glob.test.ts holds the table.
 */
export function gitignoreRules(text: string): GitignoreRules {
  const rules: { matches: (p: string) => boolean; negate: boolean; directoryOnly: boolean }[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1);
    else if (line.startsWith('\\#') || line.startsWith('\\!')) line = line.slice(1);
    const directoryOnly = line.endsWith('/');
    line = line.replace(/\/+$/, '');
    if (line === '') continue;
    const anchored = line.includes('/');
    const pattern = anchored ? line.replace(/^\/+/, '') : `**/${line}`;
    rules.push({
      matches: picomatch(pattern, PLAIN_GLOB),
      negate,
      directoryOnly,
    });
  }
  return {
    match(relative, isDirectory) {
      for (let i = rules.length - 1; i >= 0; i--) {
        const rule = rules[i]!;
        if ((!rule.directoryOnly || isDirectory) && rule.matches(relative)) return !rule.negate;
      }
      return null;
    },
  };
}
