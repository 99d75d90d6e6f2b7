/**
 * The docker shim's process: what runs when the sandboxed script calls `docker` or `podman`
 * (`restage-shim CLIENT ARGS…`, through the wrapper scripts in the run directory's bin/).
 * It reads the run's configuration and state from RESTAGE_SHIM_DIR, asks `rewriteCall` what to
 * do, does it with the real client, and appends the call to the trace. Its exit status is the
 * client's (125 for a refused call, 0 for a skipped one).
 *
 * State is shared by every call of the run: it is read and written under a lock (a directory
 * made with mkdir, atomic on every file system), so calls a script runs side by side (`&`) keep
 * one consistent view of the names they made.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { TraceCall } from '../trace.js';
import { EMPTY_STATE, rewriteCall, type ShimContext, type ShimState } from './rewrite.js';

/** What verify writes to RESTAGE_SHIM_DIR/shim.json before the run. */
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

export const SHIM_DIR_ENV = 'RESTAGE_SHIM_DIR';
const LOCK_WAIT_MS = 30_000;

export const shimFiles = (dir: string) => ({
  config: path.join(dir, 'shim.json'),
  state: path.join(dir, 'state.json'),
  trace: path.join(dir, 'trace.jsonl'),
  lock: path.join(dir, 'lock'),
});

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Runs `update` on the state under the run's lock; returns what it returned. */
function withState<T>(dir: string, update: (state: ShimState) => { state: ShimState; value: T }): T {
  const files = shimFiles(dir);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      fs.mkdirSync(files.lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || Date.now() > deadline) throw error;
      sleep(5);
    }
  }
  try {
    let state: ShimState = EMPTY_STATE;
    try {
      state = JSON.parse(fs.readFileSync(files.state, 'utf8')) as ShimState;
    } catch {
      /* the run's first call */
    }
    const out = update(state);
    if (out.state !== state) fs.writeFileSync(files.state, JSON.stringify(out.state));
    return out.value;
  } finally {
    fs.rmdirSync(files.lock);
  }
}

function appendTrace(dir: string, call: TraceCall): void {
  fs.appendFileSync(shimFiles(dir).trace, JSON.stringify(call) + '\n');
}

export async function shimMain(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const dir = env[SHIM_DIR_ENV];
  const client: 'docker' | 'podman' = argv[0] === 'podman' ? 'podman' : 'docker';
  const args = argv.slice(1);
  if (!dir) {
    process.stderr.write(`restage shim: ${SHIM_DIR_ENV} is not set; the shim runs only inside restage verify\n`);
    return 125;
  }
  const started = performance.now();
  const config = JSON.parse(fs.readFileSync(shimFiles(dir).config, 'utf8')) as ShimConfig;
  const iidfile = path.join(dir, `iid-${process.pid}-${Date.now()}`);
  const context: ShimContext = {
    runId: config.runId,
    label: config.label,
    client,
    repo: config.repo,
    copy: config.copy,
    cwd: process.cwd(),
    network: config.network,
    imageMap: new Map(config.imageMap),
    scratchDir: config.scratchDir,
    iidfile,
  };
  const io = {
    readFile: (file: string) => {
      try {
        return fs.readFileSync(file, 'utf8');
      } catch {
        return null;
      }
    },
    stdin: () => fs.readFileSync(0, 'utf8'),
    readlink: (file: string) => {
      try {
        return fs.readlinkSync(file);
      } catch {
        return null;
      }
    },
  };
  const decision = withState(dir, (state) => {
    const d = rewriteCall(args, context, state, io);
    return { state: d.kind === 'run' ? d.state : state, value: d };
  });
  const record = { client, argv: args, cwd: context.cwd };
  if (decision.kind === 'skip') {
    process.stdout.write(decision.stdout);
    appendTrace(dir, { ...record, ran: null, outcome: 'skip', exitCode: 0, ms: 0, notes: [decision.note] });
    return 0;
  }
  if (decision.kind === 'refuse') {
    process.stderr.write(`restage verify: refused \`${client} ${args.join(' ')}\`: ${decision.message}\n`);
    appendTrace(dir, { ...record, ran: null, outcome: 'refuse', exitCode: 125, ms: 0, notes: [decision.message] });
    return 125;
  }
  for (const f of decision.files) {
    fs.mkdirSync(path.dirname(f.path), { recursive: true });
    fs.writeFileSync(f.path, f.text);
  }
  const ran = decision.argv;
  const [file, ...prefix] = config.clients[client] as [string, ...string[]];
  const exit = await new Promise<{ code: number; stdout: string }>((resolve) => {
    const child = spawn(file, [...prefix, ...ran], {
      env: { ...env, ...config.env },
      stdio: [decision.stdin !== undefined ? 'pipe' : 'inherit', decision.capturesId ? 'pipe' : 'inherit', 'inherit'],
    });
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      process.stdout.write(chunk);
    });
    if (decision.stdin !== undefined) child.stdin?.end(decision.stdin);
    child.on('error', (error) => {
      process.stderr.write(`restage shim: ${file}: ${error.message}\n`);
      resolve({ code: 127, stdout });
    });
    child.on('close', (code, signal) =>
      resolve({ code: code ?? 128 + (signal === 'SIGKILL' ? 9 : signal === 'SIGINT' ? 2 : 15), stdout }),
    );
  });
  const id = decision.capturesId ? /^([0-9a-f]{12,64})\s*$/m.exec(exit.stdout)?.[1] : undefined;
  if (id) withState(dir, (state) => ({ state: { ...state, ids: [...state.ids, id] }, value: undefined }));
  let image: string | undefined;
  try {
    image = fs.readFileSync(iidfile, 'utf8').trim();
  } catch {
    /* not a build (only shim/build.ts asks for --iidfile), or it failed */
  }
  appendTrace(dir, {
    ...record,
    ran: [file, ...prefix, ...ran],
    outcome: 'run',
    exitCode: exit.code,
    ms: Math.round(performance.now() - started),
    notes: decision.notes,
    ...(image ? { image } : {}),
  });
  return exit.code;
}
