// The whole test suite, as `npm test` runs it: unit, golden, CLI and property tests first, side by
// side (ava's default, one file per core), then the end-to-end tests one file at a time. The e2e
// files share one engine, and several check that nothing is left on it (containers, images, dangling
// intermediates) after a verify: run side by side, one file's build in progress would be another's
// leftover. Each file's own tests already run serially.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const ava = (args) =>
  spawnSync(process.execPath, ['node_modules/ava/entrypoints/cli.mjs', ...args], { stdio: 'inherit' }).status ?? 1;
const dirs = fs
  .readdirSync('test', { withFileTypes: true })
  .filter((d) => d.isDirectory() && !['e2e', 'fixtures', 'helpers'].includes(d.name))
  .map((d) => `test/${d.name}`);
const unit = ava(dirs);
const e2e = ava(['--concurrency=1', 'test/e2e']);
process.exit(unit || e2e);
