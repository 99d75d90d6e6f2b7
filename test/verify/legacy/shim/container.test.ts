/** `create` / `run` under the run: image mapped, name prefixed, label and network added, host access refused. */
import test from 'ava';
import { argvOf, BUILT, decide, LABEL, RUN, type Setup } from '../../helpers/shim.js';

const ADDED = [LABEL, '--network=none'];
const BUILDER = `${RUN}/docker.io/library/builder:latest`;

const rewrites = test.macro({
  exec(t, argv: string[], expected: string[], setup: Setup = { state: BUILT }) {
    t.deepEqual(argvOf(decide(argv, setup)), expected);
  },
  title: (_p, argv: string[]) => `docker ${argv.join(' ')}`,
});
test(rewrites, ['create', '--name', 'x', 'builder'], ['create', ...ADDED, '--name', `${RUN}_x`, BUILDER]);
test(
  rewrites,
  ['container', 'create', '--name=x', 'builder:latest', 'true'],
  ['container', 'create', ...ADDED, `--name=${RUN}_x`, BUILDER, 'true'],
);
test(
  rewrites,
  ['run', '--rm', 'builder', 'sh', '-c', 'make --name x -v /:/host'],
  ['run', ...ADDED, '--rm', BUILDER, 'sh', '-c', 'make --name x -v /:/host'],
);
test(
  rewrites,
  ['run', 'builder', '--privileged', '-v', '/:/host'],
  ['run', ...ADDED, BUILDER, '--privileged', '-v', '/:/host'],
);
test(
  rewrites,
  ['container', 'run', '-it', '--rm', 'golang', 'go', 'build'],
  ['container', 'run', ...ADDED, '-it', '--rm', 'testbase/golang:latest', 'go', 'build'],
);
test(rewrites, ['run', 'alpine', 'true'], ['run', ...ADDED, 'alpine', 'true']);
test(rewrites, ['run', '--network', 'bridge', 'alpine'], ['run', LABEL, '--network', 'bridge', 'alpine']);
test(rewrites, ['run', '--net=mynet', 'alpine'], ['run', LABEL, '--net=mynet', 'alpine']);
test(rewrites, ['run', 'alpine'], ['run', LABEL, 'alpine'], { ctx: { network: null } });
test(
  rewrites,
  ['run', '--network', 'container:extract', 'alpine'],
  ['run', LABEL, '--network', `container:${RUN}_extract`, 'alpine'],
);
test(
  rewrites,
  ['run', '--pid=container:extract', 'alpine'],
  ['run', ...ADDED, `--pid=container:${RUN}_extract`, 'alpine'],
);
test(
  rewrites,
  ['run', '--volumes-from', 'extract:ro', 'alpine'],
  ['run', ...ADDED, '--volumes-from', `${RUN}_extract:ro`, 'alpine'],
);
test(rewrites, ['run', '--link', 'extract', 'alpine'], ['run', ...ADDED, '--link', `${RUN}_extract:extract`, 'alpine']);
test(
  rewrites,
  ['run', '--cap-add', 'NET_ADMIN', '--security-opt', 'no-new-privileges', 'alpine'],
  ['run', ...ADDED, '--cap-add', 'NET_ADMIN', '--security-opt', 'no-new-privileges', 'alpine'],
);
test(
  rewrites,
  ['run', '--userns=keep-id', '--pod', 'p', 'alpine'],
  ['run', ...ADDED, '--userns=keep-id', '--pod', 'p', 'alpine'],
);
test(rewrites, ['run', '--some-new-opt=3', 'alpine'], ['run', ...ADDED, '--some-new-opt=3', 'alpine']);

const captures = test.macro({
  exec(t, argv: string[], expected: boolean) {
    const d = decide(argv, { state: BUILT });
    t.is(d.kind === 'run' && d.capturesId, expected);
  },
  title: (_p, argv: string[], expected: boolean) =>
    `docker ${argv.join(' ')}: ${expected ? 'the id is recorded' : 'no id to record'}`,
});
test(captures, ['create', 'builder'], true);
test(captures, ['run', '-d', 'builder'], true);
test(captures, ['run', '--detach', '--rm', 'builder'], true);
test(captures, ['run', '-dit', 'builder'], true);
test(captures, ['run', '--rm', 'builder'], false);
test(captures, ['run', 'builder', '-d'], false);

test('--name is recorded as written; a later call of the same name finds the run’s container', (t) => {
  const d = decide(['create', '--name', '/out', 'builder']);
  if (d.kind !== 'run') return t.fail(argvOf(d) as string);
  t.deepEqual(d.state.containers, { out: `${RUN}_out` });
  t.deepEqual(argvOf(decide(['start', 'out'], { state: d.state })), ['start', `${RUN}_out`]);
});

const refuses = test.macro({
  exec(t, argv: string[], message: RegExp, setup: Setup = { state: BUILT }) {
    const d = decide(argv, setup);
    t.is(d.kind, 'refuse');
    if (d.kind === 'refuse') t.regex(d.message, message);
  },
  title: (_p, argv: string[]) => `refused: docker ${argv.join(' ')}`,
});
test(
  refuses,
  ['run', '--privileged', 'alpine'],
  /refused `docker run` with --privileged: a privileged container reaches the whole host.*Remove --privileged/,
);
test(refuses, ['create', '--privileged=true', 'alpine'], /refused `docker create` with --privileged/);
test(
  refuses,
  ['run', '--network', 'host', 'alpine'],
  /with --network host: the host's network namespace.*Remove --network host/,
);
test(refuses, ['run', '--net=host', 'alpine'], /with --net host: the host's network namespace/);
test(refuses, ['run', '--pid', 'host', 'alpine'], /with --pid host: the host's pid namespace/);
test(refuses, ['run', '--ipc=host', 'alpine'], /with --ipc host/);
test(refuses, ['run', '--uts=host', 'alpine'], /with --uts host/);
test(refuses, ['run', '--userns', 'host', 'alpine'], /with --userns host/);
test(
  refuses,
  ['run', '--cap-add', 'ALL', 'alpine'],
  /with --cap-add ALL: that capability reaches past the container.*Add only the capabilities/,
);
test(refuses, ['run', '--cap-add=cap_sys_admin', 'alpine'], /with --cap-add cap_sys_admin/);
test(refuses, ['run', '--cap-add', 'NET_ADMIN,SYS_ADMIN', 'alpine'], /with --cap-add SYS_ADMIN/);
test(
  refuses,
  ['run', '--network', 'container:userdb', 'alpine'],
  /with --network container:userdb: userdb is no container this run created.*Join only containers the script creates/,
);
test(
  refuses,
  ['run', '--volumes-from', 'userdata', 'alpine'],
  /with `--volumes-from userdata`: userdata is no container this run created.*mounts may reach anywhere/,
);
test(
  refuses,
  ['run', '--frobnicate', 'x', 'alpine'],
  /with the option `--frobnicate`: .*cannot tell whether the next word is its value.*`--frobnicate=VALUE`/,
);
test(refuses, ['run', '-Z', 'alpine'], /with the option `-Z`.*`--<name>=VALUE`/);
test(
  refuses,
  ['run', '--name', 'bad name', 'alpine'],
  /with the container name `bad name`: it is no valid container name/,
);
