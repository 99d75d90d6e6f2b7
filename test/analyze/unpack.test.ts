/** Host unpacks as flow events, and what the analysis makes of an unpacked archive artifact. */
import test from 'ava';
import { analysisOf } from '../helpers/analysis.js';
import type { HostOperation, HostUnpack } from '../../src/model/flow.js';

const unpacks = (line: string): (HostUnpack | { op: string; paths: readonly string[] })[] =>
  analysisOf({ 'build.sh': `${line}\n` })
    .flow.events.filter((e): e is HostOperation => e.kind === 'host')
    .map((e) => e.unpack ?? { op: e.op, paths: e.paths });

const macro = test.macro((t, line: string, expected: ReturnType<typeof unpacks>) => {
  t.deepEqual(unpacks(line), expected);
});

const tree = (tool: string, archive: string, into: string, options: string[], refused: string | null = null) => ({
  tool,
  archive: `/proj/${archive}`,
  result: 'tree' as const,
  into: into === '' ? '/proj' : `/proj/${into}`,
  options,
  refused,
});
const file = (tool: string, archive: string, into: string, options: string[], refused: string | null = null) => ({
  ...tree(tool, archive, into, options, refused),
  result: 'file' as const,
});

test('tar -xzf FILE -C DIR', macro, 'tar -xzf app.tar.gz -C dist', [tree('tar', 'app.tar.gz', 'dist', ['-x', '-z'])]);
test('tar xJf (old form, xz) into the working directory', macro, 'tar xJf app.tar.xz', [
  tree('tar', 'app.tar.xz', '', ['-x', '-J']),
]);
test('tar --extract --bzip2 --file=F --directory=D', macro, 'tar --extract --bzip2 --file=a.tbz2 --directory=out', [
  tree('tar', 'a.tbz2', 'out', ['-x', '-j']),
]);
test('tar -x of named members is refused', macro, 'tar -xf app.tar bin/app', [
  tree('tar', 'app.tar', '', ['-x'], 'it unpacks only the members it names (bin/app)'),
]);
test('tar --strip-components is refused', macro, 'tar -xf app.tar --strip-components=1', [
  tree('tar', 'app.tar', '', ['-x'], '--strip-components=1 drops leading path parts of the members'),
]);
test('tar -c is no unpack', macro, 'tar -czf app.tgz dist', [{ op: 'other', paths: ['/proj/app.tgz', '/proj/dist'] }]);
test('unzip -q -o FILE -d DIR', macro, 'unzip -q -o app.zip -d dist', [tree('unzip', 'app.zip', 'dist', ['-q', '-o'])]);
test('unzip -dDIR', macro, 'unzip app.zip -ddist', [tree('unzip', 'app.zip', 'dist', [])]);
test('unzip of named members is refused', macro, 'unzip app.zip bin/app -d dist', [
  tree('unzip', 'app.zip', 'dist', [], 'it unpacks only the members it names (bin/app)'),
]);
test('unzip -j is refused', macro, 'unzip -j app.zip', [
  tree('unzip', 'app.zip', '', [], '-j is an option restage does not model'),
]);
test('gunzip FILE.gz', macro, 'gunzip tool.gz', [file('gunzip', 'tool.gz', 'tool', [])]);
test('gzip -d -f FILE.gz', macro, 'gzip -d -f tool.gz', [file('gzip', 'tool.gz', 'tool', ['-d', '-f'])]);
test('gzip without -d compresses: no unpack', macro, 'gzip tool', [{ op: 'other', paths: ['/proj/tool'] }]);
test('xz -dk FILE.xz', macro, 'xz -dk tool.xz', [file('xz', 'tool.xz', 'tool', ['-dk'])]);
test('unxz, bunzip2, bzip2 --decompress', macro, 'unxz a.xz; bunzip2 b.bz2; bzip2 --decompress c.bz2', [
  file('unxz', 'a.xz', 'a', []),
  file('bunzip2', 'b.bz2', 'b', []),
  file('bzip2', 'c.bz2', 'c', ['--decompress']),
]);
test('gunzip -c (to standard output) is refused', macro, 'gunzip -c tool.gz', [
  file('gunzip', 'tool.gz', 'tool.gz', ['-c'], '-c is an option restage does not model'),
]);
test('gunzip of a name without .gz is refused', macro, 'gunzip tool.tgz', [
  file(
    'gunzip',
    'tool.tgz',
    'tool.tgz',
    [],
    'the file name does not end in .gz, so the name of the result is not the one restage reads',
  ),
]);
test('an unpack of a file named through an unset variable is no unpack', macro, 'tar -xf "$ARCHIVE"', []);

const BUILD = 'FROM busybox:latest\nRUN mkdir /out && tar -czf /out/app.tar.gz -C / etc\n';
const runtimeOf = (script: string, dockerfile = 'FROM busybox:latest\nCOPY dist /opt/app\n', build = BUILD) =>
  analysisOf({
    'build.sh': `docker build -t b -f Dockerfile.build .\ndocker create --name x b\ndocker cp x:/out/app.tar.gz app.tar.gz\n${script}\ndocker build -t app .\n`,
    'Dockerfile.build': build,
    Dockerfile: dockerfile,
  });

