/**
 * How diagnostics and reports show a host path: relative to the display base (the current
 * directory, or the library caller's `displayBase`) when it lies there, `.` for the base itself,
 * else absolute. A name that merely starts with `..` (`..data`) is inside.
 */
import path from 'node:path';

export function displayPath(p: string, base: string): string {
  const rel = path.relative(path.resolve(base), path.resolve(p));
  if (rel === '') return '.';
  return rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel) ? path.resolve(p) : rel;
}
