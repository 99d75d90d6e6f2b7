/** Dockerfiles under the run's names: FROM, COPY --from and RUN --mount from= that name the run's tags or a mapped base. */
import test from 'ava';
import { rewriteDockerfile } from '../../../../src/verify/legacy/shim/dockerfile.js';
import type { ShimDecision } from '../../../../src/verify/legacy/shim/rewrite.js';
import { argvOf, BUILT, decide, RUN, type Setup } from '../../helpers/shim.js';

const BUILDER = `${RUN}/docker.io/library/builder:latest`;
const resolve = (image: string) => (image === 'builder' || image === 'builder:latest' ? BUILDER : image);

const texts = test.macro({
  exec(t, text: string, expected: string) {
    t.is(rewriteDockerfile(text, resolve), expected);
  },
  title: (_p, text: string) => `Dockerfile ${JSON.stringify(text)}`,
});
test(texts, 'FROM builder\n', `FROM ${BUILDER}\n`);
test(
  texts,
  'FROM builder:latest AS b\nFROM alpine\nCOPY --from=b /a /a\n',
  `FROM ${BUILDER} AS b\nFROM alpine\nCOPY --from=b /a /a\n`,
);
test(texts, 'FROM alpine\nCOPY --from=builder /app /app\n', `FROM alpine\nCOPY --from=${BUILDER} /app /app\n`);
test(
  texts,
  'FROM alpine\nRUN --mount=type=bind,from=builder,source=/app,target=/x cp /x /y\n',
  `FROM alpine\nRUN --mount=type=bind,from=${BUILDER},source=/app,target=/x cp /x /y\n`,
);
test(
  texts,
  'FROM alpine AS builder\nFROM alpine\nRUN --mount=from=builder,target=/x true\nCOPY --from=builder /a /a\nCOPY --from=0 /a /a\n',
  'FROM alpine AS builder\nFROM alpine\nRUN --mount=from=builder,target=/x true\nCOPY --from=builder /a /a\nCOPY --from=0 /a /a\n',
);
test(texts, 'ARG BASE=builder\nFROM $BASE\n# FROM builder\n', 'ARG BASE=builder\nFROM $BASE\n# FROM builder\n');

const files = {
  '/home/u/proj/Dockerfile': 'FROM builder\nCOPY . /src\n',
  '/home/u/proj/ci/Dockerfile.final': 'FROM alpine\nCOPY --from=builder /app /app\n',
  '/home/u/proj/ci/Dockerfile.final.dockerignore': 'secret\n',
  '/home/u/proj/Dockerfile.build': 'FROM golang:1.22\nRUN make\n',
  '/home/u/proj/plain/Dockerfile': 'FROM alpine\n',
  '/home/u/proj/pod/Containerfile': 'FROM builder\n',
};

function run(d: ShimDecision) {
  if (d.kind !== 'run') throw new Error(argvOf(d) as string);
  return d;
}

test('-f FILE naming a run tag: rewritten into the scratch directory, its .dockerignore beside it, -f pointed there', (t) => {
  const d = run(decide(['build', '-f', 'ci/Dockerfile.final', '-t', 'app', '.'], { state: BUILT, files }));
  const [dockerfile, ignore] = d.files;
  t.regex(dockerfile!.path, /^\/var\/tmp\/restage\/shim\/dockerfiles\/[0-9a-f]{16}\/Dockerfile\.final$/);
  t.is(dockerfile!.text, `FROM alpine\nCOPY --from=${BUILDER} /app /app\n`);
  t.deepEqual(ignore, { path: `${dockerfile!.path}.dockerignore`, text: 'secret\n' });
  t.is(d.argv[d.argv.indexOf('-f') + 1], dockerfile!.path);
  t.is(d.argv.at(-1), '.', 'the context stays: the client reads it inside the sandbox');
});