test('a COPY of the directory an archive artifact was unpacked into reads the scratch directory', (t) => {
  const a = runtimeOf('mkdir -p dist\ntar -xzf app.tar.gz -C dist');
  t.deepEqual(
    a.consumptions.map((c) => [c.containerPath, c.within, c.artifact.changes.map((x) => 'argv' in x && x.argv)]),
    [['/.restage-unpack-1', null, [['tar', '-x', '-z', '-f', '/out/app.tar.gz', '-C', '/.restage-unpack-1']]]],
  );
  t.deepEqual(
    a.diagnostics.map((d) => d.code),
    [],
  );
});

test('a COPY below the unpack directory reads below the scratch directory', (t) => {
  const a = runtimeOf('mkdir -p dist\ntar -xzf app.tar.gz -C dist', 'FROM busybox\nCOPY dist/bin/app /usr/bin/app\n');
  t.deepEqual(
    a.consumptions.map((c) => c.containerPath),
    ['/.restage-unpack-1/bin/app'],
  );
});

test('tar -C into a directory that does not exist: RS358 (tar fails there)', (t) => {
  const a = runtimeOf('tar -xzf app.tar.gz -C dist');
  t.deepEqual(
    a.diagnostics.filter((d) => d.code === 'RS358').map((d) => d.line),
    [4],
  );
  t.false(
    a.diagnostics.some((d) => d.code === 'RS402'),
    'the archive is used by the unpack',
  );
});

test('unpacked into the working directory: a COPY of a path the tree lacks reads the scratch directory', (t) => {
  const a = runtimeOf('tar -xzf app.tar.gz', 'FROM busybox\nCOPY app /usr/bin/app\nCOPY . /srv\n');
  t.deepEqual(
    a.consumptions.map((c) => [c.containerPath, c.within]),
    [
      ['/.restage-unpack-1/app', null],
      ['/out/app.tar.gz', 'app.tar.gz'],
      ['/.restage-unpack-1', ''],
    ],
  );
  t.deepEqual(
    a.diagnostics.map((d) => d.code),
    [],
  );
});

test('a COPY of what the tree (or an earlier extraction) held where an archive was unpacked: RS358', (t) => {
  const a = analysisOf({
    'build.sh':
      'docker build -t b -f Dockerfile.build .\ndocker create --name x b\ndocker cp x:/out/app.tar.gz app.tar.gz\ntar -xzf app.tar.gz -C conf\ndocker build -t app .\n',
    'Dockerfile.build': BUILD,
    'conf/app.yml': 'a: 1',
    Dockerfile: 'FROM busybox\nCOPY conf/app.yml /etc/\nCOPY app.tar.gz /tmp/\nCOPY conf /etc/conf\n',
  });
  t.deepEqual(
    a.diagnostics.map((d) => `${d.code}:${d.file}:${d.line}`),
    ['RS358:Dockerfile:2'],
  );
  t.deepEqual(
    a.consumptions.map((c) => [c.containerPath, c.within]),
    [
      ['/out/app.tar.gz', null],
      ['/.restage-unpack-1', ''],
    ],
  );
});

test('an artifact extracted into the directory before the unpack: RS358 (the archive may replace it)', (t) => {
  const a = runtimeOf('tar -xzf app.tar.gz', 'FROM busybox\nCOPY app.tar.gz /tmp/\n');
  t.deepEqual(
    a.diagnostics.map((d) => `${d.code}:${d.line}`),
    ['RS358:2'],
  );
});

test('gunzip: the compressed artifact is gone, the decompressed one is read from the scratch copy', (t) => {
  const a = analysisOf({
    'build.sh':
      'docker build -t b -f Dockerfile.build .\ndocker create --name x b\ndocker cp x:/out/tool.gz tool.gz\ngunzip tool.gz\ndocker build -t app .\n',
    'Dockerfile.build': 'FROM busybox\nRUN mkdir /out && echo hi | gzip > /out/tool.gz\n',
    Dockerfile: 'FROM busybox\nCOPY tool /usr/bin/tool\nCOPY tool.gz /tmp/\n',
  });
  t.deepEqual(
    a.consumptions.map((c) => c.containerPath),
    ['/.restage-unpack-1/tool'],
  );
  t.true(a.diagnostics.some((d) => d.code === 'RS403' && d.line === 3));
});

test('an archive that is no artifact (in the tree) unzipped into a new directory: RS403 names the unpack', (t) => {
  const a = analysisOf({
    'build.sh': 'unzip -q vendor.zip -d vendor\ndocker build -t app .\n',
    'vendor.zip': 'x',
    Dockerfile: 'FROM busybox\nCOPY vendor /opt/vendor\n',
  });
  t.true(a.diagnostics.some((d) => d.code === 'RS403' && d.message.includes('unzip -q vendor.zip -d vendor')));
});
