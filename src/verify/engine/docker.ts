/**
 * Engine over the docker CLI. The client inherits the environment, so DOCKER_HOST, DOCKER_CONTEXT
 * and DOCKER_CONFIG apply as they do in a shell. Client binary: the `client` option, else
 * $RESTAGE_DOCKER, else `docker` on PATH. On hosts with two clients prefer Debian's
 * /usr/bin/docker (20.10, BuildKit built in): a 28.x client without the buildx plugin refuses
 * DOCKER_BUILDKIT=1 ("BuildKit is enabled but the buildx component is missing").
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { PassThrough, type Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import {
  AbortError,
  EngineError,
  SpawnError,
  type BuildOptions,
  type BuildResult,
  type CallOptions,
  type CpOptions,
  type CreateOptions,
  type Engine,
  type HistoryEntry,
  type ImageInspect,
  type NameListing,
  type PingResult,
  type RmiOptions,
  type RmOptions,
  type RunOptions,
  type RunResult,
  type TagOptions,
} from './engine.js';

export interface DockerEngineOptions {
  /** Client binary. Default: $RESTAGE_DOCKER ($RESTAGE_PODMAN for podman), else `docker` (`podman`) on PATH. */
  readonly client?: string;
  /** Environment for every client process. Default: process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** How long `ping` waits for an answer. Default 15 s. */
  readonly pingTimeoutSeconds?: number;
}

/** What differs between CLIs that speak Docker's command set. */
export interface Dialect {
  readonly kind: 'docker' | 'podman';
  readonly defaultClient: string;
  /** Environment variable naming the client binary. */
  readonly clientEnv: string;
  /** The builder is chosen by DOCKER_BUILDKIT; false: there is one builder and `backend` is ignored. */
  readonly backends: boolean;
  /** Prefix the engine puts on unqualified local image names (podman: 'localhost/'). */
  readonly localImagePrefix?: string;
  /** Build flag that forbids pulling a missing base (docker has none: a missing tag goes to the registry). */
  readonly buildNoPullFlag?: string;
}

const DOCKER: Dialect = { kind: 'docker', defaultClient: 'docker', clientEnv: 'RESTAGE_DOCKER', backends: true };
const LOG_TAIL_LINES = 30;
const NOT_FOUND = /no such (image|container|object)|image not known|no container with name or id/i;

export class DockerEngine implements Engine {
  readonly kind: 'docker' | 'podman';
  readonly client: string;
  protected readonly env: NodeJS.ProcessEnv;
  private readonly pingTimeoutMs: number;
  private readonly flagCache = new Map<string, Promise<boolean>>();

  constructor(
    options: DockerEngineOptions = {},
    protected readonly dialect: Dialect = DOCKER,
  ) {
    this.kind = dialect.kind;
    this.env = options.env ?? process.env;
    this.client = options.client ?? nonEmpty(this.env[dialect.clientEnv]) ?? dialect.defaultClient;
    this.pingTimeoutMs = (options.pingTimeoutSeconds ?? 15) * 1000;
  }

