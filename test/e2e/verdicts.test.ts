/**
 * Verdicts that tell the truth, on the real engine: nondeterministic run output is information, a
 * missing base image stops verify before it builds anything (exit 3, every image listed), a script
 * that copies a path its builder lacks is "legacy-not-reproduced" (exit 2) with its line, and the
 * build command the script ran is the one replayed (`docker image build`, `sudo`, `buildx build`).
 */
import { spawnSync } from 'node:child_process';
import { BIN, ROOT } from '../helpers/fixtures.js';
import { e2eTest, unavailable } from './helpers/engine.js';
import { BASES, env, IMAGE_MAP, verifyJson } from './helpers/verify-run.js';

const e2e = e2eTest(await unavailable(BASES));
const FIX = 'test/fixtures/e2e';

e2e('output that changes from run to run (find | shuf, $RANDOM) is nondeterministic, not a difference', async (t) => {
  const { code, json } = verifyJson([`${FIX}/run-output`]);
  t.is(json.status, 'equivalent', JSON.stringify(json.differences));
  t.is(code, 0);
  t.deepEqual(json.runs?.legacy.nondeterministic, ['stdout', 'stderr']);
  t.deepEqual(json.runs?.migrated.nondeterministic, ['stdout', 'stderr']);
  t.true(
    json.info.some(
      (i) =>
        i.aspect === 'run' &&
        /stdout changes from one run of the legacy image to the next \(nondeterministic\)/.test(i.message),
    ),
    JSON.stringify(json.info),
  );
});

e2e('missing base images: every one listed with --image-map, exit 3, nothing built', async (t) => {
  const { code, json, stderr } = verifyJson([`${FIX}/missing-base`]);
  t.is(code, 3);
  t.is(json.status, 'engine-failure');
  t.is(json.failure?.step, 'base images');
  t.regex(
    json.failure!.message,
    /restage-test\/no-such-builder:1, restage-test\/no-such-runtime:2; nothing was built.*--image-map restage-test\/no-such-builder:1=<local image>/,
  );
  t.deepEqual(
    json.diagnostics.filter((d) => d.code === 'RS701').map((d) => `${d.file}:${d.line}`),
    [`${FIX}/missing-base/Dockerfile.build:1`, `${FIX}/missing-base/Dockerfile:1`],
  );
  t.notRegex(stderr, /docker build/);
});

e2e(
  'a copy of a path the builder image lacks: legacy-not-reproduced at the script line, exit 2 (replayed: RS702)',
  async (t) => {
    const { code, json } = verifyJson([`${FIX}/missing-cp`, '--legacy=replay']);
    t.is(json.status, 'legacy-not-reproduced', JSON.stringify(json.failure));
    t.is(code, 2);
    const d = json.diagnostics.find((x) => x.code === 'RS702');
    t.like(d, { file: `${FIX}/missing-cp/build.sh`, line: 5 });
    t.regex(d!.message, /\/dist\/app does not exist in the container/);
  },
);

e2e(
  'a copy of a path the builder image lacks, run for real: the pipeline fails at that docker cp (RS705 at its line), exit 2',
  async (t) => {
    const { code, json } = verifyJson([`${FIX}/missing-cp`, '--legacy=run']);
    t.is(json.status, 'legacy-not-reproduced', JSON.stringify(json.failure));
    t.is(code, 2);
    const d = json.diagnostics.find((x) => x.code === 'RS705');
    t.like(d, { file: `${FIX}/missing-cp/build.sh`, line: 5 });
    t.regex(d!.message, /at `docker cp [^`]*\/dist\/app[^`]*` \(docker call \d+, exit 1\)/);
  },
);

e2e('`sudo docker image build`, run for real, reaches the shim as the user (verify never runs sudo)', async (t) => {
  const { code, json } = verifyJson([`${FIX}/invocations`, '--no-run', '--legacy=run']);
  t.is(json.status, 'equivalent', JSON.stringify(json));
  t.is(code, 0);
  const calls = (json as unknown as { legacy: { trace: { argv: string[]; outcome: string }[] } }).legacy.trace;
  t.true(calls.some((c) => c.argv[0] === 'image' && c.argv[1] === 'build' && c.outcome === 'run'));
});

e2e('`sudo docker image build` is replayed as `docker image build` (as root, without sudo)', async (t) => {
  const r = spawnSync(
    process.execPath,
    [BIN, 'verify', `${FIX}/invocations`, '--no-run', '--legacy=replay', ...IMAGE_MAP],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env,
    },
  );
  t.regex(r.stdout, /: equivalent\n/, r.stdout + r.stderr);
  t.is(r.status, 0);
  t.regex(r.stderr, /legacy: docker image build inv:build: done/);
});

e2e('`docker buildx build --load` needs buildx: without the plugin, an engine failure that says so', async (t) => {
  const { code, json } = verifyJson([`${FIX}/buildx`]);
  t.is(code, 3);
  t.is(json.status, 'engine-failure');
  t.regex(
    json.failure!.message,
    /the script builds with `docker buildx build` \(.*build\.sh:2\), but the client .* has no buildx plugin/,
  );
});
