/**
 * An npm command line as npm reads it (`npm [flags] run NAME [flags] [-- args]`): which script it
 * runs and in which package. npm takes its flags anywhere before `--`, on either side of the
 * command (test/orchestrate/npm-command.test.ts shows the spellings npm 11.19.1 ran): `--prefix
 * DIR`, `--prefix=DIR` and its shorthand `-C DIR` make DIR the package (npm's shorthand table has
 * `C: --prefix`; `npm -C web run x` runs web/package.json's x); `--workspace NAME` (`-w`) runs the
 * script in a workspace of the package, `--workspaces` (`-ws`) in every one. Without `--prefix`,
 * npm's package is the nearest directory at or above the working directory that holds a
 * package.json. Pure.
 */

/** Flags of npm's that take a value (`--loglevel info`); any other `--flag` is a boolean. */
const VALUED = new Set([
  'prefix',
  'workspace',
  'loglevel',
  'script-shell',
  'userconfig',
  'globalconfig',
  'cache',
  'registry',
  'tag',
  'otp',
]);

/** npm's one-letter shorthands that take a value. */
const SHORT_VALUED: Readonly<Record<string, string>> = { C: 'prefix', w: 'workspace' };

/** npm commands that run a script: `run` and its aliases, and the lifecycle commands that run their own. */
const RUN = new Set(['run', 'run-script', 'rum', 'urn']);
const LIFECYCLE = new Set(['start', 'test', 'stop', 'restart']);

export interface NpmRun {
  /** The script run. */
  readonly name: string;
  /** Words npm gives the script (`--` included when written), which restage does not follow. */
  readonly args: readonly string[];
  readonly ifPresent: boolean;
  /** `--prefix DIR` / `-C DIR` (the last one), relative to the working directory; null when not given. */
  readonly prefix: string | null;
  /** `--workspace NAME` / `-w NAME`, in order. */
  readonly workspaces: readonly string[];
  /** `--workspaces` / `-ws`: every workspace. */
  readonly allWorkspaces: boolean;
}

/** The script `npm …` runs, or null when the words run none (`npm ci`, `npm run` alone, not npm). */
export function npmRun(words: readonly string[]): NpmRun | null {
  if (words[0] !== 'npm') return null;
  const positional: string[] = [];
  const after: string[] = [];
  let prefix: string | null = null;
  const workspaces: string[] = [];
  let allWorkspaces = false;
  let ifPresent = false;
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--') {
      after.push(...words.slice(i));
      break;
    }
    let key: string | null = null;
    let value: string | undefined;
    if (w.startsWith('--')) {
      const eq = w.indexOf('=');
      key = eq < 0 ? w.slice(2) : w.slice(2, eq);
      if (eq >= 0) value = w.slice(eq + 1);
    } else if (w.startsWith('-') && w.length > 1) {
      key = w === '-ws' ? 'workspaces' : (SHORT_VALUED[w.slice(1)] ?? w.slice(1));
    } else {
      positional.push(w);
      continue;
    }
    if (VALUED.has(key) && value === undefined) value = words[++i];
    if (key === 'prefix' && value !== undefined) prefix = value;
    else if (key === 'workspace' && value !== undefined) workspaces.push(value);
    else if (key === 'workspaces' || key === 'ws') allWorkspaces = value !== 'false';
    else if (key === 'if-present') ifPresent = value !== 'false';
  }
  const [command, ...rest] = positional;
  let name: string | undefined;
  let args: string[];
  if (command !== undefined && RUN.has(command)) [name, ...args] = rest;
  else if (command !== undefined && LIFECYCLE.has(command)) [name, args] = [command, rest];
  else return null;
  if (name === undefined) return null;
  return { name, args: [...args, ...after], ifPresent, prefix, workspaces, allWorkspaces };
}

/** Whether a run names its package itself (`--prefix`, a workspace) rather than taking the working directory's. */
export const namesPackage = (run: NpmRun): boolean =>
  run.prefix !== null || run.workspaces.length > 0 || run.allWorkspaces;
