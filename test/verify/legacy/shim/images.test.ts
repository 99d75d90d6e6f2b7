/** Verbs on images and volumes: the run's tags mapped, new tags prefixed, the user's images left alone. */
import test from 'ava';
import { argvOf, BUILT, decide, LABEL, RUN, type Setup } from '../../helpers/shim.js';

const BUILDER = `${RUN}/docker.io/library/builder:latest`;

const rewrites = test.macro({
  exec(t, argv: string[], expected: string[], setup: Setup = { state: BUILT }) {
    t.deepEqual(argvOf(decide(argv, setup)), expected);
  },
  title: (_p, argv: string[]) => `docker ${argv.join(' ')}`,
});
test(rewrites, ['tag', 'builder', 'acme/app:1'], ['tag', BUILDER, `${RUN}/docker.io/acme/app:1`]);
test(
  rewrites,
  ['image', 'tag', 'alpine:3', 'base'],
  ['image', 'tag', 'alpine:3', `${RUN}/docker.io/library/base:latest`],
);
test(rewrites, ['tag', 'golang', 'base'], ['tag', 'testbase/golang:latest', `${RUN}/docker.io/library/base:latest`]);
test(rewrites, ['rmi', 'builder'], ['rmi', BUILDER]);
test(rewrites, ['image', 'rm', '-f', 'docker.io/library/builder'], ['image', 'rm', '-f', BUILDER]);
test(rewrites, ['images', 'builder'], ['images', `${RUN}/docker.io/library/builder`]);
test(rewrites, ['images', '-q', 'builder:latest'], ['images', '-q', BUILDER]);
test(rewrites, ['images', 'alpine'], ['images', 'alpine']);
test(rewrites, ['image', 'ls'], ['image', 'ls']);
test(
  rewrites,
  ['images', '--filter', 'reference=builder'],
  ['images', '--filter', `reference=${RUN}/docker.io/library/builder`],
);
test(rewrites, ['images', '-q', '-f', 'reference=builder:latest'], ['images', '-q', '-f', `reference=${BUILDER}`]);
test(rewrites, ['images', '--filter=reference=b*'], [`images`, `--filter=reference=${RUN}/docker.io/library/b*`]);
test(rewrites, ['image', 'ls', '-freference=builder'], ['image', 'ls', `-freference=${RUN}/docker.io/library/builder`]);
test(rewrites, ['images', 'b*:latest'], ['images', `${RUN}/docker.io/library/b*:latest`]);
test(rewrites, ['images', '-f', 'reference=alpine'], ['images', '-f', 'reference=alpine']);
test(
  rewrites,
  ['images', '-f', 'dangling=true', '-f', 'reference=a*'],
  ['images', '-f', 'dangling=true', '-f', 'reference=a*'],
);
test(
  rewrites,
  ['images', '-f', 'since=builder', '-f', 'before=alpine'],
  ['images', '-f', `since=${BUILDER}`, '-f', 'before=alpine'],
);
test(
  rewrites,
  ['image', 'list', '--filter', 'reference=builder', '--filter', 'reference=alpine'],
  ['image', 'list', '--filter', `reference=${RUN}/docker.io/library/builder`, '--filter', 'reference=alpine'],
);
test(rewrites, ['pull', 'alpine:3'], ['pull', 'alpine:3']);
test(rewrites, ['save', '-o', 'out/b.tar', 'builder', 'alpine'], ['save', '-o', 'out/b.tar', BUILDER, 'alpine']);
test(rewrites, ['history', 'builder'], ['history', BUILDER]);
test(rewrites, ['import', 'fs.tar', 'flat:1'], ['import', 'fs.tar', `${RUN}/docker.io/library/flat:1`]);
test(rewrites, ['volume', 'create', 'cache'], ['volume', 'create', LABEL, `${RUN}_cache`]);
test(rewrites, ['volume', 'rm', '-f', 'cache'], ['volume', 'rm', '-f', `${RUN}_cache`]);
test(
  rewrites,
  ['volume', 'inspect', '-f', '{{.Mountpoint}}', 'cache'],
  ['volume', 'inspect', '-f', '{{.Mountpoint}}', `${RUN}_cache`],
);
test(rewrites, ['volume', 'ls'], ['volume', 'ls']);

test('a new tag is recorded: a later run of it uses the prefixed one', (t) => {
  const d = decide(['tag', 'builder', 'final'], { state: BUILT });
  if (d.kind !== 'run') return t.fail(argvOf(d) as string);
  t.is(d.state.images['docker.io/library/final:latest'], `${RUN}/docker.io/library/final:latest`);
  t.deepEqual(argvOf(decide(['run', 'final'], { state: d.state })), [
    'run',
    LABEL,
    '--network=none',
    `${RUN}/docker.io/library/final:latest`,
  ]);
});

const skips = test.macro<[string[], RegExp, string?]>({
  exec(t, argv, note, stdout = '') {
    const d = decide(argv, { state: BUILT });
    t.is(d.kind, 'skip', argvOf(d) as string);
    if (d.kind === 'skip') {
      t.regex(d.note, note);
      t.is(d.stdout, stdout);
    }
  },
  title: (_p, argv: string[]) => `not executed: docker ${argv.join(' ')}`,
});
test(skips, ['rmi', 'alpine'], /^docker rmi alpine: not executed \(no image this run tagged\)$/, 'Untagged: alpine\n');
test(skips, ['rmi', 'sha256:' + 'a'.repeat(64)], /not executed/, `Untagged: sha256:${'a'.repeat(64)}\n`);
test(skips, ['rmi', '-a'], /docker rmi --all: not executed/);
test(skips, ['pull', 'builder'], /docker pull builder: not executed \(the run built that image itself\)/);
test(
  skips,
  ['pull', 'golang:1.22'],
  /docker pull golang:1\.22: not executed \(the image map replaces it with testbase\/golang:latest/,
);
test(skips, ['volume', 'rm', '--all'], /not executed/);

test('rmi of the run’s and the user’s images together: only the run’s, with a note', (t) => {
  const d = decide(['rmi', 'alpine', 'builder'], { state: BUILT });
  if (d.kind !== 'run') return t.fail(argvOf(d) as string);
  t.deepEqual(d.argv, ['rmi', BUILDER]);
  t.deepEqual(d.notes, ['docker rmi alpine: not executed (no image this run tagged)']);
});

test('load is refused: it would tag images under the archive’s names', (t) => {
  const d = decide(['image', 'load', '-i', 'x.tar']);
  t.is(d.kind, 'refuse');
  if (d.kind === 'refuse')
    t.regex(
      d.message,
      /refused `docker image load`: loading an archive tags its images under the names inside it.*Build the image in the script instead/,
    );
});
