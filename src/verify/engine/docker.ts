/**
 * Engine over the docker CLI. The client inherits the environment, so DOCKER_HOST, DOCKER_CONTEXT
 * and DOCKER_CONFIG apply as they do in a shell. Client binary: the `client` option, else
 * $RESTAGE_DOCKER, else `docker` on PATH. On hosts with two clients prefer Debian's
 * /usr/bin/docker (20.10, BuildKit built in): a 28.x client without the buildx plugin refuses
 * DOCKER_BUILDKIT=1 ("BuildKit is enabled but the buildx component is missing").
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import {
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
} from './engine.js';
import { DOCKER_HISTORY_FORMAT, parseDockerRow } from './history.js';
import {
  firstLine,
  labelArgs,
  lines,
  nonEmpty,
  parseVersion,
  signalOf,
  type Dialect,
  type DockerEngineOptions,
} from './dialect.js';
import { exec, streamStdout, Tail, type ExecResult } from './process.js';

export type { Dialect, DockerEngineOptions } from './dialect.js';

const DOCKER: Dialect = { kind: 'docker', defaultClient: 'docker', clientEnv: 'RESTAGE_DOCKER', backends: true };
const LOG_TAIL_LINES = 30;
const NOT_FOUND = /no such (image|container|object|volume)|image not known|no container with name or id/i;

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
    const result = await this.checked(
      ['image', 'history', '--no-trunc', '--human=false', '--format', DOCKER_HISTORY_FORMAT, ref],
      options,
    );
    return lines(result.stdout).map(parseDockerRow);
  }

  async export(container: string, options: CallOptions = {}): Promise<Readable> {
    const argv = ['export', container];
    return streamStdout(this.client, argv, { env: this.env, ...signalOf(options) }, (code, stderr) =>
      this.failure([this.client, ...argv], code, stderr),
    );
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

  /** What `ps --all` needs to list every container of a label (podman: also buildah's working containers). */
  protected readonly psAll: readonly string[] = [];
  async labelled(key: string, value: string, options: CallOptions = {}): Promise<NameListing> {
    const filter = ['--filter', `label=${key}=${value}`];
    const ps = await this.checked(['ps', '--all', '--quiet', '--no-trunc', ...this.psAll, ...filter], options);
    const images = await this.checked(['images', '--all', '--quiet', '--no-trunc', ...filter], options);
    const volumes = await this.checked(['volume', 'ls', '--quiet'], options);
    return {
      containers: lines(ps.stdout).map((l) => l.trim()),
      images: [...new Set(lines(images.stdout).map((l) => l.trim()))],
      volumes: lines(volumes.stdout).filter((v) => v.trim().startsWith(`${value}_`)),
    };
  }

  async rmVolume(volume: string, options: CallOptions = {}): Promise<void> {
    await this.remove(['volume', 'rm', '--force', volume], { ...options, container: volume, missingOk: true });
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
