/** What `restage migrate` needs beyond the argument parser, loaded only when a command runs. */
export { runMigrate } from './migrate.js';
export { renderJson } from '../emit/report-json.js';
export { renderText } from '../emit/report-text.js';
