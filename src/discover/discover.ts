/**
 * Which files in a directory may form a builder pattern. Reads names and, for candidate
 * orchestrators, their text. The script, once analysed, wins over these name guesses: a `-f`
 * it names is the build Dockerfile whatever it is called.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Confinement, type Refusal } from './confine.js';
import { invokesDocker } from '../shared/docker-cli.js';
import { readPackageScripts } from '../parse/package-json.js';
import { isJsScriptName, jsRun } from '../shared/js-runner.js';

export interface Discovery {
  /** Absolute path of the directory. */
  readonly root: string;
  /** Dockerfiles at the top level, by name pattern (relative paths). */
  readonly dockerfiles: readonly string[];
  /**
   * Shell scripts, and JS/TS build scripts, that run docker (relative paths), in name order: the top
   * level's, then those of SCRIPT_DIRS.
   */
  readonly scripts: readonly string[];
  /** Dockerfiles in SCRIPT_DIRS (`docker/Dockerfile.build`): a script's `-f` may name them. */
  readonly nestedDockerfiles: readonly string[];
  /** Makefiles (`Makefile`, `makefile`, `GNUmakefile`) that run docker: `make GOAL` is a candidate orchestrator. */
  readonly makefiles: readonly string[];
  /** package.json files one of whose scripts runs docker: `npm run NAME` is a candidate orchestrator. */
  readonly packages: readonly string[];
  /** Other files that run docker but that restage does not analyse (an included `.mk` …). */
  readonly otherOrchestrators: readonly string[];
  /** Makefiles that do not run docker: build steps inside an image, not orchestrators. */
  readonly inertMakefiles: readonly string[];
  /** Shell scripts and JS/TS files (top level and SCRIPT_DIRS) that run no docker, for the report. */
  readonly inertScripts: readonly string[];
  /** package.json files none of whose scripts runs docker (itself or through a build script), for the report. */
  readonly inertPackages: readonly string[];
  /** Every top-level entry, for reports. */
  readonly entries: readonly string[];
  /** Candidate files (Dockerfiles, scripts, Makefiles) restage refused to read: links out of the directory, FIFOs, devices. */
  readonly refused: readonly { readonly name: string; readonly reason: Refusal }[];
}

/** `Dockerfile`, `Dockerfile.build`, `Dockerfile-build`, `Dockerfile_build`, `DockerfileBuild`, `app.Dockerfile` (not `Dockerfile.md`). */
const DOCKERFILE = /^(Dockerfile|Containerfile)([._-].+|[A-Z][A-Za-z0-9]*)?$|\.(Dockerfile|dockerfile|Containerfile)$/;
const DOCUMENT = /\.(md|txt|rst|adoc|html)$/i;

/** A Dockerfile name that says it builds (Dockerfile.build, build.Dockerfile, Dockerfile-builder, DockerfileBuild…). */
export const isBuilderDockerfileName = (name: string): boolean => /build/i.test(name);

/** Whether a file's base name is one Docker users give Dockerfiles (Dockerfile.build, app.Dockerfile, Containerfile). */
export const isDockerfileName = (name: string): boolean => DOCKERFILE.test(name) && !DOCUMENT.test(name);
const MAKEFILE = /^(GNUmakefile|makefile|Makefile)$|\.mk$/;
const MAKE_GOAL_FILE = /^(GNUmakefile|makefile|Makefile)$/;

/** Whether a file's base name is one `make` reads by itself, or `make -f` is given (a Makefile that orchestrates). */
export const isMakefileName = (name: string): boolean => MAKE_GOAL_FILE.test(name);

export { isJsScriptName };

