// A tiny glob matcher for `--ignore`, over normalized absolute paths.
//
// - `*` matches any run of characters within one segment, `?` one character (never '/');
//   a leading dot is matched like any other character.
// - `**` as a whole segment matches zero or more segments: `/var/cache/**` matches `/var/cache`
//   itself and everything below it; `/**/*.pyc` matches every .pyc file.
// - A pattern is anchored at the root: `var/log/*` means `/var/log/*`. A trailing '/' is ignored.
// - `\` makes the next character literal.
import { normalizePath } from './paths.js';

/** The regular expression source (without anchors) of one pattern, matched against a path whose root is ''. */
function patternSource(pattern: string): string {
  return pattern
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => (segment === '**' ? '(?:/[^/]+)*' : `/${segmentSource(segment)}`))
    .join('');
}

function segmentSource(segment: string): string {
  let source = '';
  for (let i = 0; i < segment.length; i += 1) {
    const char = segment[i] ?? '';
    if (char === '\\' && i + 1 < segment.length) {
      i += 1;
      source += escapeRegExp(segment[i] ?? '');
    } else if (char === '*') {
      while (segment[i + 1] === '*') i += 1;
      source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else {
      source += escapeRegExp(char);
    }
  }
  return source;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A predicate telling whether a path matches any of the patterns; blank patterns are ignored. */
export function globMatcher(patterns: readonly string[]): (path: string) => boolean {
  const effective = patterns.filter((pattern) => pattern.trim() !== '');
  if (effective.length === 0) return () => false;
  const regexp = new RegExp(`^(?:${effective.map(patternSource).join('|')})$`);
  return (path) => {
    const normalized = normalizePath(path);
    return regexp.test(normalized === '/' ? '' : normalized);
  };
}
