// The whole test suite, as `npm test` runs it: unit, golden, CLI and property tests first, side by
// side (ava's default, one file per core), then the end-to-end tests in lanes.
//
// The e2e files share engines. Each file's own tests run serially. The docker files run one at a
// time: two at a time, a classic build of one file failed now and then while the other built and
// cleaned up beside it (an engine failure no single file shows). Podman's two files, which compare
// podman's whole image list before and after, run in a lane of their own beside them, on their own
// engine (its output is printed once it ends), and podman-verify's replay round runs there too.
// verify.test.ts looks for untagged images descending from a base every file builds on, so it runs
// alone after the lanes.
//
// verify gets its legacy image two ways (`--legacy=run`, the default where bubblewrap works, and
// `--legacy=replay`): the e2e files whose cases do not choose a mode run once per mode
// (RESTAGE_LEGACY sets verify's default), so every sample and fixture is judged both ways.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';

const AVA = 'node_modules/ava/entrypoints/cli.mjs';
const ava = (args, env = {}) =>
  spawnSync(process.execPath, [AVA, ...args], {
    stdio: 'inherit',
    env: { ...process.env, ...env },
  }).status ?? 1;
/**
 * ava beside another: its output shown as it comes (`inherit`), or kept and printed whole when it
 * ends (`keep`, for the lane whose lines would otherwise interleave); resolves to its status.
 */
const avaBeside = (args, env, output) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [AVA, ...args], {
      stdio: output === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    const out = [];
    child.stdout?.on('data', (d) => out.push(d));
    child.stderr?.on('data', (d) => out.push(d));
    child.on('close', (code) => {
      if (output === 'keep') {
        process.stdout.write(`\n---- ${args.filter((a) => a.endsWith('.ts')).join(' ')} ----\n`);
        process.stdout.write(Buffer.concat(out));
      }
      resolve(code ?? 1);
    });
  });

// Every folder of test/ but these three, and the test files at its top (test/migrate.test.ts for src/migrate.ts).
const dirs = fs
  .readdirSync('test', { withFileTypes: true })
  .filter((d) => (d.isDirectory() ? !['e2e', 'fixtures', 'helpers'].includes(d.name) : d.name.endsWith('.test.ts')))
  .map((d) => `test/${d.name}`);
const e2eFile = (name) => `test/e2e/${name}.test.ts`;
const allE2e = fs
  .readdirSync('test/e2e')
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => `test/e2e/${f}`);
const PODMAN = ['podman', 'podman-verify'].map(e2eFile);
const ALONE = ['verify'].map(e2eFile);
const DOCKER = allE2e.filter((f) => !PODMAN.includes(f) && !ALONE.includes(f));
/** The e2e files whose verdicts do not depend on how the legacy image is made. */
const BOTH_MODES = ['verdicts', 'verify', 'dockerignore', 'podman-verify'].map(e2eFile);

const started = Date.now();
const seconds = () => `${Math.round((Date.now() - started) / 1000)} s`;
const unit = ava(dirs);
console.log(`\ntest.mjs: unit, golden, CLI and property tests done at ${seconds()}`);
const PODMAN_REPLAY = BOTH_MODES.filter((f) => PODMAN.includes(f));
const [docker, [podman, podmanReplay]] = await Promise.all([
  avaBeside(['--concurrency=1', ...DOCKER], { RESTAGE_LEGACY: 'run' }, 'inherit').then((status) => {
    console.log(`\ntest.mjs: docker e2e lane done at ${seconds()}`);
    return status;
  }),
  // Podman's replay round runs in its lane, beside the docker files, on its own engine.
  (async () => [
    await avaBeside(['--concurrency=1', ...PODMAN], { RESTAGE_LEGACY: 'run' }, 'keep'),
    await avaBeside(['--concurrency=1', ...PODMAN_REPLAY], { RESTAGE_LEGACY: 'replay' }, 'keep'),
  ])(),
]);
console.log(`\ntest.mjs: e2e lanes done at ${seconds()}`);
const alone = ava(['--concurrency=1', ...ALONE], { RESTAGE_LEGACY: 'run' });
console.log(`\ntest.mjs: verify e2e done at ${seconds()}`);
const replay = ava(['--concurrency=1', ...BOTH_MODES.filter((f) => !PODMAN.includes(f))], { RESTAGE_LEGACY: 'replay' });
const lanes = {
  unit,
  'docker e2e': docker,
  'podman e2e': podman,
  'podman replay round': podmanReplay,
  'verify e2e': alone,
  'replay round': replay,
};
const failed = Object.entries(lanes).filter(([, status]) => status !== 0);
// The last lines are what a CI log shows first: say which lane failed.
console.log(
  `\ntest.mjs: done at ${seconds()}; ${failed.length === 0 ? 'every lane passed' : `FAILED: ${failed.map(([lane, status]) => `${lane} (exit ${status})`).join(', ')}`}`,
);
process.exit(failed.length === 0 ? 0 : 1);
