/** The repository a path belongs to, as verify's scratch areas and the SARIF report's `%SRCROOT%` take it. */
import fs from 'node:fs';
import path from 'node:path';

/** The git work tree that holds `dir` (the nearest ancestor with a .git entry), or `dir` itself. */
export function repositoryOf(dir: string): string {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return path.resolve(dir);
  }
}
