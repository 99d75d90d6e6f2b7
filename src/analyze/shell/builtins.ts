/**
 * The shell builtins the evaluator answers itself (`exit`, `pwd`, `dirname`, `basename`, `echo`
 * and `printf` when captured, `shift`, the no-ops; `.`/`source` of a script of the tree runs its
 * commands in this shell, else RS306), calls of the script's functions (a frame of their own for
 * `$1`…, nesting at most 16 deep, their variables global unless declared `local`, as in the
 * shell), runs of other scripts of the tree (`./f.sh`, `sh f.sh`: a child process) and of a
 * package's scripts (`npm run NAME`: a child process in the package's directory, as npm runs it).
 */
import path from 'node:path';
import { diagnostic } from '../../model/diagnostic.js';
import type { SyntaxNode } from '../../parse/shell.js';
import type { CommandCall } from '../command.js';
import type { ShellScript } from '../../parse/shell.js';
import { Exit, type Shell } from './state.js';
import { known, unresolved, type ShellValue, type Word } from './values.js';

const MAX_CALL_DEPTH = 16;
/** Sourced or run scripts per analysis: enough for real pipelines, bounded for `./a.sh; ./a.sh` in every script. */
const MAX_SCRIPT_RUNS = 64;

/**
 * Why `abs` is not followed now: it is already running (a script that sources or runs itself, which
 * restage does not unroll) or the analysis has followed enough scripts; null to follow it.
 */
function notFollowed(sh: Shell, abs: string): string | null {
  if (abs === sh.scriptPath || sh.running.includes(abs))
    return 'it is already running: restage does not follow a script into itself';
  if (sh.runs >= MAX_SCRIPT_RUNS) return `restage follows at most ${MAX_SCRIPT_RUNS} sourced or run scripts`;
  return null;
}

/** Runs `body` as `abs`, which `call` runs or sources: on the stack of running scripts while it runs. */
function following<T>(sh: Shell, abs: string, call: CommandCall, sourced: boolean, body: () => T): T {
  sh.calls.push({ at: call.at, script: abs, cwd: sh.cwd, sourced });
  return runAs(sh, abs, [abs], body);
}

export function builtin(sh: Shell, call: CommandCall): ShellValue | undefined {
  const text = (w: Word | undefined) => (w && w.unresolved === null ? w.text : null);
  switch (call.name.text) {
    case 'exit':
      throw new Exit();
    case 'pwd':
      return known(sh.cwd);
    case 'dirname': {
      const a = call.args[0];
      return a && text(a) !== null
        ? known(path.dirname(a.text))
        : unresolved(`the output of \`dirname ${a?.written ?? ''}\``);
    }
    case 'basename': {
      const a = call.args[0];
      if (!a || text(a) === null) return unresolved(`the output of \`basename ${a?.written ?? ''}\``);
      const base = path.basename(a.text);
      const suffix = text(call.args[1]);
      return known(suffix && base.endsWith(suffix) && base !== suffix ? base.slice(0, -suffix.length) : base);
    }
    case 'echo':
    case 'printf': {
      if (!call.captured) return known('');
      const args = call.args.filter((w, i) => !(i === 0 && /^-[neE]+$/.test(w.text)));
      if (call.name.text === 'printf' && args.length > 1) return unresolved('the output of printf');
      const bad = args.find((w) => w.unresolved !== null);
      return bad ? unresolved(bad.unresolved!) : known(args.map((w) => w.text).join(' '));
    }
    case 'set': {
      // `set -- ARGS` (or `set ARGS`, the first not an option) replaces the positional parameters; options alone do not.
      const dashes = call.args.findIndex((w) => w.text === '--' && w.unresolved === null);
      const first = call.args[0];
      if (dashes >= 0) sh.frame.positional = call.args.slice(dashes + 1);
      else if (first && first.unresolved === null && !/^[-+]/.test(first.text)) sh.frame.positional = [...call.args];
      return known('');
    }
    case 'shopt':
    case 'true':
    case ':':
    case 'trap':
    case 'umask':
      return known('');
    case 'shift':
      sh.frame.positional = sh.frame.positional.slice(Number(text(call.args[0]) ?? '1') || 1);
      return known('');
    case 'source':
    case '.': {
      const target = call.args[0];
      const abs = target && text(target) !== null ? path.resolve(sh.cwd, target.text) : null;
      const read = abs !== null && sh.depth < MAX_CALL_DEPTH ? sh.readScript(abs, true) : null;
      const refused = read && abs !== null ? notFollowed(sh, abs) : null;
      if (!read || abs === null || refused) {
        sh.report(
          diagnostic(
            'RS306',
            call.at,
            `restage does not follow \`${call.name.text} ${target?.written ?? ''}\` (${abs === null ? 'its path is not literal' : (refused ?? 'it is no shell script of the directory restage can read')}); variables it sets are unknown to the analysis`,
          ),
        );
        return known('');
      }
      // `. f ARGS` gives f those positional parameters while it runs; without ARGS f sees the caller's.
      const saved = sh.frame.positional;
      if (call.args.length > 1) sh.frame.positional = call.args.slice(1);
      try {
        following(sh, abs, call, true, () => sh.runBlock(read.root.namedChildren));
      } finally {
        sh.frame.positional = saved;
      }
      return known('');
    }
    default:
      return undefined;
  }
}

export function callFunction(sh: Shell, call: CommandCall): ShellValue | undefined {
  const body = sh.functions.get(call.name.text);
  if (!body) return undefined;
  if (sh.depth >= MAX_CALL_DEPTH) return unresolved(`a recursive call of ${call.name.text}`);
  const saved = sh.frame;
  sh.frame = { vars: new Map(), positional: [...call.args] };
  sh.depth++;
  try {
    return sh.runStatement(body, { captured: call.captured }) ?? known('');
  } finally {
    sh.depth--;
    // Function variables are global in the shell unless declared `local`.
    for (const [k, v] of sh.frame.vars) if (!isLocalIn(body, k)) sh.globals.set(k, v);
    sh.frame = saved;
  }
}

