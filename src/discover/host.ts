/**
 * The host paths the analysis asks about, read once through the confinement before the analysis
 * runs (src/analyze/host-snapshot.ts names them): what each is, or that restage does not look at
 * it. A missing path is left out, as the HostSnapshot's contract says.
 */
import type { HostKind } from '../model/analysis.js';
import type { Confinement } from './confine.js';

export function hostKinds(confinement: Confinement, paths: Iterable<string>): Map<string, HostKind> {
  const kinds = new Map<string, HostKind>();
  for (const p of paths) {
    const checked = confinement.check(p);
    if (checked.ok) kinds.set(p, checked.kind);
    else if (checked.reason !== 'missing') kinds.set(p, 'refused');
  }
  return kinds;
}
