// Peak memory of a whole `restage verify` on a ~500 MB image pair, in a process of its own: a
// directory whose one Dockerfile builds on testbase/golang (nothing to migrate, so both sides are
// that image plus a file), verified in-process; prints one JSON line with the peak RSS.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

// The CLI's verify bundle, as `restage verify` runs it (runVerify is not part of the library's API).
const { runVerify } = createRequire(import.meta.url)('../dist/verify-cli.cjs');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-bench-dir-'));
try {
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM golang:1.22\nCOPY note.txt /note.txt\n');
  fs.writeFileSync(path.join(dir, 'note.txt'), 'bench\n');
  const outcome = await runVerify(dir, { imageMap: ['golang=testbase/golang:latest'], quiet: true, noRun: true });
  const { status, times, sizes } = outcome.result;
  console.log(
    JSON.stringify({
      status,
      seconds: times?.total,
      imageMB: (sizes?.legacy ?? 0) / 1e6,
      maxRssMB: process.resourceUsage().maxRSS / 1024,
    }),
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
