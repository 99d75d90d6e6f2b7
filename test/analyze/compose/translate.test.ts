/**
 * Compose as a runner: a compose command is the `docker build` + `docker run` it stands for, located
 * at the script's line, marked `compose`; what restage cannot model is declined (RS370/RS371) where
 * it is written.
 */
import test from 'ava';
import { normalizeProject, serviceImage } from '../../../src/analyze/compose/translate.js';
import type { ComposeService } from '../../../src/analyze/compose/file.js';
import type { FlowEvent } from '../../../src/model/flow.js';
import { analyzeText, summarize } from '../helpers.js';

/** The script analysed at /proj with these files in the tree (paths relative to /proj). */
function run(script: string, files: Record<string, string>) {
  return analyzeText(script, {
    readFile: (abs) => {
      const rel = abs.startsWith('/proj/') ? abs.slice('/proj/'.length) : null;
      return rel !== null && rel in files ? { display: rel, text: files[rel]! } : null;
    },
  });
}

const BUILDER = `services:
  builder:
    build: { context: ., dockerfile: Dockerfile.build, args: [ "V=1" ], target: dev }
    volumes: [ "./out:/out", "cache:/cache" ]
    working_dir: /src
    command: make
    environment: [ "CGO_ENABLED=0" ]
`;

function creates(events: readonly FlowEvent[]) {
  return events.flatMap((e) => (e.kind === 'create' ? [e] : []));
}

