/**
 * A package.json as the orchestrator: `npm run NAME` as a shell script. npm runs `preNAME`, `NAME`
 * and `postNAME`, each with `sh -c` in the package's directory (with node_modules/.bin first on
 * PATH), and stops at the first that fails. An entry's command that is itself `npm run OTHER`
 * (`npm run-script`, `yarn [run]`, `pnpm [run]`, `npm start|test`) runs OTHER with its hooks in
 * place; restage follows it when it is a command of its own in a list joined by `&&`, `;` or new
 * lines, and declines it anywhere else (RS380). A command of such a list that runs a JS/TS build
 * script (`node scripts/build.mjs`, `tsx build.ts`) is replaced by the commands that script runs
 * (the js kind reads it), in the same place: its execSync/spawn calls run in npm's working
 * directory, the package's. Every character of the generated script is mapped back to the
 * character of the JSON string, or the JS call, it came from.
 */
import path from 'node:path';
import { diagnostic, type Diagnostic, type Location } from '../model/diagnostic.js';
import { parseShell } from '../parse/shell.js';
import type { NeededPackage, OrchestratorContext, TargetKind } from './kind.js';
import { relocator } from '../shared/relocate.js';
import { readPackageScripts, type PackageScripts, type SourceString } from '../parse/package-json.js';
import { jsRun, type JsRun } from '../shared/js-runner.js';
import { jsRunsDocker } from '../discover/discover.js';
import { readJsScript } from './js.js';
import { namesPackage, npmRun } from './npm-command.js';
import type { JsScript } from './js-commands.js';

/** A point of package.json, or of another file (a JS build script's call) when `file` is set. */
type Point = { readonly line: number; readonly column: number; readonly file?: string };

/** A generated line: the source point of each of its characters (past the end: the last one). */
type Origin = readonly Point[];

export interface NpmScript {
  readonly text: string;
  readonly origins: readonly Origin[];
  readonly diagnostics: readonly Diagnostic[];
  /** Absolute paths of the JS/TS build scripts followed. */
  readonly included: readonly string[];
  /** Packages those runs need from node_modules (`tsx`, `ts-node`), each where first run. */
  readonly packages: readonly NeededPackage[];
}

/** A JS/TS build script an entry runs, read. */
export interface FollowedJs {
  /** Its display name and absolute path. */
  readonly file: string;
  readonly abs: string;
  readonly script: JsScript;
}

/**
 * Reads the build script `run` names (`at`: where the command is; `argv`: its arguments, said
 * so, when it is given any), or null when it is none restage follows (missing, or running no
 * docker): the command then stays as it is.
 */
export type FollowJs = (run: JsRun, at: Location, argv: string | undefined) => FollowedJs | null;

/** Nested `npm run` calls deeper than this are not followed (a loop of scripts calling each other). */
const MAX_DEPTH = 16;

/** Subcommands of yarn and pnpm that are not script names (`yarn install` runs no script). */
const PACKAGE_MANAGER_COMMANDS = new Set(
  (
    'add audit bin cache config create dedupe exec dlx global help import info init install licenses link list ' +
    'login logout outdated owner pack publish rebuild remove unlink upgrade version why workspace workspaces'
  ).split(' '),
);

/**
 * The script name run by `words` (`npm run build`, `yarn build`…), its arguments, or null when they
 * run no script; `elsewhere` when the command names another package (`npm --prefix web run build`,
 * `-w web`), which the analysis follows in that package's directory, not in place.
 */
export function runsScript(
  words: readonly string[],
  has: (name: string) => boolean,
): {
  readonly name: string;
  readonly args: readonly string[];
  readonly ifPresent: boolean;
  readonly elsewhere?: true;
} | null {
  const [tool, sub, ...rest] = words;
  let after: string[];
  if (tool === 'npm') {
    const run = npmRun(words);
    if (!run) return null;
    return {
      name: run.name,
      args: run.args,
      ifPresent: run.ifPresent,
      ...(namesPackage(run) ? { elsewhere: true as const } : {}),
    };
  } else if (tool === 'yarn' || tool === 'pnpm') {
    if (sub === 'run') after = rest;
    else if (sub !== undefined && !sub.startsWith('-') && !PACKAGE_MANAGER_COMMANDS.has(sub) && has(sub))
      after = [sub, ...rest];
    else return null;
  } else return null;
  const flags = after.filter((w, i) => w.startsWith('-') && after.slice(0, i).every((p) => p.startsWith('-')));
  const [name, ...args] = after.slice(flags.length);
  if (name === undefined) return null;
  return { name, args, ifPresent: flags.includes('--if-present') };
}

