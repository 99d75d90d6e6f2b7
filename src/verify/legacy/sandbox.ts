/**
 * The bubblewrap sandbox the legacy pipeline runs in. Contract of `sandboxArgs`:
 * - the whole file system is mounted read-only, with a fresh /dev and /proc;
 * - /tmp is private (a tmpfs), and so is $HOME (empty);
 * - the scratch copy of the repository is mounted writable at the repository's own path, so
 *   absolute paths, `$(pwd)` and `cd ..` inside the repository behave as for the user while every
 *   write lands in the copy;
 * - `writable` directories (restage's run directory) are mounted writable at their own path,
 *   after /tmp and $HOME, so they stay reachable inside;
 * - `overlays` are files mounted read-only over others, last: the docker shim over the clients'
 *   usual absolute paths (a script calling /usr/bin/docker, or sudo with its own PATH, still
 *   reaches the shim), and the real client at a path only the shim knows;
 * - PID, IPC, UTS and (unless the engine is reached over TCP) network namespaces are new: the
 *   engine's unix socket still works inside `--unshare-net`, a TCP DOCKER_HOST does not;
 * - the sandbox dies with restage (`--die-with-parent`), and with its first process every
 *   process inside it dies (`--unshare-pid`: that process is the namespace's init).
 * test/e2e/legacy-run.test.ts shows each of these on a real engine.
 */
import path from 'node:path';
import { isWithin } from '../../shared/paths.js';

export interface SandboxSpec {
  /** The repository's real absolute path: where the script expects it. */
  readonly repo: string;
  /** The scratch copy, mounted writable at `repo`. */
  readonly copy: string;
  /** The command's working directory (inside `repo`, as the script sees it). */
  readonly cwd: string;
  /** $HOME as the script sees it: an empty tmpfs there. */
  readonly home: string;
  /** Directories mounted writable at their own path (restage's run directory and the like). */
  readonly writable: readonly string[];
  /** Files mounted read-only at `target` (which must exist inside), after everything else. */
  readonly overlays?: readonly { readonly source: string; readonly target: string }[];
  /** Environment set inside, on top of what bwrap inherits from restage. */
  readonly env: Readonly<Record<string, string>>;
  /** Keep the host's network namespace (the engine is reached over TCP). */
  readonly shareNet: boolean;
  readonly command: readonly string[];
}

/** bwrap's arguments for `spec`; the mount order matters: later mounts cover earlier ones. */
export function sandboxArgs(spec: SandboxSpec): string[] {
  const args = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp'];
  const home = path.resolve(spec.home);
  // An empty $HOME, unless it is the root or lies in the repository (it would hide part of the copy).
  if (home !== '/' && !isWithin(home, path.resolve(spec.repo))) args.push('--tmpfs', home);
  args.push('--bind', spec.copy, spec.repo);
  for (const dir of spec.writable) args.push('--bind', dir, dir);
  for (const o of spec.overlays ?? []) args.push('--ro-bind', o.source, o.target);
  args.push('--unshare-pid', '--unshare-ipc', '--unshare-uts');
  if (!spec.shareNet) args.push('--unshare-net');
  args.push('--die-with-parent', '--new-session');
  for (const [name, value] of Object.entries(spec.env)) args.push('--setenv', name, value);
  args.push('--chdir', spec.cwd, '--', ...spec.command);
  return args;
}

/** Whether the engine is reached over the network (then the sandbox keeps the host's network). */
export function engineOverTcp(env: NodeJS.ProcessEnv): boolean {
  return /^(tcp|ssh|https?):/i.test(env.DOCKER_HOST ?? '') || /^(tcp|ssh):/i.test(env.CONTAINER_HOST ?? '');
}
