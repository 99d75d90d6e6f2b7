// npm run bench: wall time of restage commands as a ratio to the floor, `node -e 0`, measured in the
// same run, interleaved so machine noise hits both alike. Medians of RUNS runs (default 21).
// Prints one line per command; the targets: migrate at most 1.5x the floor; `check` at most 1.3x on a
// repository with no builder pattern (no parser loads) and at most 2.0x on the files of a pattern.
// With a reachable engine and the test images (scripts/engine.sh, scripts/test-images.sh) it also
// measures verify: its own overhead on the samples, and the streaming file-system comparison of a
// ~500 MB image pair against `docker export | tar -x` + `sha256sum` of every file, with peak memory.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env.RUNS ?? 21);
const node = process.execPath;
const bin = path.join(root, 'bin', 'restage.js');

// A repository with no builder pattern: a Dockerfile, sources, docs; what pre-commit would pass.
const clean = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-bench-clean-'));
fs.writeFileSync(path.join(clean, 'Dockerfile'), 'FROM busybox:latest\nCOPY app /app\nCMD ["/app"]\n');
fs.writeFileSync(path.join(clean, 'main.go'), 'package main\n\nfunc main() {}\n');
fs.mkdirSync(path.join(clean, 'docs'));
fs.writeFileSync(path.join(clean, 'docs', 'README.md'), '# app\n');
process.on('exit', () => fs.rmSync(clean, { recursive: true, force: true }));
const sample = path.join('samples', 'href-counter');

// name → [command, arguments, exit status expected (default 0)]
const commands = {
  'node -e 0 (floor)': [node, ['-e', '0']],
  'restage --version': [node, [bin, '--version']],
  'restage migrate samples/href-counter': [node, [bin, 'migrate', 'samples/href-counter']],
  'restage migrate samples/href-counter --json': [node, [bin, 'migrate', 'samples/href-counter', '--json']],
  'restage check . (no builder pattern)': [node, [bin, 'check', clean]],
  'restage check Dockerfile main.go (no pattern)': [
    node,
    [bin, 'check', path.join(clean, 'Dockerfile'), path.join(clean, 'main.go')],
  ],
  'restage check href-counter build.sh Dockerfile.build': [
    node,
    [bin, 'check', path.join(sample, 'build.sh'), path.join(sample, 'Dockerfile.build')],
    1,
  ],
};

const times = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
for (let i = 0; i < runs + 2; i++) {
  for (const [name, [cmd, args, expected = 0]] of Object.entries(commands)) {
    const start = performance.now();
    const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'ignore', 'ignore'] });
    const ms = performance.now() - start;
    if (r.status !== expected) {
      console.error(`${name} exited ${r.status}, expected ${expected}`);
      process.exit(1);
    }
    if (i >= 2) times[name].push(ms); // two warm-up rounds fill the page cache
  }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const floor = median(times['node -e 0 (floor)']);
console.log(`runs: ${runs} each, interleaved; median wall time`);
for (const [name, xs] of Object.entries(times)) {
  const m = median(xs);
  console.log(`${name.padEnd(48)} ${m.toFixed(1).padStart(7)} ms  ${(m / floor).toFixed(2)}x floor`);
}

