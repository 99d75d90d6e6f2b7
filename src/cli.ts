/**
 * The `restage` command line: parses arguments (yargs), calls the library, renders the result and
 * maps it to an exit code. Exit codes, everywhere: 0 ok, 1 findings (check/verify), 2 bad input
 * or usage, 3 engine failure, 70 internal error (a bug: please report it).
 */
import yargs from 'yargs';
import { EXIT, parseEnvOptions, runMigrate } from './commands/migrate.js';
import { renderJson } from './emit/report-json.js';
import { renderText } from './emit/report-text.js';

/**
 * Runs one command. An exception that reaches here is restage's own failure (a bug, a broken
 * installation): one line on stderr, exit 70; `--debug` adds the stack.
 */
export async function main(argv: readonly string[]): Promise<number> {
  quietOnClosedOutput();
  try {
    return await command(argv);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `restage: internal error: ${message.split('\n')[0]} (a bug in restage or a broken installation; rerun with --debug for the stack trace, and please report it)\n`,
    );
    if (argv.includes('--debug'))
      process.stderr.write(`${error instanceof Error ? (error.stack ?? message) : message}\n`);
    return EXIT.internal;
  }
}

/**
 * A reader that goes away (`restage … | head -1`) makes writes fail with EPIPE, emitted as an
 * 'error' event that would end the process unhandled — in the middle of verify, before its cleanup.
 * What is left to print has no reader: it is dropped. (verify also cancels itself then: see runVerify.)
 */
function quietOnClosedOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.listenerCount('error') === 0)
      stream.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
      });
  }
}

