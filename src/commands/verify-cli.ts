/** What `restage verify` needs beyond migrate, loaded by the CLI only when verify runs (its own bundle). */
export { runVerify } from './verify.js';
export { renderVerifyJson, renderVerifyText } from '../emit/verify-report.js';
