/**
 * The vocabulary CLIs that speak Docker's command set share, and what differs between them
 * (Dialect); helpers that read their plain-text output.
 */
import type { CallOptions } from './engine.js';

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

export function labelArgs(options: { readonly labels?: Readonly<Record<string, string>> }): string[] {
  return Object.entries(options.labels ?? {}).flatMap(([key, value]) => ['--label', `${key}=${value}`]);
}

export function signalOf(options: CallOptions): { signal?: AbortSignal } {
  return options.signal ? { signal: options.signal } : {};
}

export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

export function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

export function firstLine(text: string): string {
  return lines(text)[0]?.trim() ?? '';
}

/** Server version, else client version (local podman has no server part). */
export function parseVersion(stdout: string): string | undefined {
  try {
    const v = JSON.parse(stdout) as { Server?: { Version?: unknown } | null; Client?: { Version?: unknown } | null };
    const found = v.Server?.Version ?? v.Client?.Version;
    return typeof found === 'string' ? found : undefined;
  } catch {
    return undefined;
  }
}
