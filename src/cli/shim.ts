/** The docker shim's executable (dist/shim.cjs): see src/verify/legacy/shim/entry.ts. */
import { shimMain } from '../verify/legacy/shim/entry.js';

void shimMain(process.argv.slice(2), process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`restage shim: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 125;
  },
);
