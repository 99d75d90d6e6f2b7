/**
 * Running one client process: argv arrays only (never a shell), bounded capture, line callbacks,
 * cancellation by AbortSignal (SIGTERM, then SIGKILL after a grace period).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';

export const KILL_GRACE_MS = 10_000;

export interface ExecOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
  /** Per-stream capture limit in bytes; the rest is dropped (lines still reach onLine). */
  readonly maxOutputBytes?: number;
  readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface ExecResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly truncated: boolean;
}

/** The client binary could not be started at all. */
export class SpawnError extends Error {
  override readonly name = 'SpawnError';
  constructor(
    readonly file: string,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
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

export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

/**
 * Sends SIGTERM when `signal` aborts, and SIGKILL if the child outlives the grace period.
 * Returns a function that detaches the listener.
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

export function spawnError(file: string, error: NodeJS.ErrnoException): SpawnError {
  const what = error.code === 'ENOENT' ? 'not found' : `could not be started (${error.code ?? error.message})`;
  return new SpawnError(file, error.code, `container engine client ${file} ${what}`);
}

/**
 * Runs `file args` to completion. Resolves with the exit status whatever it is; rejects with
 * SpawnError if the binary cannot be started, and with the signal's reason once the child has
 * exited after a cancellation.
 */
export function exec(file: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  const { signal, env, onLine } = options;
  const limit = options.maxOutputBytes ?? 1024 * 1024;
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
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
      // 'error' without 'close' happens only when the spawn itself failed.
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
