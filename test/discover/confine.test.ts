/**
 * Confinement: a COPY source, a -f file, a build context or a symlink that leaves the analysed
 * directory is a located error, never followed; FIFOs and devices are never opened.
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runMigrate } from '../../src/cli/migrate.js';
import { analyzeDirectory } from '../../src/migrate.js';

const SCRIPT =
  'docker build -t app:build . -f Dockerfile.build\ndocker create --name extract app:build\ndocker cp extract:/app ./app\ndocker rm -f extract\ndocker build -t app .\n';

/** A parent holding a secret file beside the analysed directory `repo`. */
function setup(
  t: { teardown: (f: () => void) => void },
  files: Record<string, string>,
): { parent: string; dir: string } {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-confine-'));
  t.teardown(() => fs.rmSync(parent, { recursive: true, force: true }));
  fs.writeFileSync(path.join(parent, 'secret'), 'FROM secret\nCOPY secret /secret\n');
  const dir = path.join(parent, 'repo');
  fs.mkdirSync(dir);
  for (const [name, text] of Object.entries({
    'build.sh': SCRIPT,
    'Dockerfile.build': 'FROM golang:1.7.3\nRUN go build -o /app .\n',
    Dockerfile: 'FROM alpine\nCOPY app /app\n',
    ...files,
  }))
    fs.writeFileSync(path.join(dir, name), text);
  return { parent, dir };
}

function codes(dir: string) {
  const { result, exitCode } = runMigrate(dir, { displayBase: dir });
  return {
    exitCode,
    result,
    errors: result.diagnostics
      .filter((d) => d.severity === 'error')
      .map((d) => `${d.code} ${d.file}:${d.line}:${d.column}`),
  };
}

test('COPY ../secret is RS410 at the source, exit 2', (t) => {
  const { parent, dir } = setup(t, { Dockerfile: 'FROM alpine\nCOPY app /app\nCOPY ../secret /s\n' });
  const { exitCode, errors } = codes(dir);
  t.is(exitCode, 2);
  t.true(errors.includes('RS410 Dockerfile:3:6'), errors.join('\n'));
  fs.rmSync(parent, { recursive: true });
});

test('-f ../secret is RS120 at the -f value, and the file outside is never parsed', (t) => {
  const { parent, dir } = setup(t, { 'build.sh': SCRIPT.replace('-f Dockerfile.build', '-f ../secret') });
  const { exitCode, result, errors } = codes(dir);
  t.is(exitCode, 2);
  t.deepEqual(errors, ['RS120 build.sh:1:32']);
  t.false(JSON.stringify(result).includes('FROM secret'));
  t.false(result.diagnostics.some((d) => d.file.includes('secret') && d.code.startsWith('RS2')));
  fs.rmSync(parent, { recursive: true });
});

test('a build context above the directory is RS120', (t) => {
  const { parent, dir } = setup(t, { 'build.sh': SCRIPT.replace('docker build -t app .', 'docker build -t app ..') });
  const { exitCode, errors } = codes(dir);
  t.is(exitCode, 2);
  t.true(
    errors.some((e) => e.startsWith('RS120 build.sh:5:')),
    errors.join('\n'),
  );
  fs.rmSync(parent, { recursive: true });
});

test('a Dockerfile that is a symlink out of the directory is RS121 and is not read', (t) => {
  const { parent, dir } = setup(t, {});
  fs.rmSync(path.join(dir, 'Dockerfile.build'));
  fs.symlinkSync('../secret', path.join(dir, 'Dockerfile.build'));
  const { exitCode, result, errors } = codes(dir);
  t.is(exitCode, 2);
  t.true(errors.includes('RS121 Dockerfile.build:1:1'), errors.join('\n'));
  t.false(result.diagnostics.some((d) => d.code === 'RS103'));
  fs.rmSync(parent, { recursive: true });
});

test('a COPY source that is a symlink out of the directory is RS121 at the source', (t) => {
  const { parent, dir } = setup(t, { Dockerfile: 'FROM alpine\nCOPY app /app\nCOPY conf /conf\n' });
  fs.symlinkSync('..', path.join(dir, 'conf'));
  const { exitCode, errors } = codes(dir);
  t.is(exitCode, 2);
  t.true(errors.includes('RS121 Dockerfile:3:6'), errors.join('\n'));
  fs.rmSync(parent, { recursive: true });
});

test('a symlink inside the directory that stays inside is followed as before', (t) => {
  const { parent, dir } = setup(t, {});
  fs.renameSync(path.join(dir, 'Dockerfile.build'), path.join(dir, 'Dockerfile.builder'));
  fs.symlinkSync('Dockerfile.builder', path.join(dir, 'Dockerfile.build'));
  const { exitCode, result } = codes(dir);
  t.is(exitCode, 0);
  t.is(result.status, 'migrated');
  fs.rmSync(parent, { recursive: true });
});

for (const name of ['Dockerfile', 'build.sh', 'Dockerfile.build']) {
  // A FIFO that is opened blocks the test until ava's timeout fails it; how fast the refusal is, is measured by `npm run bench`.
  test(`a FIFO named ${name} is RS122 for migrate and verify planning, never opened`, (t) => {
    const { parent, dir } = setup(t, {});
    fs.rmSync(path.join(dir, name));
    execFileSync('mkfifo', [path.join(dir, name)]);
    const { result, exitCode } = runMigrate(dir, { displayBase: dir });
    const planned = analyzeDirectory(dir, { displayBase: dir });
    t.is(exitCode, 2);
    t.is(planned.result.status, 'error');
    t.true(
      result.diagnostics.some((d) => d.code === 'RS122' && d.file === name && d.line === 1),
      JSON.stringify(result.diagnostics),
    );
    fs.rmSync(parent, { recursive: true });
  });
}

test('a symlink to a device (/dev/zero) named Dockerfile is refused, never opened', (t) => {
  const { parent, dir } = setup(t, {});
  fs.rmSync(path.join(dir, 'Dockerfile'));
  fs.symlinkSync('/dev/zero', path.join(dir, 'Dockerfile'));
  const { exitCode, result } = runMigrate(dir, { displayBase: dir });
  t.is(exitCode, 2);
  t.true(result.diagnostics.some((d) => d.code === 'RS121' && d.file === 'Dockerfile'));
  fs.rmSync(parent, { recursive: true });
});
