/** One call of the script's docker: global options, the verb table, and a whole builder-pattern script threaded through the state. */
import test from 'ava';
import { parseImageRef } from '../../../../src/shared/image-ref.js';
import { EMPTY_STATE, type ShimDecision } from '../../../../src/verify/legacy/shim/rewrite.js';
import { argvOf, BUILT, decide, LABEL, RUN, script } from '../../helpers/shim.js';

const BUILDER = `${RUN}/docker.io/library/builder:latest`;

const rewrites = test.macro({
  exec(t, argv: string[], expected: string[], notes: string[] = []) {
    const d = decide(argv, { state: BUILT });
    t.deepEqual(argvOf(d), expected);
    if (d.kind === 'run') t.deepEqual(d.notes, notes);
  },
  title: (_p, argv: string[]) => `docker ${argv.join(' ')}`,
});
test(rewrites, [], []);
test(rewrites, ['--version'], ['--version']);
test(rewrites, ['version'], ['version']);
test(rewrites, ['info', '--format', '{{.ServerVersion}}'], ['info', '--format', '{{.ServerVersion}}']);
test(rewrites, ['system', 'df'], ['system', 'df']);
test(
  rewrites,
  ['--config', '/home/u/.docker', 'ps'],
  ['--config', '/home/u/.docker', 'ps', `--filter=label=restage.session=${RUN}`],
);
test(rewrites, ['-l', 'debug', '-D', 'rmi', 'builder'], ['-l', 'debug', '-D', 'rmi', BUILDER]);
test(
  rewrites,
  ['--log-level=warn', 'tag', 'builder', 'x'],
  ['--log-level=warn', 'tag', BUILDER, `${RUN}/docker.io/library/x:latest`],
);
test(rewrites, ['--root', '/var/lib/x', 'images'], ['--root', '/var/lib/x', 'images']);
test(
  rewrites,
  ['network', 'create', 'buildnet'],
  ['network', 'create', 'buildnet'],
  ['docker network: passed through unchanged (restage does not know this command)'],
);
test(
  rewrites,
  ['frobnicate', '-x'],
  ['frobnicate', '-x'],
  ['docker frobnicate: passed through unchanged (restage does not know this command)'],
);

