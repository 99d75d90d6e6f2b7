// npm run bench: wall time of restage commands as a ratio to the floor, `node -e 0`, measured in the
// same run, interleaved so machine noise hits both alike. Medians of RUNS runs (default 21).
// Prints one line per command; the target for migrate/check is at most 2.0x the floor.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env.RUNS ?? 21);
const node = process.execPath;
const bin = path.join(root, 'bin', 'restage.js');

const commands = {
  'node -e 0 (floor)': [node, ['-e', '0']],
  'restage --version': [node, [bin, '--version']],
  'restage migrate samples/href-counter': [node, [bin, 'migrate', 'samples/href-counter']],
  'restage migrate samples/href-counter --json': [node, [bin, 'migrate', 'samples/href-counter', '--json']],
};

const times = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
for (let i = 0; i < runs + 2; i++) {
  for (const [name, [cmd, args]] of Object.entries(commands)) {
    const start = performance.now();
    const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'ignore', 'ignore'] });
    const ms = performance.now() - start;
    if (r.status !== 0) { console.error(`${name} exited ${r.status}`); process.exit(1); }
    if (i >= 2) times[name].push(ms); // two warm-up rounds fill the page cache
  }
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const floor = median(times['node -e 0 (floor)']);
console.log(`runs: ${runs} each, interleaved; median wall time`);
for (const [name, xs] of Object.entries(times)) {
  const m = median(xs);
  console.log(`${name.padEnd(48)} ${m.toFixed(1).padStart(7)} ms  ${(m / floor).toFixed(2)}x floor`);
}
