/**
 * The docker shim's executable (dist/shim.cjs). Its one verb, `serve RUNDIR -- COMMAND…`, is the
 * sandboxed legacy run's server (src/verify/legacy/shim/server.ts); the script's `docker` and
 * `podman` are sh scripts that talk to it (src/verify/legacy/shim/client-script.ts).
 */
import { serve } from '../verify/legacy/shim/server.js';

const [verb, runDir, dashes, ...command] = process.argv.slice(2);
if (verb !== 'serve' || !runDir || dashes !== '--' || command.length === 0) {
  process.stderr.write('usage: shim.cjs serve RUNDIR -- COMMAND…  (restage verify runs it in the sandbox)\n');
  process.exit(125);
}
serve(runDir, command).then(
  (status) => process.exit(status),
  (error: unknown) => {
    process.stderr.write(`restage shim: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(125);
  },
);
