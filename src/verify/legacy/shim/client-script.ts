/**
 * The per-call docker shim: the POSIX sh script the sandboxed legacy script finds as `docker` and
 * `podman` (bin/ of the run directory, and over the clients' usual absolute paths). It starts no
 * Node: it hands the call to the run's one server (shim/server.ts, over the request FIFO) and
 * runs what the server decides. The protocol, the server's side of it, is in shim/calls.ts.
 *
 * Costs per call: the shell, `mktemp` and `mkfifo` (two short processes), the real client, and
 * `cat` when the call prints from a file (a skip, a refusal, a captured id); `env` only when the
 * server asks for the environment (a compose call); `. FILE` and the
 * redirections are the shell's own. scripts/bench-sandbox.mjs measures it.
 *
 * The tools are named by absolute path, resolved on restage's PATH when the script is written, so
 * a script that calls docker with its own PATH (`env -i docker …`) still reaches them; the sandbox
 * shows the host's file system, so the paths hold inside. The shell variables are `restage_*`: an
 * exported variable of the script's with the same name would reach the real client changed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { shellQuote } from '../../../shared/shell-quote.js';
import type { ShimClient } from './types.js';

/** The request FIFO and the directory of call directories, under the run directory. */
export const REQUESTS = 'requests';
export const CALLS = 'calls';

/** `name`'s absolute path on `PATH` (directories in order), else `name` itself (found on the script's PATH). */
export function findTool(name: string, PATH: string | undefined): string {
  for (const dir of (PATH ?? '').split(':')) {
    if (!path.isAbsolute(dir)) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      /* not here */
    }
  }
  return name;
}

/**
 * The script for `client` in the run directory `runDir`. A call that reads the server's reply
 * while the server is gone would wait forever: the server is the sandbox's command, so when it
 * dies the sandbox's PID namespace ends and every process inside (this script too) is killed.
 */
export function clientScript(runDir: string, client: ShimClient, PATH = process.env.PATH): string {
  const [mktemp, mkfifo, cat, env] = ['mktemp', 'mkfifo', 'cat', 'env'].map((t) => shellQuote(findTool(t, PATH)));
  const requests = shellQuote(path.join(runDir, REQUESTS));
  const ask = `{ printf 'call ${client} %s\\n' "$restage_d" >${requests} && read -r restage_kind restage_capture restage_input <&9; } 9<>"$restage_d/reply"`;
  return `#!/bin/sh
restage_d=$(${mktemp} -d ${shellQuote(path.join(runDir, CALLS))}/c.XXXXXX) || exit 125
: >"$restage_d/argv"
[ $# -eq 0 ] || printf '%s\\0' "$@" >"$restage_d/argv"
pwd -P >"$restage_d/cwd"
${mkfifo} "$restage_d/reply" || exit 125
restage_kind=
${ask}
while :; do
  case $restage_kind in
    stdin) ${cat} >"$restage_d/stdin" ;;
    env) ${env} -0 >"$restage_d/env" ;;
    *) break ;;
  esac
  ${ask}
done
case $restage_kind in
  run)
    . "$restage_d/run"
    case $restage_capture$restage_input in
      21) "$@" <"$restage_d/in" >"$restage_d/out" 2>"$restage_d/err" ;;
      20) "$@" >"$restage_d/out" 2>"$restage_d/err" ;;
      11) "$@" <"$restage_d/in" >"$restage_d/out" ;;
      10) "$@" >"$restage_d/out" ;;
      01) "$@" <"$restage_d/in" ;;
      *) "$@" ;;
    esac
    restage_rc=$?
    [ "$restage_capture" = 0 ] || ${cat} "$restage_d/out"
    [ "$restage_capture" != 2 ] || ${cat} "$restage_d/err" >&2 ;;
  skip) ${cat} "$restage_d/stdout"; restage_rc=0 ;;
  refuse) ${cat} "$restage_d/message" >&2; restage_rc=125 ;;
  *) echo "restage shim: no answer from restage for \`${client} $*\`" >&2; restage_rc=125 ;;
esac
printf 'done %s %s\\n' "$restage_d" "$restage_rc" >${requests}
exit "$restage_rc"
`;
}
