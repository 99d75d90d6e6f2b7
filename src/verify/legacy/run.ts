/**
 * The legacy pipeline, run for real: the user's own command (their script through its
 * interpreter, `make`, or `--legacy-cmd`) in the bubblewrap sandbox of sandbox.ts, on a scratch
 * copy of the repository, with the docker shim first on PATH: the sandbox's command is the shim's
 * server (shim/server.ts), which runs the user's command and answers its `docker` calls (sh
 * scripts, shim/client-script.ts). What it built is read back from the shim's state and trace; nothing it made outlives verify's cleanup (every
 * build and container carries the session label, every name the session's prefix).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DOCKER_CLIENTS } from '../../shared/docker-cli.js';
import { imageKey } from '../../shared/image-ref.js';
import type { Backend } from '../engine/engine.js';
import { LineSplitter, Tail } from '../engine/process.js';
import { EngineFailure } from '../failure.js';
import type { Progress } from '../progress.js';
import type { ImageMap } from '../scratch.js';
import { SESSION_LABEL, type Session } from '../session.js';
import { engineOverTcp, sandboxArgs } from './sandbox.js';
import { shimFiles, unfinishedStepImages, type ShimConfig } from './shim/calls.js';
import { clientScript } from './shim/client-script.js';
import { EMPTY_STATE, type ShimState } from './shim/rewrite.js';
import { readTrace, type TraceCall } from './trace.js';

/** How long a cancelled sandbox has between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 3_000;

export interface LegacyRunRequest {
  /** The repository (git work tree, else the directory verified): what is copied and where the copy is mounted. */
  readonly repo: string;
  readonly command: readonly string[];
  /** Working directory inside the repository. */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  readonly bwrap: string;
  /** The engine's kind and its client's absolute path: both `docker` and `podman` in the script reach it. */
  readonly engine: { readonly kind: string; readonly client: string };
  readonly network: string | null;
  readonly imageMap: ImageMap;
  readonly backend: Backend;
  readonly session: Session;
  readonly progress: Progress;
  readonly signal: AbortSignal;
  /** The shim's executable (dist/shim.cjs). */
  readonly shim: string;
}

export interface LegacyRun {
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly seconds: number;
  readonly logTail: readonly string[];
  readonly trace: readonly TraceCall[];
  readonly state: ShimState;
  /** Where the scratch copy of the repository is. */
  readonly copy: string;
}

/** The clients' usual absolute paths (src/shared/docker-cli.ts), covered by the shim inside the sandbox. */
const DOCKER_CLIENTS_AT = [...DOCKER_CLIENTS].filter((c) => c.startsWith('/'));
/** Where Compose v1 is installed; a script calling it by path reaches the shim too. */
const COMPOSE_AT = ['/usr/bin/docker-compose', '/usr/local/bin/docker-compose'];

/** `sudo [options] CMD…` as the user: the options (and a VAR=value prefix) dropped, CMD run. */
const SUDO = `#!/bin/sh
while [ $# -gt 0 ]; do
  case "$1" in
    --) shift; break ;;
    -u|-g|-C|-D|-h|-p|-r|-t|-T|-U|--user|--group|--prompt) shift 2 ;;
    -*) shift ;;
    *=*) export "$1"; shift ;;
    *) break ;;
  esac
done
exec "$@"
`;

