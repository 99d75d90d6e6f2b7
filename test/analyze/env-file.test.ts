/** An --env-file as the docker client reads it: NAME=VALUE kept as written, comments and blank lines skipped. */
import test from 'ava';
import { parseEnvFile } from '../../src/analyze/env-file.js';

test('NAME=VALUE lines, values as written (quotes and $ kept), comments and blank lines skipped', (t) => {
  t.deepEqual(parseEnvFile('# settings\n\n  A=1\nB="two words"\nC=$HOME\nD=\nE=x=y\r\n'), [
    { kind: 'set', line: 3, name: 'A', value: '1' },
    { kind: 'set', line: 4, name: 'B', value: '"two words"' },
    { kind: 'set', line: 5, name: 'C', value: '$HOME' },
    { kind: 'set', line: 6, name: 'D', value: '' },
    { kind: 'set', line: 7, name: 'E', value: 'x=y' },
  ]);
});

test('a bare NAME (from the environment) and a name with white space are unreadable, with their line', (t) => {
  const lines = parseEnvFile('HOME\nBAD NAME=1\n');
  t.deepEqual(
    lines.map((l) => [l.kind, l.line]),
    [
      ['unreadable', 1],
      ['unreadable', 2],
    ],
  );
});
