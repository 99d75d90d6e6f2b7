import test from 'ava';
import { DOCKER_CLIENTS, globalOptions, invokesDocker } from '../../src/shared/docker-cli.js';

const RUNS: ReadonlyArray<readonly [string, boolean]> = [
  ['docker build -t app .', true],
  ['  sudo docker cp c:/app ./app', true],
  ['x=$(docker create app)', true],
  ['make && podman build .', true],
  ['echo hi\n/usr/bin/docker rm -f c', true],
  ['`docker ps`', true],
  ['docker --host unix:///x build .', true],
  ['docker', false],
  ['mydocker build', false],
  ['docker-compose up', false],
  ['./docker/build.sh', false],
  ['echo docker', false],
];

for (const [text, expected] of RUNS)
  test(`${JSON.stringify(text)} ${expected ? 'runs' : 'does not run'} docker`, (t) => {
    t.is(invokesDocker(text), expected);
  });

test('the client names the analysis follows', (t) => {
  t.true(DOCKER_CLIENTS.has('docker'));
  t.true(DOCKER_CLIENTS.has('/usr/bin/podman'));
  t.false(DOCKER_CLIENTS.has('docker-compose'));
});

const globals: [words: string[], options: [string, number, boolean][], verbAt: number][] = [
  [['build', '-t', 'x', '.'], [], 0],
  [['-H', 'unix:///x.sock', 'build', '.'], [['H', 2, false]], 2],
  [['--host=tcp://h:2375', 'ps'], [['host', 1, false]], 1],
  [
    ['-D', '--log-level', 'debug', 'images'],
    [
      ['D', 1, false],
      ['log-level', 2, false],
    ],
    3,
  ],
  [
    ['--root', '/var/lib/c', '--remote', 'run', 'x'],
    [
      ['root', 2, false],
      ['remote', 1, false],
    ],
    3,
  ],
  [['--new-global', 'build', '.'], [['new-global', 1, true]], 1],
  [['--new-global=v', 'build'], [['new-global', 1, false]], 1],
  [['-', 'build'], [], 0],
  [['--config'], [['config', 1, false]], 1],
];
for (const [words, options, verbAt] of globals) {
  test(`global options of docker ${words.join(' ')}`, (t) => {
    const got = globalOptions(words);
    t.deepEqual(
      got.options.map((o) => [o.name, o.words.length, o.unknown]),
      options,
    );
    t.is(got.verbAt, verbAt);
  });
}
