/**
 * The legacy run's trace: one record per docker (or podman) call the script made, appended by the
 * shim as a JSON line when the call ends, in the order the calls ended. Part of verify's JSON
 * result as `legacy.trace`.
 */
import fs from 'node:fs';
import { shellQuote } from '../../shared/shell-quote.js';
import type { ShimClient } from './shim/types.js';

export interface TraceCall {
  readonly client: ShimClient;
  /** The arguments as the script wrote them (without the client word). */
  readonly argv: readonly string[];
  /** The arguments as run (with the client's real path first), or null when not run. */
  readonly ran: readonly string[] | null;
  /** Working directory, as the script sees it. */
  readonly cwd: string;
  /** 'run': forwarded; 'skip': not executed, the script saw success; 'refuse': not executed, exit 125. */
  readonly outcome: 'run' | 'skip' | 'refuse';
  readonly exitCode: number | null;
  readonly ms: number;
  /** Why a call was skipped or refused, and what the rewriting changed. */
  readonly notes: readonly string[];
  /** The image id a build made (read from its --iidfile). */
  readonly image?: string;
}

/** The records of a trace file; a line cut short by a killed shim is left out. */
export function readTrace(file: string): TraceCall[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const calls: TraceCall[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      calls.push(JSON.parse(line) as TraceCall);
    } catch {
      /* a partial last line */
    }
  }
  return calls;
}

/** `docker build -t x .` as the script wrote it, for a report line. */
export function callText(call: TraceCall): string {
  return [call.client, ...call.argv].map(shellQuote).join(' ');
}
