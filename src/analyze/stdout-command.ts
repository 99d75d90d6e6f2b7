/**
 * Any command's standard output redirected into a host file: `docker run --rm IMG app --version >
 * VERSION`, `docker run --rm IMG sh -c 'cat /a /b' > both`, `cat` of several files, the
 * `--entrypoint` forms, `docker exec C CMD… > FILE`. The file holds what the command printed, not
 * a file of the image: a copy out `via: 'stdout'` whose reader `runsCommand`, read from a fresh
 * path below STDOUT_DIR that the container's run stage (src/plan/run-stage.ts) writes the
 * command's output to. `cat PATH` of one file is src/analyze/run-stdout.ts's, a `tar -c` stream
 * src/analyze/tar-stream.ts's.
 *
 * Docker facts (test/e2e/routes-stdout.test.ts shows them on a real engine): without `-t` the
 * client writes the container's standard output to its own byte for byte, and its standard error
 * to its own; without `-i` the command's standard input is empty. A build step runs the same argv
 * in the same image, but not on the host's network, PID or UTS namespace, devices or mounts.
 *
 * Declined on the line (RS333), as output a build step cannot reproduce: `>>` and `&>`, standard
 * error into the file, `-i`/`-t`/`-d`, mounts, the host's namespaces and devices, and commands
 * whose output is the moment or the machine (`date`, `hostname`, `uname`, `/proc`, …).
 */
import path from 'node:path';
import { diagnostic, type Location } from '../model/diagnostic.js';
import type { StdoutReader } from '../model/flow.js';
import type { CommandCall, FlowSink, Redirect } from './command.js';
import type { Word } from './shell/values.js';
import { commandOf, recordContainer } from './docker/create.js';
import { runSpec } from './run-spec.js';
import { hasFlag, lastValue, type ParsedWords } from '../shared/docker-options.js';
import { redirectTarget } from './run-stdout.js';

/** Where a run stage writes the output of the commands the script redirected: a directory no image of the script uses. */
export const STDOUT_DIR = '/restage/stdout';

/** Run (or exec) options whose effect a build step does not have, with why. */
const HOST_OPTIONS: ReadonlyArray<readonly [string, (value: string | null) => string | null]> = [
  ['volume', () => 'a volume or bind mount puts files of the host (or of a volume) in front of the command'],
  ['mount', () => 'a mount puts files of the host (or of a volume) in front of the command'],
  ['volumes-from', () => 'another container\u2019s volumes are not in a build step'],
  ['tmpfs', () => 'a tmpfs is not in a build step'],
  ['device', () => 'a device of the host is not in a build step'],
  ['privileged', () => 'a privileged container sees the host\u2019s devices'],
  ['interactive', () => '`-i` gives the command the script\u2019s standard input, which a build step does not have'],
  ['tty', () => 'a TTY turns each line feed of the output into CR LF'],
  ['detach', () => 'a detached run prints the container id, not the output'],
  ['hostname', () => 'the container\u2019s host name is not the build step\u2019s'],
  ...(['network', 'net', 'pid', 'uts', 'ipc'] as const).map(
    (o) =>
      [
        o,
        (v: string | null) =>
          v === 'host' ? `\`--${o} host\` shares the host\u2019s namespace with the command` : null,
      ] as const,
  ),
];

