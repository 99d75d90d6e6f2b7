/** `docker build -` (RS336): what the message says the streamed context holds, and the host `tar -c` streams it reads. */
import test from 'ava';
import { analysisOf } from '../helpers/analysis.js';
import type { HostOperation, ImageBuild } from '../../src/model/flow.js';
import type { Analysis } from '../../src/model/analysis.js';

const rs336 = (script: string, files: Record<string, string> = {}) =>
  analysisOf({ 'build.sh': `${script}\n`, ...files }).diagnostics.filter((d) => d.code === 'RS336');

const builds = (a: Analysis) => a.flow.events.filter((e): e is ImageBuild => e.kind === 'build');
const rs337 = (a: Analysis) => a.diagnostics.filter((d) => d.code === 'RS337');

test('a host tar of tree paths into docker build -: the directory, restricted to the members, with the tree Dockerfile among them', (t) => {
  const a = analysisOf({ 'build.sh': 'tar -C build -c Dockerfile app | docker build -t app -\n' });
  const [build, ...more] = builds(a);
  t.deepEqual(more, []);
  t.is(build!.context, '/proj/build');
  t.is(build!.dockerfile, '/proj/build/Dockerfile');
  t.deepEqual(build!.streamed?.members, ['Dockerfile', 'app']);
  const [d] = rs337(a);
  t.is(`${d!.line}:${d!.column}`, '1:54');
  t.regex(
    d!.message,
    /the tar stream of `tar -C build -c Dockerfile app` \(build\.sh:1\): restage takes it as the directory build holding only Dockerfile, app \(tar -c reads no \.dockerignore, and docker applies none to a stream\), and its Dockerfile as the tree file build\/Dockerfile/,
  );
  t.deepEqual(rs336('tar -C build -c Dockerfile app | docker build -t app -'), []);
});

test('(cd DIR && tar c .) | docker build -: the subshell writes into the pipe, the whole directory is the context', (t) => {
  const [build] = builds(analysisOf({ 'build.sh': '(cd out && tar c .) | docker build -t x -\n' }));
  t.is(build!.context, '/proj/out');
  t.deepEqual(build!.streamed?.members, ['.']);
});

test('a stream without the Dockerfile: docker fails', (t) => {
  const [d] = rs336('tar -c app | docker build -t x -f build/Dockerfile -');
  t.regex(
    d!.message,
    /only the members app of \. .*`build\/Dockerfile` of that stream, which the stream does not hold, so docker fails.*; the stream does not hold its Dockerfile `build\/Dockerfile`, so docker finds none and the build fails as written\./,
  );
});

test('members from several directories are named by path', (t) => {
  const [d] = rs336('tar -C a -c Dockerfile -C b app | docker build -t x -');
  t.regex(d!.message, /only the members a\/Dockerfile, b\/app of several directories/);
});

test('a tar option restage does not model: the members are not knowable, and why', (t) => {
  const [d] = rs336('tar -c --exclude=.git . | docker build -t x -');
  t.regex(d!.message, /whose members restage cannot know: --exclude=\.git leaves out members by a pattern/);
});

test('a download piped into docker build -: fetched from outside', (t) => {
  const [d] = rs336('curl -fsSL https://h/ctx.tar | docker build -t x -');
  t.regex(
    d!.message,
    /its context is what `curl -fsSL https:\/\/h\/ctx\.tar` \(build\.sh:1\) fetches from outside the builder/,
  );
});

const hostOps = (script: string) =>
  analysisOf({ 'build.sh': `${script}\n` })
    .flow.events.filter((e): e is HostOperation => e.kind === 'host')
    .map((e) => `${e.op} ${e.paths.join(',')}`);

test('a host tar -c to standard output writes nothing on the host; into a file (-f, >) it is still another host command', (t) => {
  t.deepEqual(hostOps('tar -c dist | wc -c'), []);
  t.deepEqual(hostOps('tar -C build -c app'), []);
  t.deepEqual(hostOps('tar -czf out.tgz dist'), ['other /proj/out.tgz,/proj/dist']);
  t.deepEqual(hostOps('tar -c dist > d.tar'), ['other /proj/d.tar', 'other /proj/dist']);
  t.deepEqual(hostOps('tar -c --remove-files dist | wc -c'), ['other /proj/dist']);
});

test('a host tar stream read by anything but docker build - is no stream left unread (no RS342)', (t) => {
  const a = analysisOf({ 'build.sh': 'tar -c dist | ssh host tar -x\ntar -c . | tar -x -C /tmp/copy\n' });
  t.deepEqual(
    a.diagnostics.filter((d) => d.code === 'RS342'),
    [],
  );
});

