/**
 * Time: the wall time of each build, as context. The legacy side counts its whole flow (builder
 * build, create, cp, runtime build); the migrated side its one `docker build`.
 */
import type { Differ } from '../model.js';
import { stamp } from './support/finding.js';
import { ratio } from './support/format.js';

const info = stamp('time', 'info');
const seconds = (value: number): string => `${value.toFixed(2)} s`;

export const differ: Differ = {
  id: 'time',
  title: 'Build time',
  compare(legacy, migrated) {
    const [l, m] = [legacy.buildSeconds, migrated.buildSeconds];
    return [
      info({
        subject: 'build',
        field: 'seconds',
        legacy: l,
        migrated: m,
        message: `the multi-stage build took ${seconds(m)}, the legacy flow ${seconds(l)} (${ratio(m, l)})`,
      }),
    ];
  },
};
