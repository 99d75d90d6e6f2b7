import test from 'ava';
import { DOCKER_CLIENTS, invokesDocker } from '../../src/shared/docker-cli.js';

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
