/**
 * The differ registry, in report order. Every file of this folder but this one is a differ whose
 * id is its file name, and is listed here exactly once (a test checks both).
 */
import { defaultCompareOptions, type CompareOptions, type Comparison, type Differ, type SideFacts } from '../model.js';
import { differ as config } from './config.js';
import { differ as files } from './files.js';
import { differ as history } from './history.js';
import { differ as run } from './run.js';
import { differ as sizes } from './sizes.js';
import { differ as time } from './time.js';

export const differs: readonly Differ[] = [files, config, history, sizes, run, time];

/**
 * Compares the legacy image with the migrated one through every differ. The verdict is
 * 'equivalent' exactly when no finding of kind 'difference' came out; 'info' never decides.
 */
export function compareImages(
  legacy: SideFacts,
  migrated: SideFacts,
  options: Partial<CompareOptions> = {},
): Comparison {
  const effective: CompareOptions = {
    strictMtime: options.strictMtime ?? defaultCompareOptions.strictMtime,
    ignore: options.ignore ?? defaultCompareOptions.ignore,
  };
  const findings = differs.flatMap((differ) => differ.compare(legacy, migrated, effective));
  const differences = findings.filter((found) => found.kind === 'difference');
  return {
    verdict: differences.length === 0 ? 'equivalent' : 'different',
    differences,
    info: findings.filter((found) => found.kind === 'info'),
  };
}
