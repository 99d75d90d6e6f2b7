import type { FileEntry, Manifest } from '../model.js';

/**
 * A manifest from entries; a path given twice keeps its last entry, as extracting a tar would.
 * `totalSize` counts regular files only, so each hard-link group's content is counted once.
 */
export function makeManifest(entries: Iterable<FileEntry>): Manifest {
  const map = new Map<string, FileEntry>();
  for (const entry of entries) map.set(entry.path, entry);
  let totalSize = 0;
  for (const entry of map.values()) if (entry.type === 'file') totalSize += entry.size;
  return { entries: map, totalSize };
}
