/**
 * The verify command as a library call: picks the engine, wires SIGINT/SIGTERM and a closed
 * output (EPIPE) to cancellation — cleanup still runs, and a second signal does not cut it short —
 * and maps the result to an exit code: 0 equivalent, 1 differences, 2 bad input or a legacy flow
 * that could not be reproduced, 3 engine failure, 128 + signal number when interrupted (141: the
 * output was closed, as SIGPIPE would have it).
 */
import type { Backend, Engine } from '../verify/engine/engine.js';
import { DockerEngine } from '../verify/engine/docker.js';
import { PodmanEngine } from '../verify/engine/podman.js';
import { boundYoungGeneration } from './memory.js';
import { createProgress } from '../verify/progress.js';
import type { VerifyResult } from '../verify/result.js';
import { parseImageMap } from '../verify/scratch.js';
import { verify } from '../verify/verify.js';
import { analyzeTree, isPattern } from '../scan/tree.js';
import { shellQuote } from '../shared/shell-quote.js';
import path from 'node:path';
import { EXIT, parseEnvOptions } from './exit.js';

export interface VerifyCommandOptions {
  readonly engine?: 'docker' | 'podman';
  readonly backend?: Backend;
  readonly dockerfile?: string;
  readonly network?: 'none' | 'default';
  readonly imageMap?: readonly string[];
  readonly buildArg?: readonly string[];
  readonly strictMtime?: boolean;
  readonly ignore?: readonly string[];
  readonly runArgs?: readonly string[];
  readonly runUser?: string;
  readonly runTimeout?: number;
  readonly noRun?: boolean;
  readonly keep?: boolean;
  readonly quiet?: boolean;
  /** `--script-arg` values, in order, and `--env NAME=VALUE`: what the build script receives, for analysis and replay alike. */
  readonly scriptArgs?: readonly string[];
  readonly env?: readonly string[];
  /** The build script, relative to the directory (--script). */
  readonly script?: string;
  /** The target of a Makefile orchestrator (--make-target). */
  readonly makeTarget?: string;
  readonly legacy?: 'auto' | 'run' | 'replay';
  readonly legacyCmd?: string;
  readonly legacyCwd?: string;
  readonly legacyImage?: string;
  readonly context?: string;
  /** Seconds before the sandboxed legacy run is stopped (--timeout). */
  readonly timeout?: number;
}

/** Exit codes; an interrupted run exits 128 + the signal's number, as a shell reports it (130 SIGINT, 143 SIGTERM). */
export const VERIFY_EXIT: Record<Exclude<VerifyResult['status'], 'interrupted'>, number> = {
  equivalent: EXIT.ok,
  different: EXIT.findings,
  'bad-input': EXIT.badInput,
  'legacy-not-reproduced': EXIT.badInput,
  'engine-failure': EXIT.engine,
};

const SIGNAL_NUMBER: Record<string, number> = { SIGINT: 2, SIGTERM: 15, SIGPIPE: 13 };

