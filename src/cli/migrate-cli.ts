/** What `restage migrate` needs beyond the argument parser, loaded only when a command runs. */
export { runMigrateTree } from './migrate-tree.js';
export { renderJson, renderJsonMany } from '../emit/report-json.js';
export { renderText, renderTextMany } from '../emit/report-text.js';
export { renderGraph } from '../emit/graph.js';
export { changesDiff } from './changes-diff.js';
