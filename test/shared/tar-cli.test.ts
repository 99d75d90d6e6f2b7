/** The tar command lines restage reads at both ends of a stream: modes, -f, -C in order, and what it refuses. */
import test from 'ava';
import { isPattern, parseTar } from '../../src/shared/tar-cli.js';

const reads = test.macro({
  exec(t, words: string, expected: object) {
    const { refused, ...rest } = parseTar(words.split(' ').filter((w) => w !== ''));
    t.is(refused, null);
    t.like(rest, expected);
  },
  title: (given, words: string) => `${given ?? ''} tar ${words}`.trim(),
});

test(reads, '-c -C /app .', {
  mode: 'create',
  gzip: false,
  file: null,
  directory: '/app',
  members: [{ operand: '.', dir: '/app' }],
});
test(reads, '-czf - -C /src tool lib', {
  mode: 'create',
  gzip: true,
  file: '-',
  members: [
    { operand: 'tool', dir: '/src' },
    { operand: 'lib', dir: '/src' },
  ],
});
test('the old form bundles letters and takes their values in order:', reads, 'czf - -C /src tool', {
  mode: 'create',
  gzip: true,
  file: '-',
  members: [{ operand: 'tool', dir: '/src' }],
});
test('-C applies to the members after it:', reads, '-c /etc/passwd -C /app bin', {
  members: [
    { operand: '/etc/passwd', dir: null },
    { operand: 'bin', dir: '/app' },
  ],
});
test(reads, '--create --gzip --file=- --directory=/app .', {
  mode: 'create',
  gzip: true,
  file: '-',
  directory: '/app',
});
test(reads, '-xzvf out.tgz -C out', { mode: 'extract', gzip: true, file: 'out.tgz', directory: 'out', members: [] });
test(reads, 'xf tool.tar', { mode: 'extract', file: 'tool.tar', members: [] });
test(reads, '-x --no-same-owner -p -Cdist', { mode: 'extract', directory: 'dist' });
test(reads, '-c -C /app -- -odd', { members: [{ operand: '-odd', dir: '/app' }] });

const refuses = test.macro({
  exec(t, words: string, why: RegExp) {
    const { refused } = parseTar(words.split(' '));
    t.truthy(refused);
    t.regex(refused!.why, why);
  },
  title: (given, words: string) => `refused: tar ${words}`,
});

test(refuses, '-cj -C /app .', /bzip2/);
test(refuses, '-cJ -C /app .', /xz/);
test(refuses, '-c --exclude=*.o -C /app .', /pattern/);
test(refuses, '-c --transform=s/a/b/ -C /app .', /renames/);
test(refuses, '-x --strip-components=1', /leading path/);
test(refuses, '-x --no-same-permissions', /umask/);
test(refuses, '-ch -C /app .', /symlinks/);
test(refuses, '-c -T list', /member list/);
test(refuses, '-c -f', /needs a value/);
test(refuses, '-c --bogus', /does not model/);

test('patterns: *, ? and [] make a member unknowable', (t) => {
  t.true(isPattern('*.so'));
  t.true(isPattern('bin/?'));
  t.true(isPattern('[ab]'));
  t.false(isPattern('bin/tool'));
  t.false(isPattern('.'));
});

test('a host archive file: -J and -j read when the caller accepts compressions', (t) => {
  t.like(parseTar(['-xJf', 'a.tar.xz'], true), { mode: 'extract', xz: true, bzip2: false, refused: null });
  t.like(parseTar(['xjf', 'a.tbz2'], true), { mode: 'extract', xz: false, bzip2: true, refused: null });
  t.like(parseTar(['--extract', '--xz', '--file=a.txz'], true), { xz: true, refused: null });
  t.not(parseTar(['-xJf', 'a.tar.xz']).refused, null, 'a stream still refuses xz');
});
