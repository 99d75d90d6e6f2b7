/**
 * The shim server's side of the per-call protocol (the sh side is shim/client-script.ts). One
 * server per legacy run reads one request FIFO; every call of the script's `docker`/`podman` is a
 * call directory `D` under RUNDIR/calls, made by the call, holding:
 *   argv   the call's words, each ended by NUL (written by the call);
 *   cwd    its working directory (`pwd -P`, written by the call);
 *   reply  a FIFO the call holds open read+write before asking, so a reply never waits for it;
 *   stdin  the call's standard input, only once the server asked for it;
 *   run    for a run: `set -- WORDS…` (the real client and its words, each shell-quoted) and the
 *          client's `export`s, sourced by the call;
 *   in     the standard input to give the real client instead of the call's (a rewritten `build -`);
 *   out    the real client's stdout when the server wants the container id it prints, or a
 *          build's step images (then its stderr goes to `err`; both are passed on once it ends);
 *   iid    the --iidfile a build writes its image id to;
 *   stdout a skip's output; message a refusal's text.
 * Messages on the request FIFO, one line each (shorter than PIPE_BUF, so lines from calls side by
 * side never mix):
 *   `call CLIENT D`  the call asks what to do; the server answers on D/reply with one line:
 *                    `run CAPTURE INPUT` (CAPTURE 1: stdout to D/out, 2: also stderr to D/err;
 *                    INPUT 1: stdin from D/in),
 *                    `skip`, `refuse`, `stdin` or `env`;
 *   `done D RC`      the call ended with status RC (every call sends it, a skip and a refusal too);
 *                    the server traces it and removes D.
 * Standard input: only the rewriting of a build whose Dockerfile comes on stdin (`build -`,
 * `build -f -`) reads it, through `io.stdin()`. The server first rewrites without it; when the
 * rewriting asks, the answer is `stdin`: the call copies its stdin to D/stdin and asks again, and
 * the rewriting runs again on the state as it is then (it is pure, so nothing of the first try
 * remains). A call that reads no stdin is never asked, so `docker run -i` still gets the script's
 * stdin as a stream. The environment is asked for the same way (`env`: the call writes `env -0`
 * to D/env), only by a compose call (shim/compose.ts interpolates the compose file with it).
 * Messages are handled one at a time, in order; state lives here and is written to state.json
 * (temporary file and rename) after every change, as run.ts reads it even after the sandbox was
 * killed. The trace is appended to trace.jsonl when a call is done; `ms` is from its first `call`
 * to its `done`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { shellQuote } from '../../../shared/shell-quote.js';
import type { TraceCall } from '../trace.js';
import { CALLS } from './client-script.js';
import { stepImages } from '../../engine/build-log.js';
import { EMPTY_STATE, rewriteCall, type ShimContext, type ShimDecision, type ShimState } from './rewrite.js';
import type { ShimClient } from './types.js';

/** What verify writes to RUNDIR/shim.json before the run. */
export interface ShimConfig {
  readonly runId: string;
  readonly label: string;
  readonly repo: string;
  readonly copy: string;
  readonly network: string | null;
  readonly imageMap: readonly (readonly [string, string])[];
  readonly scratchDir: string;
  /** The real client each name reaches: its absolute path and the words put before the call's (`--remote --url …`). */
  readonly clients: Readonly<Record<'docker' | 'podman', readonly string[]>>;
  /** Environment given to the real client on top of the script's (DOCKER_BUILDKIT). */
  readonly env: Readonly<Record<string, string>>;
}

export const shimFiles = (dir: string) => ({
  config: path.join(dir, 'shim.json'),
  state: path.join(dir, 'state.json'),
  trace: path.join(dir, 'trace.jsonl'),
});

/**
 * The step images named so far in the logs of the calls that never ended (a build the sandbox's
 * end cut short, Ctrl-C during the legacy run): the classic builder commits each step's image as
 * it goes, so a build stopped half-way leaves those behind unless they are removed
 * (test/e2e/legacy-run.test.ts, SIGINT during the legacy run).
 */
