/** Fake facts for differ tests: entries of a root file system and sides built around them. */
import { createHash } from 'node:crypto';
import { makeManifest } from '../../../src/verify/manifest/manifest.js';
import type { FileEntry, ImageConfig, LayerFact, RunOutcome, SideFacts } from '../../../src/verify/model.js';

type Overrides = Partial<Omit<FileEntry, 'path' | 'type'>>;

export const sha256 = (content: string | Buffer): string => createHash('sha256').update(content).digest('hex');

export function file(path: string, content = '', overrides: Overrides = {}): FileEntry {
  return {
    path,
    type: 'file',
    mode: 0o644,
    uid: 0,
    gid: 0,
    size: Buffer.byteLength(content),
    sha256: sha256(content),
    mtime: 0,
    ...overrides,
  };
}

export function dir(path: string, overrides: Overrides = {}): FileEntry {
  return { path, type: 'dir', mode: 0o755, uid: 0, gid: 0, size: 0, mtime: 0, ...overrides };
}

export function symlink(path: string, linkTarget: string, overrides: Overrides = {}): FileEntry {
  return { path, type: 'symlink', mode: 0o777, uid: 0, gid: 0, size: 0, linkTarget, mtime: 0, ...overrides };
}

export function hardlink(path: string, hardlinkTo: string, content = '', overrides: Overrides = {}): FileEntry {
  return { ...file(path, content, overrides), type: 'hardlink', hardlinkTo };
}

export function device(path: string, type: 'char' | 'block', major: number, minor: number): FileEntry {
  return { path, type, mode: 0o666, uid: 0, gid: 0, size: 0, device: { major, minor }, mtime: 0 };
}

export interface SideSpec {
  readonly entries?: readonly FileEntry[];
  readonly config?: ImageConfig;
  readonly layers?: readonly LayerFact[];
  readonly size?: number;
  readonly os?: string;
  readonly architecture?: string;
  readonly run?: RunOutcome;
  readonly buildSeconds?: number;
  readonly builderImageSize?: number;
}

export function side(spec: SideSpec = {}): SideFacts {
  return {
    manifest: makeManifest(spec.entries ?? []),
    image: {
      config: spec.config ?? {},
      size: spec.size ?? 0,
      layers: spec.layers ?? [],
      os: spec.os ?? 'linux',
      architecture: spec.architecture ?? 'amd64',
    },
    ...(spec.run ? { run: spec.run } : {}),
    buildSeconds: spec.buildSeconds ?? 1,
    ...(spec.builderImageSize === undefined ? {} : { builderImageSize: spec.builderImageSize }),
  };
}
