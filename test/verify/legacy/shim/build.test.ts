/** `docker build` under the run: prefixed tags, --no-cache, the label, a network, Dockerfiles rewritten to the run's tags. */
import test from 'ava';
import { EMPTY_STATE } from '../../../../src/verify/legacy/shim/rewrite.js';
import { argvOf, BUILT, decide, LABEL, RUN, type Setup } from '../../helpers/shim.js';

const ADDED = ['--no-cache', LABEL, '--network=none', '--force-rm'];
/** buildx has no --force-rm (and keeps no failed step's container). */
const BUILDX_ADDED = ['--no-cache', LABEL, '--network=none'];
const BUILDER = `${RUN}/docker.io/library/builder:latest`;

const rewrites = test.macro({
  exec(t, argv: string[], expected: string[], setup: Setup = {}) {
    t.deepEqual(argvOf(decide(argv, setup)), expected);
  },
  title: (_p, argv: string[]) => `docker ${argv.join(' ')}`,
});
test(rewrites, ['build', '-t', 'builder', '.'], ['build', ...ADDED, '-t', BUILDER, '.']);
test(
  rewrites,
  ['build', '--tag=builder:1', '--tag', 'acme/b', '.'],
  ['build', ...ADDED, `--tag=${RUN}/docker.io/library/builder:1`, '--tag', `${RUN}/docker.io/acme/b:latest`, '.'],
);
test(rewrites, ['build', '-qtbuilder', '.'], ['build', ...ADDED, `-qt${BUILDER}`, '.']);
test(rewrites, ['image', 'build', '-t', 'builder', '.'], ['image', 'build', ...ADDED, '-t', BUILDER, '.']);
test(
  rewrites,
  ['buildx', 'build', '--load', '-t', 'builder', '.'],
  ['buildx', 'build', ...BUILDX_ADDED, '--load', '-t', BUILDER, '.'],
);
test(rewrites, ['builder', 'build', '.'], ['builder', 'build', ...BUILDX_ADDED, '.']);
test(rewrites, ['--log-level', 'warn', 'build', '.'], ['--log-level', 'warn', 'build', ...ADDED, '.']);
test('a --no-cache already there is not doubled, and --no-cache=false cannot win', (t) => {
  t.deepEqual(argvOf(decide(['build', '--no-cache', '.'])), ['build', ...ADDED, '.']);
  t.deepEqual(argvOf(decide(['build', '--no-cache=false', '.'])), ['build', ...ADDED, '.']);
});
test(
  rewrites,
  ['build', '--network', 'bridge', '.'],
  ['build', '--no-cache', LABEL, '--force-rm', '--network', 'bridge', '.'],
);
test(rewrites, ['build', '--pull', '.'], ['build', ...ADDED, '--pull', '.']);
test(rewrites, ['build', '.'], ['build', '--no-cache', LABEL, '--force-rm', '.'], { ctx: { network: null } });
test(
  rewrites,
  ['build', '--build-context', 'base=docker-image://builder', '.'],
  ['build', ...ADDED, '--build-context', `base=docker-image://${BUILDER}`, '.'],
  { state: BUILT },
);
test(
  rewrites,
  ['build', '--build-context', 'src=../lib', '.'],
  ['build', ...ADDED, '--build-context', 'src=../lib', '.'],
  { state: BUILT },
);
test(
  rewrites,
  ['build', '--secret', 'id=x,src=/home/u/.npmrc', '--unknown-opt=3', '.'],
  ['build', ...ADDED, '--secret', 'id=x,src=/home/u/.npmrc', '--unknown-opt=3', '.'],
);
test(
  rewrites,
  ['build', '-v', './cache:/cache', '--from', 'golang', '.'],
  ['build', ...ADDED, '-v', '/var/tmp/restage/copy/cache:/cache', '--from', 'testbase/golang:latest', '.'],
  { ctx: { client: 'podman' } },
);

test('tags are recorded under their image key; the state passed in is not changed', (t) => {
  const d = decide(['build', '-t', 'builder', '-t', 'docker.io/acme/b:2', '.']);
  if (d.kind !== 'run') return t.fail(argvOf(d) as string);
  t.deepEqual(d.state.images, {
    'docker.io/library/builder:latest': BUILDER,
    'docker.io/acme/b:2': `${RUN}/docker.io/acme/b:2`,
  });
  t.deepEqual(EMPTY_STATE.images, {});
  t.false(d.capturesId);
});

test('--push is dropped with a note: the image is built, never published', (t) => {
  const d = decide(['buildx', 'build', '--push', '-t', 'acme/app', '.']);
  if (d.kind !== 'run') return t.fail(argvOf(d) as string);
  t.false(d.argv.includes('--push'));
  t.regex(d.notes.join('\n'), /docker buildx build --push: the image was built but not pushed/);
});

const refuses = test.macro({
  exec(t, argv: string[], message: RegExp, setup: Setup = {}) {
    const d = decide(argv, setup);
    t.is(d.kind, 'refuse');
    if (d.kind === 'refuse') t.regex(d.message, message);
  },
  title: (_p, argv: string[]) => `refused: docker ${argv.join(' ')}`,
});
test(
  refuses,
  ['build', '--network', 'host', '.'],
  /refused `docker build` with --network host: .*host's network namespace.*Remove --network host/,
);
test(refuses, ['build', '--network=host', '.'], /with --network host/);
test(refuses, ['build', '--allow', 'network.host', '.'], /with --allow network\.host: .*Remove it/);
test(refuses, ['build', '--allow=security.insecure', '.'], /with --allow security\.insecure/);
test(refuses, ['build', '-o', 'type=registry', '.'], /with --output type=registry: verify never pushes.*--load/);
test(refuses, ['build', '--output=type=image,push=true', '.'], /push=true/);
test(refuses, ['build', '--cap-add', 'SYS_ADMIN', '.'], /with --cap-add SYS_ADMIN/, { ctx: { client: 'podman' } });
test(
  refuses,
  ['build', '--frobnicate', 'x', '.'],
  /with the option `--frobnicate`: restage does not know that option.*`--frobnicate=VALUE`/,
);
test(refuses, ['build', '-t', 'Bad:Tag!', '.'], /with the tag `Bad:Tag!`: it is no valid image tag.*Fix the tag/);
test(refuses, ['build', '-v', '/tmp/x:/x', '.'], /with the bind mount `-v \/tmp\/x:\/x`/, {
  ctx: { client: 'podman' },
});

test('a build, in every spelling, writes its image id where the caller asks; other verbs are not asked', (t) => {
  for (const argv of [
    ['build', '.'],
    ['--log-level', 'warn', 'image', 'build', '.'],
    ['buildx', 'build', '--load', '.'],
  ])
    t.true(argvOf(decide(argv, { ctx: { iidfile: '/run/iid-1' } })).includes('--iidfile=/run/iid-1'), argv.join(' '));
  t.false(String(argvOf(decide(['build', '.']))).includes('--iidfile'));
  t.false(String(argvOf(decide(['create', 'busybox'], { ctx: { iidfile: '/run/iid-1' } }))).includes('--iidfile'));
});