function isLocalIn(body: SyntaxNode, name: string): boolean {
  return new RegExp(`(^|\\s)local\\s+([^\\n;]*\\s)?${name}(=|\\s|$)`, 'm').test(body.text);
}

const SHELLS = new Set(['sh', 'bash', 'dash']);

/**
 * `./f.sh ARGS`, `path/f.sh ARGS`, `sh [-eux…] f.sh ARGS`: a script of the tree run as a command,
 * its commands analysed in a child shell (`isolate`) where `$0` is f and `$1`… its arguments;
 * undefined when the command is no such script (the caller's analyzers then see it).
 */
export function runScript(
  sh: Shell,
  call: CommandCall,
  isolate: (args: readonly ShellValue[], body: () => ShellValue) => ShellValue,
): ShellValue | undefined {
  let target: Word | undefined;
  let args: readonly Word[];
  if (SHELLS.has(call.name.text)) {
    const at = call.args.findIndex((w) => !/^-[a-zA-Z]+$/.test(w.text) || w.text === '-c');
    if (at < 0 || call.args[at]!.text === '-c') return undefined;
    target = call.args[at];
    args = call.args.slice(at + 1);
  } else if (call.name.text.includes('/')) {
    target = call.name;
    args = call.args;
  } else return undefined;
  if (!target || target.unresolved !== null) return undefined;
  const abs = path.resolve(sh.cwd, target.text);
  if (sh.depth >= MAX_CALL_DEPTH) return undefined;
  // `sh f` reads any file as shell; `./f` runs what its #! line names, a shell script here.
  const read: ShellScript | null = sh.readScript(abs, SHELLS.has(call.name.text));
  if (!read) return undefined;
  const refused = notFollowed(sh, abs);
  if (refused) {
    sh.report(
      diagnostic(
        'RS306',
        call.at,
        `restage does not follow \`${call.name.written ?? call.name.text}\` here (${refused}); what it does is unknown to the analysis`,
      ),
    );
    return known('');
  }
  const savedPath = sh.scriptPath;
  sh.scriptPath = abs;
  try {
    return following(sh, abs, call, false, () =>
      isolate(args, () => {
        try {
          sh.runBlock(read.root.namedChildren);
        } catch (e) {
          // `exit` in the child ends the child only.
          if (!(e instanceof Exit)) throw e;
        }
        return known('');
      }),
    );
  } finally {
    sh.scriptPath = savedPath;
  }
}

/**
 * `npm run NAME` (`npm --prefix DIR run NAME`, `npm -w WS run NAME`…): the package's script, as the
 * runner reads it (`sh.runPackage`), analysed in a child shell (`isolate`) whose working directory
 * is the package's; undefined when the command runs no package script restage reads (the
 * caller's analyzers then see it). A declined run is reported and analysed as doing nothing.
 */
export function runPackageScript(
  sh: Shell,
  call: CommandCall,
  isolate: (args: readonly ShellValue[], body: () => ShellValue) => ShellValue,
): ShellValue | undefined {
  if (!sh.runPackage || call.name.text !== 'npm' || sh.depth >= MAX_CALL_DEPTH) return undefined;
  const words = [call.name, ...call.args];
  const unknown = words.find((w) => w.unresolved !== null || w.environment.length > 0);
  if (unknown) {
    // Which package or script it runs depends on a value restage does not know.
    if (call.args.some((w) => w.text === 'run' || w.text === 'run-script'))
      sh.report(
        diagnostic(
          'RS380',
          call.at,
          `restage cannot tell which package script \`${[call.name.written, ...call.args.map((a) => a.written)].join(' ')}\` runs: ${unknown.written} depends on ${unknown.unresolved ?? `the environment (${unknown.environment.join(', ')}), unset unless --env gives it`}; write it with literal words (or give the variable with --env), or migrate this step by hand`,
        ),
      );
    return undefined;
  }
  const run = sh.runPackage(
    sh.cwd,
    words.map((w) => w.text),
    call.at,
  );
  if (!run) return undefined;
  for (const d of run.diagnostics) sh.report(d);
  const script = run.script;
  if (!script) return known('');
  const refused = notFollowed(sh, run.key);
  if (refused) {
    sh.report(
      diagnostic(
        'RS380',
        call.at,
        `restage does not follow \`${[call.name.written, ...call.args.map((a) => a.written)].join(' ')}\` here (${refused}); what it does is unknown to the analysis`,
      ),
    );
    return known('');
  }
  const before = sh.included.size;
  try {
    return runAs(sh, run.key, run.included, () =>
      isolate([], () => {
        sh.cwd = run.directory;
        try {
          sh.runBlock(script.root.namedChildren);
        } catch (e) {
          if (!(e instanceof Exit)) throw e;
        }
        return known('');
      }),
    );
  } finally {
    // The package is part of the caller's pipeline when its script reaches docker, itself or through a script it runs.
    if (run.reaches || sh.included.size > before) {
      sh.included.add(run.file);
      if (run.followed) sh.report(run.followed);
    }
  }
}

/** Runs `body` with `key` on the stack of running scripts, `included` counted as read. */
function runAs<T>(sh: Shell, key: string, included: readonly string[], body: () => T): T {
  for (const f of included) sh.included.add(f);
  sh.runs++;
  sh.running.push(key);
  sh.depth++;
  try {
    return body();
  } finally {
    sh.depth--;
    sh.running.pop();
  }
}