export async function runVerify(
  dir: string,
  options: VerifyCommandOptions = {},
): Promise<{ result: VerifyResult; exitCode: number } | { usage: string }> {
  let imageMap;
  try {
    imageMap = parseImageMap(options.imageMap ?? []);
  } catch (e) {
    return { usage: (e as Error).message };
  }
  const buildArgs: Record<string, string> = {};
  for (const a of options.buildArg ?? []) {
    const eq = a.indexOf('=');
    if (eq <= 0) return { usage: `invalid argument "${a}" for "--build-arg" flag: takes NAME=VALUE` };
    buildArgs[a.slice(0, eq)] = a.slice(eq + 1);
  }
  const env = parseEnvOptions(options.env ?? []);
  if ('usage' in env) return env;
  const pattern = patternDirectory(dir, options, env.env);
  if (typeof pattern !== 'string') return pattern;
  dir = pattern;
  boundYoungGeneration();
  // Without --engine: the client the script's builds use.
  const engine = (client: 'docker' | 'podman'): Engine =>
    (options.engine ?? client) === 'podman' ? new PodmanEngine() : new DockerEngine();
  const controller = new AbortController();
  let received: string | null = null;
  // Handlers stay installed until verify returns: a second signal during cleanup must not end the process.
  const onSignal = (signal: string) => {
    received ??= signal;
    controller.abort(new Error(`received ${signal}`));
  };
  const onClosed = (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') onSignal('SIGPIPE');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.stdout.on('error', onClosed);
  process.stderr.on('error', onClosed);
  try {
    const result = await verify(dir, {
      engine,
      ...(options.backend ? { backend: options.backend } : {}),
      ...(options.dockerfile ? { dockerfile: options.dockerfile } : {}),
      ...(options.script !== undefined ? { script: options.script } : {}),
      ...(options.makeTarget !== undefined ? { makeTarget: options.makeTarget } : {}),
      network: options.network === 'default' ? 'default' : 'none',
      imageMap,
      buildArgs,
      strictMtime: options.strictMtime ?? false,
      ignore: options.ignore ?? [],
      run: options.noRun
        ? null
        : {
            args: options.runArgs ?? [],
            ...(options.runUser ? { user: options.runUser } : {}),
            timeoutSeconds: options.runTimeout ?? 30,
          },
      keep: options.keep ?? false,
      progress: createProgress(options.quiet ? 'quiet' : process.stderr.isTTY ? 'tty' : 'plain'),
      signal: controller.signal,
      ...(options.scriptArgs ? { scriptArgs: options.scriptArgs } : {}),
      env: env.env,
      legacy: options.legacy ?? 'auto',
      ...(options.legacyCmd !== undefined ? { legacyCmd: options.legacyCmd } : {}),
      ...(options.legacyCwd !== undefined ? { legacyCwd: options.legacyCwd } : {}),
      ...(options.legacyImage !== undefined ? { legacyImage: options.legacyImage } : {}),
      ...(options.context !== undefined ? { context: options.context } : {}),
      legacyTimeoutSeconds: options.timeout ?? 1800,
    });
    const exitCode =
      result.status === 'interrupted' ? 128 + (SIGNAL_NUMBER[received ?? 'SIGINT'] ?? 2) : VERIFY_EXIT[result.status];
    return { result, exitCode };
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    process.stdout.removeListener('error', onClosed);
    process.stderr.removeListener('error', onClosed);
  }
}

/**
 * The one builder pattern under `dir` verify proves: `dir` itself, or the one directory below it
 * that holds a pattern (as `restage migrate` finds them). Several: a usage error naming them, for
 * verify proves one pipeline at a time. Options that speak of one pipeline (--script,
 * --make-target, --script-arg, --legacy-cmd) take `dir` as that pipeline's directory.
 */
function patternDirectory(
  dir: string,
  options: VerifyCommandOptions,
  env: Readonly<Record<string, string>> | undefined,
): string | { usage: string } {
  if (
    options.script !== undefined ||
    options.makeTarget !== undefined ||
    options.scriptArgs !== undefined ||
    options.legacyCmd !== undefined
  )
    return dir;
  const root = path.resolve(dir);
  // DIR's own pattern, when it has one, is known from the walk's first entry: the rest is not analysed.
  const found: string[] = [];
  const stats = { directories: 0, files: 0, unreadable: 0 };
  for (const entry of analyzeTree(dir, stats, env ? { env } : {})) {
    if (!isPattern(entry)) continue;
    found.push(entry.candidate.dir);
    if (entry.candidate.dir === root) break;
  }
  if (found.length === 0 || found[0] === root) return dir;
  const shown = found.map((d) => path.join(dir, path.relative(root, d)));
  if (shown.length === 1) return shown[0]!;
  return {
    usage: `${dir} holds ${shown.length} builder patterns (${shown.join(', ')}); verify proves one at a time: restage verify ${shellQuote(shown[0]!)}`,
  };
}
