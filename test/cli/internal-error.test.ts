/**
 * restage's own failures (a broken installation here: the native shell parser does not load) are
 * not the user's: exit 70 with one line and a hint to rerun with --debug, never a diagnostic on
 * their script. The module is broken by a preload given to node, not by anything in restage.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { BIN, ROOT } from '../helpers/fixtures.js';

const PRELOAD = path.join(ROOT, 'test', 'fixtures', 'cli', 'broken-tree-sitter.cjs');

function restage(args: string[]) {
  const r = spawnSync(process.execPath, ['--require', PRELOAD, BIN, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

for (const command of ['migrate', 'verify'] as const) {
  test(`${command}: a parser module that does not load exits 70 with one line and the --debug hint`, (t) => {
    const r = restage([command, 'samples/hello-c', '--json']);
    t.is(r.code, 70, r.stdout + r.stderr);
    t.is(r.stdout, '');
    const lines = r.stderr.split('\n').filter(Boolean);
    t.is(lines.length, 1, r.stderr);
    t.regex(
      lines[0]!,
      /^restage: internal error: the shell parser \(tree-sitter\) could not be loaded: .*compiled against a different Node\.js version.*rerun with --debug/,
    );
    t.notRegex(r.stderr, /RS301|\n\s+at /);
  });
}

test('--debug adds the stack trace', (t) => {
  const r = restage(['migrate', 'samples/hello-c', '--debug']);
  t.is(r.code, 70);
  t.regex(r.stderr, /^restage: internal error: [^\n]*\n(Internal)?Error: the shell parser[\s\S]*\n\s+at /);
});
