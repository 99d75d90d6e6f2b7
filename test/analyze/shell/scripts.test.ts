/** Scripts that source or run other scripts of the tree: `.`/`source` in this shell, `./f.sh`/`sh f.sh` as a child. */
import test from 'ava';
import path from 'node:path';
import { parseShell, type ShellScript } from '../../../src/parse/shell.js';
import { analyzeScript } from '../../../src/analyze/script.js';

const PROJ = '/proj';

function analyse(files: Record<string, string>, main = 'build.sh') {
  // As the runner reads them: a sourced file whatever its name, a run one when it is a shell script.
  const readScript = (abs: string, sourced: boolean): ShellScript | null => {
    const rel = path.relative(PROJ, abs);
    if (!(rel in files)) return null;
    if (!sourced && !rel.endsWith('.sh') && !files[rel]!.startsWith('#!/bin/sh')) return null;
    return parseShell(rel, files[rel]!).script;
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

test('a sourced file needs no .sh name (the shell reads any file); a run one without #! or .sh is an ordinary command', (t) => {
  const r = analyse({
    'build.sh': '. ci/config\n./ci/config\nsh ci/config\ndocker build -t "$IMAGE" .\n',
    'ci/config': 'IMAGE=acme/cfg\ndocker build -t from-config .\n',
  });
  t.deepEqual(builds(r), [
    ['from-config', 'ci/config', 2, '.'],
    ['from-config', 'ci/config', 2, '.'],
    ['acme/cfg', 'build.sh', 4, '.'],
  ]);
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

test('a script that runs or sources itself is not followed into itself (RS306), and repeated runs are bounded', (t) => {
  const self = analyse({ 'build.sh': 'docker build -t x .\n./build.sh\n. ./build.sh\n' });
  t.deepEqual(builds(self), [['x', 'build.sh', 1, '.']]);
  t.deepEqual(
    self.diagnostics.map((d) => [d.code, d.line, /already running/.test(d.message)]),
    [
      ['RS306', 2, true],
      ['RS306', 3, true],
    ],
  );
  // Each script runs the next one twice: 2^10 runs unbounded, 64 at most here.
  const files: Record<string, string> = { 'build.sh': './s0.sh\n./s0.sh\n' };
  for (let i = 0; i < 10; i++) files[`s${i}.sh`] = `docker build -t s${i} .\n./s${i + 1}.sh\n./s${i + 1}.sh\n`;
  files['s10.sh'] = 'docker build -t s10 .\n';
  const fan = analyse(files);
  t.true(builds(fan).length <= 64, String(builds(fan).length));
  t.true(fan.diagnostics.some((d) => /at most 64/.test(d.message)));
});

test('each run or source of another script is recorded: where, from which directory, how', (t) => {
  const r = analyse({
    'build.sh': ['. ./ci/env.sh', 'cd sub', 'sh ../scripts/x.sh one', 'cd ..', './scripts/x.sh two'].join('\n'),
    'ci/env.sh': 'IMAGE=app\n',
    'scripts/x.sh': 'cd /elsewhere\n',
  });
  t.deepEqual(
    (r.flow.calls ?? []).map((c) => [`${c.at.file}:${c.at.line}:${c.at.column}`, c.script, c.cwd, c.sourced]),
    [
      ['build.sh:1:1', '/proj/ci/env.sh', '/proj', true],
      ['build.sh:3:1', '/proj/scripts/x.sh', '/proj/sub', false],
      // A child's `cd` is its own: the caller's directory is as it was.
      ['build.sh:5:1', '/proj/scripts/x.sh', '/proj', false],
    ],
  );
  t.is(analyse({ 'build.sh': 'docker build -t app .\n' }).flow.calls, undefined, 'no call: no field');
});
