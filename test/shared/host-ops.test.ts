/** The one model of host commands (src/shared/host-ops.ts) that the analysis and the replay both apply. */
import test from 'ava';
import {
  applyMode,
  cpStreamEntry,
  hostPaths,
  hostSteps,
  isMode,
  tarCreateEntry,
  tarExtraction,
} from '../../src/shared/host-ops.js';

const op = (
  o: 'mkdir' | 'rm' | 'mv' | 'cp' | 'chmod',
  paths: string[],
  extra: { mode?: string; recursive?: boolean } = {},
) => ({ op: o, paths, mode: extra.mode ?? null, recursive: extra.recursive ?? false });

test('mv a dir moves into an existing directory; onto a missing path it renames', (t) => {
  t.deepEqual(
    hostSteps(op('mv', ['/r/app', '/r/bin']), (p) => p === '/r/bin'),
    [{ kind: 'move', from: '/r/app', to: '/r/bin/app' }],
  );
  t.deepEqual(
    hostSteps(op('mv', ['/r/app', '/r/bin/tool']), () => false),
    [{ kind: 'move', from: '/r/app', to: '/r/bin/tool' }],
  );
});

test('several sources always go into the destination directory; cp is a copy', (t) => {
  t.deepEqual(
    hostSteps(op('cp', ['/r/a', '/r/b', '/r/d']), () => false),
    [
      { kind: 'copy', from: '/r/a', to: '/r/d/a' },
      { kind: 'copy', from: '/r/b', to: '/r/d/b' },
    ],
  );
});

test('mkdir, rm and chmod act on each path; chmod keeps its mode and -R', (t) => {
  t.deepEqual(
    hostSteps(op('mkdir', ['/a', '/b']), () => false),
    [
      { kind: 'mkdir', path: '/a' },
      { kind: 'mkdir', path: '/b' },
    ],
  );
  t.deepEqual(
    hostSteps(op('rm', ['/a']), () => false),
    [{ kind: 'remove', path: '/a' }],
  );
  t.deepEqual(
    hostSteps(op('chmod', ['/a'], { mode: 'u+x', recursive: true }), () => false),
    [{ kind: 'chmod', path: '/a', mode: 'u+x', recursive: true }],
  );
});

const modes = test.macro({
  exec(t, spec: string, old: number, dir: boolean, expected: number) {
    t.is(applyMode(spec, old, dir).toString(8), expected.toString(8));
  },
  title: (_p, spec: string, old: number, dir: boolean, expected: number) =>
    `chmod ${spec} on ${dir ? 'dir' : 'file'} 0${old.toString(8)} → 0${expected.toString(8)}`,
});
test(modes, '750', 0o644, false, 0o750);
test(modes, '0755', 0o600, false, 0o755);
test(modes, '+x', 0o644, false, 0o755);
test(modes, 'u+x', 0o644, false, 0o744);
test(modes, 'go-rwx', 0o755, false, 0o700);
test(modes, 'a=r', 0o755, false, 0o444);
test(modes, 'u=rwx,g=rx,o=', 0o644, false, 0o750);
test(modes, 'a+X', 0o644, false, 0o644);
test(modes, 'a+X', 0o644, true, 0o755);
test(modes, 'u+s', 0o755, false, 0o4755);
test(modes, 'g=u', 0o740, false, 0o770);
test(modes, '+w', 0o444, false, 0o644);

test('mode operands chmod accepts, and ones it does not', (t) => {
  for (const m of ['750', 'u+x', 'go-w,a+r', '+x', '-x', 'a=rX']) t.true(isMode(m), m);
  for (const m of ['app', '9', 'u+q', '']) t.false(isMode(m), m);
});

test('hostPaths: what an operation reads and what it makes, for the replay to check beforehand', (t) => {
  t.deepEqual(hostPaths(op('mv', ['/r/a', '/r/b', '/r/d'])), { reads: ['/r/a', '/r/b'], makes: ['/r/d'] });
  t.deepEqual(hostPaths(op('cp', ['/r/a'])), { reads: [], makes: [] });
  t.deepEqual(hostPaths(op('chmod', ['/r/a'], { mode: '+x' })), { reads: ['/r/a'], makes: [] });
  t.deepEqual(hostPaths(op('mkdir', ['/r/out', '/r/tmp'])), { reads: [], makes: ['/r/out', '/r/tmp'] });
  t.deepEqual(hostPaths(op('rm', ['/r/a'])), { reads: [], makes: [] });
});

test('tar -c entries: names drop a leading /, `.` is the directory content, -C wins over the workdir, else the image WORKDIR decides', (t) => {
  t.deepEqual(tarCreateEntry('.', '/app/dist', null), { containerPath: '/app/dist/.', name: '.' });
  t.deepEqual(tarCreateEntry('./', '/app/dist', null), { containerPath: '/app/dist/.', name: '.' });
  t.deepEqual(tarCreateEntry('bin/tool', '/src', '/w'), { containerPath: '/src/bin/tool', name: 'bin/tool' });
  t.deepEqual(tarCreateEntry('/app/bin', null, null), { containerPath: '/app/bin', name: 'app/bin' });
  t.deepEqual(tarCreateEntry('out', null, '/w'), { containerPath: '/w/out', name: 'out' });
  t.regex(tarCreateEntry('.', '/', null) as string, /whole file system/);
  t.deepEqual(tarCreateEntry('./out/', null, null), { containerPath: '/out', name: 'out', relative: 'out' });
  t.deepEqual(tarCreateEntry('.', null, null), { containerPath: '/.', name: '.', relative: '.' });
  t.regex(tarCreateEntry('../etc', '/app', null) as string, /\.\./);
  t.regex(tarCreateEntry('x', 'rel', null) as string, /relative/);
});

test('docker cp C:/p - streams p under its name, p/. as `.`; the root is refused', (t) => {
  t.deepEqual(cpStreamEntry('/app/dist'), { containerPath: '/app/dist', name: 'dist' });
  t.deepEqual(cpStreamEntry('/app/dist/.'), { containerPath: '/app/dist/.', name: '.' });
  t.is(typeof cpStreamEntry('/'), 'string');
});

test('tar -x -C DIR: `.` merges into DIR, a name lands below it', (t) => {
  t.deepEqual(
    tarExtraction(
      [
        { containerPath: '/app/dist/.', name: '.' },
        { containerPath: '/src/bin/tool', name: 'bin/tool' },
      ],
      '/proj/out',
    ),
    [
      { containerPath: '/app/dist/.', name: '.', hostPath: '/proj/out' },
      { containerPath: '/src/bin/tool', name: 'bin/tool', hostPath: '/proj/out/bin/tool' },
    ],
  );
});