test('docker compose run SERVICE: the build compose does first, then a docker run with the service options', (t) => {
  const { events, diagnostics } = run('docker compose run --rm builder\n', { 'docker-compose.yml': BUILDER });
  t.deepEqual(
    diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  t.deepEqual(summarize(events), [
    'build proj-builder',
    'create @container#1 proj-builder ran:run@1:make',
    'cp @container#1:/out/. /proj/out',
    'rm @container#1',
  ]);
  const build = events[0]!;
  if (build.kind !== 'build') return t.fail();
  t.deepEqual(
    [build.dockerfile, build.context, build.target, build.buildArgs.map((a) => a.written)],
    ['/proj/Dockerfile.build', '/proj', 'dev', ['V=1']],
  );
  t.deepEqual(build.compose, { file: 'build.sh', line: 1, column: 1 });
  const [c] = creates(events);
  t.deepEqual(c!.compose, { file: 'build.sh', line: 1, column: 1 });
  t.deepEqual([c!.run?.workdir, c!.run?.env, c!.run?.args], ['/src', [['CGO_ENABLED', '0']], ['make']]);
  t.deepEqual(
    c!.run?.mounts.map((m) => [m.kind, m.source, m.target, m.at.line]),
    [
      ['bind', '/proj/out', '/out', 1],
      ['volume', 'proj_cache', '/cache', 1],
    ],
  );
});

const cases: readonly {
  readonly title: string;
  readonly script: string;
  readonly files: Record<string, string>;
  readonly events: readonly string[];
  readonly check?: (events: readonly FlowEvent[]) => unknown;
  readonly want?: unknown;
}[] = [
  {
    title: 'the command on the command line replaces command:; CLI -w, -e, -u, --entrypoint override the service',
    script: 'docker compose run -T -w /w -e A=2 --user 1:1 --entrypoint /bin/sh builder -c "make app"\n',
    files: { 'compose.yaml': BUILDER },
    events: [
      'build proj-builder',
      'create @container#1 proj-builder ran:run@1:/bin/sh -c "make app"',
      'cp @container#1:/out/. /proj/out',
    ],
    check: (e) => {
      const r = creates(e)[0]!.run!;
      return [r.entrypoint, r.args, r.workdir, r.user, r.env];
    },
    want: [
      '/bin/sh',
      ['-c', 'make app'],
      '/w',
      '1:1',
      [
        ['CGO_ENABLED', '0'],
        ['A', '2'],
      ],
    ],
  },
  {
    title: 'image: without build: runs that image, built earlier by the script',
    script: 'docker build -t tools .\ndocker compose run tools\n',
    files: { 'compose.yaml': 'services:\n  tools:\n    image: tools\n    volumes: [ "./out:/out" ]\n' },
    events: ['build tools', 'create @container#1 tools ran:run@2:(default)', 'cp @container#1:/out/. /proj/out'],
  },
  {
    title: 'v1: -f names the file; relative paths resolve against its directory; the image is <project>_<service>',
    script: 'docker-compose -f ci/c.yml run --rm b\n',
    files: {
      'ci/c.yml':
        'services:\n  b:\n    build: ..\n    volumes: [ "../out:/out" ]\n    entrypoint: [ sh, -c ]\n    command: [ "make all" ]\n',
    },
    events: [
      'build ci_b',
      "create @container#1 ci_b ran:run@1:sh -c 'make all'",
      'cp @container#1:/out/. /proj/out',
      'rm @container#1',
    ],
    check: (e) => [e[0]!.kind === 'build' && e[0]!.context, creates(e)[0]!.run!.entrypoint],
    want: ['/proj', 'sh'],
  },
  {
    title: '-p, then COMPOSE_PROJECT_NAME, then name: (v2) name the project, normalized',
    script: 'docker compose -p My.Proj run b\nexport COMPOSE_PROJECT_NAME=Other\ndocker compose run b\n',
    files: { 'compose.yml': 'name: ignored\nservices:\n  b:\n    build: .\n' },
    events: ['build myproj-b', 'build other-b'],
  },
  {
    title: 'top-level name: names a v2 project',
    script: 'docker compose run b\n',
    files: { 'compose.yml': 'name: Named\nservices:\n  b:\n    build: .\n' },
    events: ['build named-b'],
  },
  {
    title: 'docker compose build SERVICE is the build alone; without a service, every service that builds',
    script: 'docker compose build --no-cache b\ndocker compose build\n',
    files: { 'compose.yml': 'services:\n  a:\n    build: ./a\n  b:\n    build: ./b\n  c:\n    image: x\n' },
    events: ['build proj-b', 'build proj-a', 'build proj-b'],
    check: (e) => e[0]!.kind === 'build' && e[0]!.noCache,
    want: true,
  },
  {
    title: 'with -T, `run SERVICE cat FILE > FILE` is the stdout extraction docker run would be',
    script: 'docker compose run --rm -T tools cat /src/app > app\n',
    files: { 'compose.yml': 'services:\n  tools:\n    image: x\n' },
    events: ['create @container#1 x ran:run@1:cat /src/app', 'cp @container#1:/src/app /proj/app'],
  },
  {
    title: 'output kept from a run after compose build of the service: no build log in it',
    script: 'docker-compose build builder\ndocker-compose run --rm -T builder cat /src/app > app\n',
    files: { 'compose.yml': 'services:\n  builder:\n    build: .\n' },
    events: [
      'build proj_builder',
      'create @container#1 proj_builder ran:run@2:cat /src/app',
      'cp @container#1:/src/app /proj/app',
    ],
  },
  {
    title: 'run after compose build of the service does not build it again (the engine has the image)',
    script: 'docker compose build builder\ndocker compose run builder\ndocker compose run builder\n',
    files: { 'compose.yml': BUILDER },
    events: [
      'build proj-builder',
      'create @container#1 proj-builder ran:run@2:make',
      'cp @container#1:/out/. /proj/out',
      'create @container#2 proj-builder ran:run@3:make',
      'cp @container#2:/out/. /proj/out',
    ],
  },
  {
    title: 'an interpolated value the script sets is used',
    script: 'export OUT=dist\ndocker compose run b\n',
    files: { 'compose.yml': 'services:\n  b:\n    image: x\n    volumes: [ "./${OUT}:/out" ]\n' },
    events: ['create @container#1 x ran:run@2:(default)', 'cp @container#1:/out/. /proj/dist'],
  },
  {
    title: 'depends_on is followed with --no-deps; inert sub-commands do nothing',
    script: 'docker compose run --no-deps b\ndocker compose ps\ndocker compose config\n',
    files: {
      'compose.yml':
        'services:\n  b:\n    image: x\n    volumes: [ "./out:/out" ]\n    depends_on: [ db ]\n  db:\n    image: postgres\n',
    },
    events: ['create @container#1 x ran:run@1:(default)'],
  },
];

for (const c of cases) {
  test(c.title, (t) => {
    const { events, diagnostics } = run(c.script, c.files);
    t.deepEqual(
      diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
    t.deepEqual(summarize(events).slice(0, c.events.length), [...c.events]);
    if (c.check) t.deepEqual(c.check(events), c.want);
  });
}

const declined: readonly {
  readonly title: string;
  readonly script: string;
  readonly files: Record<string, string>;
  readonly code: string;
  readonly at: readonly [string, number];
  readonly message: RegExp;
}[] = [
  {
    title: 'up',
    script: 'docker compose up -d\n',
    files: { 'compose.yml': BUILDER },
    code: 'RS370',
    at: ['build.sh', 1],
    message: /`docker compose up` starts, stops or removes/,
  },
  {
    title: 'down',
    script: 'true\ndocker-compose down\n',
    files: { 'compose.yml': BUILDER },
    code: 'RS370',
    at: ['build.sh', 2],
    message: /`docker-compose down`/,
  },
  {
    title: 'depends_on without --no-deps, at the compose line, naming the script line',
    script: 'docker compose run b\n',
    files: { 'compose.yml': 'services:\n  b:\n    image: x\n    depends_on: [ db ]\n' },
    code: 'RS370',
    at: ['compose.yml', 4],
    message: /at build\.sh:1: the service depends on db/,
  },
  {
    title: 'networks',
    script: 'docker compose run b\n',
    files: { 'compose.yml': 'services:\n  b:\n    image: x\n    networks: [ n ]\n' },
    code: 'RS370',
    at: ['compose.yml', 4],
    message: /networks/,
  },
  {
    title: 'an unknown variable',
    script: 'docker compose run b\n',
    files: { 'compose.yml': 'services:\n  b:\n    image: x\n    working_dir: ${W}\n' },
    code: 'RS370',
    at: ['compose.yml', 4],
    message: /\$W, which the script never sets/,
  },
  {
    title: 'no compose file in the working directory',
    script: 'docker compose run b\n',
    files: {},
    code: 'RS370',
    at: ['build.sh', 1],
    message: /there is no compose\.yaml, compose\.yml, docker-compose\.yml, docker-compose\.yaml/,
  },
  {
    title: 'an override file compose would merge',
    script: 'docker compose run b\n',
    files: { 'compose.yml': BUILDER, 'compose.override.yml': 'services: {}\n' },
    code: 'RS370',
    at: ['build.sh', 1],
    message: /merges compose\.override\.yml/,
  },
  {
    title: 'several -f files',
    script: 'docker compose -f a.yml -f b.yml run b\n',
    files: {},
    code: 'RS370',
    at: ['build.sh', 1],
    message: /several `-f` files/,
  },
  {
    title: 'a service the file does not have',
    script: 'docker compose run nope\n',
    files: { 'compose.yml': BUILDER },
    code: 'RS371',
    at: ['build.sh', 1],
    message: /has no service `nope` \(it has builder\)/,
  },
  {
    title: 'a compose file that is not YAML',
    script: 'docker compose run b\n',
    files: { 'compose.yml': 'services:\n  b: [\n' },
    code: 'RS371',
    at: ['compose.yml', 3],
    message: /not valid YAML/,
  },
  {
    title: 'a -f file the tree does not have',
    script: 'docker compose -f missing.yml run b\n',
    files: {},
    code: 'RS371',
    at: ['build.sh', 1],
    message: /missing\.yml .* is not a readable file of the tree/,
  },
  {
    title: 'a relative -v on the command line',
    script: 'docker compose run -v ./x:/x builder\n',
    files: { 'compose.yml': BUILDER },
    code: 'RS370',
    at: ['build.sh', 1],
    message: /relative bind source/,
  },
  {
    title: 'an unknown run option',
    script: 'docker compose run --frobnicate builder\n',
    files: { 'compose.yml': BUILDER },
    code: 'RS370',
    at: ['build.sh', 1],
    message: /does not know the run option `--frobnicate`/,
  },
  {
    title: 'output read without -T',
    script: 'docker compose run --rm builder cat /src/app > app\n',
    files: { 'compose.yml': BUILDER },
    code: 'RS370',
    at: ['build.sh', 1],
    message: /without `-T`/,
  },
  {
    title: 'output kept from a run that builds the image first (the build log goes to the same output)',
    script: 'docker-compose run --rm -T builder cat /src/app > app\n',
    files: { 'compose.yml': 'services:\n  builder:\n    build: .\n' },
    code: 'RS370',
    at: ['build.sh', 1],
    message:
      /prints that build's log to the same output .* build the service first with `docker-compose build builder`/,
  },
  {
    title: '--profile',
    script: 'docker compose --profile ci run builder\n',
    files: { 'compose.yml': BUILDER },
    code: 'RS370',
    at: ['build.sh', 1],
    message: /profiles/,
  },
];

for (const d of declined) {
  test(`declined: ${d.title}`, (t) => {
    const { events, diagnostics } = run(d.script, d.files);
    t.deepEqual(events, []);
    const errors = diagnostics.filter((x) => x.severity === 'error');
    t.deepEqual(
      errors.map((x) => [x.code, x.file, x.line]),
      [[d.code, ...d.at]],
    );
    t.regex(errors[0]!.message, d.message);
  });
}

test('project names are normalized as compose does', (t) => {
  t.is(normalizeProject('My.Proj_1-x'), 'myproj_1-x');
  t.is(normalizeProject('-_Lead'), 'lead');
  t.is(normalizeProject('..'), '');
});

test('the image of a service: image:, else <project>-<service> (v2) / <project>_<service> (v1)', (t) => {
  const service = { name: 'b', image: null } as unknown as ComposeService;
  t.is(serviceImage(service, 'p', 2), 'p-b');
  t.is(serviceImage(service, 'p', 1), 'p_b');
  t.is(serviceImage({ ...service, image: { value: 'x:1', at: { file: 'c', line: 1, column: 1 } } }, 'p', 2), 'x:1');
});
