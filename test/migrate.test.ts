/**
 * The runner's choice of orchestrator among several candidate files. With a package.json that runs
 * a JS/TS build script: the package is the orchestrator, the build script part of its pipeline (no
 * candidate of its own, listed obsolete), and what the analysis says about the script's commands
 * is on the script's lines. A dispatching script's sub-scripts are part of its pipeline.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { migrate } from '../src/migrate.js';
import { runMigrate } from '../src/cli/migrate.js';

function caseCopy(edit: (root: string) => void = () => undefined): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-migrate-test-'));
  fs.cpSync(path.join('test', 'fixtures', 'migrate', 'npm-node-build-mjs', 'input'), root, { recursive: true });
  edit(root);
  return root;
}

test('package.json runs node scripts/build.mjs: it is the one orchestrator, and the build script is obsolete', (t) => {
  const root = caseCopy();
  t.teardown(() => fs.rmSync(root, { recursive: true, force: true }));
  const result = migrate(root, { displayBase: root });
  t.is(result.status, 'migrated');
  t.deepEqual(
    result.files.filter((f) => f.role === 'orchestrator').map((f) => f.path),
    ['package.json'],
  );
  t.false(result.diagnostics.some((d) => d.code === 'RS110'));
  t.true(result.obsolete.includes('scripts/build.mjs'));
  t.false(result.obsolete.includes('package.json'));
});

test("the analysis of a followed build script's command is located on the script's line", (t) => {
  const root = caseCopy((r) => {
    const file = path.join(r, 'scripts', 'build.mjs');
    fs.writeFileSync(
      file,
      fs.readFileSync(file, 'utf8').replace('docker create --name ${CONTAINER} ${BUILDER}', 'echo'),
    );
  });
  t.teardown(() => fs.rmSync(root, { recursive: true, force: true }));
  const result = migrate(root, { displayBase: root });
  const never = result.diagnostics.find((d) => d.code === 'RS401');
  t.like(never, { file: 'scripts/build.mjs', line: 11, column: 1 });
});

test('a build script given arguments that reads process.argv is declined at the read (RS384)', (t) => {
  const root = caseCopy((r) => {
    const pkg = path.join(r, 'package.json');
    fs.writeFileSync(
      pkg,
      fs.readFileSync(pkg, 'utf8').replace('"node scripts/build.mjs"', '"node scripts/build.mjs --prod"'),
    );
    const file = path.join(r, 'scripts', 'build.mjs');
    fs.writeFileSync(
      file,
      fs.readFileSync(file, 'utf8').replace("const NAME = 'motd';", "const NAME = process.argv[2] ?? 'motd';"),
    );
  });
  t.teardown(() => fs.rmSync(root, { recursive: true, force: true }));
  const result = migrate(root, { displayBase: root });
  t.is(result.status, 'error');
  // The script builds nothing restage can see; RS381 says so and the declines say why.
  t.regex(
    result.diagnostics.find((d) => d.code === 'RS381')?.message ?? '',
    /^no script of package\.json builds the runtime image as far as restage can read \(build runs a build script with commands it declines, below\)/,
  );
  const declined = result.diagnostics.filter((d) => d.code === 'RS384');
  t.deepEqual(
    declined.map((d) => `${d.file}:${d.line}:${d.column}`),
    ['scripts/build.mjs:4:14', ...[9, 10, 11, 12, 13].map((l) => `scripts/build.mjs:${l}:10`)],
  );
  t.regex(declined[0]!.message, /package\.json:8:15 runs it with `--prod`, which restage does not model/);
});

function tree(t: { teardown: (f: () => void) => void }, files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-migrate-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

test('sub-scripts a dispatching script runs only in a case branch are part of its pipeline, no candidates', (t) => {
  const dir = tree(t, {
    'build.sh': [
      '#!/bin/sh',
      'export IMAGE=acme/app',
      'case "$1" in',
      '  release)',
      '    ./scripts/builder.sh',
      '    ./scripts/extract.sh',
      '    docker build -t "$IMAGE:1" .',
      '    ;;',
      '  *) exit 1 ;;',
      'esac',
      '',
    ].join('\n'),
    'scripts/builder.sh': '#!/bin/sh\ndocker build -t "$IMAGE:build" -f Dockerfile.build .\n',
    'scripts/extract.sh': '#!/bin/sh\ndocker create --name x "$IMAGE:build"\ndocker cp x:/src/app ./app\ndocker rm x\n',
    'Dockerfile.build': 'FROM busybox:latest\nWORKDIR /src\nRUN echo hi > app\n',
    Dockerfile: 'FROM busybox:latest\nCOPY app /app\n',
  });
  const { result } = runMigrate(dir, { displayBase: dir });
  t.is(result.status, 'migrated', JSON.stringify(result.diagnostics));
  t.is(result.buildCommand, 'docker build -t acme/app:1 .');
  t.deepEqual(
    result.files.filter((f) => f.role === 'orchestrator').map((f) => f.path),
    ['build.sh'],
  );
});