  async ping(options: CallOptions = {}): Promise<PingResult> {
    const timeout = AbortSignal.timeout(this.pingTimeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let result: ExecResult;
    try {
      result = await exec(this.client, ['version', '--format', '{{json .}}'], { env: this.env, signal });
    } catch (error) {
      if (error instanceof SpawnError) return { ok: false, message: error.message };
      if (options.signal?.aborted) throw error;
      if (timeout.aborted) {
        return { ok: false, message: `${this.client} did not answer within ${this.pingTimeoutMs / 1000} s` };
      }
      throw error;
    }
    if (result.exitCode !== 0) {
      return { ok: false, message: firstLine(result.stderr) || `${this.client} version exited ${result.exitCode}` };
    }
    const version = parseVersion(result.stdout);
    return version === undefined
      ? { ok: true, message: `${this.kind} engine reachable` }
      : { ok: true, version, message: `${this.kind} engine ${version}` };
  }

  async build(options: BuildOptions): Promise<BuildResult> {
    const verb = options.verb ?? ['build'];
    const args = [...verb, '--tag', options.tag, '--network', options.network ?? 'none', ...labelArgs(options)];
    // `buildx build` with the docker driver keeps its result in the build cache unless told to load it.
    if (verb[0] === 'buildx') args.push('--load');
    if (options.dockerfile !== undefined) args.push('--file', options.dockerfile);
    if (options.target !== undefined) args.push('--target', options.target);
    if (options.noCache) args.push('--no-cache');
    if (options.pull) args.push('--pull');
    else if (this.dialect.buildNoPullFlag !== undefined) args.push(this.dialect.buildNoPullFlag);
    for (const [key, value] of Object.entries(options.buildArgs ?? {})) args.push('--build-arg', `${key}=${value}`);
    let env = this.env;
    if (this.dialect.backends && verb[0] === 'buildx') args.push('--progress=plain');
    else if (this.dialect.backends) {
      env = { ...this.env, DOCKER_BUILDKIT: options.backend === 'buildkit' ? '1' : '0' };
      // BuildKit's progress goes to stderr; plain is the only form that is readable line by line.
      if (options.backend === 'buildkit') args.push('--progress=plain');
      // The classic builder keeps the container of a failed step (unnamed) unless told otherwise.
      else args.push('--force-rm');
    }
    args.push(options.context);
    const tail = new Tail(LOG_TAIL_LINES);
    const onLog = options.onLog;
    const started = performance.now();
    // Cancelling the client cancels the build: the daemon stops it when the client disconnects.
    const result = await exec(this.client, args, {
      env,
      maxOutputBytes: 0,
      onLine: (line) => {
        tail.push(line);
        onLog?.(line);
      },
      ...signalOf(options),
    });
    return {
      ok: result.exitCode === 0,
      exitCode: result.exitCode,
      seconds: (performance.now() - started) / 1000,
      logTail: tail.lines(),
    };
  }

  async create(options: CreateOptions): Promise<string> {
    const args = ['create', '--name', options.name, '--network', 'none', ...labelArgs(options)];
    if (await this.supports(['create'], '--pull')) args.push('--pull=never');
    args.push(options.image, ...(options.command ?? []));
    const result = await this.checked(args, options);
    return result.stdout.trim();
  }

  async cp(options: CpOptions): Promise<void> {
    const args = ['cp'];
    if (options.archive) args.push('--archive');
    if (options.followLink) args.push('--follow-link');
    args.push(`${options.container}:${options.from}`, options.to);
    await this.checked(args, options);
  }

  /** Also removes the container's anonymous volumes (an image's VOLUME makes one per container). */
  async rm(options: RmOptions): Promise<void> {
    await this.remove(['rm', '--volumes', ...(options.force ? ['--force'] : []), options.container], options);
  }

  async rmi(options: RmiOptions): Promise<void> {
    await this.remove(['rmi', ...(options.force ? ['--force'] : []), options.image], options);
  }

  async tag(options: TagOptions): Promise<void> {
    await this.checked(['tag', options.source, options.target], options);
  }

  async inspectImage(ref: string, options: CallOptions = {}): Promise<ImageInspect> {
    const result = await this.checked(['image', 'inspect', ref], options);
    const parsed: unknown = JSON.parse(result.stdout);
    const first: unknown = Array.isArray(parsed) ? parsed[0] : undefined;
    if (typeof first !== 'object' || first === null) {
      throw new EngineError(`no image ${ref}`, [this.client, 'image', 'inspect', ref], result.exitCode, '', true);
    }
    return first as ImageInspect;
  }

  async history(ref: string, options: CallOptions = {}): Promise<HistoryEntry[]> {
    // One JSON array per row: portable across docker and podman, whose `{{json .}}` differ.
    const format = '[{{json .ID}},{{json .CreatedAt}},{{json .CreatedBy}},{{json .Size}},{{json .Comment}}]';
    const result = await this.checked(
      ['image', 'history', '--no-trunc', '--human=false', '--format', format, ref],
      options,
    );
    return lines(result.stdout).map(parseHistoryRow);
  }

  async export(container: string, options: CallOptions = {}): Promise<Readable> {
    const { signal } = options;
    if (signal?.aborted) throw abortReason(signal);
    const argv = ['export', container];
    const child = spawn(this.client, argv, { env: this.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (error: NodeJS.ErrnoException) => reject(spawnError(this.client, error)));
    });
    const detach = killOnAbort(child, signal);
    const stderr = new BoundedBuffer(64 * 1024);
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const out = new PassThrough();
    // The tar is complete only if the client exits 0, so the stream ends on exit, not on EOF.
    child.stdout.pipe(out, { end: false });
    child.on('close', (code) => {
      detach();
      if (signal?.aborted) out.destroy(abortReason(signal));
      else if (code === 0) out.end();
      else out.destroy(this.failure([this.client, ...argv], code, stderr.text()));
    });
    out.on('close', () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    });
    return out;
  }

  async run(options: RunOptions): Promise<RunResult> {
    const name = options.name ?? `restage-run-${randomBytes(6).toString('hex')}`;
    const args = ['run', '--rm', '--name', name, '--network', options.network ?? 'none', ...labelArgs(options)];
    if (await this.supports(['run'], '--pull')) args.push('--pull=never');
    if (options.user !== undefined) args.push('--user', options.user);
    if (options.entrypoint !== undefined) args.push('--entrypoint', options.entrypoint);
    args.push(options.image, ...(options.args ?? []));

    // Killing the client does not stop the container (PID 1 may ignore the forwarded SIGTERM):
    // a timeout or cancellation removes the container by name.
    let timedOut = false;
    let removal: Promise<void> | undefined;
    const removeContainer = (): void => {
      removal ??= this.rm({ container: name, force: true, missingOk: true }).catch(() => {});
    };
    const timer =
      options.timeoutSeconds === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            removeContainer();
          }, options.timeoutSeconds * 1000);
    options.signal?.addEventListener('abort', removeContainer, { once: true });
    try {
      const result = await exec(this.client, args, {
        env: this.env,
        maxOutputBytes: options.maxOutputBytes ?? 1024 * 1024,
        ...signalOf(options),
      });
      return {
        exitCode: result.exitCode,
        stdout: result.stdout,
        stderr: result.stderr,
        truncated: result.truncated,
        timedOut,
      };
    } finally {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', removeContainer);
      // A removal that raced the container's creation missed it; this one does not.
      if (removal) {
        await removal;
        removal = undefined;
        removeContainer();
        // removeContainer() set it again; the type checker cannot see through the call.
        await (removal as Promise<void> | undefined);
      }
    }
  }

  async listNames(prefix: string, options: CallOptions = {}): Promise<NameListing> {
    const ps = await this.checked(['ps', '--all', '--format', '{{.Names}}'], options);
    const images = await this.checked(['images', '--format', '{{.Repository}}:{{.Tag}}'], options);
    const local = this.dialect.localImagePrefix;
    return {
      containers: lines(ps.stdout)
        .flatMap((row) => row.split(','))
        .filter((n) => n.startsWith(prefix)),
      images: lines(images.stdout)
        .map((ref) => (local !== undefined && ref.startsWith(local) ? ref.slice(local.length) : ref))
        .filter((ref) => !ref.startsWith('<none>') && ref.startsWith(prefix)),
    };
  }

  async labelled(key: string, value: string, options: CallOptions = {}): Promise<NameListing> {
    const filter = ['--filter', `label=${key}=${value}`];
    const ps = await this.checked(['ps', '--all', '--quiet', '--no-trunc', ...filter], options);
    const images = await this.checked(['images', '--all', '--quiet', '--no-trunc', ...filter], options);
    return {
      containers: lines(ps.stdout).map((l) => l.trim()),
      images: [...new Set(lines(images.stdout).map((l) => l.trim()))],
    };
  }

  async hasBuildx(options: CallOptions = {}): Promise<boolean> {
    const result = await exec(this.client, ['buildx', 'version'], { env: this.env, ...signalOf(options) });
    return result.exitCode === 0;
  }

  /** Whether `<client> <command> --help` lists `flag` (probed once per engine). */
  protected supports(command: readonly string[], flag: string): Promise<boolean> {
    const key = `${command.join(' ')} ${flag}`;
    let answer = this.flagCache.get(key);
    if (!answer) {
      answer = exec(this.client, [...command, '--help'], { env: this.env }).then(
        (r) => new RegExp(`(^|\\s)${flag}[\\s=]`, 'm').test(r.stdout + r.stderr),
        () => false,
      );
      this.flagCache.set(key, answer);
    }
    return answer;
  }

  protected async checked(args: readonly string[], options: CallOptions): Promise<ExecResult> {
    const result = await exec(this.client, args, { env: this.env, ...signalOf(options) });
    if (result.exitCode !== 0) throw this.failure([this.client, ...args], result.exitCode, result.stderr);
    return result;
  }

  protected async remove(args: readonly string[], options: RmOptions | RmiOptions): Promise<void> {
    try {
      await this.checked(args, options);
    } catch (error) {
      if (!(options.missingOk && error instanceof EngineError && error.notFound)) throw error;
    }
  }

  protected failure(argv: readonly string[], exitCode: number | null, stderr: string): EngineError {
    const reason = firstLine(stderr) || `exit status ${exitCode}`;
    return new EngineError(`${argv.slice(0, 3).join(' ')}: ${reason}`, argv, exitCode, stderr, NOT_FOUND.test(stderr));
  }
}

