/**
 * A container that ran is not an image: `docker run`, `docker start` and `docker exec` record the
 * container as started (with what it ran), `docker create` does not, and a `docker cp` from a
 * started container is read after its command ran (a run stage), or declined when that cannot be known.
 */
import test from 'ava';
import { matchArtifacts } from '../../src/analyze/artifacts.js';
import { parseDockerfile } from '../../src/parse/dockerfile.js';
import type { ParsedDockerfile } from '../../src/model/dockerfile.js';
import { analyzeText, ROOT, summarize } from './helpers.js';

const BUILD = 'docker build -t b:1 -f Dockerfile.build .\n';

test('docker create records a container that never ran, with its command', (t) => {
  const { events } = analyzeText(`${BUILD}docker create --name c b:1 make dist\ndocker cp c:/out/app ./app\n`);
  t.deepEqual(summarize(events), ['build b:1', 'create c b:1', 'cp c:/out/app /proj/app']);
  const create = events[1]!;
  t.true(create.kind === 'create' && create.command === 'make dist' && create.started === null);
});

test('a named foreground docker run is a started container, with its command and --entrypoint', (t) => {
  const { events } = analyzeText(
    `${BUILD}docker run --name c --entrypoint /bin/sh b:1 -c 'make dist'\ndocker cp c:/out/app ./app\n`,
  );
  t.deepEqual(summarize(events), [
    'build b:1',
    "create c b:1 ran:run@2:/bin/sh -c 'make dist'",
    'cp c:/out/app /proj/app',
  ]);
});

test('docker run -d, captured id: started, running the image default command', (t) => {
  const { events } = analyzeText(`${BUILD}id=$(docker run -d b:1)\ndocker cp "$id":/out/app ./app\n`);
  t.deepEqual(summarize(events), [
    'build b:1',
    'create @container#1 b:1 ran:run@2:(default)',
    'cp @container#1:/out/app /proj/app',
  ]);
});

test('docker start (and container start) of a created container: started, and a start call with -a as attached', (t) => {
  const a = analyzeText(`${BUILD}docker create --name c b:1 make\ndocker start -a c\ndocker cp c:/out ./out\n`);
  t.deepEqual(summarize(a.events), ['build b:1', 'create c b:1 ran:start@3:make', 'start c', 'cp c:/out /proj/out']);
  const b = analyzeText(
    `${BUILD}docker container create --name c b:1\ndocker container start c\ndocker cp c:/out ./out\n`,
  );
  t.deepEqual(summarize(b.events), [
    'build b:1',
    'create c b:1 ran:start@3:(default)',
    'start -d c',
    'cp c:/out /proj/out',
  ]);
  t.deepEqual(b.diagnostics, []);
});

test('docker exec in a container: an exec call with its command; the first start counts', (t) => {
  const { events } = analyzeText(
    `${BUILD}docker create --name c b:1\ndocker exec -w /src c make dist\ndocker start c\ndocker cp c:/out ./out\n`,
  );
  t.deepEqual(summarize(events), [
    'build b:1',
    'create c b:1 ran:exec@3:make dist',
    'exec c make dist',
    'start -d c',
    'cp c:/out /proj/out',
  ]);
});

test('stop and wait are container calls; logs changes nothing', (t) => {
  const { events, diagnostics } = analyzeText(
    `${BUILD}docker create --name c b:1\ndocker stop c\ndocker wait c\ndocker logs c\ndocker cp c:/out ./out\n`,
  );
  t.deepEqual(summarize(events), ['build b:1', 'create c b:1', 'stop c', 'wait c', 'cp c:/out /proj/out']);
  t.deepEqual(diagnostics, []);
});

function match(script: string, dockerfiles: Record<string, string>, envFiles: Record<string, string> = {}) {
  const { events } = analyzeText(script);
  const parsed = new Map<string, ParsedDockerfile>(
    Object.entries(dockerfiles).map(([name, text]) => [`${ROOT}/${name}`, parseDockerfile(name, text).dockerfile]),
  );
  return matchArtifacts({
    flow: { script: 'build.sh', events },
    root: ROOT,
    host: {
      kinds: new Map(),
      dockerignores: new Map(),
      envFiles: new Map(Object.entries(envFiles).map(([name, text]) => [`${ROOT}/${name}`, text])),
    },
    dockerfiles: parsed,
    display: (p) => p.slice(ROOT.length + 1),
    scriptFailed: false,
  });
}

