/**
 * Paths of a root file system as the manifest keys them: absolute, '/' for the root, no trailing
 * slash, no empty, '.' or '..' segments ('..' never climbs above the root, as in a container).
 */
export function normalizePath(name: string): string {
  const segments: string[] = [];
  for (const segment of name.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return `/${segments.join('/')}`;
}

/** The directory holding a normalized path; the root is its own parent. */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}

/** The last segment of a normalized path; '' for the root. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** True when `path` lies strictly below the directory `dir` (both normalized). */
export function isBelow(path: string, dir: string): boolean {
  return dir === '/' ? path !== '/' : path.startsWith(`${dir}/`);
}

/**
 * True when `path` is the directory `dir` itself or lies below it. Both are absolute (as
 * path.resolve or path.join give them); a trailing slash on either is the same directory.
 */
export function isWithin(path: string, dir: string): boolean {
  const d = dir.length > 1 && dir.endsWith('/') ? dir.slice(0, -1) : dir;
  return path === d || isBelow(path, d);
}

/** Code-unit order: deterministic whatever the locale, and a directory sorts before its children. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