// ---- a 1 MB line in the script and in the build Dockerfile (dockerfile-ast recomputed arguments per call) ----
{
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-bench-long-line-'));
  try {
    fs.cpSync(path.join(root, 'samples', 'href-counter'), dir, { recursive: true });
    fs.appendFileSync(path.join(dir, 'build.sh'), `\necho ${'a'.repeat(1 << 20)}\n`);
    fs.appendFileSync(path.join(dir, 'Dockerfile.build'), `\nRUN echo ${'b'.repeat(1 << 20)}\n`);
    const start = performance.now();
    const r = spawnSync(node, [bin, 'migrate', dir], { stdio: 'ignore' });
    const ms = performance.now() - start;
    console.log(`${'restage migrate (1 MB lines)'.padEnd(48)} ${ms.toFixed(1).padStart(7)} ms  exit ${r.status}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---- a FIFO named Dockerfile: refused (RS122, exit 2) without being opened, so migrate returns promptly ----
{
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-bench-fifo-'));
  try {
    fs.cpSync(path.join(root, 'samples', 'href-counter'), dir, { recursive: true });
    fs.rmSync(path.join(dir, 'Dockerfile'));
    execFileSync('mkfifo', [path.join(dir, 'Dockerfile')]);
    const start = performance.now();
    const r = spawnSync(node, [bin, 'migrate', dir], { stdio: 'ignore', timeout: 5_000 });
    const ms = performance.now() - start;
    console.log(
      `${'restage migrate (a FIFO named Dockerfile)'.padEnd(48)} ${ms.toFixed(1).padStart(7)} ms  exit ${r.status}`,
    );
    if (r.status !== 2) {
      console.error(
        `migrate with a FIFO named Dockerfile: exit ${r.status}${r.error ? ` (${r.error.message})` : ''}, expected 2 within 5 s`,
      );
      process.exit(1);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---- restage scan: a tree of 50,000 files with 200 builder patterns, against `git ls-files | wc -l` ----
{
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-bench-scan-'));
  try {
    execFileSync(node, [path.join(root, 'scripts', 'bench-scan.mjs'), '--make', dir]);
    const pair = {
      'git ls-files | wc -l (floor)': ['sh', ['-c', 'git ls-files | wc -l']],
      'restage scan (50,000 files, 200 patterns)': [node, [bin, 'scan', '.', '--json']],
    };
    const scanTimes = Object.fromEntries(Object.keys(pair).map((k) => [k, []]));
    const scanRuns = Math.max(3, Math.floor(runs / 3));
    for (let i = 0; i < scanRuns + 1; i++)
      for (const [name, [cmd, args]] of Object.entries(pair)) {
        const start = performance.now();
        const r = spawnSync(cmd, args, { cwd: dir, stdio: ['ignore', 'ignore', 'ignore'] });
        const ms = performance.now() - start;
        if (r.status !== 0) {
          console.error(`${name} exited ${r.status}`);
          process.exit(1);
        }
        if (i >= 1) scanTimes[name].push(ms);
      }
    const scanFloor = median(scanTimes['git ls-files | wc -l (floor)']);
    const rss = benchProcess('bench-scan.mjs', ['--rss', dir]);
    console.log(
      `\nscan: ${rss.files} files, ${rss.patterns} builder patterns found (${rss.migratable} migratable); median of ${scanRuns}, interleaved`,
    );
    for (const [name, xs] of Object.entries(scanTimes)) {
      const m = median(xs);
      console.log(`${name.padEnd(48)} ${m.toFixed(1).padStart(7)} ms  ${(m / scanFloor).toFixed(2)}x floor`);
    }
    console.log(
      `${'scan peak RSS (in a process of its own)'.padEnd(48)} ${rss.maxRssMB.toFixed(0).padStart(7)} MB  (targets: under 2 s, under 3x the floor)`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---- verify ----

/** One JSON line from a bench script run in a process of its own (so its peak RSS is its own). */
function benchProcess(script, args, nodeFlags = []) {
  const r = spawnSync(node, [...nodeFlags, path.join(root, 'scripts', script), ...args], {
    cwd: root,
    env: { ...process.env, RESTAGE_DOCKER: process.env.RESTAGE_DOCKER ?? 'docker' },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`${script} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

/** Our tar reader against tar-stream on `source` (see bench-tar.mjs), best of `rounds` alternating runs. */
function tarReaders(source, rounds) {
  const best = {};
  for (let i = 0; i < rounds; i += 1) {
    for (const reader of ['restage', 'tar-stream']) {
      const r = benchProcess('bench-tar.mjs', [reader, source], ['--expose-gc', '--import=tsx']);
      if (!best[reader] || r.seconds < best[reader].seconds) best[reader] = r;
    }
  }
  for (const r of Object.values(best)) {
    const retained = r.peakRetainedMB === undefined ? '' : `, peak retained growth ${r.peakRetainedMB.toFixed(1)} MB`;
    console.log(
      `  ${r.reader.padEnd(11)} ${r.seconds.toFixed(2)} s, ${r.entries} entries, ${(r.bytes / 1e6).toFixed(0)} MB, ${(r.bytes / 1e6 / r.seconds).toFixed(0)} MB/s, peak RSS ${r.maxRssMB.toFixed(0)} MB${retained}`,
    );
  }
}

console.log('\ntar readers on a synthetic ~200 MB archive (every file hashed), best of 3:');
tarReaders('synthetic', 3);

// verify itself needs an engine
const docker = process.env.RESTAGE_DOCKER ?? 'docker';
const engineUp = spawnSync(docker, ['image', 'inspect', 'testbase/golang:latest'], { stdio: 'ignore' }).status === 0;
if (!engineUp) {
  console.log(
    '\nverify: skipped (no engine or no test images: bash scripts/engine.sh start && bash scripts/test-images.sh)',
  );
  process.exit(0);
}
const env = { ...process.env, RESTAGE_DOCKER: docker };
const map = [
  'gcc=testbase/gcc:latest',
  'golang=testbase/golang:latest',
  'arm64v8/golang=testbase/golang:latest',
  'debian:bookworm-slim=testbase/debian-slim:bookworm',
].flatMap((m) => ['--image-map', m]);
console.log('\nverify overhead (everything but the builds and the run step), one run each:');
for (const sample of ['hello-c', 'welcome', 'dir-artifact']) {
  const r = spawnSync(node, [bin, 'verify', `samples/${sample}`, ...map, '--json'], {
    cwd: root,
    env,
    encoding: 'utf8',
  });
  const t = JSON.parse(r.stdout).times;
  console.log(
    `  ${sample.padEnd(14)} total ${t.total.toFixed(2)} s, builds ${(t.legacyBuild + t.migratedBuild).toFixed(2)} s, run ${t.run.toFixed(2)} s, overhead ${t.overhead.toFixed(2)} s = ${(t.overheadShare * 100).toFixed(0)}% of the total`,
  );
}

console.log('\nfile-system comparison of a testbase/golang:latest pair (two exports, every file hashed):');
const prefix = `restage-bench-${process.pid}`;
const mine = JSON.parse(
  spawnSync(node, [path.join(root, 'scripts', 'bench-compare.mjs'), 'testbase/golang:latest', prefix], {
    cwd: root,
    env,
    encoding: 'utf8',
  }).stdout,
);
const shell =
  `set -e; for s in a b; do d=$(mktemp -d); ${docker} create --name ${prefix}-sh-$s testbase/golang:latest /x >/dev/null; ` +
  `${docker} export ${prefix}-sh-$s | tar -x -C "$d"; find "$d" -type f -print0 | xargs -0 sha256sum >/dev/null; ` +
  `${docker} rm -f ${prefix}-sh-$s >/dev/null; rm -rf "$d"; done`;
const started = performance.now();
spawnSync('bash', ['-c', shell], { stdio: 'inherit' });
const shellSeconds = (performance.now() - started) / 1000;
console.log(
  `  restage (streamed)          ${mine.seconds.toFixed(2)} s, ${mine.files} entries, ${(mine.bytes / 1e6).toFixed(0)} MB, peak RSS ${mine.maxRssMB.toFixed(0)} MB (limit 150 MB)`,
);
console.log(`  export | tar -x; sha256sum  ${shellSeconds.toFixed(2)} s`);
console.log(`  ratio                       ${(mine.seconds / shellSeconds).toFixed(2)}x (target: at most 1.00x)`);

const whole = JSON.parse(
  spawnSync(node, [path.join(root, 'scripts', 'bench-verify-memory.mjs')], { cwd: root, env, encoding: 'utf8' }).stdout,
);
console.log(
  `\nwhole verify of a ${whole.imageMB.toFixed(0)} MB image pair: ${whole.status} in ${whole.seconds.toFixed(2)} s, peak RSS ${whole.maxRssMB.toFixed(0)} MB (limit 150 MB)`,
);

console.log('\ntar readers on two exports of testbase/golang:latest (~500 MB each), best of 2:');
tarReaders('testbase/golang:latest', 2);

const many = benchProcess('bench-many-files.mjs', []);
console.log(
  `\nwhole verify of an image of ${many.files} small files: ${many.status} in ${many.seconds.toFixed(2)} s, peak RSS ${many.maxRssMB.toFixed(0)} MB (limit 150 MB)`,
);

console.log('\nthe sandboxed legacy run (scripts/bench-sandbox.mjs):');
const sandbox = spawnSync(node, [path.join(root, 'scripts', 'bench-sandbox.mjs'), '--json'], {
  cwd: root,
  env,
  encoding: 'utf8',
});
const sandboxLines = sandbox.stdout.trim().split('\n');
console.log(sandboxLines.slice(0, -1).join('\n'));
const perCallMs = JSON.parse(sandboxLines.at(-1)).shimOverheadMs;
console.log("\nverify --legacy=run on the samples (one run each; the shim's share is calls x its overhead per call):");
for (const sample of ['hello-c', 'welcome', 'dir-artifact']) {
  const r = benchProcess('bench-legacy-run.mjs', [sample, ...map.filter((m) => m !== '--image-map')]);
  const share = (r.calls * perCallMs) / 1000 / r.seconds;
  console.log(
    `  ${sample.padEnd(14)} ${r.status} (${r.mode}) in ${r.seconds.toFixed(2)} s, ${r.calls} docker calls, shim ${(share * 100).toFixed(1)}% of the wall time (target < 5%), peak RSS ${r.maxRssMB.toFixed(0)} MB (limit 150 MB)`,
  );
}
