/** The sandbox's mounts and namespaces, as bwrap arguments (test/e2e/legacy-run.test.ts shows them on a real bwrap). */
import test from 'ava';
import { engineOverTcp, sandboxArgs, type SandboxSpec } from '../../../src/verify/legacy/sandbox.js';

const spec: SandboxSpec = {
  repo: '/home/u/proj',
  copy: '/tmp/restage-1-legacy-x/repo',
  cwd: '/home/u/proj/ci',
  home: '/home/u',
  writable: ['/tmp/restage-1-shim-y'],
  env: { PATH: '/tmp/restage-1-shim-y/bin:/usr/bin', HOME: '/home/u' },
  shareNet: false,
  command: ['sh', 'build.sh'],
};

/** The index of a mount's target path in the argument list. */
const at = (args: string[], option: string, target: string) =>
  args.findIndex((a, i) => a === option && args[i + (option === '--tmpfs' ? 1 : 2)] === target);

test('the root is read-only; /tmp and $HOME are private; the copy is mounted writable at the repository path', (t) => {
  const args = sandboxArgs(spec);
  t.deepEqual(args.slice(0, 3), ['--ro-bind', '/', '/']);
  const tmp = at(args, '--tmpfs', '/tmp');
  const home = at(args, '--tmpfs', '/home/u');
  const repo = at(args, '--bind', '/home/u/proj');
  t.true(tmp > 0 && home > 0);
  t.is(args[repo + 1], spec.copy);
  // Later mounts cover earlier ones: the repository inside $HOME must come after $HOME's tmpfs.
  t.true(repo > home && repo > tmp);
  t.true(at(args, '--bind', '/tmp/restage-1-shim-y') > tmp);
});

test('new PID, IPC, UTS and network namespaces; the sandbox dies with restage; the command runs in cwd', (t) => {
  const args = sandboxArgs(spec);
  for (const flag of ['--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-net', '--die-with-parent'])
    t.true(args.includes(flag), flag);
  t.deepEqual(args.slice(args.indexOf('--chdir')), ['--chdir', '/home/u/proj/ci', '--', 'sh', 'build.sh']);
  t.deepEqual(args.slice(args.indexOf('PATH') - 1, args.indexOf('PATH') + 2), [
    '--setenv',
    'PATH',
    '/tmp/restage-1-shim-y/bin:/usr/bin',
  ]);
});

test('an engine reached over TCP keeps the network namespace', (t) => {
  t.false(sandboxArgs({ ...spec, shareNet: true }).includes('--unshare-net'));
  t.true(engineOverTcp({ DOCKER_HOST: 'tcp://10.0.0.1:2375' }));
  t.true(engineOverTcp({ DOCKER_HOST: 'ssh://me@host' }));
  t.false(engineOverTcp({ DOCKER_HOST: 'unix:///var/run/docker.sock' }));
  t.false(engineOverTcp({}));
});

test('$HOME is not hidden when it is the root or lies inside the repository', (t) => {
  t.is(at(sandboxArgs({ ...spec, home: '/' }), '--tmpfs', '/'), -1);
  t.is(at(sandboxArgs({ ...spec, home: '/home/u/proj' }), '--tmpfs', '/home/u/proj'), -1);
  t.is(at(sandboxArgs({ ...spec, home: '/home/u/proj/sub' }), '--tmpfs', '/home/u/proj/sub'), -1);
  t.true(
    at(sandboxArgs({ ...spec, home: '/home/u/proj2' }), '--tmpfs', '/home/u/proj2') > 0,
    'a sibling is no part of it',
  );
  t.true(at(sandboxArgs({ ...spec, home: '/home/u/..proj' }), '--tmpfs', '/home/u/..proj') > 0);
});
