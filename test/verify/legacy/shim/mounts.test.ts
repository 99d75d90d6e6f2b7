/**
 * Bind mounts and volumes: the engine resolves a bind source on the real host, so a source in the
 * repository becomes the scratch copy's path and one outside is refused; named volumes are the run's own.
 */
import test from 'ava';
import { argvOf, decide, LABEL, RUN, type Setup } from '../../helpers/shim.js';

const ADDED = [LABEL, '--network=none'];
const COPY = '/var/tmp/restage/copy';

const mounts = test.macro<[string[], string[], Setup?]>({
  exec(t, words, expected, setup = {}) {
    t.deepEqual(argvOf(decide(['run', ...words, 'alpine'], setup)), ['run', ...ADDED, ...expected, 'alpine']);
  },
  title: (_p, words, expected) => `${words.join(' ')} → ${expected.join(' ')}`,
});
test(mounts, ['-v', '/home/u/proj/out:/out'], ['-v', `${COPY}/out:/out`]);
test(mounts, ['-v', '/home/u/proj:/src:ro'], ['-v', `${COPY}:/src:ro`]);
test(mounts, ['--volume=/home/u/proj/a/../b:/b:z'], [`--volume=${COPY}/b:/b:z`]);
test(mounts, ['-v', './out:/out'], ['-v', `${COPY}/ci/out:/out`], { ctx: { cwd: '/home/u/proj/ci' } });
test(mounts, ['-v', '..:/src'], ['-v', `${COPY}:/src`], { ctx: { cwd: '/home/u/proj/ci' } });
test(mounts, ['-v', 'gocache:/go/pkg'], ['-v', `${RUN}_gocache:/go/pkg`]);
test(mounts, ['-v', '/data'], ['-v', '/data']);
test(
  mounts,
  ['--mount', 'type=bind,source=/home/u/proj/out,target=/out'],
  ['--mount', `type=bind,source=${COPY}/out,target=/out`],
);
test(
  mounts,
  ['--mount=type=bind,src=./out,dst=/out,readonly'],
  [`--mount=type=bind,src=${COPY}/out,dst=/out,readonly`],
);
test(mounts, ['--mount', 'source=cache,target=/c'], ['--mount', `source=${RUN}_cache,target=/c`]);
test(mounts, ['--mount', 'type=volume,target=/c'], ['--mount', 'type=volume,target=/c']);
test(mounts, ['--mount', 'type=tmpfs,target=/t'], ['--mount', 'type=tmpfs,target=/t']);
test(mounts, ['-v', '/home/u/proj/x:/x', '-v', 'c:/c'], ['-v', `${COPY}/x:/x`, '-v', `${RUN}_c:/c`]);

const refuses = test.macro({
  exec(t, words: string[], message: RegExp, setup: Setup = {}) {
    const d = decide(['run', ...words, 'alpine'], setup);
    t.is(d.kind, 'refuse');
    if (d.kind === 'refuse') t.regex(d.message, message);
  },
  title: (_p, words: string[]) => `refused: ${words.join(' ')}`,
});
test(
  refuses,
  ['-v', '/tmp/x:/x'],
  /refused `docker run` with the bind mount `-v \/tmp\/x:\/x`: \/tmp\/x is outside the repository \/home\/u\/proj, .*real host.*Mount a directory inside the repository instead/,
);
test(refuses, ['-v', '/home/u/project2:/x'], /\/home\/u\/project2 is outside the repository/);
test(refuses, ['-v', '../../x:/x'], /\/home\/u\/x is outside/, { ctx: { cwd: '/home/u/proj/ci' } });
test(refuses, ['-v', '/:/host'], /`-v \/:\/host`: \/ is outside/);
test(
  refuses,
  ['--mount', 'type=bind,source=/etc,target=/etc'],
  /the bind mount `--mount type=bind,source=\/etc,target=\/etc`: \/etc is outside/,
);
test(refuses, ['-v', 'bad/name:/x'], /no valid volume name/);

