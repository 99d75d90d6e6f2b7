/**
 * The script evaluator and the docker analyzers on small scripts: what the shell would do,
 * as BuildFlow events and diagnostics. Table tests through one macro.
 */
import test from 'ava';
import { parseShell } from '../../src/parse/shell.js';
import { analyzeScript } from '../../src/analyze/script.js';
import type { FlowEvent } from '../../src/model/flow.js';

const ROOT = '/proj';

function analyze(text: string) {
  const parsed = parseShell('build.sh', text);
  if (!parsed.script) return { events: [] as FlowEvent[], diagnostics: parsed.diagnostics };
  const { flow, diagnostics } = analyzeScript(parsed.script, ROOT, `${ROOT}/build.sh`);
  return { events: [...flow.events], diagnostics: [...parsed.diagnostics, ...diagnostics] };
}

/** A compact view of events: `build tag dockerfile context`, `create handle image`, `cp container:path host`, `rm c`, `host op paths`. */
function summarize(events: readonly FlowEvent[]): string[] {
  return events.map((e) => {
    switch (e.kind) {
      case 'build':
        return `build ${e.tags.join(',')} ${e.dockerfile} ${e.context}${e.buildArgs.map((a) => ` arg:${a.name}=${a.value}`).join('')}${e.target ? ` target:${e.target}` : ''}${e.noCache ? ' no-cache' : ''}`;
      case 'create':
        return `create ${e.handle} ${e.image}`;
      case 'copy-out':
        return `cp ${e.container}:${e.containerPath} ${e.hostPath}`;
      case 'remove':
        return `rm ${e.containers.join(',')}`;
      case 'host':
        return `host ${e.op} ${e.paths.join(',')}`;
      case 'container':
        return `${e.verb}${e.attached ? '' : ' -d'} ${e.container}${e.exec ? ` ${e.exec.args.join(' ')}` : ''}`;
    }
  });
}

const flows = test.macro({
  exec(t, script: string, expected: string[], codes: string[] = []) {
    const { events, diagnostics } = analyze(script);
    t.deepEqual(summarize(events), expected);
    t.deepEqual(
      diagnostics.map((d) => d.code),
      codes,
      JSON.stringify(diagnostics, null, 1),
    );
  },
  title: (provided) => `flow: ${provided}`,
});

test(
  'seed 002 shape',
  flows,
  'docker build --build-arg https_proxy=$https_proxy -t a:build . -f Dockerfile.build\ndocker create --name extract a:build\ndocker cp extract:/go/app ./app\ndocker rm -f extract\ndocker build --no-cache -t a:latest .\nrm ./app\n',
  [
    'build a:build /proj/Dockerfile.build /proj arg:https_proxy=',
    'create extract a:build',
    'cp extract:/go/app /proj/app',
    'rm extract',
    'build a:latest /proj/Dockerfile /proj no-cache',
    'host rm /proj/app',
  ],
);

test(
  'container verbs and image build',
  flows,
  'docker image build -t w:v1 -f Dockerfile.build .\ndocker container create --name c   w:v1\ndocker container cp c:/myapp/welcome .\ndocker container rm -f c\n',
  ['build w:v1 /proj/Dockerfile.build /proj', 'create c w:v1', 'cp c:/myapp/welcome /proj', 'rm c'],
);

test('buildx build with --load and --target', flows, 'docker buildx build --load --target build -t x:1 .\n', [
  'build x:1 /proj/Dockerfile /proj target:build',
]);

test(
  'container id captured in a variable',
  flows,
  'id=$(docker create img:1)\ndocker cp "$id":/out/. ./dist\ndocker rm -v $id\n',
  ['create @container#1 img:1', 'cp @container#1:/out/. /proj/dist', 'rm @container#1'],
);

test(
  'defaults, unset variables and literal variables',
  flows,
  'IMAGE=${IMAGE:-org/app}\nTAG="${TAG-1.0}"\nOUT=${OUT_DIR:-build}\ndocker build $DOCKER_BUILD_OPTS -t "$IMAGE:$TAG" .\ndocker create --name x "$IMAGE:$TAG"\ndocker cp x:/app "$OUT/app"\n',
  ['build org/app:1.0 /proj/Dockerfile /proj', 'create x org/app:1.0', 'cp x:/app /proj/build/app'],
  ['RS305', 'RS322', 'RS322', 'RS322'],
);

test(
  'cd, $(pwd), dirname "$0" and subshells',
  flows,
  'cd "$(dirname "$0")"\n(cd sub && docker build -t s .)\ndocker build -t r "$(pwd)/docker"\ncd out\ndocker cp c:app ./bin\n',
  ['build s /proj/sub/Dockerfile /proj/sub', 'build r /proj/docker/Dockerfile /proj/docker', 'cp c:/app /proj/out/bin'],
);