function labelArgs(options: { readonly labels?: Readonly<Record<string, string>> }): string[] {
  return Object.entries(options.labels ?? {}).flatMap(([key, value]) => ['--label', `${key}=${value}`]);
}

function signalOf(options: CallOptions): { signal?: AbortSignal } {
  return options.signal ? { signal: options.signal } : {};
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

function firstLine(text: string): string {
  return lines(text)[0]?.trim() ?? '';
}

/** Server version, else client version (local podman has no server part). */
function parseVersion(stdout: string): string | undefined {
  try {
    const v = JSON.parse(stdout) as { Server?: { Version?: unknown } | null; Client?: { Version?: unknown } | null };
    const found = v.Server?.Version ?? v.Client?.Version;
    return typeof found === 'string' ? found : undefined;
  } catch {
    return undefined;
  }
}

function parseHistoryRow(row: string): HistoryEntry {
  const [id, createdAt, createdBy, size, comment] = JSON.parse(row) as unknown[];
  const text = (v: unknown): string =>
    typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
  const sizeBytes = typeof size === 'number' ? size : Number.parseInt(text(size), 10);
  return {
    id: text(id) === '' || text(id) === '<missing>' ? undefined : text(id),
    createdAt: text(createdAt),
    createdBy: text(createdBy),
    sizeBytes: Number.isFinite(sizeBytes) ? sizeBytes : 0,
    comment: text(comment),
  };
}

// ---- one client process: argv only, bounded capture, lines, cancellation ----------------------

const KILL_GRACE_MS = 10_000;

interface ExecOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
  /** Per-stream capture limit in bytes; the rest is dropped (lines still reach onLine). */
  readonly maxOutputBytes?: number;
  readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

interface ExecResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly truncated: boolean;
}

