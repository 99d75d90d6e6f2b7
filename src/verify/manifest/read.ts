/**
 * A root file system's manifest from a tar stream (`docker export` of a container, or one layer
 * of `docker save`).
 *
 * Contract:
 * - paths are normalized ("./usr/bin/x" → "/usr/bin/x", "./" → "/");
 * - what the engine puts into every container is dropped (see ENGINE_PATHS, ENGINE_TREES), unless
 *   `keepEnginePaths`; so are paths matching an `ignore` glob;
 * - a hard link becomes a 'hardlink' entry pointing at its group's first kept member and carrying
 *   the group's size and sha256; when the archived target was dropped, the first kept link takes
 *   its place as the group's 'file';
 * - a path archived twice keeps its last entry;
 * - the stream is read once, with bounded memory, and consumed to its end.
 */
import type { Readable } from 'node:stream';
import type { FileEntry, Manifest } from '../model.js';
import { globMatcher } from '../../shared/glob.js';
import { normalizePath } from '../../shared/paths.js';
import { isEnginePath } from '../../shared/engine-paths.js';
import { ColumnManifest } from './manifest.js';
import { readTar, type TarEntry } from './tar.js';

export { sameEntry } from './manifest.js';

export { ENGINE_PATHS, ENGINE_TREES, isEnginePath } from '../../shared/engine-paths.js';

export interface ReadManifestOptions {
  /** Globs of paths to leave out (see glob.ts). */
  readonly ignore?: readonly string[];
  /** Keep ENGINE_PATHS and ENGINE_TREES (off by default: they differ between any two containers). */
  readonly keepEnginePaths?: boolean;
  /**
   * The other image's manifest, read earlier: an entry equal to its entry at the same path in
   * every field is not stored again but marked as shared (one bit), so a path the two images
   * share costs one record.
   */
  readonly fold?: Manifest;
}

/** Content of a hard-link group, and the path of its member kept as 'file' (if any yet). */
interface LinkGroup {
  readonly size: number;
  readonly sha256: string | undefined;
  readonly root: FileEntry;
  kept: string | undefined;
}

export async function readManifest(
  stream: Readable | AsyncIterable<Uint8Array>,
  options: ReadManifestOptions = {},
): Promise<Manifest> {
  const ignored = globMatcher(options.ignore ?? []);
  const dropped = (path: string): boolean => (!options.keepEnginePaths && isEnginePath(path)) || ignored(path);
  const entries = new ColumnManifest(options.fold);
  /** Entries left out, kept only for the hard links that may point at them (as columns too: an ignored tree may be large). */
  const left = new ColumnManifest();
  /** Every path in a hard-link group; made when the first link to a path arrives. */
  const groups = new Map<string, LinkGroup>();
  for await (const tarEntry of readTar(stream)) {
    const entry = toFileEntry(tarEntry);
    const keep = !dropped(entry.path);
    if (entry.type !== 'hardlink') {
      // A path archived again starts afresh: links that come later point at this entry.
      if (groups.size > 0) groups.delete(entry.path);
      if (keep) entries.set(entry);
      else left.set(entry);
      continue;
    }
    const target = entry.hardlinkTo ?? '';
    let group = groups.get(target);
    if (group === undefined) {
      const root = entries.get(target) ?? left.get(target);
      if (root === undefined) {
        throw new Error(`hard link ${entry.path} points to ${target}, which the archive did not hold before it`);
      }
      group = { size: root.size, sha256: root.sha256, root, kept: entries.has(target) ? target : undefined };
      groups.set(target, group);
    }
    groups.set(entry.path, group);
    if (keep) entries.set(linkInto(group, entry));
  }
  return entries;
}

/**
 * A kept hard link in its group. A hard link to a non-file (some archivers link symlinks or
 * device nodes) is that same kind of entry at another path.
 */
function linkInto(group: LinkGroup, entry: FileEntry): FileEntry {
  const { hardlinkTo: _target, ...own } = entry;
  if (group.root.type !== 'file') {
    const { path: _rootPath, ...shared } = group.root;
    return { ...shared, path: entry.path };
  }
  if (group.kept === undefined) {
    group.kept = entry.path;
    return { ...own, type: 'file', size: group.size, sha256: group.sha256 };
  }
  return { ...own, size: group.size, sha256: group.sha256, hardlinkTo: group.kept };
}

/** Each record is one object literal: an object spread would make it about twice as large in V8. */
function toFileEntry(entry: TarEntry): FileEntry {
  const path = normalizePath(entry.name);
  const { mode, uid, gid, mtime } = entry;
  switch (entry.type) {
    case 'file':
      return { path, type: 'file', mode, uid, gid, mtime, size: entry.size, sha256: entry.sha256 };
    case 'hardlink':
      return { path, type: 'hardlink', mode, uid, gid, mtime, size: 0, hardlinkTo: normalizePath(entry.linkName) };
    case 'symlink':
      return { path, type: 'symlink', mode, uid, gid, mtime, size: 0, linkTarget: entry.linkName };
    case 'char':
    case 'block':
      return {
        path,
        type: entry.type,
        mode,
        uid,
        gid,
        mtime,
        size: 0,
        device: { major: entry.devMajor, minor: entry.devMinor },
      };
    case 'dir':
    case 'fifo':
      return { path, type: entry.type, mode, uid, gid, mtime, size: 0 };
  }
}
