/** The compose file model: what a service runs, resolved and located; what restage cannot model, located. */
import test from 'ava';
import {
  interpolate,
  readCompose,
  splitWords,
  type ComposeFile,
  type Lookup,
} from '../../../src/analyze/compose/file.js';

const none: Lookup = () => undefined;

function read(text: string, env: Lookup = none): ComposeFile {
  const got = readCompose('/proj/ci/compose.yml', 'ci/compose.yml', text, env);
  if ('value' in got) throw new Error(got.value);
  return got;
}

test('build: as a string is the context, relative to the compose file', (t) => {
  const s = read('services:\n  b:\n    build: ..\n').services.get('b')!;
  t.deepEqual(s.build && { context: s.build.context, dockerfile: s.build.dockerfile, line: s.build.at.line }, {
    context: '/proj',
    dockerfile: null,
    line: 3,
  });
});

test('build: as a map: the dockerfile is relative to the context; args as a list or a map; target', (t) => {
  for (const args of ['[ "A=1", "B" ]', '{ A: 1, B: null }']) {
    const s = read(
      `services:\n  b:\n    build: { context: ../src, dockerfile: Dockerfile.build, target: dev, args: ${args} }\n`,
    ).services.get('b')!;
    t.deepEqual(s.build && { ...s.build, at: undefined }, {
      at: undefined,
      context: '/proj/src',
      dockerfile: '/proj/src/Dockerfile.build',
      args: ['A=1', 'B'],
      target: 'dev',
    });
  }
});

test('volumes: short and long syntax; relative binds resolve against the compose file; named volumes stay names', (t) => {
  const s = read(
    [
      'services:',
      '  b:',
      '    volumes:',
      '      - ./out:/out',
      '      - /abs:/abs/:ro',
      '      - cache:/root/.cache',
      '      - { type: bind, source: ../dist, target: /dist, read_only: true }',
      '',
    ].join('\n'),
  ).services.get('b')!;
  t.deepEqual(
    s.volumes.map((v) => [v.value, v.at.line]),
    [
      [{ kind: 'bind', source: '/proj/ci/out', target: '/out', readOnly: false }, 4],
      [{ kind: 'bind', source: '/abs', target: '/abs', readOnly: true }, 5],
      [{ kind: 'volume', source: 'cache', target: '/root/.cache', readOnly: false }, 6],
      [{ kind: 'bind', source: '/proj/dist', target: '/dist', readOnly: true }, 7],
    ],
  );
  t.deepEqual(s.unsupported, []);
});

test('environment: a list or a map (a key without a value comes from the environment); numbers are text', (t) => {
  const list = read('services:\n  b:\n    environment: [ "A=1", "B" ]\n').services.get('b')!;
  const map = read('services:\n  b:\n    environment:\n      A: 1\n      B:\n').services.get('b')!;
  t.deepEqual(
    list.environment.map((e) => e.value),
    ['A=1', 'B'],
  );
  t.deepEqual(
    map.environment.map((e) => [e.value, e.at.line]),
    [
      ['A=1', 4],
      ['B', 5],
    ],
  );
});

test('command: and entrypoint: as a string are split into words, as a list taken as they are', (t) => {
  const s = read(
    `services:\n  b:\n    command: sh -c 'make "all the" things'\n    entrypoint: ["/bin/x", "a b"]\n    working_dir: /src\n    user: "1000"\n`,
  ).services.get('b')!;
  t.deepEqual(s.command?.value, ['sh', '-c', 'make "all the" things']);
  t.deepEqual(s.entrypoint?.value, ['/bin/x', 'a b']);
  t.is(s.workingDir?.value, '/src');
  t.is(s.user?.value, '1000');
});

test('what restage cannot model is kept, located at its line', (t) => {
  const file = read(
    [
      'include: [ other.yml ]',
      'services:',
      '  b:',
      '    image: x',
      '    networks: [ back ]',
      '    extends: { service: base }',
      '    profiles: [ ci ]',
      '    volumes_from: [ db ]',
      '    privileged: true',
      '    volumes: [ "~/cache:/c", "tmp" ]',
      '    depends_on: [ db ]',
      '',
    ].join('\n'),
  );
  t.deepEqual(
    file.unsupported.map((u) => u.at.line),
    [1],
  );
  const s = file.services.get('b')!;
  t.deepEqual(
    s.unsupported.map((u) => [u.at.line, u.value.slice(0, 40)]),
    [
      [5, 'the service joins networks, which restag'],
      [6, 'the service `extends` another definition'],
      [7, 'the service belongs to profiles, which r'],
      [8, "the service mounts another service's vol"],
      [9, 'the service key `privileged`, which rest'],
      [10, 'the bind source `~/cache` is in the home'],
      [10, 'the anonymous volume `tmp`, which restag'],
    ],
  );
  t.deepEqual(s.dependsOn && [s.dependsOn.value, s.dependsOn.at.line], [['db'], 11]);
});

test('a value interpolating a variable restage cannot know is declined where it is written', (t) => {
  const s = read('services:\n  b:\n    image: "app:${TAG}"\n    working_dir: ${DIR:-/src}\n').services.get('b')!;
  t.is(s.image, null);
  t.is(s.workingDir?.value, '/src');
  t.deepEqual(
    s.unsupported.map((u) => u.at.line),
    [3],
  );
  t.regex(s.unsupported[0]!.value, /\$TAG, which the script never sets/);
});

test('not YAML, or not a compose file: an error located in the file', (t) => {
  const bad = readCompose('/p/c.yml', 'c.yml', 'services:\n  b: [\n', none);
  t.true('value' in bad && bad.at.file === 'c.yml' && /not valid YAML/.test(bad.value));
  const list = readCompose('/p/c.yml', 'c.yml', '- a\n', none);
  t.true('value' in list && /not a map/.test(list.value));
  const noServices = readCompose('/p/c.yml', 'c.yml', 'version: "3"\n', none);
  t.true('value' in noServices && /no `services:`/.test(noServices.value));
});

const table: readonly (readonly [string, Record<string, string | null>, string | RegExp])[] = [
  ['plain', {}, 'plain'],
  ['$$HOME', {}, '$HOME'],
  ['a-${X}-b', { X: '1' }, 'a-1-b'],
  ['$X/y', { X: '1' }, '1/y'],
  ['${X:-d}', {}, 'd'],
  ['${X:-d}', { X: '' }, 'd'],
  ['${X-d}', { X: '' }, ''],
  ['${X:-${Y}}', { Y: 'y' }, 'y'],
  ['${X}', {}, /never sets/],
  ['${X}', { X: null }, /known value/],
  ['${X:?err}', { X: '1' }, /does not model/],
];
for (const [text, env, want] of table) {
  test(`interpolate ${JSON.stringify(text)} with ${JSON.stringify(env)}`, (t) => {
    const got = interpolate(text, (n) => (n in env ? env[n] : undefined));
    if (typeof want === 'string') t.is(got, want);
    else t.regex(typeof got === 'string' ? got : got.problem, want);
  });
}

const words: readonly (readonly [string, string[] | null])[] = [
  ['make', ['make']],
  ['  go build  -o /out/app . ', ['go', 'build', '-o', '/out/app', '.']],
  [`sh -c 'a && b'`, ['sh', '-c', 'a && b']],
  ['echo "x \\"y\\" $z"', ['echo', 'x "y" $z']],
  ['a\\ b c', ['a b', 'c']],
  ["''", ['']],
  ["'open", null],
];
for (const [text, want] of words) {
  test(`splitWords ${JSON.stringify(text)}`, (t) => {
    t.deepEqual(splitWords(text), want);
  });
}
