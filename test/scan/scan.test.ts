/** scan(): each Dockerfile directory analysed as `migrate` would, patterns reported with their route and first reason. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { caseInput } from '../helpers/fixtures.js';
import { migrate } from '../../src/migrate.js';
import { scan } from '../../src/scan/scan.js';

/** A tree holding golden inputs at the given places (names with spaces and nesting, as real trees have). */
function tree(
  t: { teardown: (f: () => void) => void },
  places: Record<string, string>,
  files: Record<string, string> = {},
) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-test-scan-'));
  t.teardown(() => fs.rmSync(root, { recursive: true, force: true }));
  for (const [at, name] of Object.entries(places))
    fs.cpSync(caseInput(name), path.join(root, at), { recursive: true, verbatimSymlinks: true });
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

test('every pattern of a tree: migratable ones with their route, the others with the reason migrate gives', (t) => {
  const root = tree(
    t,
    {
      'services/api': 'href-counter',
      'services/web ui': 'add-tar-dir',
      'tools/maker': 'make-orchestrator',
      'tools/web': 'add-tar-declined-copy',
      'node_modules/dep': 'href-counter',
    },
    { 'plain/Dockerfile': 'FROM busybox\nCMD ["true"]\n', 'plain/run.sh': '#!/bin/sh\ndocker build -t x .\n' },
  );
  const result = scan(root, { displayBase: root });
  t.deepEqual(
    result.patterns.map((p) => [p.directory, p.status, p.route, p.reason?.code ?? null]),
    [
      ['services/api', 'migratable', 'docker cp', null],
      ['services/web ui', 'migratable', 'archive', null],
      ['tools/maker', 'migratable', 'docker cp', null],
      ['tools/web', 'needs-attention', null, 'RS344'],
    ],
  );
  const api = result.patterns[0]!;
  t.is(api.buildDockerfile, 'services/api/Dockerfile.build');
  t.is(api.orchestrator, 'services/api/build.sh');
  // The same verdict and first reason as `restage migrate` on that directory.
  t.is(result.patterns[2]!.orchestrator, 'tools/maker/Makefile');
  const declined = migrate(path.join(root, 'tools/web'), { displayBase: root });
  t.is(declined.status, 'error');
  t.deepEqual(
    result.patterns[3]!.reason,
    declined.diagnostics.find((d) => d.severity === 'error'),
  );
  const dirs = (d: string): number =>
    1 +
    fs
      .readdirSync(d, { withFileTypes: true })
      .filter((e) => e.isDirectory() && e.name !== 'node_modules')
      .reduce((n, e) => n + dirs(path.join(d, e.name)), 0);
  t.is(result.directories, dirs(root), 'every directory but node_modules/ and what lies below it');
  t.is(result.unreadable, 0);
});

test('a builder-named Dockerfile nothing beside it builds is a pattern driven from elsewhere (RS112)', (t) => {
  const root = tree(
    t,
    {},
    { 'docker/Dockerfile.build': 'FROM golang\nRUN go build\n', 'docker/Dockerfile': 'FROM x\n' },
  );
  const [p, ...rest] = scan(root, { displayBase: root }).patterns;
  t.deepEqual(rest, []);
  t.is(p!.status, 'needs-attention');
  t.is(p!.reason!.code, 'RS112');
  t.is(p!.reason!.file, 'docker/Dockerfile.build');
  t.regex(p!.reason!.message, /no script or Makefile in docker builds it/);
});

test('a tree with no builder pattern: nothing reported, everything counted', (t) => {
  const root = tree(t, {}, { 'a/Dockerfile': 'FROM x\n', 'b/c.txt': '' });
  const result = scan(root, { displayBase: root });
  t.deepEqual(result.patterns, []);
  t.is(result.directories, 3);
  t.is(result.files, 2);
});

test('progress is told after each directory, with the counts so far', (t) => {
  const root = tree(t, { p: 'href-counter' }, { 'q/x': '' });
  const seen: { directories: number; patterns: number }[] = [];
  scan(root, { displayBase: root, onProgress: (c) => seen.push(c) });
  t.deepEqual(seen.at(-1), { directories: 3, patterns: 1 });
  t.is(seen.length, 3);
});

test('a pattern driven by a package.json one level down is found, as migrate finds it from the directory above', (t) => {
  const root = tree(t, { 'repo/app': 'npm-subdir-package' });
  const result = scan(root, { displayBase: root });
  t.deepEqual(
    result.patterns.map((p) => [p.directory, p.status, p.orchestrator, p.route]),
    [['repo/app', 'migratable', 'repo/app/web/package.json', 'docker cp']],
  );
  t.is(migrate(path.join(root, 'repo/app'), { displayBase: root }).status, 'migrated');
});
