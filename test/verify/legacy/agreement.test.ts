/** The trace held against the analysis: each disagreement one RS706 at the script line the analysis used. */
import test from 'ava';
import { traceAgreement } from '../../../src/verify/legacy/agreement.js';
import type { TraceCall } from '../../../src/verify/legacy/trace.js';
import { analysisOf, PROJ } from '../../helpers/analysis.js';

const files = {
  'build.sh': [
    'docker build -t app:build -f Dockerfile.build .',
    'docker create --name x app:build',
    'docker cp x:/out/app ./app',
    'docker rm -f x',
    'docker build -t app:latest .',
  ].join('\n'),
  'Dockerfile.build': 'FROM gcc\nRUN make\n',
  Dockerfile: 'FROM scratch\nCOPY app /app\n',
};
const analysis = analysisOf(files);

const call = (...argv: string[]): TraceCall => ({
  client: 'docker',
  argv,
  ran: ['/usr/bin/docker', ...argv],
  cwd: PROJ,
  outcome: 'run',
  exitCode: 0,
  ms: 1,
  notes: [],
});
const faithful = [
  call('build', '-t', 'app:build', '-f', 'Dockerfile.build', '.'),
  call('create', '--name', 'x', 'app:build'),
  call('cp', 'x:/out/app', './app'),
  call('rm', '-f', 'x'),
  call('build', '-t', 'app:latest', '.'),
];

test('a run that does what the analysis read agrees: no diagnostic', (t) => {
  t.deepEqual(traceAgreement(analysis, faithful), []);
});

test('inert calls and calls not run (skipped, refused) are not compared', (t) => {
  const extra = [
    call('images'),
    call('version'),
    { ...call('push', 'app:latest'), outcome: 'skip' as const, ran: null },
  ];
  t.deepEqual(traceAgreement(analysis, [...faithful, ...extra]), []);
});

test('a cleanup `docker rm -f x` before x exists, which the shim skips, is still the call the analysis read there', (t) => {
  const cleanFirst = analysisOf({
    ...files,
    'build.sh': files['build.sh'].replace('docker create', 'docker rm -f x 2>/dev/null || true\ndocker create'),
  });
  const trace = [faithful[0]!, { ...call('rm', '-f', 'x'), outcome: 'skip' as const, ran: null }, ...faithful.slice(1)];
  t.deepEqual(traceAgreement(cleanFirst, trace), []);
  t.deepEqual(
    traceAgreement(cleanFirst, faithful).map((d) => [d.code, d.line]),
    [['RS706', 5]],
    'without the skipped call, the last rm the analysis read is the one the run did not make',
  );
});

test('a build with another Dockerfile is reported at the line the analysis used, with both values', (t) => {
  const trace = [call('build', '-t', 'app:build', '-f', 'Dockerfile.dev', '.'), ...faithful.slice(1)];
  const [d, ...rest] = traceAgreement(analysis, trace);
  t.is(rest.length, 0);
  t.is(d!.code, 'RS706');
  t.is(d!.severity, 'warning');
  t.is(d!.line, 1);
  t.regex(d!.message, /the Dockerfile \/proj\/Dockerfile\.dev where the analysis assumed \/proj\/Dockerfile\.build/);
});

test('a copy to another host path names both paths', (t) => {
  const trace = faithful.map((c) => (c.argv[0] === 'cp' ? call('cp', 'x:/out/app', './bin/app') : c));
  const [d] = traceAgreement(analysis, trace);
  t.is(d!.line, 3);
  t.regex(d!.message, /the host path \/proj\/bin\/app where the analysis assumed \/proj\/app/);
});

test('a call the analysis expects and the run never made, and one the analysis did not see', (t) => {
  const missing = traceAgreement(
    analysis,
    faithful.filter((c) => c.argv[0] !== 'cp'),
  );
  t.is(missing.length, 1);
  t.is(missing[0]!.line, 3);
  t.regex(missing[0]!.message, /assumed the script would copy out of a container here; the run made no such call/);
  const extra = traceAgreement(analysis, [...faithful, call('cp', 'x:/etc/passwd', './passwd')]);
  t.is(extra.length, 1);
  t.regex(
    extra[0]!.message,
    /the run did `docker cp x:\/etc\/passwd \.\/passwd` \(docker call 6\), which the analysis did not see/,
  );
});

