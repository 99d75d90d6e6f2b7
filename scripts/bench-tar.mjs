// Our tar reader against tar-stream, in a process of its own (run with `node --expose-gc
// --import=tsx`): reads an archive, hashing every file's content (sha256) and keeping one record
// per entry, as readManifest does. Usage: bench-tar.mjs restage|tar-stream synthetic|IMAGE [PREFIX]
// - synthetic: a generated ~200 MB archive (test/verify/helpers/synthetic.ts), also sampling the
//   retained memory (heap + buffers after a GC) every 8 MB;
// - IMAGE: two `docker export`s of containers of IMAGE (the ~500 MB case of `npm run bench`).
// Prints one JSON line: seconds, entries, bytes of content, peak RSS, peak retained growth.
// The tar-stream path is a lower bound, not a drop-in reader: tar-stream 3.2.2 reads the size
// field of a header-only entry (link, symlink, device, fifo) as data that follows, applies a pax
// global header only to entries that also have a local one, reads base-256 -1 as 0, accepts an
// archive without its end-of-archive block and fails on non-zero record padding after it. Tried
// as readTar's backend (issue 8), that made these tests of test/verify/manifest/tar.test.ts fail: "header-only
// types carry no data…", "a global pax header applies…", "base-256 numbers…", "a stream without an
// end-of-archive block throws", "record padding after the end of the archive is ignored".
import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { DockerEngine } from '../src/verify/engine/docker.ts';
import { readTar } from '../src/verify/manifest/tar.ts';
import { boundYoungGeneration } from '../src/cli/memory.ts';
import { syntheticTar } from '../test/verify/helpers/synthetic.ts';

boundYoungGeneration(); // as `restage verify` does

const [reader, source, prefix = `restage-bench-tar-${process.pid}`] = process.argv.slice(2);
const PLAN = { bigFile: 100 * 1024 * 1024, smallFiles: 1600, smallFileSize: 64 * 1024 };

const retained = () => {
  globalThis.gc?.();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
};

/** Records of every entry of `stream`, with tar-stream: content hashed as it streams. */
async function withTarStream(stream, records) {
  const extract = tar.extract();
  const feeding = pipeline(stream, extract);
  for await (const entry of extract) {
    const hash = createHash('sha256');
    for await (const chunk of entry) hash.update(chunk);
    const h = entry.header;
    records.set(h.name, {
      type: h.type,
      mode: h.mode,
      uid: h.uid,
      gid: h.gid,
      size: h.size,
      sha256: hash.digest('hex'),
    });
  }
  await feeding;
}

async function withRestage(stream, records) {
  for await (const e of readTar(stream)) {
    records.set(e.name, { type: e.type, mode: e.mode, uid: e.uid, gid: e.gid, size: e.size, sha256: e.sha256 });
  }
}

const read = reader === 'tar-stream' ? withTarStream : reader === 'restage' ? withRestage : undefined;
if (read === undefined || source === undefined) {
  console.error('usage: bench-tar.mjs restage|tar-stream synthetic|IMAGE [PREFIX]');
  process.exit(2);
}
const baseline = retained();
let peakRetained = 0;
const started = performance.now();
let entries = 0;
let bytes = 0;
const tally = (records) => {
  entries += records.size;
  for (const r of records.values()) bytes += r.type === 'file' ? r.size : 0;
};
if (source === 'synthetic') {
  const records = new Map();
  const sample = () => (peakRetained = Math.max(peakRetained, retained() - baseline));
  await read(syntheticTar(PLAN, sample), records);
  tally(records);
} else {
  const engine = new DockerEngine();
  for (const side of ['a', 'b']) {
    const name = `${prefix}-${side}`;
    await engine.create({ image: source, name, command: ['/x'] });
    try {
      const records = new Map();
      await read(await engine.export(name), records);
      tally(records);
    } finally {
      await engine.rm({ container: name, force: true, missingOk: true });
    }
  }
}
const seconds = (performance.now() - started) / 1000;
console.log(
  JSON.stringify({
    reader,
    seconds,
    entries,
    bytes,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    ...(source === 'synthetic' ? { peakRetainedMB: peakRetained / 1e6 } : {}),
  }),
);
