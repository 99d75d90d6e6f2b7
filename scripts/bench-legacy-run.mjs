// verify with the legacy side run for real (--legacy=run), on one sample, in a process of its own:
// prints one JSON line with the verdict, verify's wall time, the number of docker calls the
// sandboxed script made and the peak RSS of the verify process (the sandbox's processes are its
// children and not counted). `npm run bench` runs it per sample and sets the calls against the
// shim's overhead per call (bench-sandbox.mjs) to give the shim's share of verify's wall time.
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { runVerify } = createRequire(import.meta.url)('../dist/verify-cli.cjs');

const [sample, ...imageMap] = process.argv.slice(2);
const started = performance.now();
const outcome = await runVerify(path.join(root, 'samples', sample), {
  imageMap,
  quiet: true,
  legacy: 'run',
  noRun: true,
});
const { status, legacy } = outcome.result;
console.log(
  JSON.stringify({
    sample,
    status,
    mode: legacy?.mode ?? null,
    seconds: (performance.now() - started) / 1000,
    calls: legacy?.trace.length ?? 0,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  }),
);