test('-f is relative to the working directory; the default Dockerfile is in the context', (t) => {
  const sub = run(
    decide(['build', '-f', 'Dockerfile.final', '..'], { state: BUILT, files, ctx: { cwd: '/home/u/proj/ci' } }),
  );
  t.is(sub.files.length, 2);
  const implicit = run(decide(['build', '-t', 'app', '.'], { state: BUILT, files }));
  t.is(implicit.files[0]!.text, `FROM ${BUILDER}\nCOPY . /src\n`);
  t.true(implicit.argv.includes(`--file=${implicit.files[0]!.path}`));
});

test('podman reads Containerfile first', (t) => {
  const d = run(decide(['build', 'pod'], { state: BUILT, files, ctx: { client: 'podman' } }));
  t.is(d.files[0]!.text, `FROM ${BUILDER}\n`);
  t.regex(d.files[0]!.path, /\/Containerfile$/);
});

test('a mapped base image is rewritten even before the run made any tag', (t) => {
  const d = run(decide(['build', '-f', 'Dockerfile.build', '.'], { files }));
  t.is(d.files[0]!.text, 'FROM golang:1.22\nRUN make\n'.replace('golang:1.22', 'testbase/golang:latest'));
});

test('a Dockerfile that names nothing of the run is used as it is; an unreadable one is left to the engine', (t) => {
  const plain = run(decide(['build', 'plain'], { state: BUILT, files }));
  t.deepEqual(plain.files, []);
  t.false(plain.argv.some((w) => w.startsWith('--file')));
  const missing = run(decide(['build', '-f', 'nope', '.'], { state: BUILT, files }));
  t.deepEqual(missing.files, []);
  t.true(missing.argv.includes('nope'));
});

test("the build's own tags are recorded after its Dockerfile is read: FROM app of a rebuilt app is the earlier one", (t) => {
  const d = run(decide(['build', '-t', 'builder', '.'], { files: { '/home/u/proj/Dockerfile': 'FROM builder\n' } }));
  t.deepEqual(d.files, [], 'builder was not the run’s yet');
  t.is(d.state.images['docker.io/library/builder:latest'], BUILDER);
});

const stdin = test.macro({
  exec(t, argv: string[], setup: Setup, fed: string | undefined, reads: number) {
    const d = run(decide(argv, setup));
    t.is(d.stdin, fed);
    t.is((d as { stdinRead?: number }).stdinRead, reads);
  },
  title: (_p, argv: string[], setup: Setup) =>
    `docker ${argv.join(' ')} with ${setup.state ? 'run tags' : 'nothing to rewrite'}`,
});
test(stdin, ['build', '-f', '-', '.'], { state: BUILT, stdin: 'FROM builder\n' }, `FROM ${BUILDER}\n`, 1);
test(stdin, ['build', '-'], { state: BUILT, stdin: 'FROM builder\n' }, `FROM ${BUILDER}\n`, 1);
test(stdin, ['build', '-'], { ctx: { imageMap: new Map() }, stdin: 'FROM builder\n' }, undefined, 0);
test(stdin, ['build', 'https://github.com/acme/app.git'], { ctx: { imageMap: new Map() } }, undefined, 0);

const refuses = test.macro({
  exec(t, argv: string[], setup: Setup, message: RegExp) {
    const d = decide(argv, setup);
    t.is(d.kind, 'refuse');
    if (d.kind === 'refuse') t.regex(d.message, message);
  },
  title: (_p, argv: string[]) => `refused: docker ${argv.join(' ')}`,
});
test(
  refuses,
  ['build', '-'],
  { state: BUILT, stdin: 'Dockerfile\0\0\0ustar' },
  /streamed on standard input: the context is a tar archive.*Build from a directory/,
);
test(
  refuses,
  ['build', 'https://github.com/acme/app.git'],
  { state: BUILT },
  /with the remote context https:\/\/github\.com\/acme\/app\.git: .*Build from a local checkout/,
);
test(refuses, ['build', 'git@github.com:acme/app.git'], {}, /remote context git@/);
