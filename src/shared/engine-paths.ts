/**
 * What the engine puts into every container, whatever its image: the files Docker creates or
 * bind-mounts, and the mount points of the kernel's file systems. A container's exported file
 * system holds them (test/e2e/routes-export.test.ts); no image holds them as the engine made them.
 */
import { isBelow } from './paths.js';

/** Files Docker creates or bind-mounts in every container; an exported container holds them. */
export const ENGINE_PATHS: readonly string[] = ['/.dockerenv', '/etc/hosts', '/etc/hostname', '/etc/resolv.conf'];
/** Mount points of every container; exported with whatever the engine left in them. */
export const ENGINE_TREES: readonly string[] = ['/proc', '/sys', '/dev'];

export function isEnginePath(path: string): boolean {
  return ENGINE_PATHS.includes(path) || ENGINE_TREES.some((tree) => path === tree || isBelow(path, tree));
}
