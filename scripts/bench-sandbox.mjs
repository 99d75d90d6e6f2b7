// The sandboxed legacy run's own costs (npm run bench calls it; also runs alone), medians of RUNS
// runs, interleaved:
// - bubblewrap's start-up (`bwrap … true` against `true`);
// - the docker shim's server start-up, once per legacy run (`node dist/shim.cjs serve DIR -- true`
//   against `true`);
// - the docker shim's overhead per docker call: `docker version` through the per-call sh shim
//   (src/verify/legacy/shim/client-script.ts), answered by one server kept running for the whole
//   bench, against the real client; and, without the engine's noise, the same call reaching
//   `true` as its real client (the server's `podman`) against `true`.
// Needs bwrap, a reachable engine and a built dist/shim.cjs. Target: the shim under 50 ms a call.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const { clientScript } = await import('../src/verify/legacy/shim/client-script.ts');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env.RUNS ?? 21);
const docker = process.env.RESTAGE_DOCKER ?? '/usr/bin/docker';
const which = (name) => spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
const bwrap = which('bwrap');
if (!bwrap || spawnSync(docker, ['version'], { stdio: 'ignore' }).status !== 0) {
  console.log('sandbox: skipped (needs bwrap and a reachable engine)');
  process.exit(0);
}

const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'restage-bench-shim-')));
let server;
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
  // The server kept running: its command is `cat`, which ends when the bench closes its stdin.
  const serverDir = path.join(dir, 'server');
  fs.mkdirSync(serverDir);
  const config = JSON.parse(fs.readFileSync(path.join(dir, 'shim.json'), 'utf8'));
  const trueCmd = which('true');
  const serverConfig = { ...config, clients: { docker: [docker], podman: [trueCmd] } };
  fs.writeFileSync(path.join(serverDir, 'shim.json'), JSON.stringify(serverConfig));
  const client = path.join(dir, 'docker');
  fs.writeFileSync(client, clientScript(serverDir, 'docker'), { mode: 0o755 });
  const toTrue = path.join(dir, 'podman');
  fs.writeFileSync(toTrue, clientScript(serverDir, 'podman'), { mode: 0o755 });
  server = spawn(process.execPath, [shim, 'serve', serverDir, '--', 'cat'], { stdio: ['pipe', 'ignore', 'inherit'] });
  const serverExit = new Promise((resolve) => server.on('exit', resolve));
  const deadline = Date.now() + 10_000;
  while (!fs.existsSync(path.join(serverDir, 'requests'))) {
    if (Date.now() > deadline || server.exitCode !== null)
      throw new Error(`the shim server did not start (is dist/shim.cjs built? npm run build)`);
    await new Promise((r) => setTimeout(r, 10));
  }

  const sandbox = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp'];
  const ns = ['--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-net', '--die-with-parent'];
  const version = ['version', '--format', '{{.Server.Version}}'];
  const commands = {
    true: ['true', []],
    'bwrap … true': [bwrap, [...sandbox, ...ns, '--', 'true']],
    'serve -- true': [process.execPath, [shim, 'serve', dir, '--', 'true']],
    'docker version (real client)': [docker, version],
    'docker version (through the shim)': [client, version],
    'version to true (through the shim)': [toTrue, version],
  };
  const times = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let i = 0; i < runs + 2; i++) {
    for (const [name, [cmd, args]] of Object.entries(commands)) {
      const start = performance.now();
      const r = spawnSync(cmd, args, { stdio: 'ignore' });
      const ms = performance.now() - start;
      if (r.status !== 0) throw new Error(`${name} exited ${r.status}`);
      if (i >= 2) times[name].push(ms);
    }
  }
  server.stdin.end();
  if ((await serverExit) !== 0) throw new Error('the shim server failed');
  const traced = fs.readFileSync(path.join(serverDir, 'trace.jsonl'), 'utf8').trim().split('\n').length;
  if (traced !== 2 * (runs + 2)) throw new Error(`the shim server traced ${traced} calls, not ${2 * (runs + 2)}`);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const m = Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, median(xs)]));
  const line = (what, ms, note = '') => console.log(`${what.padEnd(62)} ${ms.toFixed(1).padStart(7)} ms${note}`);
  line('sandbox start-up (bwrap … true minus true)', m['bwrap … true'] - m.true);
  line('shim server start-up, once a run (serve -- true minus true)', m['serve -- true'] - m.true);
  line(
    'shim overhead per docker call (shim minus real client)',
    m['docker version (through the shim)'] - m['docker version (real client)'],
    '  (target < 50 ms)',
  );
  line(
    'shim cost alone (a call to true through the shim minus true)',
    m['version to true (through the shim)'] - m.true,
  );
  // With --json, a last line for npm run bench: the shim's overhead per call (at least its own cost:
  // the difference of two engine calls can come out below it, or negative, on a noisy engine).
  if (process.argv.includes('--json'))
    console.log(
      JSON.stringify({
        shimOverheadMs: Math.max(
          m['docker version (through the shim)'] - m['docker version (real client)'],
          m['version to true (through the shim)'] - m.true,
        ),
      }),
    );
} finally {
  if (server && server.exitCode === null) server.kill();
  fs.rmSync(dir, { recursive: true, force: true });
}