test('the first failed docker call is located at the script line the analysis read it from', async (t) => {
  const { failedCallAt } = await import('../../../src/verify/legacy/agreement.js');
  const trace = [
    ...faithful.slice(0, 2),
    { ...call('cp', 'x:/out/app', './app'), exitCode: 1 },
    faithful[3]!,
    { ...faithful[4]!, exitCode: 1 },
  ];
  const found = failedCallAt(analysis, trace);
  t.is(found?.at.line, 3);
  t.is(found?.index, 2);
  t.is(failedCallAt(analysis, faithful), null);
  // A failing call the analysis does not follow has no line.
  t.is(failedCallAt(analysis, [{ ...call('version'), exitCode: 1 }]), null);
});

test('a stdout read (docker run IMG cat PATH > FILE) is one traced run: no RS706 when the run made it, one when it did not', (t) => {
  const stdout = analysisOf({
    ...files,
    'build.sh': [
      'docker build -t app:build -f Dockerfile.build .',
      'docker run --rm app:build cat /out/app > ./app',
      'docker build -t app:latest .',
    ].join('\n'),
  });
  t.true(stdout.flow.events.some((e) => e.kind === 'copy-out' && e.via === 'stdout'));
  const build = call('build', '-t', 'app:build', '-f', 'Dockerfile.build', '.');
  const runtime = call('build', '-t', 'app:latest', '.');
  t.deepEqual(traceAgreement(stdout, [build, call('run', '--rm', 'app:build', 'cat', '/out/app'), runtime]), []);
  const missed = traceAgreement(stdout, [build, call('run', '--rm', 'app:build', 'cat', '/out/other'), runtime]);
  t.deepEqual(
    missed.map((d) => [d.code, d.line]),
    [['RS706', 2]],
  );
  t.regex(missed[0]!.message, /read \/out\/app out of app:build on standard output here .* the run made no such call/);
});

test("a command's output into a file (docker run IMG CMD > FILE, docker exec C CMD > FILE) is its traced run or exec", (t) => {
  const output = analysisOf({
    ...files,
    'build.sh': [
      'docker build -t app:build -f Dockerfile.build .',
      'docker run --rm app:build /out/app --version > VERSION',
      'docker run -d --name c app:build sleep infinity',
      'docker exec c ls /out > list',
      'docker rm -f c',
      'docker build -t app:latest .',
    ].join('\n'),
  });
  t.is(output.flow.events.filter((e) => e.kind === 'copy-out' && e.reader?.runsCommand).length, 2);
  const build = call('build', '-t', 'app:build', '-f', 'Dockerfile.build', '.');
  const runtime = call('build', '-t', 'app:latest', '.');
  const keep = call('run', '-d', '--name', 'c', 'app:build', 'sleep', 'infinity');
  const exec = call('exec', 'c', 'ls', '/out');
  const rm = call('rm', '-f', 'c');
  const version = call('run', '--rm', 'app:build', '/out/app', '--version');
  t.deepEqual(traceAgreement(output, [build, version, keep, exec, rm, runtime]), []);
  const missed = traceAgreement(output, [build, keep, exec, rm, runtime]);
  t.deepEqual(
    missed.map((d) => [d.code, d.line]),
    [['RS706', 2]],
  );
  t.regex(missed[0]!.message, /read the output of `\/out\/app --version` out of app:build on standard output here/);
});

test('a tar stream (docker run IMG tar -c … | tar -x, docker cp C:/p - > FILE then tar -xf) is one traced call each: no RS706 when made, one when not', (t) => {
  const piped = analysisOf({
    ...files,
    'build.sh': [
      'docker build -t app:build -f Dockerfile.build .',
      'docker run --rm app:build tar -c -C /out . | tar -x',
      'docker build -t app:latest .',
    ].join('\n'),
  });
  t.true(piped.flow.events.some((e) => e.kind === 'copy-out' && e.via === 'tar'));
  const build = call('build', '-t', 'app:build', '-f', 'Dockerfile.build', '.');
  const runtime = call('build', '-t', 'app:latest', '.');
  t.deepEqual(
    traceAgreement(piped, [build, call('run', '--rm', 'app:build', 'tar', '-c', '-C', '/out', '.'), runtime]),
    [],
  );
  const missed = traceAgreement(piped, [build, call('run', '--rm', 'app:build', 'cat', '/out/app'), runtime]);
  t.deepEqual(
    missed.map((d) => [d.code, d.line]),
    [['RS706', 2]],
  );

  const archived = analysisOf({
    ...files,
    'build.sh': [
      'docker build -t app:build -f Dockerfile.build .',
      'docker create --name x app:build',
      'docker cp x:/out/app - > app.tar',
      'docker rm x',
      'tar -xf app.tar',
      'docker build -t app:latest .',
    ].join('\n'),
  });
  const create = call('create', '--name', 'x', 'app:build');
  const rm = call('rm', 'x');
  t.deepEqual(traceAgreement(archived, [build, create, call('cp', 'x:/out/app', '-'), rm, runtime]), []);
  t.deepEqual(
    traceAgreement(archived, [build, create, rm, runtime]).map((d) => [d.code, d.line]),
    [['RS706', 3]],
  );
});