const skips = test.macro({
  exec(t, argv: string[], note: RegExp) {
    const d = decide(argv, { state: BUILT });
    t.is(d.kind, 'skip', argvOf(d) as string);
    if (d.kind === 'skip') {
      t.regex(d.note, note);
      t.is(d.stdout, '');
    }
  },
  title: (_p, argv: string[]) => `not executed: docker ${argv.join(' ')}`,
});
test(skips, ['push', 'acme/app:1'], /^docker push: not executed \(verify never publishes or logs in to a registry\)$/);
test(skips, ['image', 'push', 'acme/app'], /docker image push: not executed/);
test(skips, ['manifest', 'push', 'acme/app'], /docker manifest push: not executed/);
test(skips, ['login', '-u', 'me', '--password-stdin'], /docker login: not executed/);
test(skips, ['logout'], /docker logout: not executed/);
test(skips, ['context', 'use', 'remote'], /docker context: not executed/);
test(skips, ['system', 'prune', '-af'], /docker system prune: not executed \(it would remove the user's own/);
test(skips, ['image', 'prune', '-f'], /docker image prune: not executed/);
test(skips, ['container', 'prune'], /docker container prune: not executed/);
test(skips, ['volume', 'prune'], /docker volume prune: not executed/);
test(skips, ['builder', 'prune', '-af'], /docker builder prune: not executed/);
test(skips, ['buildx', 'prune'], /docker buildx prune: not executed/);

const refuses = test.macro({
  exec(t, argv: string[], message: RegExp) {
    const d = decide(argv, { state: BUILT });
    t.is(d.kind, 'refuse');
    if (d.kind === 'refuse') t.regex(d.message, message);
  },
  title: (_p, argv: string[]) => `refused: docker ${argv.join(' ')}`,
});
const ENGINE = /the legacy build must run on the engine verify was given, not another one\. Remove .* from the script/;
test(refuses, ['-H', 'tcp://build:2375', 'build', '.'], ENGINE);
test(refuses, ['--host=ssh://me@build', 'ps'], ENGINE);
test(refuses, ['-Hunix:///x.sock', 'ps'], ENGINE);
test(refuses, ['--context', 'remote', 'build', '.'], ENGINE);
test(refuses, ['-c', 'remote', 'images'], ENGINE);
test(refuses, ['--connection', 'vm', 'build', '.'], ENGINE);
test(refuses, ['--url', 'tcp://x', 'ps'], ENGINE);
test(refuses, ['--remote', 'ps'], ENGINE);
test(
  refuses,
  ['--frob', 'x', 'build', '.'],
  /refused `docker --frob`: restage does not know that global option.*`--frob=VALUE`/,
);
test(
  refuses,
  ['compose', 'up', '-d'],
  /refused `docker compose up -d`: restage cannot model `docker compose` .*starts, stops or removes the services/,
);
test(refuses, ['buildx', 'bake'], /refused `docker buildx bake`/);
test(refuses, ['swarm', 'init'], /refused `docker swarm`/);

test('podman is named as podman in notes and messages', (t) => {
  const d = decide(['run', '--privileged', 'x'], { ctx: { client: 'podman' } });
  t.is(d.kind === 'refuse' && d.message.startsWith('restage verify refused `podman run` with --privileged'), true);
});

test('a builder-pattern script: every later call finds what the earlier ones made', (t) => {
  const files = {
    '/home/u/proj/Dockerfile.build': 'FROM golang:1.22\nCOPY . /src\nRUN make\n',
    '/home/u/proj/Dockerfile': 'FROM alpine\nCOPY --from=builder /src/app /app\n',
  };
  const decisions = script(
    [
      ['build', '-t', 'builder', '-f', 'Dockerfile.build', '.'],
      ['create', '--name', 'extract', 'builder'],
      ['cp', 'extract:/src/app', './app'],
      ['rm', '-f', 'extract'],
      ['build', '-t', 'acme/app:1.0', '.'],
      ['push', 'acme/app:1.0'],
      ['rmi', 'builder'],
    ],
    { files },
  );
  const runs = decisions.filter((d): d is Extract<ShimDecision, { kind: 'run' }> => d.kind === 'run');
  t.is(runs.length, 6);
  t.is(runs[0]!.files[0]!.text, 'FROM testbase/golang:latest\nCOPY . /src\nRUN make\n');
  t.deepEqual(runs[1]!.argv, ['create', LABEL, '--network=none', '--name', `${RUN}_extract`, BUILDER]);
  t.deepEqual(runs[2]!.argv, ['cp', `${RUN}_extract:/src/app`, './app']);
  t.deepEqual(runs[3]!.argv, ['rm', '-f', `${RUN}_extract`]);
  t.is(runs[4]!.files[0]!.text, `FROM alpine\nCOPY --from=${BUILDER} /src/app /app\n`);
  t.deepEqual(decisions[5], {
    kind: 'skip',
    note: 'docker push: not executed (verify never publishes or logs in to a registry)',
    stdout: '',
    stdinRead: 0,
  });
  t.deepEqual(runs[5]!.argv, ['rmi', BUILDER]);
  const final = runs[5]!.state;
  t.deepEqual(Object.keys(final.images).sort(), ['docker.io/acme/app:1.0', 'docker.io/library/builder:latest']);
  for (const tag of Object.values(final.images)) t.not(parseImageRef(tag), null, tag);
  t.deepEqual(JSON.parse(JSON.stringify(final)), final, 'the state survives JSON');
  t.deepEqual(EMPTY_STATE, { images: {}, containers: {}, ids: [], intermediates: [] });
});
