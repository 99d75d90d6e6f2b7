/**
 * The file system of an image from its layers, as a `docker save` walk sees them (OCI/AUFS
 * whiteout convention, which overlay2 exports too):
 * - `DIR/.wh.NAME` deletes DIR/NAME, and everything below it, from the layers beneath;
 * - `DIR/.wh..wh..opq` makes DIR opaque: the children DIR had in the layers beneath are gone,
 *   DIR itself and the children this layer adds stay;
 * - other `.wh..wh.*` names are AUFS bookkeeping, never part of the file system.
 * Whiteouts of a layer apply to the layers beneath it only, never to entries of the same layer.
 */
import type { FileEntry, Manifest } from '../model.js';
import { makeManifest } from './manifest.js';
import { baseName, comparePaths, isBelow, parentOf } from '../../shared/paths.js';

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';
const AUFS_META = '.wh..wh.';

interface Placed {
  readonly entry: FileEntry;
  readonly layer: number;
}

/** Merges per-layer manifests, lowest layer first, into the image's file system (sorted by path). */
export function applyWhiteouts(layers: readonly Manifest[]): Manifest {
  const merged = new Map<string, Placed>();
  layers.forEach((layer, index) => {
    const additions: FileEntry[] = [];
    for (const entry of layer.entries.values()) {
      const name = baseName(entry.path);
      if (name === OPAQUE) removeBelow(merged, parentOf(entry.path));
      else if (name.startsWith(AUFS_META)) continue;
      else if (name.startsWith(WHITEOUT))
        removeTree(merged, `${parentOf(entry.path).replace(/\/$/, '')}/${name.slice(WHITEOUT.length)}`);
      else additions.push(entry);
    }
    for (const entry of additions) merged.set(entry.path, { entry, layer: index });
  });
  return makeManifest(regroupHardlinks([...merged.values()].sort((a, b) => comparePaths(a.entry.path, b.entry.path))));
}

function removeTree(merged: Map<string, Placed>, path: string): void {
  const removed = merged.get(path);
  merged.delete(path);
  if (removed?.entry.type === 'dir') removeBelow(merged, path);
}

function removeBelow(merged: Map<string, Placed>, dir: string): void {
  for (const path of merged.keys()) if (isBelow(path, dir)) merged.delete(path);
}

/**
 * A hard link names a path of its own layer. When a later layer replaced or deleted that path,
 * the link no longer shares anything with it: the group's first surviving member (in path order)
 * becomes its 'file' and the others link to it.
 */
function regroupHardlinks(placed: readonly Placed[]): FileEntry[] {
  const survivors = new Set(placed.map(({ entry }) => entry.path));
  const origin = new Map(placed.map(({ entry, layer }) => [entry.path, layer]));
  const representative = new Map<string, string>();
  return placed.map(({ entry, layer }) => {
    if (entry.type !== 'hardlink' || entry.hardlinkTo === undefined) return entry;
    const target = entry.hardlinkTo;
    if (survivors.has(target) && origin.get(target) === layer) return entry;
    const group = `${layer}\0${target}`;
    const first = representative.get(group);
    if (first !== undefined) return { ...entry, hardlinkTo: first };
    representative.set(group, entry.path);
    const { hardlinkTo: _dropped, ...rest } = entry;
    return { ...rest, type: 'file' as const };
  });
}
