/**
 * What `restage verify` needs beyond migrate, loaded by the CLI only when verify runs (its own
 * bundle, dist/verify-cli.cjs). scripts/bench-compare.mjs also reads images through it, as verify does.
 */
export { runVerify } from './verify.js';
export { boundYoungGeneration } from './memory.js';
export { renderVerifyJson, renderVerifyText } from '../verify/report.js';
export { DockerEngine } from '../verify/engine/docker.js';
export { readManifest } from '../verify/manifest/read.js';
