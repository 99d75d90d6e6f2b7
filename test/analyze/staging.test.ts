/**
 * A staging directory filled from the tree: which COPY sources are the tree's own files (copied
 * from the tree by the migrated build, RS390), and which stay RS403 because something makes the
 * staged copy differ from the tree file, or restage cannot tell.
 */
import test from 'ava';
import { analysisOf, display } from '../helpers/analysis.js';

const FILES = {
  'Dockerfile.build': 'FROM golang:1.21\nRUN mkdir /out && echo hi > /out/app\n',
  'deploy/Dockerfile': 'FROM debian:bookworm-slim\nCOPY app /usr/local/bin/app\nCOPY config.yml /etc/app/config.yml\n',
  'config.yml': 'a: 1\n',
  'other.yml': 'b: 2\n',
};
const HEAD =
  'docker build -t b -f Dockerfile.build .\nmkdir -p stage\ndocker create --name x b\ndocker cp x:/out/app stage/app\ndocker rm x\n';
const TAIL = 'docker build -t app -f deploy/Dockerfile stage\n';

const cases: [name: string, staging: string, expected: string | null, files?: Record<string, string>][] = [
  ['cp into the staging directory', 'cp config.yml stage/\n', 'config.yml'],
  ['cp -p, naming the copy', 'cp -p config.yml stage/config.yml\n', 'config.yml'],
  ['mv of a tree file', 'mv config.yml stage/\n', 'config.yml'],
  ['several files into the directory', 'cp other.yml config.yml stage/\n', 'config.yml'],
  ['a copy renamed: the tree file it came from', 'cp other.yml stage/config.yml\n', 'other.yml'],
  ['a later cp over the copy', 'cp config.yml stage/\ncp other.yml stage/config.yml\n', 'other.yml'],
  ['a later cp of another file beside it changes nothing', 'cp config.yml stage/\ncp other.yml stage/\n', 'config.yml'],
  ['the copy removed', 'cp config.yml stage/\nrm stage/config.yml\n', null],
  ['chmod of the copy', 'cp config.yml stage/\nchmod 600 stage/config.yml\n', null],
  ['the tree file rewritten first', "sed -i 's/1/2/' config.yml\ncp config.yml stage/\n", null],
  ['the tree file rewritten after the copy', "cp config.yml stage/\nsed -i 's/1/2/' config.yml\n", null],
  ['cp -a (links, owners, times)', 'cp -a config.yml stage/\n', null],
  ['cp -r', 'cp -r config.yml stage/\n', null],
  ['cp -n (the copy may be an older file)', 'cp -n config.yml stage/\n', null],
  ['a file the script made', 'echo "a: 3" > made.yml\ncp made.yml stage/config.yml\n', null],
  ['a tree file that does not exist', 'cp missing.yml stage/config.yml\n', null],
  ['through an unset variable', 'cp "$CONF" stage/config.yml\n', null],
  // The merged context's .dockerignore then gets an exception for it (test/plan/dockerignore.test.ts).
  [
    'a tree file the context that holds it leaves out (.dockerignore)',
    'cp config.yml stage/\n',
    'config.yml',
    { '.dockerignore': 'config.yml\n' },
  ],
];

for (const [name, staging, expected, extra] of cases) {
  test(`staging: ${name}`, (t) => {
    const analysis = analysisOf({ ...FILES, ...extra, 'build.sh': HEAD + staging + TAIL });
    const staged = (analysis.staged ?? []).map((s) => display(s.origin));
    const codes = analysis.diagnostics.filter((d) => d.line === 3 && d.file === 'deploy/Dockerfile').map((d) => d.code);
    if (expected === null) {
      t.deepEqual(staged, []);
      t.true(codes.includes('RS403') || codes.includes('RS309'), codes.join(','));
    } else {
      t.deepEqual(staged, [expected]);
      t.deepEqual(codes, ['RS390']);
    }
  });
}

/**
 * The staged context's `.dockerignore` (src/analyze/host-snapshot.ts `buildIgnores`, through
 * stagedCopy): the tree file the script copied there, a recursive copy included. The runtime
 * copies `bin/`, which holds `app` and `app.debug`; the copied file leaves out `**\/*.debug`.
 */
const IGNORING = {
  'Dockerfile.build': 'FROM golang:1.21\nRUN mkdir /out && echo hi > /out/app && echo s > /out/app.debug\n',
  'deploy/Dockerfile': 'FROM debian:bookworm-slim\nCOPY bin /usr/local/bin/\n',
  'deploy/.dockerignore': '**/*.debug\n',
  'deploy/conf/.dockerignore': '**/*.debug\n',
};
const EXTRACT =
  'docker build -t b -f Dockerfile.build .\nmkdir -p stage/bin\ndocker create --name x b\ndocker cp x:/out/app stage/bin/app\ndocker cp x:/out/app.debug stage/bin/app.debug\ndocker rm x\n';

/** `unknown`: the line of the step RS392 names (restage cannot tell the staged file's text), else null. */
const ignoreCases: [name: string, staging: string, debugCopied: boolean, unknown: number | null][] = [
  ['no ignore file staged: both files copied', '', true, null],
  ['cp of a .dockerignore into the context', 'cp deploy/.dockerignore stage/\n', false, null],
  ['cp -r of a directory’s content (DIR/.)', 'cp -r deploy/conf/. stage/\n', false, null],
  ['cp -r of a directory into the context: it lands below, not at the root', 'cp -r deploy/conf stage/\n', true, null],
  ['cp -a (not modelled)', 'cp -a deploy/conf/. stage/\n', true, null],
  ['cp -a of the file itself (not modelled)', 'cp -a deploy/.dockerignore stage/.dockerignore\n', true, 7],
  ['a redirection writes it', "echo '*.debug' > stage/.dockerignore\n", true, 7],
  ['the copy removed before the build', 'cp deploy/.dockerignore stage/\nrm stage/.dockerignore\n', true, 8],
];

for (const [name, staging, debugCopied, unknown] of ignoreCases) {
  test(`staged .dockerignore: ${name}`, (t) => {
    const analysis = analysisOf({ ...IGNORING, 'build.sh': `${EXTRACT}${staging}${TAIL}` });
    const consumed = analysis.consumptions.map((c) => c.artifact.containerPath).sort();
    t.deepEqual(consumed, debugCopied ? ['/out/app', '/out/app.debug'] : ['/out/app']);
    const unused = analysis.diagnostics.filter((d) => d.code === 'RS402').map((d) => d.line);
    t.deepEqual(unused, debugCopied ? [] : [5]);
    const rs392 = analysis.diagnostics.filter((d) => d.code === 'RS392');
    t.deepEqual(
      rs392.map((d) => [d.severity, d.file, d.line]),
      unknown === null ? [] : [['error', 'build.sh', unknown]],
    );
    if (unknown !== null)
      t.regex(rs392[0]!.message, /changes stage\/\.dockerignore, the ignore file of the build context stage/);
  });
}

test('cp -r of a directory to a new context: the context is that directory, its .dockerignore included', (t) => {
  const script =
    'docker build -t b -f Dockerfile.build .\ncp -r deploy/conf stage\nmkdir -p stage/bin\ndocker create --name x b\ndocker cp x:/out/app stage/bin/app\ndocker cp x:/out/app.debug stage/bin/app.debug\ndocker rm x\n' +
    TAIL;
  const analysis = analysisOf({ ...IGNORING, 'build.sh': script });
  t.deepEqual(
    analysis.consumptions.map((c) => c.artifact.containerPath),
    ['/out/app'],
  );
});
