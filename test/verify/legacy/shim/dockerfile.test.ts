/** Dockerfiles under the run's names: FROM, COPY --from and RUN --mount from= that name the run's tags or a mapped base. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import test from 'ava';
import { rewriteDockerfile } from '../../../../src/verify/legacy/shim/dockerfile.js';
import type { ShimDecision } from '../../../../src/verify/legacy/shim/rewrite.js';
import { argvOf, BUILT, decide, RUN, stateWith, type Setup } from '../../helpers/shim.js';

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
test('without the build’s variables, a reference written with one is left as it is', (t) => {
  t.is(
    rewriteDockerfile('ARG B=builder\nFROM $B\n', () => BUILDER),
    'ARG B=builder\nFROM $B\n',
  );
});

const MYORG = `${RUN}/docker.io/myorg/builder:latest`;
const OWN = stateWith({
  'docker.io/library/builder:latest': BUILDER,
  'docker.io/myorg/builder:latest': MYORG,
});
/** A build of a Dockerfile written with variables: the text it is given (the written one when it needs no copy). */
const variables = test.macro({
  exec(t, text: string, options: string[], expected: string, client: 'docker' | 'podman' = 'docker') {
    const d = run(
      decide(['build', ...options, '-t', 'app', '.'], {
        state: OWN,
        files: { '/home/u/proj/Dockerfile': text },
        ctx: { client, imageMap: new Map() },
      }),
    );
    t.is(d.files[0]?.text ?? text, expected);
  },
  title: (_p, text: string, options: string[], _e: string, client: string = 'docker') =>
    `${client} build ${options.join(' ')} of ${JSON.stringify(text)}`,
});
test(variables, 'ARG BASE=myorg/builder\nFROM ${BASE}\n', [], `ARG BASE=myorg/builder\nFROM ${MYORG}\n`);
test(variables, 'ARG BASE=myorg/builder\nFROM $BASE AS rt\n', [], `ARG BASE=myorg/builder\nFROM ${MYORG} AS rt\n`);
test(
  variables,
  'ARG BASE=alpine\nFROM ${BASE}\n',
  ['--build-arg', 'BASE=myorg/builder'],
  `ARG BASE=alpine\nFROM ${MYORG}\n`,
);
test(
  variables,
  'ARG BASE=alpine\nFROM ${BASE}\n',
  ['--build-arg=BASE=alpine', '--build-arg', 'BASE=myorg/builder:latest'],
  `ARG BASE=alpine\nFROM ${MYORG}\n`,
);
test(
  variables,
  'ARG BASE=myorg/builder\nFROM ${BASE}\n',
  ['--build-arg', 'BASE=alpine'],
  'ARG BASE=myorg/builder\nFROM ${BASE}\n',
);
test(variables, 'ARG BASE\nFROM ${BASE:-myorg/builder}\n', [], `ARG BASE\nFROM ${MYORG}\n`);
test(variables, 'ARG BASE=x\nFROM ${BASE:+builder}\n', [], `ARG BASE=x\nFROM ${BUILDER}\n`);
test(variables, 'ARG TAG=latest\nFROM myorg/builder:${TAG}\n', [], `ARG TAG=latest\nFROM ${MYORG}\n`);
test(variables, 'ARG BASE=alpine\nFROM $BASE\n', [], 'ARG BASE=alpine\nFROM $BASE\n');
test(variables, 'ARG BASE\nFROM $BASE\n', ['--build-arg', 'BASE'], 'ARG BASE\nFROM $BASE\n');
test(variables, 'FROM $BASE\n', ['--build-arg', 'BASE=myorg/builder'], 'FROM $BASE\n');
test(variables, 'FROM myorg/builder-$TARGETARCH\n', [], 'FROM myorg/builder-$TARGETARCH\n');
test(
  variables,
  'ARG B=builder\nFROM alpine AS builder\nFROM ${B}\n',
  [],
  'ARG B=builder\nFROM alpine AS builder\nFROM ${B}\n',
);
test(
  variables,
  'ARG B=myorg/builder\nFROM alpine\nARG B\nCOPY --from=$B /a /a\n',
  [],
  'ARG B=myorg/builder\nFROM alpine\nARG B\nCOPY --from=$B /a /a\n',
);
test(
  variables,
  'ARG B=myorg/builder\nFROM alpine\nARG B\nCOPY --from=$B /a /a\n',
  [],
  `ARG B=myorg/builder\nFROM alpine\nARG B\nCOPY --from=${MYORG} /a /a\n`,
  'podman',
);
test(
  variables,
  'FROM alpine\nARG SRC=alpine\nCOPY --from=${SRC} /a /a\nRUN --mount=from=$SRC,target=/x true\n',
  ['--build-arg', 'SRC=builder'],
  `FROM alpine\nARG SRC=alpine\nCOPY --from=${BUILDER} /a /a\nRUN --mount=from=$SRC,target=/x true\n`,
  'podman',
);
test(
  variables,
  'ARG B=myorg/builder\nFROM alpine\nCOPY --from=$B /a /a\n',
  [],
  'ARG B=myorg/builder\nFROM alpine\nCOPY --from=$B /a /a\n',
  'podman',
);

