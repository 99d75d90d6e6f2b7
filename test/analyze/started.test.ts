/**
 * A container that ran is not an image: `docker run`, `docker start` and `docker exec` record the
 * container as started (with what it ran), `docker create` does not, and a `docker cp` from a
 * started container is a warning (RS320) on the line that started it.
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

test('docker start (and container start) of a created container: started with the command given to create', (t) => {
  const a = analyzeText(`${BUILD}docker create --name c b:1 make\ndocker start -a c\ndocker cp c:/out ./out\n`);
  t.deepEqual(summarize(a.events), ['build b:1', 'create c b:1 ran:start@3:make', 'cp c:/out /proj/out']);
  const b = analyzeText(
    `${BUILD}docker container create --name c b:1\ndocker container start c\ndocker cp c:/out ./out\n`,
  );
  t.deepEqual(summarize(b.events), ['build b:1', 'create c b:1 ran:start@3:(default)', 'cp c:/out /proj/out']);
  t.deepEqual(b.diagnostics, []);
});

test('docker exec in a container: started with the command it ran; the first start counts', (t) => {
  const { events } = analyzeText(
    `${BUILD}docker create --name c b:1\ndocker exec -w /src c make dist\ndocker start c\ndocker cp c:/out ./out\n`,
  );
  t.deepEqual(summarize(events), ['build b:1', 'create c b:1 ran:exec@3:make dist', 'cp c:/out /proj/out']);
});

test('stop, wait and logs change nothing: the container stays only created', (t) => {
  const { events, diagnostics } = analyzeText(
    `${BUILD}docker create --name c b:1\ndocker stop c\ndocker wait c\ndocker logs c\ndocker cp c:/out ./out\n`,
  );
  t.deepEqual(summarize(events), ['build b:1', 'create c b:1', 'cp c:/out /proj/out']);
  t.deepEqual(diagnostics, []);
});

function match(script: string, dockerfiles: Record<string, string>) {
  const { events } = analyzeText(script);
  const parsed = new Map<string, ParsedDockerfile>(
    Object.entries(dockerfiles).map(([name, text]) => [`${ROOT}/${name}`, parseDockerfile(name, text).dockerfile]),
  );
  return matchArtifacts({
    flow: { script: 'build.sh', events },
    root: ROOT,
    host: { kinds: new Map(), dockerignores: new Map() },
    dockerfiles: parsed,
    display: (p) => p.slice(ROOT.length + 1),
    scriptFailed: false,
  });
}

const FILES = {
  'Dockerfile.build': 'FROM gcc AS build\nWORKDIR /out\nCMD ["make", "dist"]\n',
  Dockerfile: 'FROM busybox\nCOPY app /app\n',
};

test('RS320: docker cp from a container that ran, on the run line, naming its command and the copied path', (t) => {
  const r = match(
    `${BUILD}docker run --name c b:1 make dist\ndocker cp c:/out/app ./app\ndocker build -t r:1 .\n`,
    FILES,
  );
  const d = r.diagnostics.filter((x) => x.code === 'RS320');
  t.is(d.length, 1);
  t.like(d[0], { severity: 'warning', file: 'build.sh', line: 2, column: 1 });
  t.regex(
    d[0]!.message,
    /`docker run` ran `make dist` in container "c" of b:1, and `docker cp` \(build\.sh:3\) copies \/out\/app/,
  );
  t.is(r.consumptions.length, 1);
});

test('RS320 names the image CMD from the parsed build Dockerfile when the run gave no command', (t) => {
  const r = match(
    `${BUILD}docker create --name c b:1\ndocker start c\ndocker cp c:/out/app ./app\ndocker build -t r:1 .\n`,
    FILES,
  );
  const d = r.diagnostics.find((x) => x.code === 'RS320');
  t.like(d, { line: 3 });
  t.regex(
    d!.message,
    /`docker start` ran the image's default command \(`CMD \["make", "dist"\]` at Dockerfile\.build:3\)/,
  );
});

test('RS320 says "the default command" of an image restage did not build', (t) => {
  const r = match('docker run -d --name c vendor/tool:1\ndocker cp c:/out/app ./app\n', {});
  t.regex(
    r.diagnostics.find((x) => x.code === 'RS320')!.message,
    /ran the default command of vendor\/tool:1 \(its CMD\/ENTRYPOINT\)/,
  );
});

test('no RS320 for a container that was only created; one per started container however many copies', (t) => {
  t.false(
    match(
      `${BUILD}docker create --name c b:1\ndocker cp c:/out/app ./app\ndocker build -t r:1 .\n`,
      FILES,
    ).diagnostics.some((d) => d.code === 'RS320'),
  );
  const twice = match(
    `${BUILD}docker run --name c b:1\ndocker cp c:/out/app ./app\ndocker cp c:/out/lib ./lib\n`,
    FILES,
  );
  t.is(twice.diagnostics.filter((d) => d.code === 'RS320').length, 1);
});