/** Where an entry's text splits into commands run one after the other, or null when it is more than such a list. */
function commandList(text: string): { start: number; end: number }[] | null {
  const parts: { start: number; end: number }[] = [];
  let start = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '\\') i++;
    else if (c === "'" || c === '"') quote = c;
    else if (c === '&' && text[i + 1] === '&') {
      parts.push({ start, end: i });
      start = i + 2;
      i++;
    } else if (c === ';' || c === '\n') {
      parts.push({ start, end: i });
      start = i + 1;
    } else if ('|&()`{}<>#'.includes(c) || (c === '$' && text[i + 1] === '(')) return null;
  }
  parts.push({ start, end: text.length });
  return parts;
}

/** `npm run NAME` in `file` (its display name) as a shell script. */
export function npmScript(
  file: string,
  scripts: PackageScripts['scripts'],
  name: string,
  extraArgs = false,
  follow: FollowJs = () => null,
): NpmScript {
  const lines: string[] = [];
  const origins: Origin[] = [];
  const diagnostics: Diagnostic[] = [];
  const included: string[] = [];
  const packages: NeededPackage[] = [];
  const loc = (p: Point): Location => ({ file, ...p });
  const push = (text: string, origin: Origin) => {
    lines.push(text);
    origins.push(origin);
  };
  if (extraArgs)
    diagnostics.push(
      diagnostic(
        'RS380',
        loc(scripts.get(name)?.key.start ?? { line: 1, column: 1 }),
        `npm run ${name} was given more --script-arg words; npm would append them to the script's command, which restage does not follow: give only the script's name`,
      ),
    );
  run(name, [], { line: 1, column: 1 }, false);
  return { text: lines.length > 0 ? lines.join('\n') + '\n' : '', origins, diagnostics, included, packages };

  /** Whether `words` (a command of an entry's list, at `at`) ran a build script, now followed in place. */
  function followed(words: readonly string[], at: Point, movedBefore: boolean): boolean {
    const found = jsRun(words);
    if (!found) return false;
    // A path in quotes that expand nothing (`node "scripts/build.mjs"`) is that path.
    const call = { ...found, file: /^(["'])([^"'$`\\]*)\1$/.exec(found.file)?.[2] ?? found.file };
    const decline = (why: string) => {
      diagnostics.push(
        diagnostic(
          'RS380',
          loc(at),
          `${why}; write it as \`node FILE\` run from the package's directory, or migrate this step by hand`,
        ),
      );
      return false;
    };
    if (/[$`'"\\*?[{~]/.test(call.file))
      return decline(
        `restage cannot tell which file \`${words.join(' ')}\` runs (the path is quoted, computed or a pattern)`,
      );
    const argv =
      call.args.length > 0
        ? `${file}:${at.line}:${at.column} runs it with ${call.args.map((a) => `\`${a}\``).join(' ')}`
        : undefined;
    const read = follow(call, loc(at), argv);
    if (!read) return false;
    if (movedBefore)
      return decline(
        `\`${words.join(' ')}\` runs ${read.file} after a \`cd\` of the same script; restage follows a build script run from the package's directory only`,
      );
    included.push(read.abs);
    for (const name of call.packages) if (!packages.some((p) => p.name === name)) packages.push({ name, at: loc(at) });
    diagnostics.push(...read.script.diagnostics);
    const jsLines = read.script.text === '' ? [] : read.script.text.replace(/\n$/, '').split('\n');
    jsLines.forEach((line, i) => push(line, [{ file: read.file, ...read.script.origins[i]! }]));
    return true;
  }

  function run(script: string, stack: readonly string[], at: Point, ifPresent: boolean): void {
    const entry = scripts.get(script);
    if (!entry) {
      if (!ifPresent)
        diagnostics.push(
          diagnostic(
            'RS381',
            loc(at),
            `${file} has no script "${script}": npm run would stop (Missing script); name the script that builds the runtime image with --script-arg`,
          ),
        );
      return;
    }
    if (stack.includes(script) || stack.length >= MAX_DEPTH) {
      diagnostics.push(
        diagnostic(
          'RS380',
          loc(at),
          `"${script}" runs itself again through ${[...stack, script].join(' → ')}; restage does not follow a loop of scripts`,
        ),
      );
      return;
    }
    for (const hook of [`pre${script}`, script, `post${script}`]) {
      const e = scripts.get(hook);
      if (e) entryLines(e.value, [...stack, script]);
    }
  }

  function entryLines(value: SourceString, stack: readonly string[]): void {
    const text = value.text;
    const pointAt = (i: number): Point => value.at[Math.min(i, value.at.length - 1)] ?? value.start;
    const origin = (start: number, end: number): Origin =>
      Array.from({ length: Math.max(1, end - start) }, (_, k) => pointAt(start + k));
    // Each entry is its own `sh -c`: a `cd` or a variable set in it ends with it.
    push('(', [value.start]);
    const list = commandList(text);
    if (!list) {
      const call = /(^|[\s;&|(`])(npm|yarn|pnpm)\s+\S/.exec(text);
      // `(cd web && npm run build)`, `npm -C web run build | tee log`: another package's run, which the analysis follows.
      const elsewhere =
        call !== null &&
        (/(^|[\s;&|(])cd\s/.test(text.slice(0, call.index + 1)) ||
          (call[2] === 'npm' && npmRunsElsewhere(text.slice(call.index + call[1]!.length))));
      if (call && !elsewhere)
        diagnostics.push(
          diagnostic(
            'RS380',
            loc(pointAt(call.index + call[1]!.length)),
            `this script runs ${call[2]} inside a longer command (a pipe, a condition, a subshell); restage follows \`npm run NAME\` only as a command of its own, joined by && or ; — write it so, or migrate this step by hand`,
          ),
        );
      const words = text.split(/[\s;&|()`]+/);
      const inside = words.map((_, i) => jsRun(words.slice(i))).find((r) => r !== null);
      if (!call && inside) {
        const at = pointAt(Math.max(0, text.indexOf(inside.file)));
        if (follow(inside, loc(at), undefined))
          diagnostics.push(
            diagnostic(
              'RS380',
              loc(at),
              `this script runs ${inside.file} inside a longer command (a pipe, a redirection, a condition, a subshell); restage follows a build script only as a command of its own, joined by && or ; — write it so, or migrate this step by hand`,
            ),
          );
      }
      let start = 0;
      for (const part of text.split('\n')) {
        push(part, origin(start, start + part.length));
        start += part.length + 1;
      }
    } else {
      let moved = false;
      for (const { start, end } of list) {
        const part = text.slice(start, end);
        const lead = part.length - part.trimStart().length;
        const trimmed = part.trim();
        if (trimmed === '') continue;
        const words = trimmed.split(/\s+/);
        const called = runsScript(words, (n) => scripts.has(n));
        // Another package's script (`cd web && npm run build`, `npm --prefix web run build`) runs in
        // that package's directory: the analysis follows it there (package-runs.ts), not in place.
        if (called && (moved || called.elsewhere)) {
          push(trimmed, origin(start + lead, start + lead + trimmed.length));
          continue;
        }
        if (!called) {
          if (!followed(words, pointAt(start + lead), moved))
            push(trimmed, origin(start + lead, start + lead + trimmed.length));
          if (words[0] === 'cd' || words[0] === 'pushd') moved = true;
          continue;
        }
        if (called.args.length > 0) {
          diagnostics.push(
            diagnostic(
              'RS380',
              loc(pointAt(start + lead)),
              `\`${trimmed}\` passes arguments to the script "${called.name}"; restage does not follow them — fold them into that script, or migrate this step by hand`,
            ),
          );
          continue;
        }
        run(called.name, stack, pointAt(start + lead), called.ifPresent);
      }
    }
    push(')', [pointAt(text.length - 1)]);
  }
}