test('$PWD follows cd', flows, 'cd out\ndocker cp c:/x "$PWD/x"\n', ['cp c:/x /proj/out/x']);

test(
  'functions with positional parameters; sudo; exit stops the script',
  flows,
  'extract() {\n  docker create --name "$1" img\n  docker cp "$1":"$2" .\n}\nsudo docker build -t img .\nextract tmp /app/bin\nexit 0\ndocker build -t never .\n',
  ['build img /proj/Dockerfile /proj', 'create tmp img', 'cp tmp:/app/bin /proj'],
);

test('`a || b` runs a only; `&&` runs both', flows, 'docker rm -f old || true\nmkdir -p out && docker cp c:/x out/\n', [
  'rm old',
  'host mkdir /proj/out',
  'cp c:/x /proj/out',
]);

test(
  'simple conditions are decided; a for loop over literals iterates',
  flows,
  'MODE=release\nif [ "$MODE" = debug ]; then docker build -t dbg .; else docker build -t rel .; fi\nfor f in a b; do docker cp c:/out/$f ./$f; done\n',
  ['build rel /proj/Dockerfile /proj', 'cp c:/out/a /proj/a', 'cp c:/out/b /proj/b'],
);

test(
  'an undecidable condition around docker is said, not hidden',
  flows,
  'if command -v podman; then docker build -t a .; fi\n',
  ['build a /proj/Dockerfile /proj'],
  ['RS306'],
);

test(
  'a path from a command restage does not run is never guessed',
  flows,
  'APP_PATH=$(grep -m1 path config.yml)\ndocker cp extract:$APP_PATH ./app\n',
  [],
  ['RS304'],
);

test(
  'a path from an unset environment variable is never guessed',
  flows,
  'docker cp extract:$APP_PATH ./app\n',
  [],
  ['RS304'],
);

test(
  "docker run piped into another command is an unsupported extraction, a command's output into a file is copied out of the path its step writes; a bind mount is the mount point copied out to the host directory",
  flows,
  'docker run --rm img sh -c "tar -c /app/bin" | gzip > ./bin.tgz\ndocker run --rm img sh -c "tar -c /app/bin" > ./bin.tar\ndocker run --rm -v "$PWD/out":/out img cp -r /app /out\n',
  [
    'host other /proj/bin.tgz',
    'create @container#1 img',
    'cp @container#1:/restage/stdout/2-bin.tar /proj/bin.tar',
    'rm @container#1',
    'create @container#2 img',
    'cp @container#2:/out/. /proj/out',
    'rm @container#2',
  ],
  ['RS307'],
);

test(
  'a Dockerfile from standard input is said to be unsupported',
  flows,
  'docker build -t x -f - . < Dockerfile.build\n',
  [],
  ['RS307'],
);

test(
  'docker run --name leaves a container docker cp can read',
  flows,
  'docker run --name tmp img true\ndocker cp tmp:/x .\n',
  ['create tmp img', 'cp tmp:/x /proj'],
);

test(
  'docker cp of a relative container path is absolute from /',
  flows,
  'docker cp c:go/bin/app ./app\ndocker cp c:/a/b/../c/ ./c\n',
  ['cp c:/go/bin/app /proj/app', 'cp c:/a/c /proj/c'],
);

test("escaped spaces, single quotes and $'…' strings", flows, "docker build -t 'my app' -f Docker\\ file $'dir' \n", [
  'build my app /proj/Docker file /proj/dir',
]);

test('backslash-space at the end of a line: reported at its column, continuation reading analysed', (t) => {
  const { events, diagnostics } = analyze('docker build --build-arg a=1 \\  \n    -t x:1 . -f D\n');
  t.deepEqual(summarize(events), ['build x:1 /proj/D /proj arg:a=1']);
  t.is(diagnostics.length, 1);
  t.like(diagnostics[0], { code: 'RS302', severity: 'error', line: 1, column: 30 });
  t.regex(diagnostics[0]!.message, /does not continue the line/);
  t.regex(diagnostics[0]!.message, /continuation reading/);
});

test('CRLF line endings: one error at the first \\r', (t) => {
  const { diagnostics } = analyze('#!/bin/sh\r\ndocker build .\r\n');
  t.deepEqual(
    diagnostics.map((d) => [d.code, d.line, d.column]),
    [['RS303', 1, 10]],
  );
});

test('an unterminated quote is reported where it opens', (t) => {
  const { diagnostics } = analyze('echo ok\necho "Building\ndocker build .\n');
  t.deepEqual(
    diagnostics.map((d) => [d.code, d.line, d.column]),
    [['RS301', 2, 6]],
  );
});
