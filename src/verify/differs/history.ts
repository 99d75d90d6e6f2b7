/**
 * History: layer counts and the kinds of instruction that made them, as context only ('info').
 * The CreatedBy text itself differs between builders and between any two builds of a COPY
 * (classic: `/bin/sh -c #(nop)  COPY file:<hash> in /app`; BuildKit: `COPY /src /app # buildkit`),
 * so only the instruction kind is read from it.
 */
import type { Differ, LayerFact } from '../model.js';
import { stamp } from './support/finding.js';
import { contrast } from './support/format.js';

const INSTRUCTIONS = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);

/**
 * The Dockerfile instruction behind a history entry:
 * - classic metadata and COPY/ADD: `<shell> #(nop)  KIND …` (the shell is SHELL's, /bin/sh -c by default);
 * - classic RUN: the bare command, `/bin/sh -c make` or `|2 A=1 B=2 /bin/sh -c make` with build args;
 * - BuildKit: `KIND …`, with ` # buildkit` after those that make a layer.
 * 'other' when nothing says (e.g. `docker import` leaves CreatedBy empty).
 */
export function instructionKind(createdBy: string): string {
  const text = createdBy.trim().replace(/\s*# buildkit$/, '');
  if (text === '') return 'other';
  const nop = /#\(nop\)\s*(.*)$/s.exec(text);
  const word = /^([A-Z]+)(?:\s|$)/.exec(nop ? (nop[1] ?? '') : text)?.[1];
  if (word !== undefined && INSTRUCTIONS.has(word)) return word;
  return nop ? 'other' : 'RUN';
}

function countKinds(layers: readonly LayerFact[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const layer of layers) {
    const kind = instructionKind(layer.createdBy);
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return counts;
}

const info = stamp('history', 'info');

const COUNTS: ReadonlyArray<readonly [field: string, count: (layers: readonly LayerFact[]) => number]> = [
  ['entries', (layers) => layers.length],
  ['filesystem layers', (layers) => layers.filter((layer) => !layer.emptyLayer).length],
];

export const differ: Differ = {
  id: 'history',
  title: 'History',
  compare(legacy, migrated) {
    const [l, m] = [legacy.image.layers, migrated.image.layers];
    const totals = COUNTS.map(([field, count]) =>
      info({
        subject: 'layers',
        field,
        legacy: count(l),
        migrated: count(m),
        message: `${field}: ${contrast(String(count(m)), String(count(l)))}`,
      }),
    );
    const [lKinds, mKinds] = [countKinds(l), countKinds(m)];
    const kinds = [...new Set([...lKinds.keys(), ...mKinds.keys()])]
      .filter((kind) => lKinds.get(kind) !== mKinds.get(kind))
      .map((kind) => {
        const [lCount, mCount] = [lKinds.get(kind) ?? 0, mKinds.get(kind) ?? 0];
        return info({
          subject: 'instructions',
          field: kind,
          legacy: lCount,
          migrated: mCount,
          message: `${kind} history entries: ${contrast(String(mCount), String(lCount))}`,
        });
      });
    return [...totals, ...kinds];
  },
};
