// The whole test suite, as `npm test` runs it: unit, golden, CLI and property tests first, side by
// side (ava's default, one file per core), then the end-to-end tests one file at a time. The e2e
// files share one engine, and several check that nothing is left on it (containers, images, dangling
// intermediates) after a verify: run side by side, one file's build in progress would be another's
// leftover. Each file's own tests already run serially.
//
// verify gets its legacy image two ways (`--legacy=run`, the default where bubblewrap works, and
// `--legacy=replay`): the e2e files whose cases do not choose a mode run once per mode
// (RESTAGE_LEGACY sets verify's default), so every sample and fixture is judged both ways.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const ava = (args, env = {}) =>
  spawnSync(process.execPath, ['node_modules/ava/entrypoints/cli.mjs', ...args], {
    stdio: 'inherit',
    env: { ...process.env, ...env },
  }).status ?? 1;
const dirs = fs
  .readdirSync('test', { withFileTypes: true })
  .filter((d) => d.isDirectory() && !['e2e', 'fixtures', 'helpers'].includes(d.name))
  .map((d) => `test/${d.name}`);
/** The e2e files whose verdicts do not depend on how the legacy image is made. */
const BOTH_MODES = ['verdicts', 'verify', 'dockerignore', 'podman-verify'].map((f) => `test/e2e/${f}.test.ts`);
const unit = ava(dirs);
const e2e = ava(['--concurrency=1', 'test/e2e'], { RESTAGE_LEGACY: 'run' });
const replay = ava(['--concurrency=1', ...BOTH_MODES], { RESTAGE_LEGACY: 'replay' });
process.exit(unit || e2e || replay);
