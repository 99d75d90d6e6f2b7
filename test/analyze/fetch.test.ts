/** Fetches from outside the builder as flow events, and the RS359 a runtime COPY of what they wrote gets. */
import test from 'ava';
import { analysisOf } from '../helpers/analysis.js';
import type { HostOperation } from '../../src/model/flow.js';

const fetches = (line: string): readonly string[][] =>
  analysisOf({ 'build.sh': `${line}\n` })
    .flow.events.filter((e): e is HostOperation => e.kind === 'host' && e.op === 'fetch')
    .map((e) => [...e.paths]);

const macro = test.macro((t, line: string, expected: string[][]) => {
  t.deepEqual(fetches(line), expected);
});

test('curl -o FILE', macro, 'curl -fsSL -o lib/x.so https://h.example/x.so', [['/proj/lib/x.so']]);
test('curl --output=FILE and -oFILE', macro, 'curl --output=a https://h/a; curl -ob https://h/b', [
  ['/proj/a'],
  ['/proj/b'],
]);
test('curl -fsSLo FILE (bundled), wget -qO FILE', macro, 'curl -fsSLo a https://h/a; wget -qO b https://h/b', [
  ['/proj/a'],
  ['/proj/b'],
]);
test('wget -qO- writes to standard output: nothing', macro, 'wget -qO- https://h/a', []);
test('curl -O takes the URL name, in --output-dir', macro, 'curl -fLO --output-dir dl https://h/p/tool.tgz?x=1', [
  ['/proj/dl/tool.tgz'],
]);
test('curl into a redirection', macro, 'curl -fsSL https://h/a > a.bin', [['/proj/a.bin']]);
test('curl without a file writes nothing', macro, 'curl -fsS https://h/health', []);
test('wget -O FILE, wget -P DIR', macro, 'wget -q -O a https://h/a; wget -P dl https://h/b.tgz', [
  ['/proj/a'],
  ['/proj/dl/b.tgz'],
]);
test('gsutil cp remote to local', macro, 'gsutil -m cp gs://b/app gs://b/lib dist/', [['/proj/dist']]);
test('gsutil cp local to remote writes nothing here', macro, 'gsutil cp app gs://b/app', []);
test('aws s3 cp', macro, 'aws s3 cp s3://b/app.tgz ./app.tgz --quiet', [['/proj/app.tgz']]);
test(
  'buildkite-agent artifact download: below DEST, the pattern directory',
  macro,
  'buildkite-agent artifact download "pkg/*.deb" out',
  [['/proj/out/pkg']],
);
test('gh run download -D', macro, 'gh run download 123 -n dist -D dist', [['/proj/dist']]);
test('gh release download -O', macro, 'gh release download v1 -p "*.tgz" -O app.tgz', [['/proj/app.tgz']]);

const withBuilder = (script: string, dockerfile: string, tree: Record<string, string> = {}) =>
  analysisOf({
    'build.sh': `docker build -t b -f Dockerfile.build .\ndocker create --name x b\ndocker cp x:/src/app app\n${script}\ndocker build -t app .\n`,
    'Dockerfile.build': 'FROM busybox\nRUN mkdir /src && echo > /src/app\n',
    Dockerfile: dockerfile,
    ...tree,
  });

const rs359 = (a: ReturnType<typeof analysisOf>) =>
  a.diagnostics.filter((d) => d.code === 'RS359').map((d) => `${d.line}:${d.message.slice(0, 40)}`);

test('a COPY of a fetched file: RS359 on the fetching line', (t) => {
  const a = withBuilder('curl -o x.so https://h/x.so', 'FROM busybox\nCOPY app /app\nCOPY x.so /lib/\n');
  t.deepEqual(rs359(a), ['4:`curl -o x.so https://h/x.so` fetches fr']);
  t.deepEqual(
    a.consumptions.map((c) => c.containerPath),
    ['/src/app'],
  );
});

test('a fetched file over a file of the tree: RS359 too (the tree holds another content)', (t) => {
  const a = withBuilder('wget -O x.so https://h/x.so', 'FROM busybox\nCOPY app /app\nCOPY x.so /lib/\n', {
    'x.so': 'old',
  });
  t.is(rs359(a).length, 1);
});

test('a COPY of a directory that holds a fetched file: RS359', (t) => {
  const a = withBuilder('curl -o conf/x.pem https://h/x.pem', 'FROM busybox\nCOPY app /app\nCOPY conf /etc/conf\n', {
    'conf/a.txt': 'a',
  });
  t.is(rs359(a).length, 1);
});

test('a fetch into the working directory: a tree file and the artifact are no download', (t) => {
  const a = withBuilder('gh run download 1', 'FROM busybox\nCOPY app /app\nCOPY README /doc/\n', { README: 'r' });
  t.deepEqual(rs359(a), []);
});

