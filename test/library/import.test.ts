/**
 * Importing the built library does nothing to the process: no SIGINT/SIGTERM listener (those are
 * the CLI's, while verify runs), no exit. Checked in a child process, as a program importing it.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../helpers/fixtures.js';

const PROGRAM = `
const count = () => ['SIGINT', 'SIGTERM', 'exit', 'beforeExit'].map((e) => e + '=' + process.listenerCount(e)).join(' ');
const before = count();
const library = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist', 'index.js')).href)});
process.stdout.write(Object.keys(library).sort().join(',') + '\\n' + before + '\\n' + count() + '\\n');
setTimeout(() => process.stdout.write('still running\\n'), 20);
`;

test('importing dist/index.js installs no listener and does not exit', (t) => {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', PROGRAM], { cwd: ROOT, encoding: 'utf8' });
  t.is(r.status, 0, r.stderr);
  const [exports, before, after, last] = r.stdout.split('\n');
  t.regex(before!, /^SIGINT=0 SIGTERM=0 /);
  t.is(after, before, 'the same listeners after the import as before it');
  t.is(last, 'still running');
  t.deepEqual(exports!.split(','), [
    'CATALOGUE',
    'DockerEngine',
    'PodmanEngine',
    'createProgress',
    'formatDiagnostic',
    'migrate',
    'parseImageMap',
    'renderJson',
    'renderScanJson',
    'renderScanText',
    'renderText',
    'renderVerifyJson',
    'renderVerifyText',
    'scan',
    'verify',
  ]);
});
