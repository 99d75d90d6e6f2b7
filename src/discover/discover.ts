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
  /**
   * package.json files one of whose scripts runs docker: `npm run NAME` is a candidate orchestrator.
   * The top level's, then those of sub-directories (PACKAGE_DEPTH deep, `web/package.json`) that
   * hold no Dockerfile of their own (such a directory is its own pattern, migrated from there).
   */
  readonly packages: readonly string[];
  /** Other files that run docker but that restage does not analyse (an included `.mk` …). */
  readonly otherOrchestrators: readonly string[];
  /** Makefiles that do not run docker: build steps inside an image, not orchestrators. */
  readonly inertMakefiles: readonly string[];
  /** Shell scripts and JS/TS files (top level and SCRIPT_DIRS) that run no docker, for the report. */
  readonly inertScripts: readonly string[];
  /** package.json files (top level and below, as `packages`) none of whose scripts runs docker, for the report. */
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

/** Folder names never entered: version control, package managers' trees, vendored code. */
export const VENDORED: ReadonlySet<string> = new Set([
  '.git',
  '.hg',
  '.svn',
  'node_modules',
  'bower_components',
  'vendor',
  'third_party',
  'third-party',
  '.venv',
  '__pycache__',
]);

/**
 * How deep below the directory discovery looks for package.json files (`web/package.json`,
 * `apps/web/package.json`): npm runs their scripts in their own directories, from wherever.
 */
export const PACKAGE_DEPTH = 2;

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
  /** Whether a JS/TS file a package.json script runs (relative to the package's directory `dir`) runs docker. */
  const jsFileRunsDocker =
    (dir: string) =>
    (file: string): boolean => {
      const name = path.posix.normalize(path.posix.join(dir, file));
      if (name.startsWith('../') || path.isAbsolute(name)) return false;
      const checked = confinement.check(name);
      return checked.ok && checked.kind === 'file' && jsRunsDocker(text(name));
    };
  /**
   * Whether a shell script a sub-directory's package.json runs (`./build.sh`, `sh build.sh`, relative
   * to `dir`) runs docker: such a script is found nowhere else (the top level's and SCRIPT_DIRS' are
   * candidates of their own).
   */
  const shellFileRunsDocker =
    (dir: string) =>
    (file: string): boolean => {
      if (dir === '.') return false;
      const name = path.posix.normalize(path.posix.join(dir, file));
      if (name.startsWith('../') || path.isAbsolute(name)) return false;
      const checked = confinement.check(name);
      return checked.ok && checked.kind === 'file' && isScript(name) && invokesDocker(stripComments(text(name)));
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
      (packageRunsDocker(text(name), jsFileRunsDocker('.'), shellFileRunsDocker('.')) ? packages : inertPackages).push(
        name,
      );
    }
  }
  for (const name of subPackages(root, confinement)) {
    const dir = path.posix.dirname(name);
    (packageRunsDocker(text(name), jsFileRunsDocker(dir), shellFileRunsDocker(dir)) ? packages : inertPackages).push(
      name,
    );
  }
  // A Makefile, script or package.json that runs another package's script (`cd web && npm run
  // build`, `npm --prefix web run build`) is the pipeline's entry point when a package runs docker:
  // a candidate, whose analysis follows the package's script there.
  if (packages.length > 0) {
    const promote = (from: string[], to: string[], runs: (name: string) => boolean) => {
      for (const name of [...from])
        if (runs(name)) {
          from.splice(from.indexOf(name), 1);
          to.push(name);
        }
    };
    promote(inertMakefiles, makefiles, (n) => MAKE_GOAL_FILE.test(n) && runsNpm(stripComments(text(n))));
    promote(inertScripts, scripts, (n) => !isJsScriptName(n) && runsNpm(stripComments(text(n))));
    promote(nestedInert, nestedScripts, (n) => !isJsScriptName(n) && runsNpm(stripComments(text(n))));
    promote(inertPackages, packages, (n) => packageRunsNpmElsewhere(text(n)));
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
 * (`node scripts/build.mjs`) or a shell script (`./build.sh`, as `shellFileRunsDocker` judges) that
 * does (a file that is no JSON: whether its text seems to).
 */
function packageRunsDocker(
  text: string,
  jsFileRunsDocker: (file: string) => boolean,
  shellFileRunsDocker: (file: string) => boolean,
): boolean {
  const read = readPackageScripts(text);
  if ('error' in read) return /"[^"]*":\s*"[^"]*\bdocker\s+(build|create|cp)\b/.test(text);
  return [...read.scripts.values()].some(
    (s) =>
      invokesDocker(s.value.text) ||
      s.value.text.split(/&&|\|\||[;|\n()]/).some((command) => {
        const words = command.trim().split(/\s+/);
        const run = jsRun(words);
        if (run !== null) return jsFileRunsDocker(run.file);
        const [first, second] = words;
        const shell = first && /^(ba|da)?sh$/.test(first) ? second : first?.includes('/') ? first : undefined;
        return shell !== undefined && !/[$`'"\\*?]/.test(shell) && shellFileRunsDocker(shell);
      }),
  );
}

/** Whether shell text runs an npm script (`npm run NAME`, `npm --prefix DIR run NAME`, `npm test`). */
function runsNpm(text: string): boolean {
  return /(^|[\s;&|(`])npm(\s+\S+)*?\s+(run|run-script|start|test)\b/m.test(text);
}

/** Whether a script of a package.json runs another package's script (after a `cd`, or with --prefix/-C/-w). */
function packageRunsNpmElsewhere(text: string): boolean {
  const read = readPackageScripts(text);
  if ('error' in read) return false;
  return [...read.scripts.values()].some(
    (s) =>
      runsNpm(s.value.text) &&
      (/(^|[\s;&(])cd\s/.test(s.value.text) ||
        /\snpm\s(.*\s)?(--prefix|-C|--workspace|-w)[\s=]/.test(` ${s.value.text}`)),
  );
}

/**
 * The package.json files below the top level (not its own), PACKAGE_DEPTH deep, in name order,
 * relative to the directory: not in VENDORED or dot folders, not through a link, and not in a
 * directory that holds a Dockerfile (that directory is a pattern of its own).
 */
export function subPackages(root: string, confinement = new Confinement(root)): string[] {
  const out: string[] = [];
  const walk = (rel: string, depth: number) => {
    if (depth > PACKAGE_DEPTH) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (!e.isDirectory() || VENDORED.has(e.name) || e.name.startsWith('.')) continue;
      const dir = rel === '' ? e.name : `${rel}/${e.name}`;
      const checked = confinement.check(dir);
      if (!checked.ok || checked.kind !== 'dir') continue;
      let names: string[];
      try {
        names = fs.readdirSync(path.join(root, dir));
      } catch {
        continue;
      }
      const own = confinement.check(`${dir}/package.json`);
      if (own.ok && own.kind === 'file' && !names.some((n) => isDockerfileName(n))) out.push(`${dir}/package.json`);
      walk(dir, depth + 1);
    }
  };
  walk('', 1);
  return out;
}

/** Whether a recipe line (a tab first) of `makefile` runs `script` (its path from the root, `./` or not) as a command word. */
function recipeRuns(makefile: string, script: string): boolean {
  const name = script.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\t([@+-]*|.*[\\s;&|(])(\\./)?${name}($|[\\s;&|)])`, 'm').test(makefile);
}

function stripComments(text: string): string {
  return text.replace(/(^|\s)#.*$/gm, '$1');
}
