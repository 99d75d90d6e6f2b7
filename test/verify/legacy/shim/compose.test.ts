/**
 * Compose under the run: a compose call runs, through the shim's own `docker`, the `docker build`
 * + `docker run` restage's translation says it stands for; what the translation declines is
 * refused with its reason; a sub-command that builds and runs nothing is not executed.
 */
import test from 'ava';
import { argvOf, ctx, decide, RUN, stateWith, type Setup } from '../../helpers/shim.js';

const REPO = ctx.repo;
const DOCKER = `${ctx.bin}/docker`;
const COMPOSE = `services:
  builder:
    build: { context: ., dockerfile: Dockerfile.build }
    volumes: [ "./out:/out" ]
    working_dir: /src
    command: go build -o /out/app main.go
    environment: [ "CGO_ENABLED=0" ]
`;
const files = (text: string, name = 'docker-compose.yml'): Setup => ({ files: { [`${REPO}/${name}`]: text } });

/** The shell lines the decision runs, or the other kind's marker. */
function lines(setup: Setup, argv: string[], client: 'docker' | 'docker-compose' = 'docker'): string[] | string {
  const decision = decide(argv, { ...setup, ctx: { client } });
  const out = argvOf(decision);
  if (typeof out === 'string') return out;
  if (decision.kind !== 'run' || decision.withoutClient !== true) return `not a whole command: ${out.join(' ')}`;
  t0(out[0] === '/bin/sh' && out[1] === '-c', out.join(' '));
  return out[2]!.split('\n');
}
function t0(ok: boolean, what: string): void {
  if (!ok) throw new Error(`unexpected command: ${what}`);
}

const BUILD = `${DOCKER} build -t input-builder -f ${REPO}/Dockerfile.build ${REPO} || exit`;
const RUN_LINE = `exec ${DOCKER} run --rm -v ${REPO}/out:/out -w /src -e CGO_ENABLED=0 input-builder go build -o /out/app main.go`;

test('docker compose run SERVICE: the build compose does first, then the run with the service’s mounts, directory, environment and command', (t) => {
  // The project is the compose file's directory's name: /home/u/proj -> proj; the helper's repo is that directory.
  const got = lines(files(COMPOSE), ['compose', 'run', '--rm', 'builder']);
  t.deepEqual(got, [
    BUILD.replace(/input-builder/g, 'proj-builder'),
    RUN_LINE.replace(/input-builder/g, 'proj-builder'),
  ]);
});

test('docker-compose (v1) names the image <project>_<service>; -p gives the project', (t) => {
  const got = lines(files(COMPOSE), ['-p', 'input', 'run', '--rm', 'builder'], 'docker-compose');
  t.deepEqual(got, [
    BUILD.replace(/input-builder/g, 'input_builder'),
    RUN_LINE.replace(/input-builder/g, 'input_builder'),
  ]);
});

test('a command on the command line replaces `command:`; compose build alone is the build', (t) => {
  const run = lines(files(COMPOSE), ['compose', '-p', 'input', 'run', '--rm', 'builder', 'make', 'all']);
  t.is(typeof run === 'string' ? run : run[1], RUN_LINE.replace('go build -o /out/app main.go', 'make all'));
  t.deepEqual(lines(files(COMPOSE), ['compose', '-p', 'input', 'build']), [
    BUILD.replace(' || exit', '').replace(/^/, 'exec '),
  ]);
});

test('the compose file is interpolated with the call’s environment', (t) => {
  const text = COMPOSE.replace('working_dir: /src', 'working_dir: ${SRC}');
  const got = lines({ ...files(text), env: { SRC: '/work' } }, ['compose', '-p', 'input', 'run', 'builder']);
  t.regex(typeof got === 'string' ? got : got[1]!, / -w \/work /);
});

test('what the translation declines is refused with its reason, located in the compose file', (t) => {
  const up = lines(files(COMPOSE), ['compose', 'up']);
  t.regex(
    typeof up === 'string' ? up : '',
    /^refuse: restage verify refused `docker compose up`: .*starts, stops or removes the services/,
  );
  const net = lines(files(COMPOSE.replace('    working_dir: /src\n', '    working_dir: /src\n    networks: [x]\n')), [
    'compose',
    'run',
    'builder',
  ]);
  t.regex(typeof net === 'string' ? net : '', /^refuse: .*docker-compose\.yml:\d+: .*networks/);
  const none = lines({}, ['compose', 'run', 'builder']);
  t.regex(typeof none === 'string' ? none : '', /^refuse: .*there is no compose\.yaml/);
});

test('a sub-command that builds and runs nothing is not executed', (t) => {
  for (const sub of ['ps', 'config', 'pull', 'version']) {
    const got = lines(files(COMPOSE), ['compose', sub]);
    t.regex(typeof got === 'string' ? got : '', /^skip: docker compose \w+: not executed/, sub);
  }
});

test('run builds the service image first only while the run has not built it (compose builds only an image the engine lacks)', (t) => {
  const first = lines(files(COMPOSE), ['compose', '-p', 'input', 'run', '-T', 'builder']);
  t.regex(typeof first === 'string' ? first : first[0]!, / build -t input-builder .* \|\| exit$/);
  const built = stateWith({
    'docker.io/library/input-builder:latest': `${RUN}/docker.io/library/input-builder:latest`,
  });
  const again = lines({ ...files(COMPOSE), state: built }, ['compose', '-p', 'input', 'run', '-T', 'builder']);
  t.deepEqual(typeof again === 'string' ? again : again.map((l) => l.split(' ').slice(0, 3).join(' ')), [
    `exec ${DOCKER} run`,
  ]);
});
