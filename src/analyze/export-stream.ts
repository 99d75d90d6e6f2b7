/**
 * `docker export C` (issue 10): the container's whole root file system as a tar stream, into a
 * pipe or a host file, unpacked on the host by `tar -x [-C DIR] [MEMBER…]`. The stream is a
 * TarStream of one entry, `/.` named `.` (src/analyze/tar-stream.ts carries it to its reader);
 * this module says which members of it restage maps to one container path each.
 *
 * Docker facts (test/e2e/routes-export.test.ts measures them under both builders): the stream
 * names its members from the root without a leading `/` or `./` (`usr/local/bin/app`,
 * directories as `src/`); besides what the image and the container's command made, it holds what
 * the engine puts in every container: an empty `.dockerenv`, empty `etc/hostname`, `etc/hosts`,
 * `etc/resolv.conf`, and the mount points `dev/` (with `dev/console`, `dev/pts/`, `dev/shm/`),
 * `proc/`, `sys/`, empty. A `COPY --from` of the image does not reproduce those, nor what a
 * volume or bind mount of the container's run showed (the stream holds the mount point only).
 * GNU tar finds a member named with a trailing `/` (`app/dist/`), not one named with a leading `/`
 * or `./`.
 */
import path from 'node:path';
import type { Artifact } from '../model/analysis.js';
import type { RunMount } from '../model/flow.js';
import type { TarEntry } from '../shared/host-ops.js';
import { isPattern, type TarMemberSpec } from '../shared/tar-cli.js';
import { isWithin } from '../shared/paths.js';
import { ENGINE_PATHS, ENGINE_TREES } from '../shared/engine-paths.js';

/**
 * The paths of an exported stream the engine made, not the image or the command: Docker's, and
 * podman's `/run/.containerenv` (src/verify/engine/podman.ts).
 */
const MADE_BY_ENGINE: readonly string[] = [...ENGINE_PATHS, ...ENGINE_TREES, '/run/.containerenv'];

/** The one entry of an export stream: the content of `/`. */
export const WHOLE_FILE_SYSTEM: TarEntry = { containerPath: '/.', name: '.' };

/**
 * The entries `tar -x MEMBER…` takes out of an export stream, each the container path `/MEMBER`;
 * a string says why a member cannot be mapped so (the caller declines the line). `directory` is
 * the `-C` of the extraction, which every member must share.
 */
export function exportMembers(members: readonly TarMemberSpec[], directory: string | null): TarEntry[] | string {
  const entries: TarEntry[] = [];
  for (const { operand, dir } of members) {
    if (dir !== directory)
      return `\`-C\` comes after the member \`${operand}\`, and restage does not model where tar then puts it`;
    if (isPattern(operand))
      return `the member \`${operand}\` is a pattern, matched against a whole file system restage cannot list`;
    if (operand === '' || operand.split('/').includes('..'))
      return `the member \`${operand}\` climbs out of the root with \`..\``;
    if (operand.startsWith('/') || operand === '.' || operand.startsWith('./'))
      return `the member \`${operand}\` starts with \`${operand.startsWith('/') ? '/' : '.'}\`, while the stream names its members from the root without it (\`usr/bin/tool\`), so tar finds no such member`;
    const name = path.posix.normalize(operand).replace(/\/+$/, '');
    const engine = engineOverlap(`/${name}`);
    if (engine !== null) return `the member \`${operand}\` ${engine}`;
    entries.push({ containerPath: `/${name}`, name });
  }
  return entries;
}

/**
 * Why the container path a COPY takes from an unpacked export (or a member) is not what a
 * `COPY --from` of the container's image or run stage gives: the whole root, a path the engine
 * made, a path a mount of the run showed. Null when it maps to one path.
 */
export function exportedPathProblem(containerPath: string, mounts: readonly RunMount[]): string | null {
  if (containerPath === '/')
    return 'is the whole file system of the container, with what the engine adds to every container (`.dockerenv`, `etc/hosts`, `proc/`…)';
  const engine = engineOverlap(containerPath);
  if (engine !== null) return engine;
  const mount = mounts.find((m) => isWithin(containerPath, m.target) || isWithin(m.target, containerPath));
  if (mount)
    return `meets the mount \`${mount.written}\` of the container's run (${mount.target}): the stream holds the mount point, not what the mount showed`;
  return null;
}

function engineOverlap(containerPath: string): string | null {
  const hit = MADE_BY_ENGINE.find((e) => isWithin(containerPath, e) || isWithin(e, containerPath));
  return hit === undefined
    ? null
    : `${hit === containerPath ? 'is' : isWithin(containerPath, hit) ? 'lies in' : 'holds'} ${hit}, which the engine puts in every container (the export holds it, a COPY --from of the image does not)`;
}

/** An artifact that is the whole file system of an export, unpacked by `tar -x` without members. */
export function isWholeExport(artifact: Artifact): boolean {
  return artifact.copyOut.exportedAt !== undefined && artifact.containerPath === '/';
}
