/**
 * Engine over the podman CLI, which takes Docker's commands and flags for nearly everything
 * restage uses. Tested against Debian 12's podman 4.3.1 (rootful, runc, cgroupfs, overlay; set up
 * by `bash scripts/engine.sh podman`). Differences that matter here:
 * - One builder (Buildah): `backend` is ignored and DOCKER_BUILDKIT means nothing. Buildah follows
 *   neither BuildKit's nor the classic builder's quirks exactly (e.g. COPY --chmod and --link,
 *   stage pruning with --target), so a comparison should not mix podman and docker images. Its
 *   log says `STEP 2/4: COPY …`; a failed RUN ends with `Error: building at STEP "RUN …": while
 *   running runtime: exit status 1`. Built images carry the label io.buildah.version.
 * - Unqualified local images are stored as `localhost/<name>`; listNames strips that prefix.
 *   `docker save X | podman load` stores X as localhost/X; `podman pull docker-daemon:X` stores it
 *   as docker.io/X, which `FROM X` does not find without a search registry.
 * - `podman build` pulls a missing base from the registries in registries.conf; builds here pass
 *   `--pull=never` (podman 4+) unless `pull` is set.
 * - `rm --force` stops a running container with its stop signal and waits 10 s before SIGKILL
 *   (docker kills at once): rm passes `--time 0`.
 * - `image history --format` renders Size human-readable whatever --human says ("5.12 kB"):
 *   history reads `--format json` instead.
 * - podman < 4.4 `export` opens "/dev/stdout" by path, which fails when stdout is a socket, as
 *   Node's child pipes are ("open /dev/stdout: no such device or address"): export writes to a
 *   FIFO (`--output`) and streams from it instead.
 * - Killing `podman build` does not stop the build: its RUN container runs on, orphaned, and
 *   its Buildah working container stays in storage. A cancelled build kills the RUN container
 *   first (see build()). Clients run in their own process group, so a terminal's Ctrl-C reaches
 *   restage, which cancels them this way.
 * - Rootful podman in a sandbox without CAP_SYS_RESOURCE cannot start containers with its default
 *   ulimits (runc: "error setting rlimit type 7: operation not permitted"): scripts/engine.sh
 *   podman writes default_ulimits within the current hard limits.
 * - An exported container holds /run (mount point of /run/.containerenv) instead of /.dockerenv,
 *   and /etc/hostname, but neither /etc/hosts nor /etc/resolv.conf when created with --network none.
 * - Rootless podman maps uids: files a container sees as 0:0 belong to the caller on the host,
 *   and `cp`'s ownership follows the user namespace.
 * - No daemon: `ping` reports the client's version unless podman runs in remote mode
 *   (CONTAINER_HOST / --remote), where it reports the service's.
 * Client binary: the `client` option, else $RESTAGE_PODMAN, else `podman` on PATH.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants, createReadStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { DockerEngine, type Dialect, type DockerEngineOptions } from './docker.js';
import {
  AbortError,
  type BuildOptions,
  type BuildResult,
  type CallOptions,
  type HistoryEntry,
  type RmOptions,
} from './engine.js';
import { parsePodmanHistory } from './history.js';
import { BoundedBuffer, killOnAbort, start } from './process.js';
import { containerDescendants, findChild } from './procs.js';

const PODMAN: Dialect = {
  kind: 'podman',
  defaultClient: 'podman',
  clientEnv: 'RESTAGE_PODMAN',
  backends: false,
  localImagePrefix: 'localhost/',
  buildNoPullFlag: '--pull=never',
};

const STDERR_LIMIT = 64 * 1024;
/** How long a cancelled build may take to fail by itself once its RUN containers are killed. */
const BUILD_STOP_GRACE_MS = 10_000;
const BUILD_STOP_POLL_MS = 100;

export class PodmanEngine extends DockerEngine {
  constructor(options: DockerEngineOptions = {}) {
    super(options, PODMAN);
  }

