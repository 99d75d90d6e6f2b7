/** `docker build -` (RS336): what the message says the streamed context holds, and the host `tar -c` streams it reads. */
import test from 'ava';
import { analysisOf } from '../helpers/analysis.js';
import type { HostOperation } from '../../src/model/flow.js';

const rs336 = (script: string, files: Record<string, string> = {}) =>
  analysisOf({ 'build.sh': `${script}\n`, ...files }).diagnostics.filter((d) => d.code === 'RS336');

test('a host tar of tree paths into docker build -: the members, their directory, the Dockerfile among them, the .dockerignore bypassed', (t) => {
  const [d, ...more] = rs336('tar -C build -c Dockerfile app | docker build -t app -');
  t.deepEqual(more, []);
  t.is(`${d!.line}:${d!.column}`, '1:54');
  t.regex(
    d!.message,
    /its context is the tar stream of `tar -C build -c Dockerfile app` \(build\.sh:1\): only the members Dockerfile, app of build \(a \.dockerignore there does not apply: tar -c does not read it\), and the Dockerfile docker reads is `Dockerfile` of that stream, the tree file build\/Dockerfile as the stream copies it; restage does not yet map a streamed context onto a directory of the tree\. To migrate, build from the directory the members come from \(`docker build -t app -f build\/Dockerfile build`/,
  );
});

test('(cd DIR && tar c .) | docker build -: the subshell writes into the pipe', (t) => {
  const [d] = rs336('(cd out && tar c .) | docker build -t x -');
  t.regex(
    d!.message,
    /tar stream of `tar c \.` \(build\.sh:1\): only the members \. of out .* the tree file out\/Dockerfile/,
  );
});

test('a stream without the Dockerfile: docker fails', (t) => {
  const [d] = rs336('tar -c app | docker build -t x -f build/Dockerfile -');
  t.regex(
    d!.message,
    /only the members app of \. .*`build\/Dockerfile` of that stream, which the stream does not hold, so docker fails/,
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