/** Whether the npm command that `text` starts with (up to the next operator) names another package. */
function npmRunsElsewhere(text: string): boolean {
  const run = npmRun(
    text
      .split(/[;&|()`\n]/)[0]!
      .trim()
      .split(/\s+/),
  );
  return run !== null && namesPackage(run);
}

/** Where a point of the generated script lies in package.json. */
export function packageLocation(script: NpmScript, file: string, at: Point): Location | null {
  const origin = script.origins[at.line - 1];
  if (!origin || origin.length === 0) return null;
  return { file, ...origin[Math.min(Math.max(at.column, 1), origin.length) - 1]! };
}

type Read = { readonly file: string; readonly scripts: PackageScripts['scripts'] } | { readonly error: Diagnostic };

function readPackage(context: OrchestratorContext, name: string): Read | null {
  const abs = path.join(context.root, name);
  const text = context.readText(abs);
  if (text === null) return null;
  const file = context.display(abs);
  const read = readPackageScripts(text);
  if ('error' in read)
    return {
      error: diagnostic(
        'RS382',
        { file, line: 1, column: 1 },
        `restage cannot read the scripts of ${file}: ${read.error}`,
      ),
    };
  return { file, scripts: read.scripts };
}

/** A script's name is a hook of another (`prebuild` of `build`), run with it rather than asked for. */
const isHook = (name: string, has: (n: string) => boolean) =>
  /^(pre|post)./.test(name) && has(name.replace(/^(pre|post)/, ''));

export const packageJson: TargetKind = {
  kind: 'npm',
  matches: (name) => path.basename(name) === 'package.json',
  given: (context) => {
    const given = context.scriptArgs?.[0];
    return given === undefined ? null : { target: given, why: 'named by --script-arg' };
  },
  targets: (context, name) => {
    const read = readPackage(context, name);
    if (!read || 'error' in read) return null;
    const has = (n: string) => read.scripts.has(n);
    return { defaultTarget: null, targets: [...read.scripts.keys()].filter((n) => !isHook(n, has)) };
  },
  read: (context, name, target) => {
    const read = readPackage(context, name);
    if (!read) return { shell: null, lines: 0, diagnostics: [], relocate: () => undefined };
    if ('error' in read) return { shell: null, lines: 0, diagnostics: [read.error], relocate: () => undefined };
    const directory = path.dirname(path.join(context.root, name));
    const follow: FollowJs = (run, _at, argv) => {
      const abs = path.resolve(directory, run.file);
      const text = context.readText(abs);
      if (text === null || !jsRunsDocker(text)) return null;
      const file = context.display(abs);
      return { file, abs, script: readJsScript(file, text, argv === undefined ? {} : { argv }) };
    };
    if (target === null) {
      // A script that runs a build script restage declined builds nothing it can see: its declines say why.
      const declined = [...read.scripts.keys()]
        .map((n) => ({ n, got: npmScript(read.file, read.scripts, n, false, follow) }))
        .filter(({ got }) => got.included.length > 0 && got.diagnostics.some((d) => d.severity === 'error'));
      return {
        shell: null,
        lines: 0,
        diagnostics: [
          diagnostic(
            'RS381',
            { file: read.file, line: 1, column: 1 },
            `no script of ${read.file} builds the runtime image${declined.length > 0 ? ` as far as restage can read (${declined.map((d) => d.n).join(', ')} ${declined.length === 1 ? 'runs a build script' : 'run build scripts'} with commands it declines, below)` : ''}; name the one that runs the legacy pipeline with --script-arg NAME`,
          ),
          ...new Map(
            declined.flatMap(({ got }) => got.diagnostics).map((d) => [`${d.code}@${d.file}:${d.line}:${d.column}`, d]),
          ).values(),
        ],
        relocate: () => undefined,
      };
    }
    const script = npmScript(read.file, read.scripts, target, (context.scriptArgs?.length ?? 0) > 1, follow);
    const shell = parseShell(read.file, script.text);
    const relocate = relocator(read.file, (at) => packageLocation(script, read.file, at));
    relocate(shell.diagnostics);
    return {
      shell,
      lines: script.origins.length,
      diagnostics: script.diagnostics,
      relocate,
      included: script.included,
      packages: script.packages,
    };
  },
  targetAt: (context, name, target) => {
    const read = readPackage(context, name);
    if (!read || 'error' in read) return null;
    const key = read.scripts.get(target)?.key.start;
    return key ? { file: read.file, ...key } : null;
  },
  commandLine: (_context, target) => `npm run ${target}`,
  noun: 'script',
  followedCode: 'RS383',
  otherTarget: '--script-arg NAME runs another script',
};
