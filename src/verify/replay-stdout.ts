/**
 * `docker run IMG cat PATH > FILE` (a copy out `via: 'stdout'`) in verify's replay. The replay runs
 * no container command (it creates containers with one that never runs), so it takes PATH out of
 * the created container with `docker cp -L` — following a symlink, as cat does — into a staging
 * file of the scratch root, then writes those bytes into FILE as the shell's redirection does: a
 * new file gets 0644 (0666 under umask 022, whatever the mode in the image), an existing one is
 * truncated and keeps its mode (test/e2e/routes.test.ts compares this with the real run).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Analysis } from '../model/analysis.js';
import type { CopyOut } from '../model/flow.js';
import { LegacyNotReproduced } from './failure.js';
import type { ScratchTree } from './scratch.js';

/** The mode the shell gives a file it creates under umask 022. */
const REDIRECT_MODE = 0o644;

/** The container path cat reads: the analysis resolved a relative one against the image's WORKDIR. */
export function readerPath(analysis: Analysis, event: CopyOut): string {
  return analysis.artifacts.find((a) => a.copyOut === event)?.containerPath ?? event.containerPath;
}

/** A fresh staging path for one file, inside the scratch root and outside its mirror of the host. */
export function stdoutStaging(tree: ScratchTree): string {
  const dir = fs.mkdtempSync(path.join(tree.writable(tree.root, 'stage a file read on stdout'), 'stdout-'));
  return path.join(dir, 'file');
}

/** Writes the staged file into the redirection's target as `> FILE` does, then drops the staging directory. */
export function redirectInto(staged: string, event: CopyOut, containerPath: string, tree: ScratchTree): void {
  try {
    if (fs.lstatSync(staged).isDirectory())
      throw new LegacyNotReproduced(
        event.reader?.command ?? `cat ${containerPath}`,
        event.at,
        `${containerPath} is a directory in the image: cat cannot read it, and the script fails here as written`,
      );
    const target = tree.writable(tree.map(event.hostPath), 'redirect output into');
    const existed = fs.existsSync(target);
    fs.writeFileSync(target, fs.readFileSync(staged));
    if (!existed) fs.chmodSync(target, REDIRECT_MODE);
  } finally {
    fs.rmSync(path.dirname(staged), { recursive: true, force: true });
  }
}
