/**
 * The `restage` command line: parses arguments, calls the library, renders the result and maps it
 * to an exit code. Exit codes, everywhere: 0 ok, 1 findings (check/verify), 2 bad input or usage,
 * 3 engine failure, 70 internal error (a bug: please report it). With `--json`, a usage error is one
 * JSON object too (status `usage-error`, one RS100 diagnostic), so a script never parses text.
 * Loads only what the command needs: the parsers come with `migrate` and `verify` (with `check`
 * only once a path leads to a directory that may hold a pattern: test/cli/check.test.ts), and verify's
 * engine, differs and tar reader with `verify` alone (test/cli/startup.test.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { diagnostic } from '../model/diagnostic.js';
import { flag, list, parseArgs, text, count, type CommandSpec, type Value } from './args.js';
import { COMMANDS } from './commands.js';
import { helpText, usageErrorText } from './help.js';
import { EXIT, parseEnvOptions } from './exit.js';
import { print, quietOnClosedOutput } from './output.js';

/**
 * Runs one command. An exception that reaches here is restage's own failure (a bug, a broken
 * installation): one line on stderr, exit 70; `--debug` adds the stack.
 */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    return await command(argv);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    print(
      2,
      `restage: internal error: ${message.split('\n')[0]} (a bug in restage or a broken installation; rerun with --debug for the stack trace, and please report it)\n`,
    );
    if (argv.includes('--debug')) print(2, `${error instanceof Error ? (error.stack ?? message) : message}\n`);
    return EXIT.internal;
  }
}

async function command(argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(argv, COMMANDS);
  const json = wantsJson(argv);
  switch (parsed.kind) {
    case 'help':
      print(1, helpText(COMMANDS, parsed.command, helpWidth()));
      return EXIT.ok;
    case 'version':
      print(1, `${version()}\n`);
      return EXIT.ok;
    case 'usage':
      return usageError(parsed.message, parsed.command, json, parsed.showUsage);
  }
  const { values, positional: dir, command: spec } = parsed;
  if (spec.name === 'scan') return scanCommand(dir, json);
  if (spec.name === 'check') return checkCommand(spec, parsed.positionals, flag(values, 'warn-only'), json);
  return spec.name === 'migrate' ? migrateCommand(spec, dir, values, json) : verifyCommand(spec, dir, values, json);
}

async function scanCommand(root: string, json: boolean): Promise<number> {
  const { runScan } = await import('./scan-cli.js');
  const { stdout, stderr, exitCode } = runScan(root, { json, progress: process.stderr.isTTY === true });
  print(1, stdout);
  print(2, stderr);
  return exitCode;
}

async function checkCommand(
  spec: CommandSpec,
  paths: readonly string[],
  warnOnly: boolean,
  json: boolean,
): Promise<number> {
  const { runCheck } = await import('./check.js');
  const outcome = await runCheck(paths, { json, warnOnly });
  if ('usage' in outcome) return usageError(outcome.usage, spec, json);
  print(1, outcome.stdout);
  return outcome.exitCode;
}

async function migrateCommand(
  spec: CommandSpec,
  dir: string,
  values: ReadonlyMap<string, Value>,
  json: boolean,
): Promise<number> {
  const env = parseEnvOptions(list(values, 'env') ?? []);
  if ('usage' in env) return usageError(env.usage, spec, json);
  if (flag(values, 'remove-legacy') && !flag(values, 'write'))
    return usageError('flag --remove-legacy needs --write', spec, json);
  const { runMigrateTree, renderJson, renderJsonMany, renderText, renderTextMany } = await import('./migrate-cli.js');
  const script = text(values, 'script');
  const makeTarget = text(values, 'make-target');
  const scriptArgs = list(values, 'script-arg');
  const { results, several, exitCode } = runMigrateTree(dir, {
    ...optional('buildDockerfile', text(values, 'build-dockerfile')),
    ...optional('runtimeDockerfile', text(values, 'runtime-dockerfile')),
    ...(makeTarget !== undefined ? { makeTarget } : {}),
    out: text(values, 'out'),
    write: flag(values, 'write'),
    removeLegacy: flag(values, 'remove-legacy'),
    force: flag(values, 'force'),
    ...(script !== undefined ? { script } : {}),
    ...(scriptArgs ? { scriptArgs } : {}),
    env: env.env,
  });
  const printDockerfile = (r: (typeof results)[number]) => r.status !== 'error' && r.written.length === 0;
  if (json) print(1, several ? renderJsonMany(results) : renderJson(results[0]!));
  else {
    const report = several
      ? renderTextMany(results, printDockerfile)
      : renderText(results[0]!, { printDockerfile: printDockerfile(results[0]!) });
    print(1, report.stdout);
    print(2, report.stderr);
  }
  return exitCode;
}

