/**
 * `docker build` as the script's analyzer reads it: the builder the script asks for, from
 * `buildx build` or the DOCKER_BUILDKIT the docker client reads (a boolean: 1/t/true, 0/f/false) in
 * the build's environment — its own prefix, an export, or the environment given with --env.
 */
import test from 'ava';
import { parseShell } from '../../../src/parse/shell.js';
import { analyzeScript } from '../../../src/analyze/script.js';

function builders(text: string, env?: Record<string, string>): (string | null)[] {
  const parsed = parseShell('build.sh', text);
  const { flow } = analyzeScript(parsed.script!, '/proj', '/proj/build.sh', env ? { env } : undefined);
  return flow.events.flatMap((e) => (e.kind === 'build' ? [e.builder] : []));
}

const cases: [name: string, script: string, expected: (string | null)[], env?: Record<string, string>][] = [
  ['no DOCKER_BUILDKIT: the engine chooses', 'docker build -t a .\n', [null]],
  [
    'a prefix applies to its command only',
    'DOCKER_BUILDKIT=1 docker build -t a .\ndocker build -t b .\n',
    ['buildkit', null],
  ],
  ['an export applies to every later command', 'export DOCKER_BUILDKIT=0\ndocker build -t a .\n', ['classic']],
  ['an assignment exported later', 'DOCKER_BUILDKIT=true\nexport DOCKER_BUILDKIT\ndocker build -t a .\n', ['buildkit']],
  ['an assignment never exported does not reach docker', 'DOCKER_BUILDKIT=1\ndocker build -t a .\n', [null]],
  [
    'the boolean spellings',
    'DOCKER_BUILDKIT=T docker build -t a .\nDOCKER_BUILDKIT=False docker build -t b .\n',
    ['buildkit', 'classic'],
  ],
  ['a value docker would refuse is left to the engine', 'DOCKER_BUILDKIT=yes docker build -t a .\n', [null]],
  ['buildx build is BuildKit', 'DOCKER_BUILDKIT=0 docker buildx build -t a .\n', ['buildkit']],
  ['podman has one builder', 'DOCKER_BUILDKIT=1 podman build -t a .\n', [null]],
  ['the environment given with --env', 'docker build -t a .\n', ['buildkit'], { DOCKER_BUILDKIT: '1' }],
];
for (const [name, script, expected, env] of cases) {
  test(`builder: ${name}`, (t) => t.deepEqual(builders(script, env), expected));
}

function buildsOf(text: string) {
  const parsed = parseShell('build.sh', text);
  const { flow } = analyzeScript(parsed.script!, '/proj', '/proj/build.sh');
  return flow.events.flatMap((e) => (e.kind === 'build' ? [e] : []));
}

test('labels: --label KEY=VALUE and --label KEY, with the values the script fixes; kept options written out', (t) => {
  const [b] = buildsOf('V=1.2\ndocker build --label "version=$V" --label owner="ops team" --label release -t a .\n');
  t.deepEqual(b!.labels, { version: '1.2', owner: 'ops team', release: '' });
  t.deepEqual(b!.passThrough, ['--label', 'version=1.2', '--label', "'owner=ops team'", '--label', 'release']);
});

test('labels: a value the script does not fix leaves the labels unknown and the option as written', (t) => {
  const [b] = buildsOf('docker build --label "version=$VERSION" -t a .\n');
  t.is(b!.labels, undefined);
  t.deepEqual(b!.passThrough, ['--label', '"version=$VERSION"']);
});
