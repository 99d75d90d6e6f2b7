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
  // The last step that made p: a plain cp/mv whose target is p, or anything else making p or above it.
  let last = written.length - 1;
  for (; last >= 0; last--) {
    const e = written[last]!;
    if (plainCopy(e)) {
      if (targets(e, written.slice(0, last), host).some(([, to]) => isWithin(p, to))) break;
    } else if (e.op !== 'mkdir' && hostPaths(e).makes.some((m) => isWithin(p, m))) return null;
  }
  if (last === -1) return null;
  const step = written[last]!;
  const origin = targets(step, written.slice(0, last), host).find(([, target]) => target === p)?.[0];
  if (origin === undefined || kindBefore(host, origin) !== 'file') return null;
  // The tree file as the script found it, and the copy as the cp left it, up to the build.
  const before = written
    .slice(0, last)
    .some((e) => e.paths.some((x) => isWithin(origin, x)) || e.undecidable.length > 0);
  const after = written.slice(last + 1).some((e) => {
    if (e.undecidable.length > 0) return true;
    if (plainCopy(e))
      return targets(e, written.slice(0, written.indexOf(e)), host).some(
        ([from, to]) => isWithin(to, p) || isWithin(p, to) || from === p || (e.op === 'mv' && from === origin),
      );
    if (e.op === 'mkdir') return e.paths.some((x) => isWithin(x, p));
    return e.paths.some((x) => isWithin(p, x) || isWithin(x, p) || isWithin(origin, x));
  });
  return before || after ? null : { origin, step };
}

/** A `cp` or `mv` of files, with no option but `-f`, `-p` and `-v` (none of which changes what the copy holds when made). */
function plainCopy(e: HostOperation): boolean {
  if ((e.op !== 'cp' && e.op !== 'mv') || e.recursive || e.undecidable.length > 0) return false;
  const options = e.command
    .split(/\s+/)
    .slice(1)
    .filter((w) => w.startsWith('-') && w.length > 1);
  return options.every((o) => /^-[fpv]+$/.test(o));
}

/** Each source of a cp/mv with the path it makes: into the destination directory, or the destination itself. */
function targets(e: HostOperation, before: readonly HostOperation[], host: HostSnapshot): [string, string][] {
  const { reads, makes } = hostPaths(e);
  const dest = makes[0];
  if (dest === undefined) return [];
  const intoDirectory =
    reads.length > 1 ||
    kindBefore(host, dest) === 'dir' ||
    before.some((b) => b.op === 'mkdir' && b.paths.some((m) => isWithin(m, dest)));
  return reads.map((r) => [r, intoDirectory ? path.join(dest, path.basename(r)) : dest]);
}
