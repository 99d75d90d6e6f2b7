#!/usr/bin/env node
// The installed entry point. It compiles the bundled CLI (dist/cli.cjs, built by `npm run build`,
// also on `npm ci`) with a V8 code cache beside it, so later starts skip most of the parsing and
// compiling: start-up is what `restage migrate` and `restage check` are judged on. A missing,
// stale or unwritable cache only costs that saving; it never changes what runs.
// CommonJS (bin/package.json says so): an ES module entry first loads Node's ES module loader,
// which `node -e 0` never does (test/cli/startup.test.ts).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

// Node's Module, without loading node:module (which loads more than this needs).
const Module = module.constructor;
const file = path.join(__dirname, '..', 'dist', 'cli.cjs');
const cacheFile = `${file}.v8cache`;
let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  /* first run: no cache yet */
}
const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
const cli = { exports: {} };
script.runInThisContext()(cli.exports, Module.createRequire(file), cli, file, path.dirname(file));

// Written after a run, so the functions that run compiled lazily are in it too; not after verify,
// which changes V8 flags (a cache is only accepted under the flags it was made with).
const saveCache = () => {
  if ((cachedData && !script.cachedDataRejected) || process.argv[2] === 'verify') return;
  try {
    fs.writeFileSync(cacheFile, script.createCachedData());
  } catch {
    /* read-only install: no cache */
  }
};

cli.exports.main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    saveCache();
  },
  (error) => {
    process.stderr.write(
      `restage: internal error: ${error instanceof Error ? error.message : String(error)}\nThis is a bug in restage; please report it with the command you ran.\n`,
    );
    process.exitCode = 70;
  },
);
