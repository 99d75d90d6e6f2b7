/** Each docker verb family has one analyzer file; the registry must list exactly those files. */
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { REGISTRY } from '../../../src/analyze/docker/index.js';
import { ROOT } from '../../helpers/fixtures.js';

test('the docker analyzer registry lists every analyzer file in src/analyze/docker', (t) => {
  const dir = path.join(ROOT, 'src', 'analyze', 'docker');
  const files = fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.ts') && n !== 'index.ts')
    .map((n) => n.replace(/\.ts$/, ''));
  t.deepEqual(Object.keys(REGISTRY).sort(), files.sort());
  for (const [name, analyzer] of Object.entries(REGISTRY)) {
    t.true(analyzer.verbs.length > 0, `${name} names its verbs`);
    t.is(typeof analyzer.analyze, 'function');
  }
});