/** Symbolic links in the repository (read through the io, as the script sees them): path -> target as written. */
const LINKS = {
  '/home/u/proj/secrets': '/home/u/secrets',
  '/home/u/proj/up': '../other',
  '/home/u/proj/deep/up2': '../../../etc',
  '/home/u/proj/data': 'assets/data',
  '/home/u/proj/abs': '/home/u/proj/assets',
  '/home/u/proj/assets/back': '..',
  '/home/u/proj/ci/dir': '../deep',
  '/home/u/proj/hop': 'ci/dir/up2',
  '/home/u/proj/root': '/',
  '/home/u/proj/viaroot': 'root/../home/u/proj/assets',
  '/home/u/proj/similar': '/home/u/project2/x',
  '/home/u/proj/loop': 'loop2',
  '/home/u/proj/loop2': 'loop',
};
const linked = { links: LINKS };
test(mounts, ['-v', '/home/u/proj/data:/d'], ['-v', `${COPY}/assets/data:/d`], linked);
test(mounts, ['-v', './data/sub:/d'], ['-v', `${COPY}/assets/data/sub:/d`], linked);
test(mounts, ['-v', '/home/u/proj/abs/x:/d:ro'], ['-v', `${COPY}/assets/x:/d:ro`], linked);
test(mounts, ['-v', '/home/u/proj/assets/back/out:/o'], ['-v', `${COPY}/out:/o`], linked);
test(mounts, ['-v', '/home/u/proj/ci/dir/x:/d'], ['-v', `${COPY}/deep/x:/d`], linked);
test(mounts, ['-v', '/home/u/proj/ci/dir/../y:/d'], ['-v', `${COPY}/ci/y:/d`], linked);
test(
  mounts,
  ['--mount', 'type=bind,source=/home/u/proj/data,target=/d'],
  ['--mount', `type=bind,source=${COPY}/assets/data,target=/d`],
  linked,
);
test(mounts, ['-v', '/home/u/proj/not-yet/out:/o'], ['-v', `${COPY}/not-yet/out:/o`], linked);

test(
  refuses,
  ['-v', '/home/u/proj/secrets:/s'],
  /`-v \/home\/u\/proj\/secrets:\/s`: \/home\/u\/proj\/secrets is a symbolic link to \/home\/u\/secrets, which leads outside the repository \/home\/u\/proj; the engine follows it on the real host.*Mount a directory inside the repository instead/,
  linked,
);
test(
  refuses,
  ['-v', './secrets/id_rsa:/k:ro'],
  /\/home\/u\/proj\/secrets is a symbolic link to \/home\/u\/secrets,/,
  linked,
);
test(
  refuses,
  ['-v', '/home/u/proj/up:/o'],
  /\/home\/u\/proj\/up is a symbolic link to \.\.\/other, which leads outside/,
  linked,
);
test(
  refuses,
  ['-v', '/home/u/proj/deep/up2/x:/o'],
  /\/home\/u\/proj\/deep\/up2 is a symbolic link to \.\.\/\.\.\/\.\.\/etc/,
  linked,
);
test(refuses, ['-v', '/home/u/proj/hop:/o'], /\/home\/u\/proj\/deep\/up2 is a symbolic link/, linked);
test(refuses, ['-v', '/home/u/proj/viaroot:/o'], /\/home\/u\/proj\/root is a symbolic link to \/, /, linked);
test(refuses, ['-v', '/home/u/proj/similar:/o'], /similar is a symbolic link to \/home\/u\/project2\/x, /, linked);
test(
  refuses,
  ['-v', '/home/u/proj/loop:/o'],
  /\/home\/u\/proj\/loop2? is a symbolic link that leads round in a loop/,
  linked,
);
test(
  refuses,
  ['--mount', 'type=bind,src=./secrets,dst=/s'],
  /the bind mount `--mount type=bind,src=\.\/secrets,dst=\/s`: \/home\/u\/proj\/secrets is a symbolic link/,
  linked,
);
test('podman build -v passes through the same check', (t) => {
  const d = decide(['build', '-v', '/home/u/proj/secrets:/s', '.'], { ...linked, ctx: { client: 'podman' } });
  t.is(d.kind, 'refuse');
});
