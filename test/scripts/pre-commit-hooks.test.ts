/**
 * .pre-commit-hooks.yaml, as pre-commit reads it: restage-check runs `restage check` on the staged
 * files a builder pattern is made of; restage-verify runs only by hand, one at a time. The hook
 * installed and run by the real pre-commit: test/e2e/pre-commit.test.ts.
 */
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../helpers/fixtures.js';

interface Hook {
  id: string;
  entry: string;
  language: string;
  files?: string;
  stages?: string[];
  require_serial?: boolean;
  pass_filenames?: boolean;
}

const hooks = parse(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
const hook = (id: string) => hooks.find((h) => h.id === id)!;

test('restage-check: a node hook running restage check on Dockerfiles, scripts and Makefiles', (t) => {
  const check = hook('restage-check');
  t.like(check, { entry: 'restage check', language: 'node' });
  // pre-commit matches `files` with Python's re.search on the path from the repository root.
  const files = new RegExp(check.files!);
  for (const name of [
    'Dockerfile',
    'Dockerfile.build',
    'docker/Dockerfile.runtime',
    'api.Dockerfile',
    'ci/build.sh',
    'Makefile',
    'sub/Makefile',
  ])
    t.true(files.test(name), name);
  for (const name of ['README.md', 'main.go', 'docs/Dockerfile/notes.txt', 'build.shx', 'Makefile.am'])
    t.false(files.test(name), name);
});

test('restage-verify: by hand only (manual stage), serial, on the repository', (t) => {
  t.like(hook('restage-verify'), {
    entry: 'restage verify',
    language: 'node',
    stages: ['manual'],
    require_serial: true,
    pass_filenames: false,
  });
});
