/**
 * The `restage` command line: parses arguments, calls the library, renders the result and maps it
 * to an exit code. Exit codes, everywhere: 0 ok, 1 findings (check/verify), 2 bad input or usage,
 * 3 engine failure, 70 internal error (a bug: please report it). With `--format json` (`--json`) a
 * usage error is one JSON object too (status `usage-error`, one RS100 diagnostic), so a script never
 * parses text; with `--format sarif`, one SARIF log holding that diagnostic.
 * Loads only what the command needs: the parsers come with `migrate` and `verify` (with `check`
 * only once a path leads to a directory that may hold a pattern: test/cli/check.test.ts), and
 * verify's engine, differs and tar reader with `verify` alone, the SARIF writer with `--format
 * sarif` alone (test/cli/startup.test.ts).
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
import type { GraphKind } from '../emit/graph.js';
import type { FileChange } from '../write.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { SarifInput } from '../emit/report-sarif.js';

type Format = 'text' | 'json' | 'sarif';

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
  const asked = askedFormat(argv);
  switch (parsed.kind) {
    case 'help':
      print(1, helpText(COMMANDS, parsed.command, helpWidth()));
      return EXIT.ok;
    case 'version':
      print(1, `${version()}\n`);
      return EXIT.ok;
    case 'usage':
      return usageError(parsed.message, parsed.command, asked, parsed.showUsage);
  }
  const { values, positional: dir, command: spec } = parsed;
  const format = (text(values, 'format') ?? (flag(values, 'json') ? 'json' : 'text')) as Format;
  if (flag(values, 'json') && format !== 'json')
    return usageError(`conflicting options: --json and --format ${format}`, spec, asked);
  if (spec.name === 'scan') return scanCommand(dir, format);
  if (spec.name === 'check') return checkCommand(spec, parsed.positionals, flag(values, 'warn-only'), format);
  return spec.name === 'migrate' ? migrateCommand(spec, dir, values, format) : verifyCommand(spec, dir, values, format);
}

async function scanCommand(root: string, format: Format): Promise<number> {
  const { runScan } = await import('./scan-cli.js');
  const sarif = format === 'sarif' ? await sarifWriter('scan', root) : undefined;
  const { stdout, stderr, exitCode } = runScan(root, {
    json: format === 'json',
    progress: process.stderr.isTTY === true,
    ...(sarif ? { sarif } : {}),
  });
  print(1, stdout);
  print(2, stderr);
  return exitCode;
}

async function checkCommand(
  spec: CommandSpec,
  paths: readonly string[],
  warnOnly: boolean,
  format: Format,
): Promise<number> {
  // A suggestion has no RS code of its own, so no SARIF rule: check prints text or JSON.
  if (format === 'sarif')
    return usageError('restage check prints text or JSON (--format text|json), not SARIF', spec, format);
  const { runCheck } = await import('./check.js');
  const outcome = await runCheck(paths, { json: format === 'json', warnOnly });
  if ('usage' in outcome) return usageError(outcome.usage, spec, format);
  print(1, outcome.stdout);
  return outcome.exitCode;
}

async function migrateCommand(
  spec: CommandSpec,
  dir: string,
  values: ReadonlyMap<string, Value>,
  format: Format,
): Promise<number> {
  const env = parseEnvOptions(list(values, 'env') ?? []);
  if ('usage' in env) return usageError(env.usage, spec, format);
  const diff = flag(values, 'diff');
  if (flag(values, 'remove-legacy') && !flag(values, 'write') && !diff)
    return usageError('flag --remove-legacy needs --write (or --diff)', spec, format);
  if (diff && format !== 'text') return usageError(`conflicting options: --diff and --format ${format}`, spec, format);
  const graph = text(values, 'graph') as GraphKind | undefined;
  if (graph && format !== 'text')
    return usageError(`conflicting options: --graph and --format ${format}`, spec, format);
  const { runMigrateTree, changesDiff, renderGraph, renderJson, renderJsonMany, renderText, renderTextMany } =
    await import('./migrate-cli.js');
  const changes: FileChange[] = [];
  const script = text(values, 'script');
  const makeTarget = text(values, 'make-target');
  const scriptArgs = list(values, 'script-arg');
  const { results, several, exitCode } = runMigrateTree(dir, {
    ...optional('buildDockerfile', text(values, 'build-dockerfile')),
    ...optional('runtimeDockerfile', text(values, 'runtime-dockerfile')),
    ...(makeTarget !== undefined ? { makeTarget } : {}),
    out: text(values, 'out'),
    // --diff: the changes --write would make, shown and not made.
    write: flag(values, 'write') || diff,
    ...(diff ? { dryRun: (c: readonly FileChange[]) => void changes.push(...c) } : {}),
    removeLegacy: flag(values, 'remove-legacy'),
    force: flag(values, 'force'),
    ...(script !== undefined ? { script } : {}),
    ...(scriptArgs ? { scriptArgs } : {}),
    env: env.env,
  });
  const printDockerfile = (r: (typeof results)[number]) => r.status !== 'error' && r.written.length === 0;
  if (format === 'sarif') {
    const sarif = await sarifWriter('migrate', dir);
    const status = several ? (results.some((r) => r.status === 'error') ? 'error' : 'migrated') : results[0]!.status;
    print(1, sarif({ status, successful: true, diagnostics: results.flatMap((r) => r.diagnostics) }));
  } else if (format === 'json') print(1, several ? renderJsonMany(results) : renderJson(results[0]!));
  else {
    const report = several
      ? renderTextMany(results, graph ? () => false : printDockerfile)
      : renderText(results[0]!, { printDockerfile: !graph && printDockerfile(results[0]!) });
    const patch = diff ? changesDiff(changes, process.cwd()) : [];
    print(1, graph ? renderGraph(results, graph) : diff ? patch.map((c) => c.diff).join('') : report.stdout);
    print(2, report.stderr);
  }
  return exitCode;
}

async function verifyCommand(
  spec: CommandSpec,
  dir: string,
  values: ReadonlyMap<string, Value>,
  format: Format,
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
    quiet: flag(values, 'quiet') || format !== 'text',
    ...(scriptArgs ? { scriptArgs } : {}),
    env: list(values, 'env') ?? [],
    legacy: (text(values, 'legacy') ?? legacyFromEnvironment()) as 'auto' | 'run' | 'replay',
    ...optional('legacyCmd', text(values, 'legacy-cmd')),
    ...optional('legacyCwd', text(values, 'legacy-cwd')),
    ...optional('legacyImage', text(values, 'legacy-image')),
    ...optional('context', text(values, 'context')),
    timeout: count(values, 'timeout') ?? 1800,
  });
  if ('usage' in outcome) return usageError(outcome.usage, spec, format);
  const r = outcome.result;
  if (format === 'sarif') {
    const sarif = await sarifWriter('verify', dir);
    process.stdout.write(
      sarif({
        status: r.status,
        successful: r.status !== 'engine-failure' && r.status !== 'interrupted',
        diagnostics: r.diagnostics,
        properties: { differences: r.differences.length, info: r.info.length },
      }),
    );
  } else process.stdout.write(format === 'json' ? renderVerifyJson(r) : renderVerifyText(r));
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

/**
 * The format the options ask for (not after `--`), whether or not the rest of the line parses:
 * `--json`, or a valid `--format json|sarif` (the last one given); text otherwise.
 */
