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