test('a Dockerfile on standard input gets its variables resolved too', (t) => {
  const d = run(
    decide(['build', '--build-arg', 'BASE=myorg/builder', '-f', '-', '.'], {
      state: OWN,
      stdin: 'ARG BASE\nFROM $BASE\n',
    }),
  );
  t.is(d.stdin, `ARG BASE\nFROM ${MYORG}\n`);
  t.true(d.argv.includes('BASE=myorg/builder'), 'the --build-arg stays as written');
});

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

test('a context whose .dockerignore does not exclude itself gets the rewritten file inside it, under a name that .dockerignore excludes, removed after the call', (t) => {
  const d = run(
    decide(['build', '-t', 'app', '.'], {
      state: BUILT,
      files: { ...files, '/home/u/proj/.dockerignore': '*.md\nbuild.sh\n' },
    }),
  );
  t.is(d.files.length, 1, 'no copy of .dockerignore: the context has its own');
  t.regex(d.files[0]!.path, /^\/home\/u\/proj\/restage-[0-9a-f]{16}\.md$/);
  t.is(d.files[0]!.text, `FROM ${BUILDER}\nCOPY . /src\n`);
  t.deepEqual(d.temporary, [d.files[0]!.path]);
  t.true(d.argv.includes(`--file=${d.files[0]!.path}`));
});