function askedFormat(argv: readonly string[]): Format {
  const end = argv.indexOf('--');
  const options = end === -1 ? argv : argv.slice(0, end);
  if (options.includes('--json')) return 'json';
  let format: Format = 'text';
  options.forEach((a, i) => {
    const value = a === '--format' ? options[i + 1] : a.startsWith('--format=') ? a.slice('--format='.length) : null;
    if (value === 'json' || value === 'sarif' || value === 'text') format = value;
  });
  return format;
}

/** The SARIF writer (loaded here, for `--format sarif` alone), its command and directory bound. */
async function sarifWriter(
  command: string | null,
  directory: string,
): Promise<(run: Pick<SarifInput, 'status' | 'successful' | 'diagnostics' | 'properties'>) => string> {
  const { renderSarif } = await import('../emit/report-sarif.js');
  return (run) => renderSarif({ ...run, command, directory, cwd: process.cwd(), version: version() });
}

/**
 * Exit 2: the message as docker words a usage error, on stderr, or, with --format json/sarif, one
 * object on stdout whose one diagnostic (RS100) carries the message alone.
 */
async function usageError(
  message: string,
  command: CommandSpec | null,
  format: Format,
  showUsage = false,
): Promise<number> {
  const d: Diagnostic = diagnostic('RS100', { file: '', line: 1, column: 1 }, message);
  if (format === 'json')
    print(1, `${JSON.stringify({ schemaVersion: 1, status: 'usage-error', diagnostics: [d] }, null, 2)}\n`);
  else if (format === 'sarif') {
    const sarif = await sarifWriter(command?.name ?? null, '.');
    print(1, sarif({ status: 'usage-error', successful: false, diagnostics: [d] }));
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
