/**
 * `docker cp` / `docker container cp`. Exactly one side is `CONTAINER:PATH`. A container path is
 * absolute from `/` even without a leading slash; a trailing `/.` copies a directory's content.
 * An argument that starts with `/` or `.` is always a host path (the CLI's own rule).
 */
import path from 'node:path';
import { diagnostic } from '../../model/diagnostic.js';
import type { CommandAnalyzer } from '../command.js';
import type { Word } from '../shell/values.js';
import { cpStreamOut } from '../tar-stream.js';
import { hasFlag, parseWords, spec } from '../../shared/docker-options.js';

export const verbs = [['cp'], ['container', 'cp']];

export const CP = spec([], ['a|archive', 'L|follow-link', 'q|quiet']);

interface ContainerSide {
  container: string;
  path: string;
}

export function containerSide(text: string): ContainerSide | null {
  if (text.startsWith('/') || text.startsWith('.')) return null;
  const colon = text.indexOf(':');
  if (colon <= 0) return null;
  return { container: text.slice(0, colon), path: text.slice(colon + 1) };
}

/** Absolute, normalized container path; `/.` at the end is kept (content copy). */
export function normalizeContainerPath(p: string): string {
  const content = /(^|\/)\.$/.test(p);
  const normal = path.posix.normalize(`/${p}`).replace(/\/+$/, '') || '/';
  return content ? (normal === '/' ? '/.' : `${normal}/.`) : normal;
}

export const analyze: CommandAnalyzer = (call, sink) => {
  const parsed = parseWords(call.args, CP);
  const [src, dest] = parsed.positionals;
  if (!src || !dest || parsed.positionals.length !== 2) {
    sink.report(
      diagnostic(
        'RS306',
        call.at,
        '`docker cp` needs exactly a source and a destination; restage ignored this command',
      ),
    );
    return undefined;
  }
  const from = sideOf(src);
  const to = sideOf(dest);
  if (from === 'unknown' || to === 'unknown') {
    sink.require(from === 'unknown' ? src : dest, 'docker cp argument');
    return undefined;
  }
  if (!from && to) {
    sink.report(
      diagnostic(
        'RS307',
        call.at,
        'copying INTO a container (`docker cp HOST CONTAINER:PATH`) is not supported yet: the multi-stage build would need that file in the builder stage; add it with a COPY in the build Dockerfile',
      ),
    );
    return undefined;
  }
  if (!from) {
    sink.report(
      diagnostic(
        'RS306',
        call.at,
        '`docker cp` between two host paths? Neither argument names a container; restage ignored this command',
      ),
    );
    return undefined;
  }
  // docker cp reads the container path literally: `c:/out/*.so` names a file called `*.so`, which
  // the script's run would not find, while a COPY --from would expand the pattern (test/e2e/routes-shapes.test.ts).
  if (/[*?[]/.test(from.path)) {
    sink.report(
      diagnostic(
        'RS338',
        call.at,
        `\`docker cp\` does not expand wildcards: it looks for a file literally named ${from.path} in the container, so this line fails as written (a COPY --from would expand the pattern and hide that); copy the directory (${path.posix.dirname(normalizeContainerPath(from.path))}/.) or each file by name, and run restage again`,
      ),
    );
    return undefined;
  }
  if (dest.text === '-') {
    cpStreamOut(call, sink, from.container, normalizeContainerPath(from.path));
    return undefined;
  }
  const hostPath = sink.hostPath(dest, 'host path of docker cp');
  if (!hostPath) return undefined;
  sink.emit({
    kind: 'copy-out',
    at: call.at,
    container: from.container,
    containerPath: normalizeContainerPath(from.path),
    hostPath,
    followLink: hasFlag(parsed, 'follow-link'),
    via: 'cp',
    reader: null,
  });
  return undefined;

  /** A container side whose text depends on something unknown is 'unknown' (the caller reports it once). */
  function sideOf(w: Word): ContainerSide | null | 'unknown' {
    if (w.unresolved !== null) return 'unknown';
    const side = containerSide(w.text);
    return side && w.environment.length > 0 ? 'unknown' : side;
  }
};
