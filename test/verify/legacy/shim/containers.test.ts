/** Verbs on existing containers: the run's are mapped; the user's are not removed, not used, only read. */
import test from 'ava';
import { argvOf, BUILT, decide, RUN } from '../../helpers/shim.js';

const X = `${RUN}_extract`;
const ID = BUILT.ids[0]!;

const rewrites = test.macro({
  exec(t, argv: string[], expected: string[]) {
    t.deepEqual(argvOf(decide(argv, { state: BUILT })), expected);
  },
  title: (_p, argv: string[]) => `docker ${argv.join(' ')}`,
});
test(rewrites, ['rm', '-f', 'extract'], ['rm', '-f', X]);
test(rewrites, ['container', 'rm', ID.slice(0, 12)], ['container', 'rm', ID]);
test(rewrites, ['container', 'remove', '-v', '/extract'], ['container', 'remove', '-v', X]);
test(rewrites, ['stop', '-t', '1', 'extract'], ['stop', '-t', '1', X]);
test(rewrites, ['kill', '--signal', 'KILL', 'extract'], ['kill', '--signal', 'KILL', X]);
test(rewrites, ['start', '-a', 'extract'], ['start', '-a', X]);
test(rewrites, ['container', 'start', ID], ['container', 'start', ID]);
test(rewrites, ['restart', 'extract'], ['restart', X]);
test(rewrites, ['exec', '-w', '/src', 'extract', 'make', 'extract'], ['exec', '-w', '/src', X, 'make', 'extract']);
test(rewrites, ['wait', 'extract'], ['wait', X]);
test(rewrites, ['logs', '--tail', '5', 'extract'], ['logs', '--tail', '5', X]);
test(rewrites, ['export', '-o', 'fs.tar', 'extract'], ['export', '-o', 'fs.tar', X]);
test(rewrites, ['export', 'extract'], ['export', X]);
test(
  rewrites,
  ['container', 'export', '--output=fs.tar', ID.slice(0, 12)],
  ['container', 'export', '--output=fs.tar', ID],
);
test(rewrites, ['top', 'extract', '-ef'], ['top', X, '-ef']);
test(rewrites, ['cp', 'extract:/app/bin', './bin'], ['cp', `${X}:/app/bin`, './bin']);
test(rewrites, ['container', 'cp', './conf', `${ID}:/etc/conf`], ['container', 'cp', './conf', `${ID}:/etc/conf`]);
test(rewrites, ['cp', '-L', 'extract:app', '/tmp/app'], ['cp', '-L', `${X}:app`, '/tmp/app']);
test(rewrites, ['rename', 'extract', 'done'], ['rename', X, `${RUN}_done`]);
test(rewrites, ['commit', '-m', 'x', 'extract', 'snap:1'], ['commit', '-m', 'x', X, `${RUN}/docker.io/library/snap:1`]);
test(
  rewrites,
  ['inspect', '-f', '{{.Id}}', 'extract', 'builder', 'alpine'],
  ['inspect', '-f', '{{.Id}}', X, `${RUN}/docker.io/library/builder:latest`, 'alpine'],
);
test(rewrites, ['container', 'inspect', 'builder'], ['container', 'inspect', 'builder']);
test(rewrites, ['image', 'inspect', 'builder'], ['image', 'inspect', `${RUN}/docker.io/library/builder:latest`]);
test(rewrites, ['logs', 'userdb'], ['logs', 'userdb']);
test(rewrites, ['inspect', 'userdb'], ['inspect', 'userdb']);
test(rewrites, ['ps', '-aq'], ['ps', `--filter=label=restage.session=${RUN}`, '-aq']);
test(
  rewrites,
  ['container', 'ls', '--filter', 'name=extract'],
  ['container', 'ls', `--filter=label=restage.session=${RUN}`, '--filter', 'name=extract'],
);

test('a renamed container is found under its new name', (t) => {
  const d = decide(['rename', 'extract', 'done'], { state: BUILT });
  if (d.kind !== 'run') return t.fail(argvOf(d) as string);
  t.deepEqual(argvOf(decide(['rm', 'done'], { state: d.state })), ['rm', `${RUN}_done`]);
});

const skips = test.macro({
  exec(t, argv: string[], note: RegExp, stdout: string) {
    const d = decide(argv, { state: BUILT });
    t.is(d.kind, 'skip', argvOf(d) as string);
    if (d.kind === 'skip') {
      t.regex(d.note, note);
      t.is(d.stdout, stdout);
    }
  },
  title: (_p, argv: string[]) => `not executed: docker ${argv.join(' ')}`,
});
test(skips, ['rm', '-f', 'userdb'], /^docker rm userdb: not executed \(no container this run created\)$/, 'userdb\n');
test(skips, ['rm', 'a', 'b'], /docker rm a, b: not executed/, 'a\nb\n');
test(skips, ['rm', 'abc'], /docker rm abc/, 'abc\n');
test(skips, ['stop', 'userdb'], /docker stop userdb: not executed/, 'userdb\n');
test(skips, ['container', 'kill', 'userdb'], /docker container kill userdb: not executed/, 'userdb\n');
test(skips, ['rm', '-a'], /docker rm --all\/--latest: not executed \(it acts on the user's containers/, '');
test(skips, ['stop', '--latest'], /not executed/, '');

test('rm of the run’s and the user’s containers together: only the run’s, with a note', (t) => {
  const d = decide(['rm', '-f', 'userdb', 'extract'], { state: BUILT });
  if (d.kind !== 'run') return t.fail(argvOf(d) as string);
  t.deepEqual(d.argv, ['rm', '-f', X]);
  t.deepEqual(d.notes, ['docker rm userdb: not executed (no container this run created)']);
});

const refuses = test.macro({
  exec(t, argv: string[], message: RegExp) {
    const d = decide(argv, { state: BUILT });
    t.is(d.kind, 'refuse');
    if (d.kind === 'refuse') t.regex(d.message, message);
  },
  title: (_p, argv: string[]) => `refused: docker ${argv.join(' ')}`,
});
test(
  refuses,
  ['start', 'userdb'],
  /refused `docker start` of userdb: userdb is no container this run created, and verify's build must not depend on the user's containers. Let the script create/,
);
test(refuses, ['exec', 'userdb', 'sh'], /refused `docker exec` of userdb/);
test(refuses, ['exec', '--privileged', 'extract', 'sh'], /refused `docker exec` with --privileged/);
test(
  refuses,
  ['cp', 'userdb:/data', '.'],
  /refused `docker cp` of userdb:\/data: userdb is no container this run created.*Copy only from and to containers/,
);
test(refuses, ['cp', './x', 'userdb:/data'], /of userdb:\/data/);
test(refuses, ['rename', 'userdb', 'x'], /refused `docker rename` of userdb/);
test(refuses, ['attach', 'userdb'], /refused `docker attach` of userdb/);
