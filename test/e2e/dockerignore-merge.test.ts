/**
 * The merged context's .dockerignore matters (golden layout-dockerignore-subdir): the runtime's
 * `COPY . /app` of the context `docker/` becomes `COPY docker /app` of the root, and only the
 * `.dockerignore` the migration writes at the root keeps `docker/Dockerfile` and `docker/notes.txt`
 * out of it, as `docker/.dockerignore` kept them out of the legacy build.
 *
 * The same migrated Dockerfile, built with the same context (`--dockerfile FILE --context DIR`),
 * against the sandboxed legacy run: with the planned .dockerignore written at the root, as
 * `migrate --write` writes it, the two images are equivalent; without it, verify reports them
 * different and names the files.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { caseInput } from '../helpers/fixtures.js';
import { runMigrate } from '../../src/cli/migrate.js';
import { e2eTest, unavailable } from './helpers/engine.js';
import { runLeftovers, verifyJson } from './helpers/verify-run.js';

const e2e = e2eTest(await unavailable(['testbase/busybox:latest']));
const MAP = ['--image-map', 'busybox:latest=testbase/busybox:latest'];

function prepare(t: { teardown: (f: () => void) => void }) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-test-dockerignore-merge-'));
  t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const dir = path.join(tmp, 'input');
  fs.cpSync(caseInput('layout-dockerignore-subdir'), dir, { recursive: true });
  const { result } = runMigrate(dir, { displayBase: tmp });
  const dockerfile = path.join(tmp, 'Dockerfile.migrated');
  fs.writeFileSync(dockerfile, result.dockerfile!);
  return { dir, dockerfile, ignore: result.dockerignore! };
}

e2e('with the .dockerignore migrate writes, the migrated image is the legacy one', async (t) => {
  const { dir, dockerfile, ignore } = prepare(t);
  t.is(ignore.path, 'input/.dockerignore');
  fs.writeFileSync(path.join(dir, '.dockerignore'), ignore.text);
  const { json } = verifyJson([dir, '--legacy', 'run', '--dockerfile', dockerfile, '--context', dir, ...MAP]);
  t.is(json.status, 'equivalent', JSON.stringify(json.differences));
  t.deepEqual(runLeftovers(json.session ?? 'no-session'), []);
});

e2e('without it, the merged context gives COPY docker /app the files docker/.dockerignore left out', async (t) => {
  const { dir, dockerfile } = prepare(t);
  const { code, json } = verifyJson([dir, '--legacy', 'run', '--dockerfile', dockerfile, '--context', dir, ...MAP]);
  t.is(json.status, 'different');
  t.is(code, 1);
  const messages = json.differences.map((d) => d.message).join('\n');
  t.regex(messages, /\/app\/notes\.txt/);
  t.regex(messages, /\/app\/Dockerfile/);
  t.deepEqual(runLeftovers(json.session ?? 'no-session'), []);
});
