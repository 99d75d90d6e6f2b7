/**
 * A staging directory: the script fills a build context with files of the tree (`mkdir stage && cp
 * config.yml stage/`) before it builds there. A COPY source there that a host `cp` or `mv` made
 * from a regular file the tree held before the script, with nothing touching either after, is that
 * tree file: the migrated build copies it from the tree, and the staging step is not needed.
 *
 * Docker and shell facts: COPY from the context gives the file 0:0 and the context file's mode
 * either way; `cp` without `-p` gives the copy the source's mode masked by the umask, which
 * leaves a file git checked out under that same umask as it was (git writes 0666 or 0777 minus
 * the umask), so restage says so (RS390) instead of guessing a mode; `mv` keeps it. The copy's
 * modification time is the cp's, which verify ignores unless --strict-mtime.
 */
import path from 'node:path';
import type { HostSnapshot } from '../model/analysis.js';
import type { HostOperation } from '../model/flow.js';
import { hostPaths } from '../shared/host-ops.js';
import { isWithin } from '../shared/paths.js';
import { kindBefore } from './host-snapshot.js';

export interface StagedFile {
  /** The absolute path of the tree file the build context holds a copy of. */
  readonly origin: string;
  /** The host `cp`/`mv` that put it there. */
  readonly step: HostOperation;
}

/**
 * The tree file a build-context path holds when the build runs, or null: `written` is every host
 * command of the script before the build (rm and chmod too), in order.
 */
export function stagedFile(p: string, written: readonly HostOperation[], host: HostSnapshot): StagedFile | null {
  return staged(p, written, host, false, (origin) => kindBefore(host, origin) === 'file');
}

/**
 * As stagedFile, through a recursive copy too: `cp -r DIR DEST` puts DIR at DEST (into it when it
 * is a directory), `cp -r DIR/. DEST` DIR's content. `isFile`: whether a tree path was a regular
 * file before the script (the snapshot holds only the paths the analysis asks about).
 */
export function stagedCopy(
  p: string,
  written: readonly HostOperation[],
  host: HostSnapshot,
  isFile: (origin: string) => boolean,
): StagedFile | null {
  return staged(p, written, host, true, isFile);
}

function staged(
  p: string,
  written: readonly HostOperation[],
  host: HostSnapshot,
  recursive: boolean,
  isFile: (origin: string) => boolean,
): StagedFile | null {
  const copy = (e: HostOperation) => plainCopy(e, recursive);
  // The last step that made p: a plain cp/mv whose target is p, or anything else making p or above it.
  let last = written.length - 1;
  for (; last >= 0; last--) {
    const e = written[last]!;
    if (copy(e)) {
      if (targets(e, written.slice(0, last), host).some(([, to]) => isWithin(p, to))) break;
    } else if (e.op !== 'mkdir' && hostPaths(e).makes.some((m) => isWithin(p, m))) return null;
  }
  if (last === -1) return null;
  const step = written[last]!;
  const made = targets(step, written.slice(0, last), host).find(([, to]) =>
    step.recursive ? isWithin(p, to) : to === p,
  );
  const origin = made ? path.join(made[0], path.relative(made[1], p)) : undefined;
  if (origin === undefined || !isFile(origin)) return null;
  // The tree file as the script found it, and the copy as the cp left it, up to the build.
  const before = written
    .slice(0, last)
    .some((e) => e.paths.some((x) => isWithin(origin, x)) || e.undecidable.length > 0);
  const after = written.slice(last + 1).some((e) => {
    if (e.undecidable.length > 0) return true;
    if (copy(e))
      return targets(e, written.slice(0, written.indexOf(e)), host).some(
        ([from, to]) => isWithin(to, p) || isWithin(p, to) || from === p || (e.op === 'mv' && from === origin),
      );
    if (e.op === 'mkdir') return e.paths.some((x) => isWithin(x, p));
    return e.paths.some((x) => isWithin(p, x) || isWithin(x, p) || isWithin(origin, x));
  });
  return before || after ? null : { origin, step };
}

/**
 * A `cp` or `mv` of files, with no option but `-f`, `-p` and `-v` (none of which changes what the
 * copy holds when made); `recursive`: a `cp -r`/`-R` too (`-a` keeps more than the build sees: no).
 */
function plainCopy(e: HostOperation, recursive: boolean): boolean {
  if ((e.op !== 'cp' && e.op !== 'mv') || e.undecidable.length > 0) return false;
  if (e.recursive && !(recursive && e.op === 'cp')) return false;
  const options = e.command
    .split(/\s+/)
    .slice(1)
    .filter((w) => w.startsWith('-') && w.length > 1);
  return options.every((o) => (recursive ? /^-[fpvrR]+$/ : /^-[fpv]+$/).test(o) || (recursive && o === '--recursive'));
}

/**
 * Each source of a cp/mv with the path it makes: into the destination directory, or the
 * destination itself; a recursive copy of `DIR/.` makes the destination (DIR's content).
 */
function targets(e: HostOperation, before: readonly HostOperation[], host: HostSnapshot): [string, string][] {
  const { reads, makes } = hostPaths(e);
  const dest = makes[0];
  if (dest === undefined) return [];
  const intoDirectory =
    reads.length > 1 ||
    kindBefore(host, dest) === 'dir' ||
    before.some((b) => b.op === 'mkdir' && b.paths.some((m) => isWithin(m, dest)));
  const content = e.recursive ? contentSources(e) : new Set<number>();
  return reads.map((r, i) => [r, content.has(i) ? dest : intoDirectory ? path.join(dest, path.basename(r)) : dest]);
}

/** The indexes of a cp's sources written as a directory's content (`DIR/.`, `.`), when its words say it. */
function contentSources(e: HostOperation): Set<number> {
  const words = e.command
    .split(/\s+/)
    .slice(1)
    .filter((w) => !(w.startsWith('-') && w.length > 1));
  if (words.length !== e.paths.length) return new Set();
  return new Set(
    words
      .slice(0, -1)
      .map((w, i) => [w.replace(/^(["'])(.*)\1$/, '$2'), i] as const)
      .filter(([w]) => w === '.' || /\/\.\/?$/.test(w))
      .map(([, i]) => i),
  );
}
