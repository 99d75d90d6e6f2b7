import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import test from 'ava';
import { readManifest } from '../../src/verify/manifest/read.js';
import { syntheticBytes, syntheticSha256, syntheticTar, type SyntheticPlan } from './helpers/synthetic.js';

// About 200 MB: one 100 MiB file, and 1,600 files of 64 KiB (every tenth hard-linked, some with pax paths).
const PLAN: SyntheticPlan = { bigFile: 100 * 1024 * 1024, smallFiles: 1600, smallFileSize: 64 * 1024 };
const MB = 1024 * 1024;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
// Serial: a concurrent test streaming in the same process would count toward the growth.

/** Retained memory: the JS heap plus the Buffers it holds (which live outside the heap). */
function retained(): number {
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

test.serial('reading a 200 MB archive keeps memory growth under 50 MB', async (t) => {
  const total = syntheticBytes(PLAN);
  t.true(total > 200 * 1e6, `the archive is ${total} bytes`);
  const baseline = retained();
  let peak = 0;
  const manifest = await readManifest(
    syntheticTar(PLAN, () => {
      peak = Math.max(peak, retained() - baseline);
    }),
  );
  t.log(`peak retained growth ${(peak / MB).toFixed(1)} MiB over ${(total / MB).toFixed(0)} MiB streamed`);
  t.true(peak < 50 * 1e6, `peak growth ${peak} bytes`);
  t.is(manifest.count, 2 + 1 + PLAN.smallFiles + PLAN.smallFiles / 10);
  t.is(manifest.entries.get('/data/big.bin')?.sha256, syntheticSha256(PLAN.bigFile));
  t.is(manifest.totalSize, PLAN.bigFile + PLAN.smallFiles * PLAN.smallFileSize);
});

test.serial('throughput of readManifest on the synthetic archive', async (t) => {
  const total = syntheticBytes(PLAN);
  const started = process.hrtime.bigint();
  const manifest = await readManifest(syntheticTar(PLAN));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rate = total / 1e6 / seconds;
  t.log(`readManifest: ${(total / 1e6).toFixed(0)} MB in ${seconds.toFixed(2)} s = ${rate.toFixed(0)} MB/s`);
  t.is(
    manifest.entries.get('/usr/lib/link-10')?.hardlinkTo,
    '/usr/lib/long-directory-name/long-directory-name/long-directory-name/file-10.so',
  );
  // The shell route (tar -x + sha256sum) managed about 48 MB/s on a real image (ENGINE.md); stay well above a crawl.
  t.true(rate > 20, `${rate.toFixed(1)} MB/s`);
});