/** Whether a JS/TS file's text runs docker through a child-process call or zx's `$` (a cheap test, no parse). */
export function jsRunsDocker(text: string): boolean {
  return (
    /\b(execSync|exec|spawnSync|spawn|execFileSync|execFile|execa|execaSync)\s*\(|\$`/.test(text) &&
    /\bdocker\b/.test(text)
  );
}

/**
 * Sub-directories where repositories keep their build scripts and Dockerfiles. A script found there
 * is analysed as run from the directory restage was given (`./ci/build.sh`, as CI runs it).
 */
export const SCRIPT_DIRS = ['ci', '.ci', 'scripts', 'script', 'build', 'docker', 'hack', 'tools'] as const;

/**
 * Whether a file is a shell script: by its name (`.sh`, `.bash`), or, for a name without an
 * extension, by its `#!` line; `text` is read only then.
 */
export function isShellScript(name: string, text: () => string): boolean {
  const base = path.basename(name);
  if (base.endsWith('.sh') || base.endsWith('.bash')) return true;
  return !base.includes('.') && /^#!.*\b(ba|da|k|z)?sh\b/.test(text().slice(0, 80));
}

export function discover(root: string, confinement = new Confinement(root)): Discovery {
  const top = fs.readdirSync(root, { withFileTypes: true });
  const all = top
    .filter((e) => !e.isDirectory())
    .map((e) => e.name)
    .sort();
  const nested = SCRIPT_DIRS.filter((d) => top.some((e) => e.name === d && e.isDirectory()))
    .filter((d) => {
      const checked = confinement.check(d);
      return checked.ok && checked.kind === 'dir';
    })
    .flatMap((d) =>
      fs
        .readdirSync(path.join(root, d), { withFileTypes: true })
        .filter((e) => !e.isDirectory())
        .map((e) => `${d}/${e.name}`)
        .sort(),
    );
  const refused: { name: string; reason: Refusal }[] = [];
  const readable = all.filter((name) => {
    const checked = confinement.check(name);
    if (checked.ok) return checked.kind === 'file';
    // Only a file restage would have read is worth a diagnostic; a LICENSE linked from the parent is none of its business.
    if (checked.reason !== 'missing' && (isDockerfileName(name) || MAKEFILE.test(name) || /\.(sh|bash)$/.test(name)))
      refused.push({ name, reason: checked.reason });
    return false;
  });
  const nestedReadable = nested.filter((name) => {
    const checked = confinement.check(name);
    return checked.ok && checked.kind === 'file';
  });
  const read = new Map<string, string>();
  const text = (name: string): string => {
    if (!read.has(name)) {
      const got = confinement.readText(name);
      read.set(name, 'text' in got ? got.text : '');
    }
    return read.get(name)!;
  };
  const scripts: string[] = [];
  const nestedScripts: string[] = [];
  const makefiles: string[] = [];
  const packages: string[] = [];
  const otherOrchestrators: string[] = [];
  const inertMakefiles: string[] = [];
  const inertScripts: string[] = [];
  const nestedInert: string[] = [];
  const inertPackages: string[] = [];
  const isScript = (name: string) => isShellScript(name, () => text(name));
  /** Whether a JS/TS file a package.json script runs (relative to the directory) runs docker. */
  const jsFileRunsDocker = (file: string): boolean => {
    const name = path.posix.normalize(file);
    if (name.startsWith('../') || path.isAbsolute(name)) return false;
    const checked = confinement.check(name);
    return checked.ok && checked.kind === 'file' && jsRunsDocker(text(name));
  };
  for (const name of nestedReadable) {
    if (isJsScriptName(name)) (jsRunsDocker(text(name)) ? nestedScripts : nestedInert).push(name);
    else if (isScript(name)) (invokesDocker(stripComments(text(name))) ? nestedScripts : nestedInert).push(name);
  }
  for (const name of readable) {
    if (isJsScriptName(name)) {
      (jsRunsDocker(text(name)) ? scripts : inertScripts).push(name);
    } else if (isScript(name)) {
      (invokesDocker(stripComments(text(name))) ? scripts : inertScripts).push(name);
    } else if (MAKEFILE.test(name)) {
      if (!invokesDocker(stripComments(text(name)))) inertMakefiles.push(name);
      else (MAKE_GOAL_FILE.test(name) ? makefiles : otherOrchestrators).push(name);
    } else if (name === 'package.json') {
      (packageRunsDocker(text(name), jsFileRunsDocker) ? packages : inertPackages).push(name);
    }
  }
  // A Makefile whose recipe runs one of those scripts (`./ci/build.sh release`) is the pipeline's entry
  // point, with the script part of it: a candidate, no inert Makefile.
  for (const name of [...inertMakefiles])
    if (
      MAKE_GOAL_FILE.test(name) &&
      [...scripts, ...nestedScripts].some((s) => recipeRuns(stripComments(text(name)), s))
    ) {
      inertMakefiles.splice(inertMakefiles.indexOf(name), 1);
      makefiles.push(name);
    }
  return {
    root,
    dockerfiles: readable.filter((n) => isDockerfileName(n)),
    nestedDockerfiles: nestedReadable.filter((n) => isDockerfileName(path.posix.basename(n))),
    scripts: [...scripts, ...nestedScripts],
    makefiles,
    packages,
    otherOrchestrators,
    inertMakefiles,
    inertScripts: [...inertScripts, ...nestedInert],
    inertPackages,
    entries: all,
    refused,
  };
}

/**
 * Whether a script of a package.json runs docker, itself or through a JS/TS build script it runs
 * (`node scripts/build.mjs`) that does (a file that is no JSON: whether its text seems to).
 */
function packageRunsDocker(text: string, jsFileRunsDocker: (file: string) => boolean): boolean {
  const read = readPackageScripts(text);
  if ('error' in read) return /"[^"]*":\s*"[^"]*\bdocker\s+(build|create|cp)\b/.test(text);
  return [...read.scripts.values()].some(
    (s) =>
      invokesDocker(s.value.text) ||
      s.value.text.split(/&&|\|\||[;|\n]/).some((command) => {
        const run = jsRun(command.trim().split(/\s+/));
        return run !== null && jsFileRunsDocker(run.file);
      }),
  );
}

/** Whether a recipe line (a tab first) of `makefile` runs `script` (its path from the root, `./` or not) as a command word. */
function recipeRuns(makefile: string, script: string): boolean {
  const name = script.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\t([@+-]*|.*[\\s;&|(])(\\./)?${name}($|[\\s;&|)])`, 'm').test(makefile);
}

function stripComments(text: string): string {
  return text.replace(/(^|\s)#.*$/gm, '$1');
}