test('a container tar stream written from a subshell into the pipe is unpacked by the tar -x after it', (t) => {
  const a = analysisOf({
    'build.sh': 'docker build -t b -f Dockerfile.build .\n(docker run --rm b tar -c -C /out .) | tar -x -C dst\n',
    'Dockerfile.build': 'FROM busybox\nRUN mkdir /out && echo > /out/app\n',
  });
  t.deepEqual(
    a.flow.events
      .filter((e) => e.kind === 'copy-out')
      .map((e) => (e.kind === 'copy-out' ? `${e.containerPath} ${e.hostPath}` : '')),
    ['/out/. /proj/dst'],
  );
});

const BUILDER =
  'FROM busybox\nWORKDIR /out\nCOPY Dockerfile.runtime /out/Dockerfile\nRUN echo > tool && mkdir etc && echo > etc/a.conf\n';
const RUNTIME = 'FROM busybox\nCOPY tool /usr/local/bin/tool\n';

test('a container stream into docker build -: its members as copy outs into a directory standing for the stream, the Dockerfile the tree file the builder copies there', (t) => {
  const a = analysisOf({
    'build.sh': 'docker build -t b -f Dockerfile.build .\ndocker run --rm b tar -c -C /out . | docker build -t app -\n',
    'Dockerfile.build': BUILDER,
    'Dockerfile.runtime': RUNTIME,
  });
  const runtime = builds(a)[1]!;
  t.is(runtime.context, '/proj/(stdin:2)');
  t.is(runtime.dockerfile, '/proj/Dockerfile.runtime');
  t.deepEqual(runtime.streamed, { at: { file: 'build.sh', line: 2, column: 58 } });
  t.deepEqual(
    a.flow.events.flatMap((e) => (e.kind === 'copy-out' ? [`${e.containerPath} ${e.hostPath} ${e.via}`] : [])),
    ['/out/. /proj/(stdin:2) tar'],
  );
  t.true(
    a.flow.events.some((e) => e.kind === 'remove'),
    'docker run --rm: the container is gone once read',
  );
  t.deepEqual(
    a.consumptions.map((c) => `${c.containerPath} ${c.instruction.line}`),
    ['/out/tool 2'],
  );
  const [d] = rs337(a);
  t.is(`${d!.line}:${d!.column}`, '2:58');
  t.regex(
    d!.message,
    /its Dockerfile `Dockerfile` \(\/out\/Dockerfile in the builder\) as the tree file Dockerfile\.runtime, which Dockerfile\.build:3 copies there \(`COPY Dockerfile\.runtime \/out\/Dockerfile`\)/,
  );
  t.deepEqual(
    a.diagnostics.filter((x) => x.severity === 'error'),
    [],
  );
});

test('docker cp C:DIR - into a file read by docker build - < FILE: the member DIR/… of the stream, -f inside it', (t) => {
  const a = analysisOf({
    'build.sh':
      'docker build -t b -f Dockerfile.build .\ndocker create --name c b\ndocker cp c:/out - > ctx.tar\ndocker build -t app -f out/Dockerfile - < ctx.tar\n',
    'Dockerfile.build': BUILDER,
    'Dockerfile.runtime': 'FROM busybox\nCOPY out/etc /etc/app\n',
  });
  t.is(builds(a)[1]!.dockerfile, '/proj/Dockerfile.runtime');
  t.deepEqual(
    a.consumptions.map((c) => c.containerPath),
    ['/out/etc'],
  );
});

test('tar -c of chosen members: the Dockerfile is found below the member that holds it (COPY into DEST/)', (t) => {
  const a = analysisOf({
    'build.sh':
      'docker build -t b -f Dockerfile.build .\ndocker run --rm b tar -c -C /out tool etc | docker build -t app -f etc/Dockerfile.runtime -\n',
    'Dockerfile.build': 'FROM busybox\nRUN mkdir -p /out/etc && echo > /out/tool\nCOPY Dockerfile.runtime /out/etc/\n',
    'Dockerfile.runtime': RUNTIME,
  });
  t.is(builds(a)[1]!.dockerfile, '/proj/Dockerfile.runtime');
  t.deepEqual(
    a.flow.events.flatMap((e) => (e.kind === 'copy-out' ? [`${e.containerPath} ${e.hostPath}`] : [])),
    ['/out/tool /proj/(stdin:2)/tool', '/out/etc /proj/(stdin:2)/etc'],
  );
});

