/** `npm run` met by the analysis: which package's script runs, in which directory, and what restage declines. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { packageRuns } from '../../src/orchestrate/package-runs.js';
import { migrate } from '../../src/migrate.js';
import type { OrchestratorContext } from '../../src/orchestrate/index.js';

function tree(t: { teardown: (f: () => void) => void }, files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-package-runs-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function runner(root: string) {
  const context: OrchestratorContext = {
    root,
    readText: (abs) => {
      try {
        return fs.readFileSync(abs, 'utf8');
      } catch {
        return null;
      }
    },
    display: (abs) => path.relative(root, abs) || '.',
    scriptArgs: undefined,
    env: undefined,
    makeTarget: undefined,
  };
  const list = (abs: string) =>
    fs
      .readdirSync(abs, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  return packageRuns(context, list);
}

const at = { file: 'Makefile', line: 2, column: 2 };
const pkg = (scripts: Record<string, string>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ ...extra, scripts }, null, 2);

test('the package: --prefix from the working directory, else the nearest package.json at or above it', (t) => {
  const root = tree(t, {
    'package.json': pkg({ build: 'echo top' }),
    'web/package.json': pkg({ build: 'docker build ..' }),
    'web/src/index.js': '',
  });
  const { run } = runner(root);
  t.is(run(root, ['npm', '--prefix', 'web', 'run', 'build'], at)?.directory, path.join(root, 'web'));
  t.is(run(root, ['npm', '-C', 'web', 'run', 'build'], at)?.directory, path.join(root, 'web'));
  t.is(run(path.join(root, 'web', 'src'), ['npm', 'run', 'build'], at)?.directory, path.join(root, 'web'));
  t.is(run(root, ['npm', 'run', 'build'], at)?.directory, root);
  t.is(run(root, ['npm', 'ci'], at), null);
  const got = run(root, ['npm', '-C', 'web', 'run', 'build'], at)!;
  t.true(got.reaches);
  t.is(got.script?.text, '(\ndocker build ..\n)\n');
  t.deepEqual(got.followed?.code, 'RS383');
});

test('no package.json at or above the working directory: not followed (an unknown host command, as before)', (t) => {
  const root = tree(t, { 'web/x': '' });
  t.is(runner(root).run(path.join(root, 'web'), ['npm', 'run', 'build'], at), null);
});

test('what npm would refuse or restage cannot follow is declined at the npm call', (t) => {
  const root = tree(t, {
    'package.json': pkg({ build: 'echo' }, { workspaces: ['packages/*'] }),
    'packages/web/package.json': pkg({ build: 'docker build .' }, { name: '@acme/web' }),
    'broken/package.json': '{',
  });
  const { run } = runner(root);
  const said = (words: string) => {
    const got = run(root, words.split(' '), at)!;
    t.is(got.script, null, words);
    return got.diagnostics.map((d) => `${d.code}@${d.file}:${d.line}`);
  };
  t.deepEqual(said('npm --prefix web run build'), ['RS381@Makefile:2']);
  t.deepEqual(said('npm --prefix packages/web run missing'), ['RS381@Makefile:2']);
  t.deepEqual(said('npm --prefix packages/web run build extra'), ['RS380@Makefile:2']);
  t.deepEqual(said('npm --prefix broken run build'), ['RS382@Makefile:2']);
  t.deepEqual(said('npm run build --workspaces'), ['RS380@Makefile:2']);
  t.deepEqual(said('npm run build -w a -w b'), ['RS380@Makefile:2']);
  t.deepEqual(said('npm run build -w nowhere'), ['RS380@Makefile:2']);
  const missing = run(root, 'npm run build -w nowhere'.split(' '), at)!.diagnostics[0]!.message;
  t.regex(missing, /workspace nowhere/);
  t.regex(missing, /packages\/\*/);
  t.regex(missing, /--prefix DIR/);
  t.deepEqual(said('npm --prefix packages/web run --if-present missing'), []);
});

