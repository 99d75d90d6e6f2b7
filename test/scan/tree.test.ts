/** A tree's builder patterns: each analysed once, from the directory whose pipeline uses its files. */
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { treePatterns } from '../../src/scan/tree.js';
import { caseInput, tempCopy } from '../helpers/fixtures.js';

test('a pattern whose Dockerfiles live in docker/ is found once, from the directory above; other patterns each once', (t) => {
  const root = tempCopy();
  t.teardown(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.cpSync(caseInput('layout-docker-dir'), path.join(root, 'api'), { recursive: true });
  fs.cpSync(caseInput('href-counter'), path.join(root, 'tools', 'href'), { recursive: true });
  fs.mkdirSync(path.join(root, 'site'));
  fs.writeFileSync(path.join(root, 'site', 'Dockerfile'), 'FROM nginx\n');
  fs.writeFileSync(path.join(root, 'site', 'deploy.sh'), 'docker build -t site .\ndocker push site\n');
  const found = treePatterns(root, { displayBase: root }).map((e) => [
    path.relative(root, e.candidate.dir),
    e.migration?.result.status,
    e.migration?.result.files.filter((f) => f.role === 'builder-dockerfile').map((f) => f.path),
  ]);
  t.deepEqual(found, [
    ['api', 'migrated', ['api/docker/Dockerfile.build']],
    ['tools/href', 'migrated', ['tools/href/Dockerfile.build']],
  ]);
});

test('a pattern wholly inside docker/ (its script run from there): found once, in docker/, not as a failing pattern above', (t) => {
  const root = tempCopy();
  t.teardown(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.cpSync(caseInput('href-counter'), path.join(root, 'svc', 'docker'), { recursive: true });
  const found = treePatterns(root, { displayBase: root }).map((e) => [
    path.relative(root, e.candidate.dir),
    e.migration?.result.status,
  ]);
  t.deepEqual(found, [['svc/docker', 'migrated']]);
});

test('no pattern anywhere: empty', (t) => {
  const root = tempCopy(caseInput('hello-go'));
  t.teardown(() => fs.rmSync(root, { recursive: true, force: true }));
  t.deepEqual(treePatterns(root), []);
});