const FILES = {
  'Dockerfile.build': 'FROM gcc AS build\nWORKDIR /out\nCMD ["make", "dist"]\n',
  Dockerfile: 'FROM busybox\nCOPY app /app\n',
};

const RUNTIME = 'docker build -t r:1 .\n';
const run = (r: ReturnType<typeof match>) => r.artifacts[0]?.run ?? null;
const codes = (r: ReturnType<typeof match>) => r.diagnostics.map((d) => d.code).sort();

test('a foreground docker run: the copy reads the image after the run args ran, in order, with -w/-u/-e', (t) => {
  const r = match(
    `${BUILD}docker run --name c -w /src -u 1000 -e A=1 --env B='x y' b:1 make dist\ndocker cp c:/out/app ./app\n${RUNTIME}`,
    FILES,
  );
  t.deepEqual(codes(r), ['RS327']);
  t.deepEqual(run(r), {
    container: 'c',
    at: { file: 'build.sh', line: 2, column: 1 },
    steps: [
      {
        at: { file: 'build.sh', line: 2, column: 1 },
        argv: ['make', 'dist'],
        workdir: '/src',
        user: '1000',
        env: [
          ['A', '1'],
          ['B', 'x y'],
        ],
        binds: [],
      },
    ],
  });
});

test("the image's own command: ENTRYPOINT + CMD from the build Dockerfile; a shell form runs under /bin/sh -c", (t) => {
  const json = match(
    `${BUILD}docker create --name c b:1\ndocker start -a c\ndocker cp c:/out/app ./app\n${RUNTIME}`,
    FILES,
  );
  t.deepEqual(codes(json), []);
  t.deepEqual(run(json)!.steps[0]!.argv, ['make', 'dist']);
  const shell = match(`${BUILD}docker run --name c b:1\ndocker cp c:/out/app ./app\n${RUNTIME}`, {
    ...FILES,
    'Dockerfile.build': 'FROM gcc\nENTRYPOINT ["/entry"]\nCMD make \\\n  dist\n',
  });
  t.deepEqual(run(shell)!.steps[0]!.argv, ['/entry', '/bin/sh', '-c', 'make   dist']);
  const reset = match(`${BUILD}docker run --name c b:1 x\ndocker cp c:/out/app ./app\n${RUNTIME}`, {
    ...FILES,
    'Dockerfile.build': 'FROM gcc AS base\nCMD ["make"]\nFROM base\nENTRYPOINT ["/entry"]\n',
  });
  t.deepEqual(run(reset)!.steps[0]!.argv, ['/entry', 'x']);
});

test('--entrypoint replaces the image ENTRYPOINT and CMD', (t) => {
  const r = match(
    `${BUILD}docker run --name c --entrypoint /bin/sh b:1 -c 'make dist'\ndocker cp c:/out/app ./app\n${RUNTIME}`,
    { ...FILES, 'Dockerfile.build': 'FROM gcc\nENTRYPOINT ["/entry"]\nCMD ["x"]\n' },
  );
  t.deepEqual(codes(r), []);
  t.deepEqual(run(r)!.steps[0]!.argv, ['/bin/sh', '-c', 'make dist']);
});

test('RS325: the default command of a base image restage cannot read is declined on the run line', (t) => {
  const r = match(`${BUILD}docker run --name c b:1\ndocker cp c:/out/app ./app\n${RUNTIME}`, {
    ...FILES,
    'Dockerfile.build': 'FROM gcc\nRUN make\n',
  });
  const d = r.diagnostics.find((x) => x.code === 'RS325');
  t.like(d, { severity: 'error', line: 2 });
  t.regex(d!.message, /write the command on the `docker run` line/);
  t.is(run(r), null);
});