test('a workspace by its path or by its package name runs in its own directory', (t) => {
  const root = tree(t, {
    'package.json': pkg({}, { workspaces: ['packages/*'] }),
    'packages/web/package.json': pkg({ build: 'docker build .' }, { name: '@acme/web' }),
    'packages/api/package.json': pkg({ build: 'echo' }, { name: 'api' }),
  });
  const { run } = runner(root);
  t.is(run(root, ['npm', 'run', 'build', '-w', 'packages/web'], at)?.directory, path.join(root, 'packages/web'));
  t.is(run(root, ['npm', '-w', '@acme/web', 'run', 'build'], at)?.directory, path.join(root, 'packages/web'));
  t.is(run(root, ['npm', 'run', 'build', '--workspace=api'], at)?.directory, path.join(root, 'packages/api'));
});

test('relocate: the generated script of each run moves back to its package.json', (t) => {
  const root = tree(t, { 'web/package.json': pkg({ lint: 'echo', build: 'docker build ..' }) });
  const runs = runner(root);
  const got = runs.run(root, ['npm', '-C', 'web', 'run', 'build'], at)!;
  const located = { file: got.script!.file, line: 2, column: 1 };
  runs.relocate([located]);
  t.deepEqual(located, { file: 'web/package.json', line: 4, column: 15 });
});

// The builder pattern, driven from `web/` (its own directory holds no Dockerfile), as the migrate runner follows it.
const pattern = {
  'Dockerfile.build': 'FROM busybox:1.36\nRUN echo hi > /out.txt\n',
  Dockerfile: 'FROM busybox:1.36\nCOPY out.txt /out.txt\n',
};
const steps =
  'docker build -t b -f ../Dockerfile.build .. && docker create --name c b && docker cp c:/out.txt ../out.txt && docker rm c && docker build -t app ..';

const migrations: [name: string, files: Record<string, string>, orchestrator: string][] = [
  [
    'a package one level down, its script run from there',
    { 'web/package.json': pkg({ image: steps }) },
    'web/package.json',
  ],
  [
    'a package whose script runs node scripts/build.mjs of its own',
    {
      'web/package.json': pkg({ image: 'node scripts/build.mjs' }),
      'web/scripts/build.mjs': `import { execSync } from 'node:child_process';\n${steps
        .split(' && ')
        .map((s) => `execSync('${s}');`)
        .join('\n')}\n`,
    },
    'web/package.json',
  ],
  [
    'a package whose script runs ./build.sh of its own, from its directory',
    {
      'web/package.json': pkg({ image: './build.sh' }),
      'web/build.sh': `#!/bin/sh\nset -e\n${steps.split(' && ').join('\n')}\n`,
    },
    'web/package.json',
  ],
  [
    '(cd web; npm run image) in a Makefile recipe',
    { Makefile: 'image:\n\t(cd web; npm run image)\n', 'web/package.json': pkg({ image: steps }) },
    'Makefile',
  ],
  [
    'npm -C web run image in a root package.json script',
    { 'package.json': pkg({ image: 'npm -C web run image' }), 'web/package.json': pkg({ image: steps }) },
    'package.json',
  ],
  [
    'npm run image -w web from a root package.json with workspaces',
    {
      'build.sh': '#!/bin/sh\nnpm run image -w @acme/web\n',
      'package.json': pkg({}, { workspaces: ['web'] }),
      'web/package.json': pkg({ image: steps }, { name: '@acme/web' }),
    },
    'build.sh',
  ],
];
for (const [name, files, orchestrator] of migrations)
  test(`migrate: ${name}`, (t) => {
    const root = tree(t, { ...pattern, ...files });
    const result = migrate(root, { displayBase: root });
    t.is(result.status, 'migrated', JSON.stringify(result.diagnostics, null, 1));
    t.is(result.files.find((f) => f.role === 'orchestrator')?.path, orchestrator);
    t.is(result.artifacts[0]?.hostPath, 'out.txt');
    t.false(result.files.some((f) => f.role === 'other-orchestrator'));
  });

test('migrate: an npm run of every workspace is declined at the call, naming them', (t) => {
  const root = tree(t, {
    ...pattern,
    Makefile: 'image:\n\tnpm run image --workspaces\n',
    'package.json': pkg({}, { workspaces: ['web'] }),
    'web/package.json': pkg({ image: steps }),
  });
  // web/package.json is a pipeline of its own; --script asks for the Makefile's.
  const result = migrate(root, { displayBase: root, script: 'Makefile' });
  const declined = result.diagnostics.find((d) => d.code === 'RS380');
  t.like(declined, { file: 'Makefile', line: 2, severity: 'error' });
  t.regex(declined!.message, /every workspace of package\.json/);
});
