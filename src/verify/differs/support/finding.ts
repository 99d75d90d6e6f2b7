import type { Aspect, Difference } from '../../model.js';

/** A finding as a differ words it, before it is stamped with its aspect and kind. */
export type Finding = Omit<Difference, 'aspect' | 'kind'>;

/** Stamps a differ's findings: `kind` 'difference' counts toward the verdict, 'info' never does. */
export function stamp(aspect: Aspect, kind: Difference['kind']): (finding: Finding) => Difference {
  return (finding) => ({ aspect, kind, ...finding });
}