export function unfinishedStepImages(runDir: string): string[] {
  let calls: string[];
  try {
    calls = fs.readdirSync(path.join(runDir, CALLS));
  } catch {
    return [];
  }
  return calls.flatMap((d) => {
    const dir = path.join(runDir, CALLS, d);
    return stepImages(`${readLeft(dir, 'out')}\n${readLeft(dir, 'err')}`);
  });
}

/** A file a call left in its directory, or '' when it wrote none. */
function readLeft(dir: string, name: string): string {
  try {
    return fs.readFileSync(path.join(dir, name), 'utf8');
  } catch {
    return '';
  }
}

/** Thrown by `io.stdin()` / `io.environment()` while the call has not sent what it asked for. */
class Need extends Error {
  constructor(readonly what: 'stdin' | 'env') {
    super(what);
  }
}

interface Pending {
  readonly started: number;
  readonly record?: Pick<TraceCall, 'client' | 'argv' | 'cwd'>;
  readonly decision?: ShimDecision;
  readonly ran?: readonly string[];
}

export class Calls {
  private state: ShimState = EMPTY_STATE;
  private readonly pending = new Map<string, Pending>();
  private readonly callsDir: string;

  constructor(
    private readonly runDir: string,
    private readonly config: ShimConfig,
  ) {
    this.callsDir = path.join(runDir, CALLS);
  }

  /** Handles one line of the request FIFO; a malformed line or an unknown directory is reported and dropped. */
  handle(line: string): void {
    const call = /^call (docker|podman|docker-compose) (.+)$/.exec(line);
    const done = /^done (.+) (\d+)$/.exec(line);
    const dir = call?.[2] ?? done?.[1];
    if (dir === undefined || path.dirname(dir) !== this.callsDir) {
      process.stderr.write(`restage shim: dropped a malformed request: ${JSON.stringify(line)}\n`);
      return;
    }
    if (call) this.call(call[1] as ShimClient, dir);
    else this.done(dir, Number(done![2]));
  }

  private call(client: ShimClient, dir: string): void {
    const started = this.pending.get(dir)?.started ?? performance.now();
    let decision: ShimDecision;
    let record: Pending['record'];
    let words: string[] = [];
    try {
      words = fs.readFileSync(path.join(dir, 'argv'), 'utf8').split('\0').slice(0, -1);
      const cwd = fs.readFileSync(path.join(dir, 'cwd'), 'utf8').replace(/\n$/, '');
      record = { client, argv: words, cwd };
      decision = rewriteCall(words, this.context(client, cwd, dir), this.state, {
        readFile: (file) => {
          try {
            return fs.readFileSync(file, 'utf8');
          } catch {
            return null;
          }
        },
        stdin: () => {
          try {
            return fs.readFileSync(path.join(dir, 'stdin'));
          } catch {
            throw new Need('stdin');
          }
        },
        environment: () => {
          let text: string;
          try {
            text = fs.readFileSync(path.join(dir, 'env'), 'utf8');
          } catch {
            throw new Need('env');
          }
          return Object.fromEntries(
            text
              .split('\0')
              .filter((e) => e.includes('='))
              .map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
          );
        },
        readlink: (file) => {
          try {
            return fs.readlinkSync(file);
          } catch {
            return null;
          }
        },
      });
    } catch (error) {
      if (error instanceof Need) {
        this.pending.set(dir, { started });
        this.reply(dir, error.what);
        return;
      }
      const message = `restage shim: internal error: ${error instanceof Error ? error.message : String(error)}`;
      fs.writeFileSync(path.join(dir, 'message'), message + '\n');
      this.pending.set(dir, { started, ...(record ? { record } : {}) });
      this.reply(dir, 'refuse');
      return;
    }
    if (decision.kind === 'skip') {
      fs.writeFileSync(path.join(dir, 'stdout'), decision.stdout);
      this.pending.set(dir, { started, record, decision });
      this.reply(dir, 'skip');
      return;
    }
    if (decision.kind === 'refuse') {
      const text = `restage verify: refused \`${client} ${words.join(' ')}\`: ${decision.message}\n`;
      fs.writeFileSync(path.join(dir, 'message'), text);
      this.pending.set(dir, { started, record, decision });
      this.reply(dir, 'refuse');
      return;
    }
    if (decision.state !== this.state) this.setState(decision.state);
    for (const f of decision.files) {
      fs.mkdirSync(path.dirname(f.path), { recursive: true });
      fs.writeFileSync(f.path, f.text);
    }
    const ran = decision.withoutClient
      ? [...decision.argv]
      : [...this.config.clients[client === 'podman' ? 'podman' : 'docker'], ...decision.argv];
    // Defaults: a value the script gave the call (`DOCKER_BUILDKIT=1 docker build`, an export) wins, as it does on the user's machine.
    const exports = Object.entries(this.config.env).map(([k, v]) => `export ${k}="\${${k}-${shellQuote(v)}}"\n`);
    fs.writeFileSync(path.join(dir, 'run'), `set -- ${ran.map(shellQuote).join(' ')}\n${exports.join('')}`);
    if (decision.stdin !== undefined) fs.writeFileSync(path.join(dir, 'in'), decision.stdin);
    this.pending.set(dir, { started, record, decision, ran });
    this.reply(
      dir,
      `run ${decision.capturesId ? 1 : decision.capturesLog ? 2 : 0} ${decision.stdin !== undefined ? 1 : 0}`,
    );
  }