test('a .dockerignore that excludes itself, or a <Dockerfile>.dockerignore, keeps the rewritten file outside the context', (t) => {
  const self = run(
    decide(['build', '-t', 'app', '.'], {
      state: BUILT,
      files: { ...files, '/home/u/proj/.dockerignore': '*.md\n.dockerignore\n' },
    }),
  );
  t.regex(self.files[0]!.path, /^\/var\/tmp\/restage\/shim\/dockerfiles\//);
  t.is(self.temporary, undefined);
  const own = run(
    decide(['build', '-f', 'ci/Dockerfile.final', '.'], {
      state: BUILT,
      files: { ...files, '/home/u/proj/.dockerignore': '*.md\n' },
    }),
  );
  t.regex(own.files[0]!.path, /^\/var\/tmp\/restage\/shim\/dockerfiles\//);
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
  { state: BUILT, stdin: streamOf({ app: 'x\n' }) },
  /streamed on standard input: the stream holds no Dockerfile Dockerfile, so the run cannot rewrite.*Build from a directory/,
);
test(
  refuses,
  ['build', 'https://github.com/acme/app.git'],
  { state: BUILT },
  /with the remote context https:\/\/github\.com\/acme\/app\.git: .*Build from a local checkout/,
);
test(refuses, ['build', 'git@github.com:acme/app.git'], {}, /remote context git@/);

test('a base behind a build argument is image-mapped by its value for this build, as the restage side maps it', (t) => {
  const text = 'ARG GO_VERSION=1.21\nFROM golang:${GO_VERSION}\nFROM alpine:${NOPE}\n';
  const d = run(
    decide(['build', '--build-arg', 'GO_VERSION=1.22', '-t', 'app', '.'], {
      state: OWN,
      files: { '/home/u/proj/Dockerfile': text },
      ctx: { client: 'docker', imageMap: new Map([['golang:1.22', 'testbase/golang:latest']]) },
    }),
  );
  t.is(d.files[0]?.text, 'ARG GO_VERSION=1.21\nFROM testbase/golang:latest\nFROM alpine:${NOPE}\n');
  const unmapped = run(
    decide(['build', '-t', 'app', '.'], {
      state: OWN,
      files: { '/home/u/proj/Dockerfile': text },
      ctx: { client: 'docker', imageMap: new Map([['golang:1.22', 'testbase/golang:latest']]) },
    }),
  );
  t.is(unmapped.files[0]?.text ?? text, text, 'the default 1.21 is not the mapped tag');
});

/** A tar stream as GNU tar makes it (`tar -c -C DIR .`) of these files. */
function streamOf(files: Record<string, string>): Buffer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-shim-stream-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    const r = spawnSync('tar', ['-c', '-C', dir, '.']);
    if (r.status !== 0) throw new Error(r.stderr.toString());
    return r.stdout;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The members of a tar stream with their content, as GNU tar lists and extracts them. */
function membersOf(stream: Buffer): Record<string, string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-shim-stream-'));
  try {
    const r = spawnSync('tar', ['-x', '-C', dir], { input: stream });
    if (r.status !== 0) throw new Error(r.stderr.toString());
    const out: Record<string, string> = {};
    for (const name of fs.readdirSync(dir, { recursive: true }) as string[])
      if (fs.statSync(path.join(dir, name)).isFile()) out[name] = fs.readFileSync(path.join(dir, name), 'utf8');
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const streamed = test.macro({
  exec(t, argv: string[], input: Buffer, dockerfile: string, _what: string) {
    const d = run(decide(argv, { state: BUILT, stdin: input }));
    t.true(Buffer.isBuffer(d.stdin), 'a tar stream is fed on as bytes');
    const members = membersOf(d.stdin as Buffer);
    t.is(members[dockerfile], `FROM ${BUILDER}\nCOPY app /app\n`);
    t.is(members['app'], 'binary\0\u00ff', 'other members are passed on as they were');
  },
  title: (_p, argv: string[], _i, dockerfile: string, what: string) =>
    `docker ${argv.join(' ')} with ${what}: its ${dockerfile} is rewritten to the run's tags`,
});
const streamFiles = (dockerfile: string) => ({ [dockerfile]: 'FROM builder\nCOPY app /app\n', app: 'binary\0\u00ff' });
test(streamed, ['build', '-'], streamOf(streamFiles('Dockerfile')), 'Dockerfile', 'a tar stream');
test(
  streamed,
  ['build', '-', '--tag', 'x'],
  gzipSync(streamOf(streamFiles('Dockerfile'))),
  'Dockerfile',
  'a gzip stream',
);
test(
  streamed,
  ['build', '-f', 'out/Dockerfile', '-'],
  streamOf(streamFiles('out/Dockerfile')),
  'out/Dockerfile',
  'a tar stream',
);
test(
  streamed,
  ['build', '-f', 'out/Dockerfile', '-'],
  streamOf({ ...streamFiles('out/Dockerfile'), [`${'d'.repeat(90)}/${'f'.repeat(40)}`]: 'long\n' }),
  'out/Dockerfile',
  'a GNU long name before it',
);
