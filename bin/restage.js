#!/usr/bin/env node
// The installed entry point: runs the bundled CLI (built by `npm run build`, also on `npm ci`).
import { main } from '../dist/cli.js';

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error) => {
    process.stderr.write(`restage: internal error: ${error instanceof Error ? error.message : String(error)}\nThis is a bug in restage; please report it with the command you ran.\n`);
    process.exitCode = 70;
  },
);
