// The sandboxed legacy run's own costs (npm run bench calls it; also runs alone): bubblewrap's
// start-up (`bwrap … true` against `true`), and the docker shim's overhead per docker call
// (`docker version` through the shim against the real client), interleaved, medians of RUNS runs.
// Needs bwrap, a reachable engine and a built dist/shim.cjs. Targets: the shim under 50 ms a call.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env.RUNS ?? 21);
const docker = process.env.RESTAGE_DOCKER ?? '/usr/bin/docker';
const which = (name) => spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
const bwrap = which('bwrap');
if (!bwrap || spawnSync(docker, ['version'], { stdio: 'ignore' }).status !== 0) {
  console.log('sandbox: skipped (needs bwrap and a reachable engine)');
  process.exit(0);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-bench-shim-'));
try {
  fs.writeFileSync(
    path.join(dir, 'shim.json'),
    JSON.stringify({
      runId: 'restage-bench0',
      label: 'restage.session',
      repo: dir,
      copy: dir,
      network: 'none',
      imageMap: [],
      scratchDir: path.join(dir, 'dockerfiles'),
      clients: { docker: [docker], podman: [docker] },
      env: {},
    }),
  );
  const shim = path.join(root, 'dist', 'shim.cjs');
  const sandbox = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp'];
  const ns = ['--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-net', '--die-with-parent'];
  const commands = {
    true: ['true', []],
    'bwrap … true': [bwrap, [...sandbox, ...ns, '--', 'true']],
    'docker version (real client)': [docker, ['version', '--format', '{{.Server.Version}}']],
    'docker version (through the shim)': [
      process.execPath,
      [shim, 'docker', 'version', '--format', '{{.Server.Version}}'],
    ],
  };
  const times = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let i = 0; i < runs + 2; i++) {
    for (const [name, [cmd, args]] of Object.entries(commands)) {
      const start = performance.now();
      const r = spawnSync(cmd, args, { stdio: 'ignore', env: { ...process.env, RESTAGE_SHIM_DIR: dir } });
      const ms = performance.now() - start;
      if (r.status !== 0) throw new Error(`${name} exited ${r.status}`);
      if (i >= 2) times[name].push(ms);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const m = Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, median(xs)]));
  console.log(
    `sandbox start-up (bwrap … true minus true)          ${(m['bwrap … true'] - m.true).toFixed(1).padStart(7)} ms`,
  );
  console.log(
    `shim overhead per docker call (shim minus real client) ${(m['docker version (through the shim)'] - m['docker version (real client)']).toFixed(1).padStart(7)} ms  (target < 50 ms)`,
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
