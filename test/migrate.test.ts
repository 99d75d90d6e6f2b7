/** The migration's choice of orchestrator among several candidate files. */
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runMigrate } from '../src/cli/migrate.js';

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
