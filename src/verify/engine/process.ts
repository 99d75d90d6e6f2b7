/**
 * Client processes, independent of any engine's vocabulary: one argv (never a shell), bounded
 * capture, output as lines, cancellation by AbortSignal. Shared by the docker and podman engines;
 * test/verify/engine/process.test.ts drives it with `node -e` children.
 *
 * Every child gets its own process group: a terminal's Ctrl-C reaches restage alone, which then
 * cancels the child itself (podman build, signalled directly, leaves its RUN container behind).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { PassThrough, type Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { AbortError, SpawnError } from './engine.js';

/** How long a cancelled child has between SIGTERM and SIGKILL. */
export const KILL_GRACE_MS = 10_000;

export interface ExecOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
  /** Per-stream capture limit in bytes (default 1 MiB); the rest is dropped (lines still reach onLine). */
  readonly maxOutputBytes?: number;
  readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface ExecResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Some output went beyond maxOutputBytes and was dropped. */
  readonly truncated: boolean;
}

/** Keeps the first `limit` bytes written to it. */
export class BoundedBuffer {
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
export class LineSplitter {
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
export class Tail {
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

export function abortReason(signal: AbortSignal): AbortError {
  return new AbortError(signal.reason);
}

/**
 * Sends SIGTERM when `signal` aborts, and SIGKILL if the child outlives `graceMs`.
 * Returns a function that detaches the listener.
 */
export function killOnAbort(
  child: ChildProcess,
  signal: AbortSignal | undefined,
  graceMs: number = KILL_GRACE_MS,
): () => void {
  if (!signal) return () => {};
  let timer: NodeJS.Timeout | undefined;
  const onAbort = (): void => {
    child.kill('SIGTERM');
    timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
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

/** Starts `file args` in its own process group; resolves once it runs, rejects with SpawnError if it cannot. */
export async function start(
  file: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv | undefined,
  stdout: 'pipe' | 'ignore',
): Promise<ChildProcess> {
  const child = spawn(file, args, { env: env ?? process.env, stdio: ['ignore', stdout, 'pipe'], detached: true });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error: NodeJS.ErrnoException) => reject(spawnError(file, error)));
  });
  return child;
}

/**
 * Runs `file args` to completion. Resolves with the exit status whatever it is; rejects with
 * SpawnError if the binary cannot be started, and with AbortError once the child has exited
 * after a cancellation.
 */
export function exec(file: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  const { signal, env, onLine } = options;
  const limit = options.maxOutputBytes ?? 1024 * 1024;
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  return new Promise((resolve, reject) => {
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

/**
 * The stdout of `file args` as a stream that ends only when the child exits 0 (output is complete
 * only then, not at EOF). It errors with `failure(exitCode, stderr)` on another exit, with
 * AbortError on cancellation; destroying it sends the child SIGTERM.
 */
export async function streamStdout(
  file: string,
  args: readonly string[],
  options: { readonly env?: NodeJS.ProcessEnv; readonly signal?: AbortSignal },
  failure: (exitCode: number | null, stderr: string) => Error,
): Promise<Readable> {
  const { signal } = options;
  if (signal?.aborted) throw abortReason(signal);
  const child = await start(file, args, options.env, 'pipe');
  const detach = killOnAbort(child, signal);
  const stderr = new BoundedBuffer(64 * 1024);
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  const out = new PassThrough();
  child.stdout?.pipe(out, { end: false });
  child.on('close', (code) => {
    detach();
    if (signal?.aborted) out.destroy(abortReason(signal));
    else if (code === 0) out.end();
    else out.destroy(failure(code, stderr.text()));
  });
  out.on('close', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  });
  return out;
}