test('container calls (start, exec, wait, stop) on a named container are compared; a missing exec is reported', (t) => {
  const started = analysisOf({
    ...files,
    'build.sh': [
      'docker build -t app:build -f Dockerfile.build .',
      'docker run -d --name x app:build sleep infinity',
      'docker exec x make',
      'docker stop x',
      'docker cp x:/out/app ./app',
      'docker rm -f x',
      'docker build -t app:latest .',
    ].join('\n'),
  });
  const trace = [
    call('build', '-t', 'app:build', '-f', 'Dockerfile.build', '.'),
    call('run', '-d', '--name', 'x', 'app:build', 'sleep', 'infinity'),
    call('exec', 'x', 'make'),
    call('stop', 'x'),
    call('cp', 'x:/out/app', './app'),
    call('rm', '-f', 'x'),
    call('build', '-t', 'app:latest', '.'),
  ];
  t.deepEqual(traceAgreement(started, trace), []);
  // Matched in order, kind by kind: the run's stop stands against the analysis's exec, and its stop finds none.
  const missing = traceAgreement(started, [...trace.slice(0, 2), ...trace.slice(3)]);
  t.deepEqual(
    missing.map((d) => [d.code, d.line]),
    [
      ['RS706', 3],
      ['RS706', 4],
    ],
  );
  t.regex(missing[0]!.message, /with the verb stop where the analysis assumed exec/);
  t.regex(missing[1]!.message, /start, wait for, stop or exec in a container here; the run made no such call/);
});

test('a docker export unpacked by tar -x (piped, or from a file with several members) is one traced export call: no RS706 when made, one when not', (t) => {
  const build = call('build', '-t', 'app:build', '-f', 'Dockerfile.build', '.');
  const runtime = call('build', '-t', 'app:latest', '.');
  const create = call('create', '--name', 'x', 'app:build');
  const rm = call('rm', 'x');
  const piped = analysisOf({
    ...files,
    'build.sh': [
      'docker build -t app:build -f Dockerfile.build .',
      'docker create --name x app:build',
      'docker export x | tar -x out/app',
      'docker rm x',
      'docker build -t app:latest .',
    ].join('\n'),
    Dockerfile: 'FROM scratch\nCOPY out/app /app\n',
  });
  t.true(piped.flow.events.some((e) => e.kind === 'copy-out' && e.exportedAt !== undefined));
  t.deepEqual(traceAgreement(piped, [build, create, call('export', 'x'), rm, runtime]), []);
  t.deepEqual(
    traceAgreement(piped, [build, create, call('cp', 'x:/out/app', '-'), rm, runtime]).map((d) => [d.code, d.line]),
    [['RS706', 3]],
  );

  const archived = analysisOf({
    ...files,
    'build.sh': [
      'docker build -t app:build -f Dockerfile.build .',
      'docker create --name x app:build',
      'docker export -o fs.tar x',
      'docker rm x',
      'tar -xf fs.tar out/app out/lib',
      'docker build -t app:latest .',
    ].join('\n'),
    Dockerfile: 'FROM scratch\nCOPY out/app /app\nCOPY out/lib /lib\n',
  });
  t.deepEqual(traceAgreement(archived, [build, create, call('export', '-o', 'fs.tar', 'x'), rm, runtime]), []);
  t.deepEqual(
    traceAgreement(archived, [build, create, rm, runtime]).map((d) => [d.code, d.line]),
    [['RS706', 3]],
  );
});