export async function runLegacyPipeline(request: LegacyRunRequest): Promise<LegacyRun> {
  const { session, signal } = request;
  const repo = fs.realpathSync(request.repo);
  const copyRoot = session.scratch('legacy');
  const copy = path.join(copyRoot, 'repo');
  fs.cpSync(repo, copy, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
  const runDir = fs.realpathSync(session.scratch('shim'));
  const bin = path.join(runDir, 'bin');
  // restage's own files may lie where the sandbox shows an empty tmpfs (a clone under /tmp, node
  // under ~/.nvm): the shim is copied into the run directory, node mounted at its own path.
  const shim = path.join(runDir, 'shim.cjs');
  fs.copyFileSync(request.shim, shim);
  fs.mkdirSync(bin);
  // `docker-compose` is the shim too (shim/compose.ts), whether or not the host has Compose.
  for (const client of ['docker', 'podman', 'docker-compose'] as const)
    fs.writeFileSync(path.join(bin, client), clientScript(runDir, client), { mode: 0o755 });
  // verify never runs sudo (as for the replay, RS704): `sudo CMD` runs CMD as the user, through the shim.
  fs.writeFileSync(path.join(bin, 'sudo'), SUDO, { mode: 0o755 });
  // The real client, where only the shim looks; the shim over every usual absolute path of a client.
  const real = path.join(runDir, 'real', path.basename(request.engine.client));
  fs.mkdirSync(path.dirname(real));
  fs.writeFileSync(real, '');
  const overlays = [
    { source: fs.realpathSync(process.execPath), target: process.execPath },
    { source: request.engine.client, target: real },
    ...[...DOCKER_CLIENTS_AT, ...COMPOSE_AT]
      .filter((p) => fs.existsSync(p))
      .map((p) => ({
        source: path.join(bin, path.basename(p)),
        target: p,
      })),
  ];
  // Podman has no daemon: a podman started inside the sandbox would keep its containers in the
  // sandbox's namespaces. The shim drives a podman service started here instead (`podman --remote`),
  // which also resolves bind mounts on the host, as dockerd does.
  const podman = request.engine.kind === 'podman';
  const podmanSocket = path.join(runDir, 'podman.sock');
  const clientWords = podman ? [real, '--remote', '--url', `unix://${podmanSocket}`] : [real];
  const config: ShimConfig = {
    runId: session.id,
    label: SESSION_LABEL,
    repo,
    copy,
    network: request.network,
    imageMap: [...request.imageMap],
    scratchDir: path.join(runDir, 'dockerfiles'),
    clients: { docker: clientWords, podman: clientWords },
    env: { DOCKER_BUILDKIT: request.backend === 'buildkit' ? '1' : '0' },
  };
  fs.writeFileSync(shimFiles(runDir).config, JSON.stringify(config));
  const service = podman
    ? await startPodmanService(request.engine.client, podmanSocket, session.scratch('podman-tmp'), signal)
    : null;
  const home = process.env.HOME ?? '/root';
  const args = sandboxArgs({
    repo,
    copy,
    cwd: request.cwd,
    home,
    writable: [runDir],
    overlays,
    env: { ...request.env, PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: home, TMPDIR: '/tmp' },
    shareNet: engineOverTcp(process.env),
    command: [process.execPath, shim, 'serve', runDir, '--', ...request.command],
  });
  const started = performance.now();
  let state: ShimState = EMPTY_STATE;
  let outcome: Awaited<ReturnType<typeof runSandbox>>;
  try {
    outcome = await request.progress.step(`legacy: run ${request.command.join(' ')} (sandboxed)`, () =>
      runSandbox(request.bwrap, args, request.timeoutSeconds, signal),
    );
  } finally {
    // Also after an interruption: what the run named is the session's to remove.
    await service?.stop();
    try {
      state = JSON.parse(fs.readFileSync(shimFiles(runDir).state, 'utf8')) as ShimState;
    } catch {
      /* the script made no docker call */
    }
    for (const tag of Object.values(state.images)) session.adoptImage(tag);
    for (const name of [...Object.values(state.containers), ...state.ids]) session.adoptContainer(name);
    for (const id of [...(state.intermediates ?? []), ...unfinishedStepImages(runDir)]) session.intermediate(id);
  }
  const trace = readTrace(shimFiles(runDir).trace);
  return { ...outcome, seconds: (performance.now() - started) / 1000, trace, state, copy };
}

/**
 * `podman system service` on `socket`, until stop(); resolves once the socket exists. Its TMPDIR
 * is `tmp`, a scratch directory of the session: a build the service was running when it stopped
 * leaves its buildah<N> directory there (test/e2e/podman-verify.test.ts, SIGINT during the legacy
 * build), and the session's cleanup removes it.
 */
async function startPodmanService(
  podman: string,
  socket: string,
  tmp: string,
  signal: AbortSignal,
): Promise<{ stop: () => Promise<void> }> {
  const child = spawn(podman, ['system', 'service', '--time=0', `unix://${socket}`], {
    stdio: 'ignore',
    detached: true,
    env: { ...process.env, TMPDIR: tmp },
  });
  const signal_ = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      /* gone */
    }
  };
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // The service's whole process group: a build it was running (buildah's RUN container) stops with it.
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    signal_('SIGTERM');
    const timer = setTimeout(() => signal_('SIGKILL'), KILL_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 15_000;
  while (!fs.existsSync(socket)) {
    if (signal.aborted || Date.now() > deadline || child.exitCode !== null) {
      await stop();
      throw new EngineFailure('legacy run', `podman system service did not start (no socket ${socket} after 15 s)`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { stop };
}

/** Runs bwrap in its own process group; kills it on abort or at the time limit. Rejects only when aborted. */
function runSandbox(
  bwrap: string,
  args: readonly string[],
  timeoutSeconds: number,
  signal: AbortSignal,
): Promise<{ exitCode: number | null; timedOut: boolean; logTail: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bwrap, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const tail = new Tail(40);
    const lines = new LineSplitter((l) => tail.push(l));
    child.stdout.on('data', (c: Buffer) => lines.push(c));
    child.stderr.on('data', (c: Buffer) => lines.push(c));
    let timedOut = false;
    const kill = (sig: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, sig);
      } catch {
        /* gone */
      }
    };
    let grace: NodeJS.Timeout | undefined;
    const stop = () => {
      kill('SIGTERM');
      grace = setTimeout(() => kill('SIGKILL'), KILL_GRACE_MS);
    };
    const limit = setTimeout(() => {
      timedOut = true;
      stop();
    }, timeoutSeconds * 1000);
    const onAbort = () => stop();
    signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => {
      clearTimeout(limit);
      signal.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(limit);
      if (grace) clearTimeout(grace);
      signal.removeEventListener('abort', onAbort);
      lines.end();
      if (signal.aborted) reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      else resolve({ exitCode: code, timedOut, logTail: tail.lines() });
    });
  });
}

/**
 * The legacy image: the build of the runtime Dockerfile the analysis names (by its tag as the
 * script writes it), else `--legacy-image`, else the last image the run built. Null when none.
 */
export function legacyImage(run: LegacyRun, named: string | null): string | null {
  if (named !== null) {
    const key = imageKey(named);
    return run.state.images[key] ?? null;
  }
  const built = run.trace.filter((c) => c.outcome === 'run' && c.exitCode === 0 && c.image);
  return built.at(-1)?.image ?? null;
}
