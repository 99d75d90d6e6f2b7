/**
 * `docker build -` reading a tar stream as its context (issue 10), on the real engine.
 *
 * - The Docker facts the migration rests on, measured directly under both builders (Docker 20.10
 *   engine and client): a `.dockerignore` inside the streamed context is NOT applied (a member it
 *   lists still reaches `COPY . /x`), while the same directory built as a directory drops it; a
 *   gzip-compressed stream is read like a plain one.
 * - The migrations of the routes are proven by the goldens stdin-context-* (test/e2e/goldens.test.ts:
 *   the real script in the sandbox against the migrated Dockerfile, `equivalent`); here the
 *   replay's refusal of a streamed context (RS310) is checked.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { e2eTest, unavailable } from './helpers/engine.js';
import { workspace } from './helpers/workspace.js';
import { assertReplayRefused, BACKENDS, caseFiles, docker, dockerRun as run, verifyRoute } from './helpers/routes.js';

const BASE = 'testbase/busybox:latest';
const e2e = e2eTest(await unavailable([BASE]));

for (const backend of BACKENDS) {
  e2e(`Docker facts of a build context streamed on standard input (${backend})`, async (t) => {
    const w = workspace(t, () => ({}));
    const tag = `restage-test-routes-stdin-facts-${backend}-${process.pid}`;
    const images = [`${tag}:stream`, `${tag}:gzip`, `${tag}:dir`];
    t.teardown(() => {
      spawnSync(docker, ['rmi', '--force', ...images], { encoding: 'utf8' });
    });
    fs.mkdirSync(path.join(w.repo, 'ctx'));
    fs.writeFileSync(path.join(w.repo, 'ctx', 'Dockerfile'), `FROM ${BASE}\nCOPY . /x\n`);
    fs.writeFileSync(path.join(w.repo, 'ctx', '.dockerignore'), 'secret\n');
    fs.writeFileSync(path.join(w.repo, 'ctx', 'secret'), 's\n');
    fs.writeFileSync(path.join(w.repo, 'ctx', 'keep'), 'k\n');
    const env = { ...process.env, DOCKER_BUILDKIT: backend === 'buildkit' ? '1' : '0' };
    const build = (image: string, how: string) => {
      const s = spawnSync(
        'sh',
        ['-c', how.replace('BUILD', `${docker} build -q --no-cache --network none -t ${image}`)],
        {
          cwd: w.repo,
          encoding: 'utf8',
          env,
        },
      );
      t.is(s.status, 0, s.stderr);
      return run(['run', '--rm', '--network', 'none', image, 'ls', '-A', '/x']).trim().split('\n');
    };
    // The stream: .dockerignore is a member like any other, and applies to nothing.
    t.deepEqual(build(images[0]!, 'tar -c -C ctx . | BUILD -'), ['.dockerignore', 'Dockerfile', 'keep', 'secret']);
    t.deepEqual(build(images[1]!, 'tar -cz -C ctx . | BUILD -'), ['.dockerignore', 'Dockerfile', 'keep', 'secret']);
    // The same files as a directory: the .dockerignore leaves `secret` out.
    t.deepEqual(build(images[2]!, 'BUILD ctx'), ['.dockerignore', 'Dockerfile', 'keep']);
  });
}

e2e(
  'the replay refuses a context streamed out of a container (RS310 on the streaming line) rather than re-enact it',
  async (t) => {
    const w = workspace(t, () => caseFiles('stdin-context-tar-pipe'));
    assertReplayRefused(
      t,
      verifyRoute(w.repo, ['--image-map', 'busybox=testbase/busybox:latest'], ['--legacy=replay']),
      4,
    );
  },
);
