/** `npm run NAME` in a script: the package's script, as the runner gives it, run as a child in the package's directory. */
import test from 'ava';
import path from 'node:path';
import { parseShell } from '../../../src/parse/shell.js';
import { analyzeScript } from '../../../src/analyze/script.js';
import type { PackageRun, RunPackage } from '../../../src/analyze/command.js';
import { diagnostic } from '../../../src/model/diagnostic.js';

const PROJ = '/proj';

/** A runner that knows one package, web/, whose scripts are given; `calls` records what it was asked. */
function packages(scripts: Record<string, string>, calls: string[] = []): RunPackage {
  return (cwd, words, at) => {
    calls.push(`${path.relative(PROJ, cwd) || '.'}: ${words.join(' ')}`);
    const name = words.at(-1)!;
    if (words[1] !== 'run' && words[1] !== '-C') return null;
    const text = scripts[name];
    if (text === undefined) return null;
    const run: PackageRun = {
      script: parseShell(`web/package.json#${name}`, text).script,
      directory: path.join(PROJ, 'web'),
      key: `/proj/web/package.json#${name}`,
      file: '/proj/web/package.json',
      reaches: /docker/.test(text),
      included: [],
      diagnostics: [],
      followed: diagnostic('RS383', at, `followed ${name}`),
    };
    return run;
  };
}

function analyse(main: string, runPackage: RunPackage) {
  const shell = parseShell('build.sh', main);
  return analyzeScript(shell.script!, PROJ, path.join(PROJ, 'build.sh'), { runPackage });
}

test('the package script runs in its directory; the caller keeps its own after it', (t) => {
  const calls: string[] = [];
  const r = analyse(
    'cd web && npm run image\ndocker build -t after .\n',
    packages({ image: 'docker build -t inside -f ../Dockerfile.build ..\ncd /tmp\n' }, calls),
  );
  t.deepEqual(calls, ['web: npm run image']);
  const builds = r.flow.events.flatMap((e) => (e.kind === 'build' ? [[e.tags[0], e.context, e.dockerfile]] : []));
  t.deepEqual(builds, [
    ['inside', PROJ, '/proj/Dockerfile.build'],
    // The `cd web` of the caller holds; the package script's `cd /tmp` ends with it.
    ['after', '/proj/web', '/proj/web/Dockerfile'],
  ]);
  t.deepEqual(r.included, ['/proj/web/package.json']);
  t.deepEqual(
    r.diagnostics.map((d) => `${d.code}@${d.file}:${d.line}:${d.column}`),
    ['RS383@build.sh:1:11'],
  );
});

test('a package script that reaches no docker is not part of the pipeline: not included, nothing said', (t) => {
  const r = analyse('npm run lint\n', packages({ lint: 'eslint .\n' }));
  t.deepEqual(r.included, []);
  t.deepEqual(r.diagnostics, []);
});

test('a package script that runs itself again is not followed into itself (RS380)', (t) => {
  const r = analyse('npm run image\n', packages({ image: 'npm run image\n' }));
  t.deepEqual(
    r.diagnostics.map((d) => d.code),
    ['RS380'],
  );
});

test('an npm run whose words restage cannot know is declined at the call', (t) => {
  const r = analyse('npm --prefix "$DIR" run image\n', packages({ image: 'docker build .\n' }));
  t.true(r.diagnostics.some((d) => d.code === 'RS380' && d.line === 1 && /\$DIR|DIR/.test(d.message)));
});