async function verifyCommand(
  spec: CommandSpec,
  dir: string,
  values: ReadonlyMap<string, Value>,
  json: boolean,
): Promise<number> {
  // verify's progress and its cancellation on a closed output use the streams.
  quietOnClosedOutput();
  const { runVerify, renderVerifyJson, renderVerifyText } = await import('./verify-cli.js');
  const engine = text(values, 'engine') as 'docker' | 'podman' | undefined;
  const backend = text(values, 'backend') as 'buildkit' | 'classic' | undefined;
  const script = text(values, 'script');
  const dockerfile = text(values, 'dockerfile');
  const runUser = text(values, 'run-user');
  const scriptArgs = list(values, 'script-arg');
  const makeTarget = text(values, 'make-target');
  const outcome = await runVerify(dir, {
    ...(makeTarget !== undefined ? { makeTarget } : {}),
    ...(engine ? { engine } : {}),
    ...(script !== undefined ? { script } : {}),
    ...(backend ? { backend } : {}),
    ...(dockerfile ? { dockerfile } : {}),
    network: text(values, 'network') === 'default' ? 'default' : 'none',
    imageMap: list(values, 'image-map') ?? [],
    buildArg: list(values, 'build-arg') ?? [],
    ignore: list(values, 'ignore') ?? [],
    strictMtime: flag(values, 'strict-mtime'),
    runArgs: list(values, 'run-args') ?? [],
    ...(runUser ? { runUser } : {}),
    runTimeout: count(values, 'run-timeout') ?? 30,
    noRun: !flag(values, 'run'),
    keep: flag(values, 'keep'),
    quiet: flag(values, 'quiet') || json,
    ...(scriptArgs ? { scriptArgs } : {}),
    env: list(values, 'env') ?? [],
    legacy: (text(values, 'legacy') ?? legacyFromEnvironment()) as 'auto' | 'run' | 'replay',
    ...optional('legacyCmd', text(values, 'legacy-cmd')),
    ...optional('legacyCwd', text(values, 'legacy-cwd')),
    ...optional('legacyImage', text(values, 'legacy-image')),
    ...optional('context', text(values, 'context')),
    timeout: count(values, 'timeout') ?? 1800,
  });
  if ('usage' in outcome) return usageError(outcome.usage, spec, json);
  process.stdout.write(json ? renderVerifyJson(outcome.result) : renderVerifyText(outcome.result));
  return outcome.exitCode;
}

/** $RESTAGE_LEGACY (auto, run or replay) is --legacy's default; anything else is auto. */
function legacyFromEnvironment(): string {
  const v = process.env.RESTAGE_LEGACY;
  return v === 'run' || v === 'replay' ? v : 'auto';
}

/** `{ key: value }` when the option was given, else nothing. */
function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

/** `--json` among the options (not after `--`), whether or not the rest of the line parses. */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

/**
 * Exit 2: the message as docker words a usage error, on stderr, or, with --json, one object on
 * stdout whose one diagnostic (RS100) carries the message alone.
 */
function usageError(message: string, command: CommandSpec | null, json: boolean, showUsage = false): number {
  if (json) {
    const d = diagnostic('RS100', { file: '', line: 1, column: 1 }, message);
    print(1, `${JSON.stringify({ schemaVersion: 1, status: 'usage-error', diagnostics: [d] }, null, 2)}\n`);
  } else print(2, usageErrorText(message, command, showUsage));
  return EXIT.badInput;
}

function helpWidth(): number {
  return process.stdout.isTTY && process.stdout.columns ? Math.min(process.stdout.columns, 120) : 80;
}

/** The version of the package this file belongs to (src/cli/ in the repository, dist/ when built). */
function version(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
    if (path.dirname(dir) === dir) return 'unknown';
  }
}