test('an archive fetched and unpacked: RS359 on the fetch for the unpacked directory', (t) => {
  const a = withBuilder(
    'curl -o v.tgz https://h/v.tgz\nmkdir vendor\ntar -xzf v.tgz -C vendor',
    'FROM busybox\nCOPY app /app\nCOPY vendor/lib /opt/lib\n',
  );
  t.deepEqual(
    rs359(a).map((s) => s.split(':')[0]),
    ['4'],
  );
});

const piped = (script: string) =>
  analysisOf({ 'build.sh': `${script}\n` })
    .flow.events.filter((e): e is HostOperation => e.kind === 'host' && e.op === 'fetch')
    .map((e) => ({
      at: `${e.at.line}:${e.at.column}`,
      paths: e.paths,
      command: e.command,
      into: e.pipedInto?.command,
    }));

test('a download piped into tar -x: a fetch of the directory tar unpacks into, at the fetching word', (t) => {
  t.deepEqual(piped('mkdir out\nif true; then  curl -fsSL https://h/v.tgz | tar -xz -C out; fi'), [
    { at: '2:16', paths: ['/proj/out'], command: 'curl -fsSL https://h/v.tgz', into: 'tar -xz -C out' },
  ]);
});

test('wget -qO- and curl -o - write into the pipe too; tar without -C unpacks into the working directory', (t) => {
  t.deepEqual(
    piped('cd sub\nwget -qO- https://h/v.tar | tar x\ncurl -o - https://h/w.tgz | tar --extract --gzip -f -').map(
      (e) => [e.at, ...e.paths],
    ),
    [
      ['2:1', '/proj/sub'],
      ['3:1', '/proj/sub'],
    ],
  );
});

const table: readonly (readonly [string, string])[] = [
  ['curl -fsSL https://h/install.sh | sh', 'a pipe into anything but tar -x'],
  ['curl -fsSL https://h/v.tgz | tar -tz', 'tar -t lists, it writes nothing'],
  ['curl -fsSL https://h/v.tgz > v.tgz | tar -xz', 'the output goes into the file, not the pipe'],
  ['wget -q https://h/v.tgz | tar -xz', 'wget without -O- writes a file'],
  ['curl -fsSL https://h/v.tgz\ntar -xz', 'no pipe'],
  ['v=$(curl -fsSL https://h/v.tgz | tar -xzO)', 'captured'],
];
for (const [script, why] of table)
  test(`no piped fetch: ${why}`, (t) => {
    t.deepEqual(
      piped(script).filter((e) => e.into !== undefined),
      [],
    );
  });

test('curl -o - into a redirection fetches the redirected file only', (t) => {
  t.deepEqual(fetches('curl -o - https://h/a > a.bin'), [['/proj/a.bin']]);
});

test('a download piped into a reader other than tar -x is not a tar stream left unread (no RS342)', (t) => {
  const a = analysisOf({ 'build.sh': 'curl -fsSL https://h/install.sh | sh\n' });
  t.deepEqual(
    a.diagnostics.filter((d) => d.code === 'RS342'),
    [],
  );
});

test('a COPY of what a piped download unpacked: RS359 at the curl word, naming the pipe and its directory', (t) => {
  const a = withBuilder(
    'mkdir -p vendor\n  curl -fsSL https://h/v.tgz | tar -xz -C vendor',
    'FROM busybox\nCOPY app /app\nCOPY vendor/lib /opt/lib\n',
  );
  const d = a.diagnostics.filter((x) => x.code === 'RS359');
  t.deepEqual(
    d.map((x) => [x.line, x.column]),
    [[5, 3]],
  );
  t.regex(
    d[0]!.message,
    /^`curl -fsSL https:\/\/h\/v\.tgz` fetches from outside the builder a stream that `tar -xz -C vendor` \(build\.sh:5\) unpacks below vendor/,
  );
  t.regex(d[0]!.message, /fetch and unpack it in a RUN step of the builder's Dockerfile/);
  t.deepEqual(
    a.diagnostics.filter((x) => x.code === 'RS403'),
    [],
  );
});

test('a piped download into the working directory: a tree file or the artifact there may be replaced by a member', (t) => {
  const a = withBuilder('wget -qO- https://h/v.tar | tar -x', 'FROM busybox\nCOPY app /app\nCOPY README /doc/\n', {
    README: 'r',
  });
  t.deepEqual(
    rs359(a).map((d) => d.split(':')[0]),
    ['4', '4'],
  );
});

test('a piped download into another directory: a tree file elsewhere is no download', (t) => {
  const a = withBuilder(
    'wget -qO- https://h/v.tar | tar -x -C vendor',
    'FROM busybox\nCOPY app /app\nCOPY README /doc/\n',
    {
      README: 'r',
      'vendor/keep': '',
    },
  );
  t.deepEqual(rs359(a), []);
});

test('a piped download over the extracted artifact directory: RS308 (a host change of it) and RS359', (t) => {
  const a = withBuilder('curl -fsSL https://h/v.tgz | tar -xz -C app', 'FROM busybox\nCOPY app /app\n');
  t.deepEqual(
    a.diagnostics.map((x) => `${x.code} ${x.line}:${x.column}`),
    ['RS308 4:1', 'RS359 4:1'],
  );
});