  /**
   * Cancelling: killing `podman build` (SIGTERM or SIGINT alike) leaves its RUN container running,
   * orphaned, with its runc state, its bundle in /var/tmp and its Buildah working container. So a
   * cancelled build first kills the processes of its RUN containers (the client's descendants in
   * another PID namespace), which fails the step: podman then cleans up and exits by itself, in
   * well under a second. Only if it has not within 10 s (or its process cannot be found, e.g. a
   * remote podman) is the client sent SIGTERM. Either way the call rejects with AbortError.
   */
  override async build(request: BuildOptions): Promise<BuildResult> {
    // `buildx build` is an alias of `build` in podman, whose builder is always Buildah.
    const options: BuildOptions = request.verb?.[0] === 'buildx' ? { ...request, verb: ['build'] } : request;
    const outer = options.signal;
    if (!outer) return super.build(options);
    if (outer.aborted) throw new AbortError(outer.reason);
    const inner = new AbortController();
    let settled = false;
    const onAbort = (): void => {
      void this.stopBuild(options.tag, () => settled).then(() => {
        if (!settled) inner.abort(outer.reason);
      });
    };
    outer.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await super.build({ ...options, signal: inner.signal });
      if (outer.aborted) throw new AbortError(outer.reason);
      return result;
    } finally {
      settled = true;
      outer.removeEventListener('abort', onAbort);
    }
  }

  /** Kills the RUN containers of this process's `podman build --tag <tag>` until it exits or the grace ends. */
  private async stopBuild(tag: string, settled: () => boolean): Promise<void> {
    const client = await findChild((argv) => argv.includes('build') && argv[argv.indexOf('--tag') + 1] === tag);
    if (client === undefined) return;
    const deadline = Date.now() + BUILD_STOP_GRACE_MS;
    while (!settled() && Date.now() < deadline) {
      for (const pid of await containerDescendants(client)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone already
        }
      }
      await new Promise((resolve) => setTimeout(resolve, BUILD_STOP_POLL_MS));
    }
  }

  /**
   * A build cut short (its podman, or the podman service of a sandboxed legacy run, killed) leaves
   * buildah's working container, mounted and carrying the build's labels; `ps` lists it only with
   * --external, and `rm` removes it only with --force (test/e2e/podman-verify.test.ts, SIGINT
   * during the legacy build).
   */
  protected override readonly psAll: readonly string[] = ['--external'];

  override async rm(options: RmOptions): Promise<void> {
    const force = options.force ? ['--force', '--time', '0'] : [];
    await this.remove(['rm', '--volumes', ...force, options.container], options);
  }

  /** `podman buildx build` is podman's alias of `podman build`: there is no plugin to lack. */
  override hasBuildx(): Promise<boolean> {
    return Promise.resolve(true);
  }

  override async history(ref: string, options: CallOptions = {}): Promise<HistoryEntry[]> {
    const result = await this.checked(['image', 'history', '--no-trunc', '--format', 'json', ref], options);
    return parsePodmanHistory(result.stdout, this.client);
  }

  /**
   * `podman export <container> --output <fifo>`, streamed from the FIFO. The stream ends when the
   * client exits 0 and the FIFO is drained; it errors with EngineError if the client fails.
   */
  override async export(container: string, options: CallOptions = {}): Promise<Readable> {
    const { signal } = options;
    if (signal?.aborted) throw new AbortError(signal.reason);
    const dir = await mkdtemp(join(tmpdir(), 'restage-podman-export-'));
    const fifo = join(dir, 'rootfs.tar');
    const argv = ['export', container, '--output', fifo];
    let child: ChildProcess;
    try {
      await this.mkfifo(fifo);
      child = await start(this.client, argv, this.env, 'ignore');
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    const detach = killOnAbort(child, signal);
    const stderr = new BoundedBuffer(STDERR_LIMIT);
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));

    // open(2) of a FIFO for reading blocks until a writer opens it: the client, or release().
    const reader = createReadStream(fifo);
    const opened = new Promise<void>((resolve) => {
      reader.once('open', () => resolve());
      reader.once('close', () => resolve());
    });
    const drained = new Promise<boolean>((resolve) => {
      reader.once('end', () => resolve(true));
      reader.once('close', () => resolve(false));
    });
    const out = new PassThrough();
    reader.pipe(out, { end: false });
    reader.on('error', (error) => out.destroy(error));
    out.on('close', () => {
      reader.destroy();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    });

    child.on('close', (code) => {
      detach();
      void (async () => {
        // Gives a reader still waiting in open(2) a writer (the client failed before opening the
        // FIFO), then EOF once the pipe is drained.
        await release(fifo, opened);
        if (signal?.aborted) out.destroy(new AbortError(signal.reason));
        else if (code !== 0) out.destroy(this.failure([this.client, ...argv], code, stderr.text()));
        else if (await drained) out.end();
        else if (!out.destroyed)
          out.destroy(new Error(`${this.client} export ${container}: the FIFO closed before its end`));
        await rm(dir, { recursive: true, force: true });
      })();
    });
    return out;
  }

  private async mkfifo(path: string): Promise<void> {
    const child = spawn('mkfifo', ['-m', '600', path], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', (error: NodeJS.ErrnoException) =>
        reject(new Error(`mkfifo could not be started (${error.code ?? error.message})`)),
      );
      child.once('close', resolve);
    });
    if (code !== 0) throw new Error(`mkfifo ${path}: ${stderr.trim() || `exit status ${code}`}`);
  }
}

/** Opens the FIFO read-write (never blocks) until the reader has opened it, then closes it. */
async function release(fifo: string, opened: Promise<void>): Promise<void> {
  let handle;
  try {
    handle = await open(fifo, constants.O_RDWR);
  } catch {
    return;
  }
  try {
    await opened;
  } finally {
    await handle.close();
  }
}