test('RS324: a detached run copied without docker wait is racy; with wait (or start -a) it is a run stage', (t) => {
  const racy = match(`${BUILD}docker run -d --name c b:1 make\ndocker cp c:/out/app ./app\n${RUNTIME}`, FILES);
  t.like(
    racy.diagnostics.find((d) => d.code === 'RS324'),
    { line: 3 },
  );
  const waited = match(
    `${BUILD}docker run -d --name c b:1 make\ndocker wait c\ndocker cp c:/out/app ./app\n${RUNTIME}`,
    FILES,
  );
  t.false(waited.diagnostics.some((d) => d.severity === 'error'));
  t.deepEqual(run(waited)!.steps[0]!.argv, ['make']);
  const started = match(
    `${BUILD}docker create --name c b:1\ndocker start c\ndocker cp c:/out/app ./app\n${RUNTIME}`,
    FILES,
  );
  t.true(started.diagnostics.some((d) => d.code === 'RS324'));
});

test('RS326: docker stop of a command nothing waited for; after a foreground run it is harmless', (t) => {
  const cut = match(
    `${BUILD}docker run -d --name c b:1 serve\ndocker stop c\ndocker cp c:/out/app ./app\n${RUNTIME}`,
    FILES,
  );
  t.like(
    cut.diagnostics.find((d) => d.code === 'RS326'),
    { line: 3 },
  );
  const ended = match(
    `${BUILD}docker run --name c b:1 make\ndocker stop c\ndocker cp c:/out/app ./app\n${RUNTIME}`,
    FILES,
  );
  t.false(ended.diagnostics.some((d) => d.severity === 'error'));
});

test('a keep-alive command writes nothing: the execs are the steps, each with its own -w/-u; -d exec is racy', (t) => {
  const r = match(
    `${BUILD}docker run -d --name c -w /src b:1 sleep infinity\ndocker exec -u 1000 c make\ndocker exec -w /tmp c make install\ndocker stop c\ndocker cp c:/out/app ./app\n${RUNTIME}`,
    { ...FILES, 'Dockerfile.build': 'FROM gcc\nWORKDIR /w\nUSER 0\n' },
  );
  t.deepEqual(codes(r), ['RS327']);
  t.deepEqual(
    run(r)!.steps.map((s) => [s.argv.join(' '), s.workdir, s.user]),
    [
      ['make', '/src', '1000'],
      ['make install', '/tmp', '0'],
    ],
  );
  const bg = match(
    `${BUILD}docker run -d --name c b:1 tail -f /dev/null\ndocker exec -d c make\ndocker cp c:/out/app ./app\n${RUNTIME}`,
    FILES,
  );
  t.true(bg.diagnostics.some((d) => d.code === 'RS324'));
});

test('RS325: exec in a container whose command ended; env not literal; --env-file', (t) => {
  const ended = match(
    `${BUILD}docker run --name c b:1 make\ndocker exec c make install\ndocker cp c:/out/app ./app\n${RUNTIME}`,
    FILES,
  );
  t.like(
    ended.diagnostics.find((d) => d.code === 'RS325'),
    { line: 3 },
  );
  const env = match(
    `${BUILD}docker run --name c -e HOME --env-file x.env b:1 make\ndocker cp c:/out/app ./app\n${RUNTIME}`,
    FILES,
  );
  t.is(env.diagnostics.filter((d) => d.code === 'RS325').length, 2);
});

test('a created container never started holds the image: no run', (t) => {
  const r = match(`${BUILD}docker create --name c b:1\ndocker cp c:/out/app ./app\n${RUNTIME}`, FILES);
  t.is(run(r), null);
  t.deepEqual(codes(r), []);
});

test('--env-file in the tree: its NAME=VALUE lines, then -e overriding them, as ENV of the step', (t) => {
  const r = match(
    `${BUILD}docker run --name c --env-file build.env -e B=override b:1 make\ndocker cp c:/out/app ./app\n${RUNTIME}`,
    FILES,
    { 'build.env': '# build settings\nA=1\nB=file\n' },
  );
  t.false(r.diagnostics.some((d) => d.severity === 'error'));
  t.deepEqual(run(r)!.steps[0]!.env, [
    ['A', '1'],
    ['B', 'override'],
  ]);
  const bare = match(
    `${BUILD}docker run --name c --env-file build.env b:1 make\ndocker cp c:/out/app ./app\n${RUNTIME}`,
    FILES,
    { 'build.env': 'HOME\n' },
  );
  t.regex(bare.diagnostics.find((d) => d.code === 'RS325')!.message, /line 1 of build\.env: `HOME` takes its value/);
});