async function command(argv: readonly string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  // With exitProcess(false), yargs still runs a command's handler after a usage failure.
  let usageFailed = false;
  const parser = yargs([...argv])
    .scriptName('restage')
    .usage('$0 <command> [options]')
    .option('debug', {
      type: 'boolean',
      default: false,
      global: true,
      describe: 'on an internal error, print its stack trace',
    })
    .command(
      'migrate <dir>',
      'turn a builder pattern (Dockerfile.build + Dockerfile + build.sh) into one multi-stage Dockerfile',
      (y) =>
        y
          .positional('dir', {
            type: 'string',
            describe: 'directory holding the Dockerfiles and the build script',
            demandOption: true,
          })
          .option('json', {
            type: 'boolean',
            default: false,
            describe: 'print one JSON object (see README) instead of the text report',
          })
          .option('out', { type: 'string', describe: 'write the migrated Dockerfile to this file' })
          .option('write', {
            type: 'boolean',
            describe: 'replace the runtime Dockerfile in place (legacy files are listed, never deleted)',
          })
          .option('force', {
            type: 'boolean',
            default: false,
            describe: 'with --write/--out: overwrite a file git cannot restore, keeping the original as NAME.orig',
          })
          .option('script', {
            type: 'string',
            describe: 'the build script to migrate, relative to <dir> (when several scripts are candidate pipelines)',
          })
          .option('script-arg', {
            type: 'string',
            array: true,
            describe: 'VALUE: an argument the build script receives ($1, $2… in order; repeatable)',
          })
          .option('env', {
            type: 'string',
            array: true,
            describe: 'NAME=VALUE: an environment variable the build script reads (repeatable)',
          })
          .conflicts('out', 'write'),
      (args) => {
        if (usageFailed) return;
        const env = parseEnvOptions(args.env ?? []);
        if ('usage' in env) {
          process.stderr.write(`restage: ${env.usage}\n`);
          exitCode = EXIT.badInput;
          return;
        }
        const { result, exitCode: code } = runMigrate(args.dir, {
          out: args.out,
          write: args.write,
          force: args.force,
          ...(args.script !== undefined ? { script: args.script } : {}),
          ...(args['script-arg'] ? { scriptArgs: args['script-arg'].map(String) } : {}),
          env: env.env,
        });
        if (args.json) process.stdout.write(renderJson(result));
        else {
          const report = renderText(result, {
            printDockerfile: result.status !== 'error' && result.written.length === 0,
          });
          process.stdout.write(report.stdout);
          process.stderr.write(report.stderr);
        }
        exitCode = code;
      },
    )
    .command(
      'verify <dir>',
      'build the legacy pipeline and the multi-stage Dockerfile on a real engine and compare the two images',
      (y) =>
        y
          .positional('dir', { type: 'string', describe: 'directory holding the builder pattern', demandOption: true })
          .option('json', {
            type: 'boolean',
            default: false,
            describe: 'print one JSON object (see README) instead of the text report',
          })
          .option('dockerfile', {
            type: 'string',
            describe: "verify this hand-written Dockerfile instead of restage's own migration",
          })
          .option('script', {
            type: 'string',
            describe:
              'the build script to replay and migrate, relative to <dir> (when several scripts are candidate pipelines)',
          })
          .option('engine', {
            choices: ['docker', 'podman'] as const,
            describe:
              'container engine CLI (default: the one the script builds with; client from $RESTAGE_DOCKER / $RESTAGE_PODMAN or PATH)',
          })
          .option('backend', {
            choices: ['buildkit', 'classic'] as const,
            describe: 'builder (default: what the engine uses; DOCKER_BUILDKIT decides when set)',
          })
          .option('network', {
            choices: ['none', 'default'] as const,
            default: 'none' as const,
            describe: 'network for RUN steps of both builds',
          })
          .option('image-map', {
            type: 'string',
            array: true,
            describe: 'FROM=TO: substitute a base image on both sides (repeatable)',
          })
          .option('build-arg', {
            type: 'string',
            array: true,
            describe: 'NAME=VALUE passed to every build (repeatable)',
          })
          .option('ignore', {
            type: 'string',
            array: true,
            describe: 'GLOB of paths to leave out of the file comparison (repeatable)',
          })
          .option('strict-mtime', { type: 'boolean', default: false, describe: 'also compare modification times' })
          .option('run-args', {
            type: 'string',
            array: true,
            describe: 'arguments for running both images (repeatable)',
          })
          .option('run-user', { type: 'string', describe: 'user to run both images as' })
          .option('run-timeout', { type: 'number', default: 30, describe: 'seconds before a run is stopped' })
          .option('run', {
            type: 'boolean',
            default: true,
            describe: 'run both images and compare what they do (--no-run skips it)',
          })
          .option('keep', {
            type: 'boolean',
            default: false,
            describe: 'keep the containers, images and scratch directories verify made (and list them)',
          })
          .option('quiet', { type: 'boolean', default: false, describe: 'no progress on stderr' })
          .option('script-arg', {
            type: 'string',
            array: true,
            describe:
              'VALUE: an argument the build script receives, for the analysis and the replay ($1, $2… in order; repeatable)',
          })
          .option('env', {
            type: 'string',
            array: true,
            describe:
              'NAME=VALUE: an environment variable the build script reads, for the analysis and the replay (repeatable)',
          }),
      async (args) => {
        if (usageFailed) return;
        const { runVerify, renderVerifyJson, renderVerifyText } = await import('./commands/verify-cli.js');
        const outcome = await runVerify(args.dir, {
          ...(args.engine ? { engine: args.engine } : {}),
          ...(args.script !== undefined ? { script: args.script } : {}),
          ...(args.backend ? { backend: args.backend } : {}),
          ...(args.dockerfile ? { dockerfile: args.dockerfile } : {}),
          network: args.network,
          imageMap: args['image-map'] ?? [],
          buildArg: args['build-arg'] ?? [],
          ignore: args.ignore ?? [],
          strictMtime: args['strict-mtime'],
          runArgs: args['run-args'] ?? [],
          ...(args['run-user'] ? { runUser: args['run-user'] } : {}),
          runTimeout: args['run-timeout'],
          noRun: !args.run,
          keep: args.keep,
          quiet: args.quiet || args.json,
          ...(args['script-arg'] ? { scriptArgs: args['script-arg'].map(String) } : {}),
          env: args.env ?? [],
        });
        if ('usage' in outcome) {
          process.stderr.write(`restage: ${outcome.usage}\n`);
          exitCode = EXIT.badInput;
          return;
        }
        process.stdout.write(args.json ? renderVerifyJson(outcome.result) : renderVerifyText(outcome.result));
        exitCode = outcome.exitCode;
      },
    )
    .demandCommand(1, 'give a command: restage migrate <dir> | restage verify <dir>')
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