/** Programs whose output is the moment or the machine it runs on. */
const HOST_PROGRAMS = new Set([
  'date',
  'hostname',
  'uname',
  'uptime',
  'printenv',
  'who',
  'w',
  'ps',
  'ip',
  'ifconfig',
  'nproc',
  'free',
  'df',
]);
/** Files whose content is the machine's or the container's, not the image's. */
const HOST_FILES =
  /(^|[\s'"=:;(])(\/proc\/|\/sys\/|\/dev\/(u?random|tty)|\/etc\/(hostname|hosts|resolv\.conf|mtab))|\$RANDOM|\$\{?HOSTNAME\b/;

/** `>`, `1>`, `>|`; `>>` and `&>` are declined. */
export function acceptsRedirect(toFile: Redirect): string | null {
  if (toFile.operator.includes('>>'))
    return `\`>>\` appends the output to ${toFile.target!.text}, so the file holds whatever it held before and then the output`;
  if (toFile.operator.startsWith('&'))
    return `\`${toFile.operator}\` also writes the command's standard error into ${toFile.target!.text}, which a build step does not capture`;
  return null;
}

/**
 * Records `docker run … CMD > FILE` (verb 'run': the container, its start and the copy out of the
 * output) or the copy out after `docker exec C CMD > FILE` (verb 'exec', the exec analyzer records
 * the exec itself, `container` its container). Returns false after reporting why not.
 */
export function commandToFile(
  call: CommandCall,
  sink: FlowSink,
  parsed: ParsedWords<Word>,
  command: readonly Word[],
  toFile: Redirect,
  exec: { readonly container: string } | null,
): boolean {
  const target = { ...toFile.target!, at: { ...toFile.target!.at, file: call.at.file } };
  const shown = [lastValue(parsed, 'entrypoint'), ...command]
    .filter((w): w is Word => w !== null)
    .map((w) => w.written)
    .join(' ');
  const decline = (at: Location, why: string, fix: string) => {
    sink.report(
      diagnostic(
        'RS333',
        at,
        `this \`docker ${exec ? 'exec' : 'run'}\` writes the output of \`${shown}\` to ${target.text}, and ${why}: a build step cannot reproduce that output; ${fix} and run restage again, or migrate this step by hand`,
      ),
    );
    return false;
  };
  const inBuilder = `if a value of the build is what you mean, make the builder Dockerfile write it (\`RUN ${shown} > /out/${path.basename(target.text)}\`) and extract that file`;
  const redirect = acceptsRedirect(toFile);
  if (redirect !== null) return decline(target.at, redirect, `write \`> ${target.text}\` into a new file`);
  for (const r of call.redirects) {
    if (r === toFile || r.target?.text === '/dev/null' || r.operator === '<') continue;
    if (/^2>/.test(r.operator) || r.operator === '>&' || /^\d*>&/.test(r.operator))
      return decline(
        r.target?.at ? { ...r.target.at, file: call.at.file } : call.at,
        `\`${r.operator}${r.target?.text ?? ''}\` sends the command's standard error ${r.target?.text === '1' ? 'into the file too' : 'into a host file'}, which a build step does not capture`,
        'send standard error to the terminal or to `/dev/null`',
      );
  }
  if (exec === null && command.length === 0 && lastValue(parsed, 'entrypoint') === null)
    return decline(
      call.at,
      "it runs the image's own command, whose output restage does not reproduce",
      'write the command after the image',
    );
  for (const [option, why] of HOST_OPTIONS) {
    const given = parsed.options.find((o) => o.name === option);
    const reason = given && why(given.value?.text ?? null);
    if (given && reason)
      return decline(given.words[0]!.at, reason, `drop \`${given.words.map((w) => w.written).join(' ')}\``);
  }
  const words = [lastValue(parsed, 'entrypoint'), ...command].filter((w): w is Word => w !== null);
  for (const [i, w] of words.entries()) {
    const shellScript = i > 0 && words[i - 1]!.text === '-c';
    const programs = shellScript ? w.text.split(/[\s;&|()`]+/).filter((s) => s !== '') : i === 0 ? [w.text] : [];
    // In a shell script `env` may print the environment, which differs between a container and a build step.
    const program = programs.find(
      (p) => HOST_PROGRAMS.has(path.posix.basename(p)) || (shellScript && path.posix.basename(p) === 'env'),
    );
    if (program !== undefined)
      return decline(
        w.at,
        `\`${program}\` prints the moment or the machine it runs on, not something the image holds`,
        inBuilder,
      );
    if (HOST_FILES.test(w.text))
      return decline(
        w.at,
        `\`${w.written}\` reads what the machine or the container is, not something the image holds`,
        inBuilder,
      );
    if (
      i === 0 &&
      (w.text === 'env' || w.text.endsWith('/env')) &&
      words.every((x) => x === w || x.text.startsWith('-'))
    )
      return decline(
        w.at,
        '`env` prints the environment of the container, which differs from a build step\u2019s',
        inBuilder,
      );
  }
  const hostPath = redirectTarget(target, sink);
  if (hostPath === null) return false;
  let container: string;
  if (exec === null) {
    const spec = runSpec(call.at, parsed, command, sink.cwd);
    const handle = recordContainer(
      call,
      sink,
      parsed,
      commandOf(parsed, command),
      { at: call.at, how: 'run', attached: true },
      spec,
    );
    if (handle === undefined) return false;
    container = handle;
  } else container = exec.container;
  const reader: StdoutReader = {
    command: shown,
    target: target.text,
    entrypointOverridden: lastValue(parsed, 'entrypoint') !== null,
    relativePath: null,
    runsCommand: true,
  };
  sink.emit({
    kind: 'copy-out',
    at: call.at,
    container,
    containerPath: `${STDOUT_DIR}/${outputName(call.at, hostPath)}`,
    hostPath,
    followLink: false,
    via: 'stdout',
    reader,
  });
  if (exec === null && hasFlag(parsed, 'rm')) sink.emit({ kind: 'remove', at: call.at, containers: [container] });
  return true;
}

/** A file name for one redirection's output: its line (unique in the script) and the host file's name in safe characters. */
export function outputName(at: Location, hostPath: string): string {
  const base =
    path
      .basename(hostPath)
      .replace(/[^\w.-]/g, '_')
      .replace(/^\.+/, '_') || 'out';
  return `${at.line}-${base}`;
}
