/**
 * Script parameters: a default taken for an argument or an environment variable is named (RS322,
 * once per parameter, at its first use that matters); `--script-arg`/`--env` values (here the
 * evaluator's args/env) replace the assumption.
 */
import test from 'ava';
import { analyzeText, summarize } from '../helpers.js';

const SCRIPT =
  'ARCH=${1:-amd64}\nVERSION=${VERSION:-1.0}\nmkdir -p out\ndocker build -t app:$VERSION-$ARCH .\ndocker create --name c "app:$VERSION-$ARCH"\ndocker cp c:/app "${OUT-out}/app"\n';

test('defaults of $1 and environment variables are assumptions, said once each at the first docker argument or host path', (t) => {
  const { events, diagnostics } = analyzeText(SCRIPT);
  t.deepEqual(summarize(events), [
    'host mkdir /proj/out',
    'build app:1.0-amd64',
    'create c app:1.0-amd64',
    'cp c:/app /proj/out/app',
  ]);
  t.deepEqual(
    diagnostics.map((d) => [d.code, d.severity, d.line, d.column, d.message.split(' (')[0]]),
    [
      ['RS322', 'info', 4, 17, 'assumed VERSION=1.0'],
      ['RS322', 'info', 4, 17, 'assumed $1=amd64'],
      ['RS322', 'info', 6, 18, 'assumed OUT=out'],
    ],
  );
  t.regex(diagnostics[0]!.message, /--env VERSION=VALUE/);
  t.regex(diagnostics[1]!.message, /--script-arg/);
});

test('--script-arg and --env values replace the defaults, with nothing assumed', (t) => {
  const { events, diagnostics } = analyzeText(SCRIPT, { args: ['armhf'], env: { VERSION: '2.1', OUT: 'dist' } });
  t.deepEqual(summarize(events), [
    'host mkdir /proj/out',
    'build app:2.1-armhf',
    'create c app:2.1-armhf',
    'cp c:/app /proj/dist/app',
  ]);
  t.deepEqual(diagnostics, []);
});

test('with --script-arg armhf a case "$1" dispatch picks that branch', (t) => {
  const script =
    'case "$1" in\n  armhf) docker build -t a:arm -f Dockerfile.armhf . ;;\n  *) docker build -t a:amd64 . ;;\nesac\n';
  t.deepEqual(summarize(analyzeText(script, { args: ['armhf'] }).events), ['build a:arm']);
  t.deepEqual(summarize(analyzeText(script, { args: ['x86'] }).events), ['build a:amd64']);
  const unknown = analyzeText(script);
  t.deepEqual(summarize(unknown.events), []);
  t.regex(unknown.diagnostics[0]!.message, /--script-arg/);
});

test('$2 with one --script-arg is unset (the script got exactly those arguments), and $# counts them', (t) => {
  const { events, diagnostics } = analyzeText('docker build -t "a:${2:-z}" --build-arg N=$# .\n', { args: ['x'] });
  t.deepEqual(summarize(events), ['build a:z']);
  t.true(events[0]!.kind === 'build' && events[0]!.buildArgs[0]!.value === '1');
  t.deepEqual(diagnostics, []);
});

test('a function parameter default is no assumption', (t) => {
  const { events, diagnostics } = analyzeText('f() { docker build -t "a:${1:-z}" .; }\nf\n');
  t.deepEqual(summarize(events), ['build a:z']);
  t.deepEqual(diagnostics, []);
});

test('a positional parameter without a default or --script-arg is never guessed', (t) => {
  const { diagnostics } = analyzeText('docker build -t "a:$1" .\n');
  t.like(diagnostics[0], { code: 'RS304', line: 1 });
  t.regex(diagnostics[0]!.message, /--script-arg/);
});

test('an environment variable without a default is never guessed, and --env is suggested', (t) => {
  const { diagnostics } = analyzeText('docker build -t "a:$TAG" .\n');
  t.like(diagnostics[0], { code: 'RS304' });
  t.regex(diagnostics[0]!.message, /--env TAG=VALUE/);
});

test('a default used only in an echo is not reported', (t) => {
  t.deepEqual(analyzeText('echo "building ${VERSION:-1.0}"\ndocker build -t a:1 .\n').diagnostics, []);
});

test('--env gives options an unquoted variable adds to docker: they are analysed, and no RS305 is said', (t) => {
  const script = 'docker build $DOCKER_BUILD_OPTS -t a:1 .\n';
  const unset = analyzeText(script);
  t.deepEqual(
    unset.diagnostics.map((d) => d.code),
    ['RS305'],
  );
  t.regex(unset.diagnostics[0]!.message, /--env DOCKER_BUILD_OPTS=VALUE/);
  const given = analyzeText(script, { env: { DOCKER_BUILD_OPTS: '--no-cache --pull' } });
  t.deepEqual(given.diagnostics, []);
  t.true(given.events[0]!.kind === 'build' && given.events[0]!.noCache && given.events[0]!.pull);
});

test('"$@" in a function is one word per argument of the call (none for none), after shift too; $@ alone splits them', (t) => {
  const script = [
    'b() {',
    '  local tag="$1"',
    '  shift',
    '  docker build -t "app:$tag" "$@" -f Dockerfile.build .',
    '}',
    'u() { docker build -t app:u $@ .; }',
    'b build --build-arg "MODE=a b" --build-arg LEVEL=2',
    'b none',
    "u --build-arg 'X=1 --build-arg Y=2'",
    '',
  ].join('\n');
  const { events, diagnostics } = analyzeText(script);
  t.deepEqual(diagnostics, []);
  t.deepEqual(
    events.map((e) =>
      e.kind === 'build' ? [e.tags.join(','), e.buildArgs.map((a) => `${a.name}=${a.value}`)] : e.kind,
    ),
    [
      ['app:build', ['MODE=a b', 'LEVEL=2']],
      ['app:none', []],
      ['app:u', ['X=1', 'Y=2']],
    ],
  );
});

test('"$@" of the script is known only with --script-arg', (t) => {
  const script = 'docker build -t app:1 "$@" .\n';
  t.deepEqual(summarize(analyzeText(script, { args: ['--build-arg', 'A=1'] }).events), ['build app:1']);
  t.deepEqual(summarize(analyzeText(script).events), []);
  t.regex(analyzeText(script).diagnostics[0]!.message, /\$@/);
});

test('set -- ARGS replaces the positional parameters ("$@", $1, $#); set with options alone keeps them', (t) => {
  const script = [
    'f() {',
    '  set -e',
    '  set -o pipefail',
    '  docker build -t "a:$1" --build-arg N=$# .',
    '  set -- --build-arg X=1',
    '  docker build -t b:1 "$@" .',
    '  set -e -- c',
    '  docker build -t "$1:1" .',
    '}',
    'f one',
    '',
  ].join('\n');
  const { events, diagnostics } = analyzeText(script);
  t.deepEqual(diagnostics, []);
  t.deepEqual(
    events.map((e) =>
      e.kind === 'build' ? [e.tags.join(','), e.buildArgs.map((a) => `${a.name}=${a.value}`)] : e.kind,
    ),
    [
      ['a:one', ['N=1']],
      ['b:1', ['X=1']],
      ['c:1', []],
    ],
  );
});
