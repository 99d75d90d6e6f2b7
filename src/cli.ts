/**
 * The `restage` command line: parses arguments (yargs), calls the library, renders the result and
 * maps it to an exit code. Exit codes, everywhere: 0 ok, 1 findings (check/verify), 2 bad input
 * or usage, 3 engine failure, 70 internal error (a bug: please report it).
 */
import yargs from 'yargs';
import { EXIT, runMigrate } from './commands/migrate.js';
import { renderJson } from './emit/report-json.js';
import { renderText } from './emit/report-text.js';

export async function main(argv: readonly string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  // With exitProcess(false), yargs still runs a command's handler after a usage failure.
  let usageFailed = false;
  const parser = yargs([...argv])
    .scriptName('restage')
    .usage('$0 <command> [options]')
    .command(
      'migrate <dir>',
      'turn a builder pattern (Dockerfile.build + Dockerfile + build.sh) into one multi-stage Dockerfile',
      (y) => y
        .positional('dir', { type: 'string', describe: 'directory holding the Dockerfiles and the build script', demandOption: true })
        .option('json', { type: 'boolean', default: false, describe: 'print one JSON object (see README) instead of the text report' })
        .option('out', { type: 'string', describe: 'write the migrated Dockerfile to this file' })
        .option('write', { type: 'boolean', describe: 'replace the runtime Dockerfile in place (legacy files are listed, never deleted)' })
        .option('force', { type: 'boolean', default: false, describe: 'with --write/--out: overwrite even a file with uncommitted git changes' })
        .conflicts('out', 'write'),
      (args) => {
        if (usageFailed) return;
        const { result, exitCode: code } = runMigrate(args.dir as string, { out: args.out, write: args.write, force: args.force });
        if (args.json) process.stdout.write(renderJson(result));
        else {
          const report = renderText(result, { printDockerfile: result.status !== 'error' && result.written.length === 0 });
          process.stdout.write(report.stdout);
          process.stderr.write(report.stderr);
        }
        exitCode = code;
      },
    )
    .demandCommand(1, 'give a command: restage migrate <dir>')
    .strict()
    .help()
    .version()
    .fail((message, error) => {
      if (error) throw error;
      if (!usageFailed) process.stderr.write(`restage: ${message}\nrun "restage --help" for usage\n`);
      usageFailed = true;
      exitCode = EXIT.badInput;
    })
    .exitProcess(false);
  await parser.parseAsync();
  return exitCode;
}
