/**
 * Which files in a directory may form a builder pattern. Reads names and, for candidate
 * orchestrators, their text. The script, once analysed, wins over these name guesses: a `-f`
 * it names is the build Dockerfile whatever it is called.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface Discovery {
  /** Absolute path of the directory. */
  readonly root: string;
  /** Dockerfiles at the top level, by name pattern (relative paths). */
  readonly dockerfiles: readonly string[];
  /** Shell scripts that run docker (relative paths), in name order. */
  readonly scripts: readonly string[];
  /** Other orchestrators that run docker but are not shell scripts (Makefile, package.json …). */
  readonly otherOrchestrators: readonly string[];
  /** Makefiles that do not run docker: build steps inside an image, not orchestrators. */
  readonly inertMakefiles: readonly string[];
  /** Every top-level entry, for reports. */
  readonly entries: readonly string[];
}

const DOCKERFILE = /^(Dockerfile|Containerfile)([.-].+)?$|\.(Dockerfile|dockerfile|Containerfile)$/;
const MAKEFILE = /^(GNUmakefile|makefile|Makefile)$|\.mk$/;
/** A docker (or podman) invocation as a command word, not inside a longer word. */
const RUNS_DOCKER = /(^|[\s;&|(`$])(sudo\s+)?(docker|podman)\s+[a-z]/m;

export function discover(root: string): Discovery {
  const entries = fs.readdirSync(root, { withFileTypes: true }).filter((e) => e.isFile() || e.isSymbolicLink()).map((e) => e.name).sort();
  const read = new Map<string, string>();
  const text = (name: string): string => {
    if (!read.has(name)) {
      let content = '';
      try { content = fs.readFileSync(path.join(root, name), 'utf8'); } catch { /* unreadable: not a candidate */ }
      read.set(name, content);
    }
    return read.get(name)!;
  };
  const scripts: string[] = [];
  const otherOrchestrators: string[] = [];
  const inertMakefiles: string[] = [];
  for (const name of entries) {
    if (name.endsWith('.sh') || name.endsWith('.bash') || (!name.includes('.') && /^#!.*\b(ba|da|k|z)?sh\b/.test(text(name).slice(0, 80)))) {
      if (RUNS_DOCKER.test(stripComments(text(name)))) scripts.push(name);
    } else if (MAKEFILE.test(name)) {
      (RUNS_DOCKER.test(stripComments(text(name))) ? otherOrchestrators : inertMakefiles).push(name);
    } else if (name === 'package.json' && /"[^"]*":\s*"[^"]*\bdocker\s+(build|create|cp)\b/.test(text(name))) {
      otherOrchestrators.push(name);
    }
  }
  return { root, dockerfiles: entries.filter((n) => DOCKERFILE.test(n)), scripts, otherOrchestrators, inertMakefiles, entries };
}

function stripComments(text: string): string {
  return text.replace(/(^|\s)#.*$/gm, '$1');
}
