/**
 * `npm run NAME` met by the analysis in a shell script, a Makefile recipe or another package's
 * script (`cd web && npm run build`, `npm --prefix web run build`, `npm -w web run build`): the
 * package's script as a shell script that runs in the package's directory, as npm runs it.
 * Which package: `--prefix`/`-C`, else the nearest package.json at or above the working directory
 * (inside the migrated directory); a workspace (`-w NAME`, a path or a package name) of that
 * package's `workspaces`. Every run reads its package.json through the OrchestratorContext; the
 * generated script's locations move back to package.json (and the JS build scripts it runs) with
 * `relocate`, once the analysis is done.
 */
import path from 'node:path';
import { diagnostic } from '../model/diagnostic.js';
import { parseShell } from '../parse/shell.js';
import { readPackageInfo, readPackageScripts } from '../parse/package-json.js';
import { relocator } from '../shared/relocate.js';
import { globMatcher } from '../shared/glob.js';
import { invokesDocker } from '../shared/docker-cli.js';
import { jsRunsDocker } from '../discover/discover.js';
import { readJsScript } from './js.js';
import { npmScript, packageLocation, type FollowJs } from './npm.js';
import { npmRun } from './npm-command.js';
import type { OrchestratorContext } from './kind.js';
import type { PackageRun, RunPackage } from '../analyze/command.js';

export type { PackageRun, RunPackage };

/** How deep below a package's directory its workspace patterns are looked for. */
const WORKSPACE_DEPTH = 3;

export interface PackageRuns {
  readonly run: RunPackage;
  /** Moves the locations of every generated script run so far back to the files they came from. */
  readonly relocate: (value: unknown) => void;
}

export function packageRuns(context: OrchestratorContext, listDirectories: (abs: string) => string[]): PackageRuns {
  const relocators: ((value: unknown) => void)[] = [];
  const packageAt = (dir: string): string | null => {
    const abs = path.join(dir, 'package.json');
    return context.readText(abs) === null ? null : abs;
  };
  const inside = (abs: string) => abs === context.root || abs.startsWith(context.root + path.sep);
  const run: RunPackage = (cwd, words, at) => {
    const npm = npmRun(words);
    if (!npm) return null;
    const command = words.join(' ');
    const decline = (directory: string, code: 'RS380' | 'RS381' | 'RS382', why: string): PackageRun => ({
      script: null,
      directory,
      key: '',
      file: path.join(directory, 'package.json'),
      reaches: false,
      included: [],
      diagnostics: [diagnostic(code, at, why)],
    });
    let dir: string | null;
    if (npm.prefix !== null) dir = path.resolve(cwd, npm.prefix);
    else {
      dir = null;
      for (let d = cwd; inside(d); d = path.dirname(d)) {
        if (packageAt(d)) {
          dir = d;
          break;
        }
        if (d === path.dirname(d)) break;
      }
      if (dir === null) return null;
    }
    if (npm.allWorkspaces || npm.workspaces.length > 1)
      return decline(
        dir,
        'RS380',
        `\`${command}\` runs "${npm.name}" in ${npm.allWorkspaces ? 'every workspace' : `the workspaces ${npm.workspaces.join(', ')}`} of ${context.display(path.join(dir, 'package.json'))}; restage follows one package's script: run it in the workspace that builds the image with \`npm --prefix DIR run ${npm.name}\` (or -w NAME), or migrate this step by hand`,
      );
    if (npm.workspaces.length === 1) {
      const wanted = npm.workspaces[0]!;
      const root = context.readText(path.join(dir, 'package.json'));
      const patterns = root === null ? [] : readPackageInfo(root).workspaces;
      const matches = globMatcher(patterns);
      const members = workspaceDirs(dir, listDirectories).filter((d) =>
        matches('/' + path.relative(dir!, d).split(path.sep).join('/')),
      );
      const found =
        members.find((d) => d === path.resolve(dir!, wanted)) ??
        members.find((d) => {
          const text = context.readText(path.join(d, 'package.json'));
          return text !== null && readPackageInfo(text).name === wanted;
        });
      if (!found)
        return decline(
          dir,
          'RS380',
          `\`${command}\` runs "${npm.name}" in the workspace ${wanted}, and restage finds no workspace of that path or name in ${context.display(path.join(dir, 'package.json'))}${patterns.length > 0 ? ` (its workspaces: ${patterns.join(', ')})` : ' (it lists no "workspaces")'}; name the workspace's directory with \`npm --prefix DIR run ${npm.name}\`, or migrate this step by hand`,
        );
      dir = found;
    }
    const abs = path.join(dir, 'package.json');
    const file = context.display(abs);
    const text = inside(dir) ? context.readText(abs) : null;
    if (text === null)
      return decline(
        dir,
        'RS381',
        `\`${command}\` runs "${npm.name}" of ${file}, which restage cannot read (missing, or outside the directory it migrates); npm would stop there: fix the path, or migrate this step by hand`,
      );
    const read = readPackageScripts(text);
    if ('error' in read) return decline(dir, 'RS382', `restage cannot read the scripts of ${file}: ${read.error}`);
    if (!read.scripts.has(npm.name)) {
      if (npm.ifPresent)
        return { script: null, directory: dir, key: '', file: abs, reaches: false, included: [], diagnostics: [] };
      return decline(
        dir,
        'RS381',
        `${file} has no script "${npm.name}": \`${command}\` would stop (Missing script); name a script of that package`,
      );
    }
    if (npm.args.length > 0)
      return decline(
        dir,
        'RS380',
        `\`${command}\` passes arguments to the script "${npm.name}" of ${file}; restage does not follow them — fold them into that script, or migrate this step by hand`,
      );
    const directory = dir;
    const follow: FollowJs = (js) => {
      const jsAbs = path.resolve(directory, js.file);
      const jsText = context.readText(jsAbs);
      if (jsText === null || !jsRunsDocker(jsText)) return null;
      const jsFile = context.display(jsAbs);
      return { file: jsFile, abs: jsAbs, script: readJsScript(jsFile, jsText) };
    };
    const generated = npmScript(file, read.scripts, npm.name, false, follow);
    // Its own name, so that its lines move back through its own map, whatever else runs the same package.
    const name = `${file} (npm run ${npm.name}, ${relocators.length + 1})`;
    const shell = parseShell(name, generated.text);
    const relocate = relocator(name, (p) => packageLocation(generated, file, p));
    relocators.push(relocate);
    relocate(shell.diagnostics);
    return {
      script: shell.script,
      directory: dir,
      key: `${abs}#${npm.name}`,
      file: abs,
      reaches: invokesDocker(generated.text) || generated.included.length > 0,
      included: generated.included,
      diagnostics: [...generated.diagnostics, ...shell.diagnostics],
      followed: diagnostic(
        'RS383',
        at,
        `restage followed \`${command}\` into the script "${npm.name}" of ${file} (line ${read.scripts.get(npm.name)!.key.start.line}), run in ${context.display(dir)} as npm runs a package's scripts`,
      ),
    };
  };
  return { run, relocate: (value) => relocators.forEach((r) => r(value)) };
}

/** The directories below `dir` (not itself) up to WORKSPACE_DEPTH deep, skipping node_modules and dot folders. */
function workspaceDirs(dir: string, list: (abs: string) => string[]): string[] {
  const out: string[] = [];
  const walk = (abs: string, depth: number) => {
    if (depth > WORKSPACE_DEPTH) return;
    for (const name of list(abs)) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const child = path.join(abs, name);
      out.push(child);
      walk(child, depth + 1);
    }
  };
  walk(dir, 1);
  return out;
}
