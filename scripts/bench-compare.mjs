// One side of the file-system comparison benchmark, in a process of its own so its peak memory is
// its own: exports two containers of IMAGE and reads both streams into manifests (sha256 of every
// file), as verify does. Prints one JSON line: seconds, files, bytes and peak RSS.
import { createRequire } from 'node:module';

// Internals of the CLI's verify bundle, not the library's API.
const { boundYoungGeneration, DockerEngine, readManifest } = createRequire(import.meta.url)('../dist/verify-cli.cjs');

boundYoungGeneration(); // as `restage verify` does

const [image, prefix] = process.argv.slice(2);
const engine = new DockerEngine();
const started = performance.now();
let files = 0;
let bytes = 0;
for (const side of ['a', 'b']) {
  const name = `${prefix}-${side}`;
  await engine.create({ image, name, command: ['/x'] });
  try {
    const manifest = await readManifest(await engine.export(name));
    files += manifest.entries.size;
    bytes += manifest.totalSize;
  } finally {
    await engine.rm({ container: name, force: true, missingOk: true });
  }
}
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ seconds, files, bytes, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