  private done(dir: string, exitCode: number): void {
    const p = this.pending.get(dir);
    this.pending.delete(dir);
    const { record, decision, ran } = p ?? {};
    if (p && record && decision) {
      const base = { ...record, exitCode, ms: Math.round(performance.now() - p.started) };
      if (decision.kind === 'skip') this.trace({ ...base, ran: null, outcome: 'skip', notes: [decision.note] });
      else if (decision.kind === 'refuse')
        this.trace({ ...base, ran: null, outcome: 'refuse', notes: [decision.message] });
      else {
        const read = (name: string) => readLeft(dir, name);
        const id = decision.capturesId ? /^([0-9a-f]{12,64})\s*$/m.exec(read('out'))?.[1] : undefined;
        if (id) this.setState({ ...this.state, ids: [...this.state.ids, id] });
        const steps = decision.capturesLog ? stepImages(`${read('out')}\n${read('err')}`) : [];
        if (steps.length > 0) this.setState({ ...this.state, intermediates: [...this.state.intermediates, ...steps] });
        // Only shim/build.ts asks for --iidfile; a failed build writes none.
        const image = read('iid').trim();
        this.trace({ ...base, ran: ran!, outcome: 'run', notes: decision.notes, ...(image ? { image } : {}) });
      }
    }
    if (decision?.kind === 'run') for (const f of decision.temporary ?? []) fs.rmSync(f, { force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  }

  private context(client: ShimClient, cwd: string, dir: string): ShimContext {
    const c = this.config;
    return {
      bin: path.join(this.runDir, 'bin'),
      runId: c.runId,
      label: c.label,
      client,
      repo: c.repo,
      copy: c.copy,
      cwd,
      network: c.network,
      imageMap: new Map(c.imageMap),
      scratchDir: c.scratchDir,
      iidfile: path.join(dir, 'iid'),
    };
  }

  /** Writes the answer into D/reply, which the call holds open; when the call is gone, forgets it. */
  private reply(dir: string, answer: string): void {
    let fd: number;
    try {
      fd = fs.openSync(path.join(dir, 'reply'), fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
    } catch {
      this.pending.delete(dir);
      fs.rmSync(dir, { recursive: true, force: true });
      return;
    }
    try {
      fs.writeSync(fd, answer + '\n');
    } finally {
      fs.closeSync(fd);
    }
  }

  private setState(state: ShimState): void {
    this.state = state;
    const { state: file } = shimFiles(this.runDir);
    fs.writeFileSync(file + '.tmp', JSON.stringify(state));
    fs.renameSync(file + '.tmp', file);
  }

  private trace(call: TraceCall): void {
    fs.appendFileSync(shimFiles(this.runDir).trace, JSON.stringify(call) + '\n');
  }
}
