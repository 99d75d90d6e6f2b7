// Peak memory of a whole `restage verify` of an image holding 500,000 small files, in a process of
// its own. The image (testbase/many-files:latest) is made once, if missing: testbase/busybox plus a
// generated tar of 500,000 files of distinct content, ADDed (and so extracted) at /data, in a child
// process (`--make-image`), so that the peak RSS printed is verify's alone. Both sides build `FROM`
// that image plus one file, so nearly every entry is equal on both sides. Prints one JSON line:
// status, seconds (whole verify, and its overhead: everything but the builds), entries, peak RSS.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

// The CLI's verify bundle, as `restage verify` runs it (runVerify is not part of the library's API).
const { runVerify } = createRequire(import.meta.url)('../dist/verify-cli.cjs');

const IMAGE = 'testbase/many-files:latest';
const FILES = 500_000;
const PER_DIR = 1000;
const docker = process.env.RESTAGE_DOCKER ?? 'docker';

/** One ustar header block. */
function header(name, type, mode, size) {
  const block = Buffer.alloc(512);
  const field = (offset, length, value) => block.write(value.toString(8).padStart(length - 1, '0'), offset, 'latin1');
  block.write(name, 0, 'latin1');
  field(100, 8, mode);
  field(108, 8, 0);
  field(116, 8, 0);
  field(124, 12, size);
  field(136, 12, 1_700_000_000);
  block.fill(0x20, 148, 156);
  block.write(type, 156, 'latin1');
  block.write('ustar\0' + '00', 257, 'latin1');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return block;
}

/** The tar of FILES files of distinct content under data/ (about 500 MB of blocks), a directory at a time. */
function* filesTar() {
  for (let d = 0; d < FILES / PER_DIR; d += 1) {
    const parts = [header(`data/${d}/`, '5', 0o755, 0)];
    for (let f = 0; f < PER_DIR; f += 1) {
      const body = Buffer.alloc(512);
      const size = body.write(`file ${d * PER_DIR + f}\n`, 'latin1');
      parts.push(header(`data/${d}/f${f}`, '0', 0o644, size), body);
    }
    yield Buffer.concat(parts);
  }
  yield Buffer.alloc(1024);
}

function makeImage() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-bench-many-'));
  try {
    const fd = fs.openSync(path.join(dir, 'files.tar'), 'w');
    for (const part of filesTar()) fs.writeSync(fd, part);
    fs.closeSync(fd);
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM testbase/busybox:latest\nADD files.tar /\n');
    const r = spawnSync(docker, ['build', '--network', 'none', '--tag', IMAGE, dir], {
      env: { ...process.env, DOCKER_BUILDKIT: '0' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (r.status !== 0) throw new Error(`docker build of ${IMAGE} exited ${r.status}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--make-image')) {
  makeImage();
  process.exit(0);
}
if (spawnSync(docker, ['image', 'inspect', IMAGE], { stdio: 'ignore' }).status !== 0) {
  const made = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--make-image'], { stdio: 'inherit' });
  if (made.status !== 0) throw new Error(`making ${IMAGE} exited ${made.status}`);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-bench-dir-'));
try {
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM many-files\nCOPY note.txt /note.txt\n');
  fs.writeFileSync(path.join(dir, 'note.txt'), 'bench\n');
  const outcome = await runVerify(dir, { imageMap: [`many-files=${IMAGE}`], quiet: true, noRun: true });
  const { status, times } = outcome.result;
  console.log(
    JSON.stringify({
      status,
      seconds: times?.total,
      overheadSeconds: times?.overhead,
      files: FILES,
      maxRssMB: process.resourceUsage().maxRSS / 1024,
    }),
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
