/**
 * The docker shim's server: `shim.cjs serve RUNDIR -- COMMAND…` is the sandbox's command. It
 * makes the request FIFO (with coreutils' `mkfifo`, once: Node cannot), holds it open read+write
 * (so it never reads end-of-file between calls), runs COMMAND as its child on the server's
 * standard streams, and answers the calls of the per-call sh shims (shim/client-script.ts) as
 * shim/calls.ts describes. It exits with COMMAND's status (128+N for signal N) once COMMAND has
 * ended and every message already written has been handled.
 *
 * COMMAND is a session and process group of its own, as it was when it was the sandbox's command
 * (bwrap --new-session): a script's `kill 0` (`trap 'kill 0' EXIT`) reaches its own processes,
 * not the server (test/verify/legacy/shim/server.test.ts). Calls a script left running in the
 * background are not waited for: when the server exits the sandbox's PID namespace ends and they
 * are killed, as they were when COMMAND was the sandbox's command.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { LineSplitter } from '../../engine/process.js';
import { Calls, shimFiles, type ShimConfig } from './calls.js';
import { CALLS, REQUESTS } from './client-script.js';

export async function serve(runDir: string, command: readonly string[]): Promise<number> {
  const config = JSON.parse(fs.readFileSync(shimFiles(runDir).config, 'utf8')) as ShimConfig;
  const calls = new Calls(runDir, config);
  fs.mkdirSync(path.join(runDir, CALLS), { recursive: true });
  const fifo = path.join(runDir, REQUESTS);
  fs.rmSync(fifo, { force: true });
  execFileSync('mkfifo', ['-m', '600', fifo]);
  const fd = fs.openSync(fifo, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
  const handle = (line: string) => {
    try {
      calls.handle(line);
    } catch (error) {
      process.stderr.write(`restage shim: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  };
  const lines = new LineSplitter(handle);
  const requests = new net.Socket({ fd, readable: true, writable: false });
  requests.on('data', (chunk: Buffer) => lines.push(chunk));
  const [file, ...args] = command as [string, ...string[]];
  const status = await new Promise<number>((resolve) => {
    const child = spawn(file, args, { stdio: 'inherit', detached: true });
    child.on('error', (error) => {
      process.stderr.write(`restage shim: ${file}: ${error.message}\n`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? 128 + (signal ? os.constants.signals[signal] : 0)));
  });
  // Chunks the stream read before the exit are delivered by now; what is still in the FIFO is read here.
  await new Promise((resolve) => setImmediate(resolve));
  const buffer = Buffer.alloc(65536);
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(fd, buffer);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') break;
      throw error;
    }
    if (n === 0) break;
    lines.push(buffer.subarray(0, n));
  }
  requests.destroy();
  return status;
}