/** Keeps the first `limit` bytes written to it. */
class BoundedBuffer {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly limit: number) {}
  push(chunk: Buffer): void {
    const room = this.limit - this.size;
    if (chunk.length > room) this.truncated = true;
    if (room <= 0) return;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.chunks.push(kept);
    this.size += kept.length;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** Splits a byte stream into lines (LF or CRLF), decoding UTF-8 across chunk boundaries. */
class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';
  constructor(private readonly sink: (line: string) => void) {}
  push(chunk: Buffer): void {
    const text = this.rest + this.decoder.write(chunk);
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    for (const line of lines) this.sink(line.endsWith('\r') ? line.slice(0, -1) : line);
  }
  end(): void {
    const last = this.rest + this.decoder.end();
    this.rest = '';
    if (last !== '') this.sink(last);
  }
}

/** The last `size` items pushed. */
class Tail {
  private readonly items: string[] = [];
  constructor(private readonly size: number) {}
  push(item: string): void {
    this.items.push(item);
    if (this.items.length > this.size) this.items.shift();
  }
  lines(): string[] {
    return [...this.items];
  }
}

function abortReason(signal: AbortSignal): AbortError {
  return new AbortError(signal.reason);
}

/**
 * Sends SIGTERM when `signal` aborts, and SIGKILL if the child outlives the grace period.
 * Returns a function that detaches the listener. (Also for PodmanEngine's own client processes.)
 */
export function killOnAbort(child: ChildProcess, signal: AbortSignal | undefined): () => void {
  if (!signal) return () => {};
  let timer: NodeJS.Timeout | undefined;
  const onAbort = (): void => {
    child.kill('SIGTERM');
    timer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    timer.unref();
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return () => {
    signal.removeEventListener('abort', onAbort);
    if (timer) clearTimeout(timer);
  };
}

/** The error of a client binary that could not be started (`error` is the child's 'error' event). */
export function spawnError(file: string, error: NodeJS.ErrnoException): SpawnError {
  const what = error.code === 'ENOENT' ? 'not found' : `could not be started (${error.code ?? error.message})`;
  return new SpawnError(file, error.code, `container engine client ${file} ${what}`);
}

/**
 * Runs `file args` to completion. Resolves with the exit status whatever it is; rejects with
 * SpawnError if the binary cannot be started, and with AbortError once the child has exited
 * after a cancellation.
 */
function exec(file: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  const { signal, env, onLine } = options;
  const limit = options.maxOutputBytes ?? 1024 * 1024;
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  return new Promise((resolve, reject) => {
    // Its own process group: a terminal's Ctrl-C reaches restage alone, which then cancels the client
    // itself (podman build, signalled directly, leaves its RUN container behind).
    const child = spawn(file, args, { env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const detach = killOnAbort(child, signal);
    const out = new BoundedBuffer(limit);
    const err = new BoundedBuffer(limit);
    const outLines = onLine ? new LineSplitter((l) => onLine(l, 'stdout')) : undefined;
    const errLines = onLine ? new LineSplitter((l) => onLine(l, 'stderr')) : undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      out.push(chunk);
      outLines?.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err.push(chunk);
      errLines?.push(chunk);
    });
    let failed = false;
    child.on('error', (error: NodeJS.ErrnoException) => {
      // Before a pid exists, 'error' means the binary could not be started.
      if (child.pid === undefined) {
        failed = true;
        detach();
        reject(spawnError(file, error));
      }
    });
    child.on('close', (exitCode, exitSignal) => {
      detach();
      if (failed) return;
      outLines?.end();
      errLines?.end();
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      resolve({
        exitCode,
        signal: exitSignal,
        stdout: out.text(),
        stderr: err.text(),
        truncated: out.truncated || err.truncated,
      });
    });
  });
}
