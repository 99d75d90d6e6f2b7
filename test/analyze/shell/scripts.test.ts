/** Scripts that source or run other scripts of the tree: `.`/`source` in this shell, `./f.sh`/`sh f.sh` as a child. */
import test from 'ava';
import path from 'node:path';
import { parseShell, type ShellScript } from '../../../src/parse/shell.js';
import { analyzeScript } from '../../../src/analyze/script.js';

const PROJ = '/proj';

function analyse(files: Record<string, string>, main = 'build.sh') {
  const readScript = (abs: string): ShellScript | null => {
    const rel = path.relative(PROJ, abs);
    return rel in files ? parseShell(rel, files[rel]!).script : null;
  };
  const shell = parseShell(main, files[main]!);
  return analyzeScript(shell.script!, PROJ, path.join(PROJ, main), { readScript });
}

const builds = (r: ReturnType<typeof analyse>) =>
  r.flow.events.flatMap((e) =>
    e.kind === 'build' ? [[e.tags[0], e.at.file, e.at.line, path.relative(PROJ, e.context) || '.']] : [],
  );

test('a sourced file sets variables for the script; its commands are located in it', (t) => {
  const r = analyse({
    'build.sh': '. ./ci/env.sh\ndocker build -t "$IMAGE" .\n',
    'ci/env.sh': 'IMAGE=acme/app:1\ndocker build -t acme/base -f Dockerfile.base .\n',
  });
  t.deepEqual(builds(r), [
    ['acme/base', 'ci/env.sh', 2, '.'],
    ['acme/app:1', 'build.sh', 2, '.'],
  ]);
  t.deepEqual(r.included, ['/proj/ci/env.sh']);
  t.deepEqual(r.diagnostics, []);
});

test('a script run as a command is a child: exported variables in, nothing out; $0 is the child; exit ends the child only', (t) => {
  const r = analyse({
    'build.sh': [
      'export TAG=7',
      'LOCAL=x',
      './scripts/builder.sh one',
      'sh -e scripts/builder.sh two',
      'docker build -t "app:${TAG}${FROM_CHILD:-}" .',
    ].join('\n'),
    'scripts/builder.sh': [
      'cd "$(dirname "$0")/.."',
      'docker build -t "b-$1:$TAG${LOCAL:-}" -f Dockerfile.build .',
      'FROM_CHILD=leak',
      'exit 0',
      'docker build -t never .',
    ].join('\n'),
  });
  t.deepEqual(builds(r), [
    ['b-one:7', 'scripts/builder.sh', 2, '.'],
    ['b-two:7', 'scripts/builder.sh', 2, '.'],
    ['app:7', 'build.sh', 5, '.'],
  ]);
  t.deepEqual(r.included, ['/proj/scripts/builder.sh']);
});

test('what is no script of the tree is not followed: RS306 for a source, an ordinary command for a run', (t) => {
  const r = analyse({ 'build.sh': '. /etc/profile\n. "$ENVFILE"\n./configure\ndocker build -t x .\n' });
  t.deepEqual(
    r.diagnostics.filter((d) => d.code === 'RS306').map((d) => [d.line, /no shell script|not literal/.test(d.message)]),
    [
      [1, true],
      [2, true],
    ],
  );
  t.deepEqual(builds(r), [['x', 'build.sh', 4, '.']]);
});

test('a script that runs itself stops at the nesting limit instead of looping', (t) => {
  const r = analyse({ 'build.sh': 'docker build -t x .\n./build.sh\n' });
  t.true(builds(r).length >= 2);
  t.true(builds(r).length <= 20);
});