const refusal = (script: string, files: Record<string, string>, why: RegExp) =>
  test(`declined (RS336 on the -): ${script.split('\n').pop()}`, (t) => {
    const a = analysisOf({ 'build.sh': `${script}\n`, 'Dockerfile.runtime': RUNTIME, ...files });
    const [d, ...more] = a.diagnostics.filter((x) => x.code === 'RS336');
    t.deepEqual(more, []);
    t.regex(d!.message, why);
    t.deepEqual(builds(a).length, script.split('\n').length - 1, 'no build for the streamed one');
  });
refusal(
  'docker build -t b -f Dockerfile.build .\ndocker run --rm b tar -c -C /out . | docker build -t app -',
  { 'Dockerfile.build': 'FROM busybox\nRUN mkdir /out && echo > /out/Dockerfile\n' },
  /the Dockerfile `Dockerfile` of the stream is \/out\/Dockerfile of the builder, and nothing in Dockerfile\.build shows where that file comes from; restage reads a Dockerfile that a plain `COPY TREEFILE \/out\/Dockerfile` of the builder puts there\./,
);
refusal(
  'docker build -t b -f Dockerfile.build .\ndocker run --rm b tar -c -C /out tool | docker build -t app -',
  { 'Dockerfile.build': BUILDER },
  /the stream holds no `Dockerfile` \(it holds `tool`\), so docker finds no Dockerfile and the build fails as written/,
);
refusal(
  'docker run --rm other tar -c -C /out . | docker build -t app -',
  {},
  /a container whose image the script does not build/,
);
refusal(
  'docker build -t b -f Dockerfile.build .\ndocker run --rm b tar -c -C /out . | docker build -t app -f ../Dockerfile -',
  { 'Dockerfile.build': BUILDER },
  /the Dockerfile path `\.\.\/Dockerfile` is not a path inside the stream/,
);
refusal(
  'docker build -t b -f Dockerfile.build .\ndocker run --rm b tar -c -C /out . | docker build -t app -f "$F" -',
  { 'Dockerfile.build': BUILDER },
  /the Dockerfile path `"\$F"` is a word restage cannot know/,
);
refusal(
  'docker build -t b -f Dockerfile.build .\ndocker run --rm b tar -c tool | docker build -t app -',
  { 'Dockerfile.build': BUILDER },
  /relative to the image\u2019s working directory/,
);

const matched = (script: string, files: Record<string, string>) =>
  analysisOf({ 'build.sh': `${script}\n`, ...files }).diagnostics.filter((d) => d.code === 'RS336');

test('a host stream: a COPY source outside its members fails the legacy build (RS336 on the source)', (t) => {
  const [d, ...more] = matched('tar -C build -c Dockerfile app | docker build -t app -', {
    'build/Dockerfile': 'FROM busybox\nCOPY app /app\nCOPY conf /etc/conf\n',
    'build/app': 'x',
    'build/conf': 'y',
  });
  t.deepEqual(more, []);
  t.is(`${d!.file}:${d!.line}:${d!.column}`, 'build/Dockerfile:3:6');
  t.regex(d!.message, /COPY source "conf" is not in the stream the build reads \(it holds only Dockerfile, app\)/);
});

test("a host stream: a tree file the directory's .dockerignore leaves out is declined; one it keeps, and an ignored extracted artifact, migrate", (t) => {
  const script =
    'docker build -t b -f Dockerfile.build .\ndocker create --name c b\ndocker cp c:/app build/app\ntar -C build -c . | docker build -t app -';
  const files = {
    'Dockerfile.build': 'FROM busybox\nRUN echo > /app\n',
    'build/Dockerfile': 'FROM busybox\nCOPY app /app\nCOPY conf /etc/conf\n',
    'build/conf': 'y',
  };
  const [d, ...more] = matched(script, { ...files, 'build/.dockerignore': 'conf\napp\n' });
  t.deepEqual(more, []);
  t.is(`${d!.file}:${d!.line}`, 'build/Dockerfile:3');
  t.regex(
    d!.message,
    /COPY source "conf" reached the legacy build in the tar stream \(tar -c reads no \.dockerignore\), but build\/\.dockerignore leaves it out/,
  );
  t.deepEqual(matched(script, { ...files, 'build/.dockerignore': 'app\n' }), []);
  t.deepEqual(matched(script, files), []);
});

test('a container stream: a COPY source the stream does not hold fails the legacy build', (t) => {
  const [d] = matched(
    'docker build -t b -f Dockerfile.build .\ndocker run --rm b tar -c -C /out tool Dockerfile | docker build -t app -',
    { 'Dockerfile.build': BUILDER, 'Dockerfile.runtime': 'FROM busybox\nCOPY etc /etc\n' },
  );
  t.regex(d!.message, /COPY source "etc" is not in the tar stream the build reads as its context/);
});
