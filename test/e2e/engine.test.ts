/**
 * DockerEngine against a real engine, with the test images from scripts/test-images.sh.
 * Start one with `bash scripts/engine.sh start && bash scripts/test-images.sh`.
 * Without a reachable engine these tests are skipped, unless RESTAGE_E2E=1, where they fail.
 * Everything they create is named `restage-e2etest-<run>-…` and removed at the end.
 * The tests every engine passes are in helpers/engine-contract.ts; these are docker's own.
 */
import { randomBytes } from 'node:crypto';
import { DockerEngine } from '../../src/verify/engine/docker.js';
import { e2eTest, engine, unavailable } from './helpers/engine.js';
import { engineContract } from './helpers/engine-contract.js';

const BASE = 'testbase/busybox:latest';
const PREFIX = `restage-e2etest-${randomBytes(3).toString('hex')}-`;
const e2e = e2eTest(await unavailable([BASE]));

const { context } = engineContract({
  engine,
  kind: 'docker',
  withClient: (client) => new DockerEngine({ client }),
  prefix: PREFIX,
  base: BASE,
  backends: ['classic', 'buildkit'],
  e2e,
  checkBuild: (t, { backend, logged }) => {
    // Each builder has its own log format: proof DOCKER_BUILDKIT took effect.
    t.true(
      logged.some((l) => (backend === 'buildkit' ? /^#\d+ /.test(l) : /^Step \d+\/\d+ :/.test(l))),
      logged.join('\n'),
    );
  },
  failedRunLog: [/returned a non-zero code|exit code: 1/],
  exportAdds: ['.dockerenv'],
  timedOutRunSeconds: 15,
  cancelledRunSeconds: 15,
});

e2e('a cancelled build rejects', async (t) => {
  const controller = new AbortController();
  const build = engine.build({
    context: await context('slow', `FROM ${BASE}\nRUN sleep 60\n`),
    tag: `${PREFIX}slow:latest`,
    backend: 'buildkit',
    noCache: true,
    signal: controller.signal,
    onLog: (line) => {
      if (/sleep 60/.test(line)) controller.abort();
    },
  });
  const started = Date.now();
  const error = await t.throwsAsync(build);
  t.is(error?.name, 'AbortError');
  t.true((Date.now() - started) / 1000 < 20);
});
