/**
 * The routes out of the builder (issue 10), on the real engine. First route: a single file read to
 * stdout (`docker run --rm IMG cat PATH > FILE`).
 *
 * - The Docker facts the migration rests on, measured directly under both builders: a file the
 *   shell writes by redirection is 0644 under umask 022 whatever the builder's mode; `COPY FILE`
 *   from the context gives 0:0 and keeps the host mode; `COPY --from` keeps the builder's mode and
 *   owner; cat follows a symlink, and so does `COPY --from` at the top level.
 * - restage migrate, then restage verify --legacy=run (the real script in the sandbox) with the
 *   migration: `equivalent`; a mutant without the mode stage: `different`; both builders. The
 *   replay (--legacy=replay) of the same scripts gives the same verdicts.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { e2eTest, unavailable } from './helpers/engine.js';
import { workspace } from './helpers/workspace.js';
import { runLeftovers as leftovers } from './helpers/verify-run.js';
import {
  BACKENDS,
  caseFiles,
  docker,
  dockerRun as run,
  migrateRoute as migrate,
  verifyRoute,
  factsBuilder,
} from './helpers/routes.js';

const IMAGE_MAP = ['--image-map', 'busybox=testbase/busybox:latest'];
const verify = (dir: string, args: string[]) => verifyRoute(dir, IMAGE_MAP, args);
const BASE = 'testbase/busybox:latest';
const e2e = e2eTest(await unavailable([BASE]));

/** The migration with its mode stage left out: the builder's own mode reaches the image. */
function withoutModeStage(dockerfile: string): string {
  return dockerfile
    .replace(/FROM builder AS builder-modes\n(?:.+\n)+\n/, '')
    .replace('--from=builder-modes', '--from=builder');
}

for (const name of ['stdout-cat', 'stdout-cat-then-chmod', 'stdout-cat-relative-path-workdir']) {
  for (const backend of BACKENDS) {
    for (const legacy of ['run', 'replay'] as const) {
      e2e(
        `${name}: the migration is equivalent, the mutant without the mode stage is not (${backend}, --legacy=${legacy})`,
        async (t) => {
          const w = workspace(t, () => caseFiles(name));
          const before = w.snapshot();
          const m = migrate(w.repo);
          t.is(m.code, 0, JSON.stringify(m.diagnostics));
          t.regex(m.dockerfile ?? '', /FROM builder AS builder-modes\nUSER 0\nRUN chmod 644 \/src\/tool/);
          const same = verify(w.repo, ['--backend', backend, `--legacy=${legacy}`]);
          t.is(same.status, 'equivalent', JSON.stringify(same));
          t.is(same.legacy?.mode, legacy);
          t.deepEqual(
            same.diagnostics.filter((d) => d.code === 'RS706'),
            [],
            'the run and the analysis agree on the stdout read',
          );
          t.deepEqual(leftovers(same.session!), []);
          const mutantFile = path.join(w.repo, 'Dockerfile.mutant');
          fs.writeFileSync(mutantFile, withoutModeStage(m.dockerfile!));
          const mutant = verify(w.repo, ['--backend', backend, `--legacy=${legacy}`, '--dockerfile', mutantFile]);
          fs.rmSync(mutantFile);
          t.is(mutant.status, 'different', JSON.stringify(mutant));
          t.true(
            mutant.differences.some((d) => /0?700|mode/i.test(d.message)),
            JSON.stringify(mutant.differences),
          );
          t.deepEqual(leftovers(mutant.session!), []);
          t.deepEqual(w.snapshot(), before);
        },
      );
    }
  }
}

/** `uid:gid mode type` of a path inside an image (busybox stat). */
const statIn = (image: string, p: string) =>
  run(['run', '--rm', '--network', 'none', image, 'stat', '-c', '%u:%g %a %F', p]).trim();

for (const backend of BACKENDS) {
  e2e(`Docker facts of the stdout route (${backend})`, async (t) => {
    const w = workspace(t, () => ({}));
    const tag = `restage-test-routes-facts-${backend}-${process.pid}`;
    const images = [`${tag}:builder`, `${tag}:context`, `${tag}:from`];
    t.teardown(() => {
      spawnSync(docker, ['rmi', '--force', ...images], { encoding: 'utf8' });
    });
    const build = factsBuilder(w.repo, backend);
    build(
      images[0]!,
      `FROM ${BASE}\nRUN printf 'tool\\n' > /tool && chmod 700 /tool && chown 1000:1000 /tool && ln -s /tool /link\n`,
    );
    t.is(statIn(images[0]!, '/tool'), '1000:1000 700 regular file');

    // The shell creates the file with 0666 less its umask: 0644, whatever the builder's 0700.
    const redirect = (p: string, file: string) =>
      spawnSync('sh', ['-c', `umask 022 && ${docker} run --rm --network none ${images[0]} cat ${p} > ${file}`], {
        cwd: w.repo,
      });
    t.is(redirect('/tool', 'tool').status, 0);
    const host = fs.statSync(path.join(w.repo, 'tool'));
    t.is((host.mode & 0o777).toString(8), '644');
    t.is(host.uid, process.getuid!());
    // cat follows the symlink: the file holds the target's bytes.
    t.is(redirect('/link', 'link').status, 0);
    t.is(fs.readFileSync(path.join(w.repo, 'link'), 'utf8'), 'tool\n');
    t.false(fs.lstatSync(path.join(w.repo, 'link')).isSymbolicLink());

    // COPY from the context: 0:0, the host mode kept (0644 here, 0755 after chmod +x).
    fs.chmodSync(path.join(w.repo, 'link'), 0o755);
    build(images[1]!, `FROM ${BASE}\nCOPY tool /tool\nCOPY link /link\n`);
    t.is(statIn(images[1]!, '/tool'), '0:0 644 regular file');
    t.is(statIn(images[1]!, '/link'), '0:0 755 regular file');

    // COPY --from keeps the builder's owner and mode, and follows a top-level symlink; --chown=0:0 pins the owner only.
    build(
      images[2]!,
      `FROM ${BASE}\nCOPY --from=${images[0]} /tool /tool\nCOPY --from=${images[0]} /link /link\nCOPY --from=${images[0]} --chown=0:0 /tool /pinned\n`,
    );
    t.is(statIn(images[2]!, '/tool'), '1000:1000 700 regular file');
    t.is(statIn(images[2]!, '/link'), '1000:1000 700 regular file');
    t.is(statIn(images[2]!, '/pinned'), '0:0 700 regular file');
  });
}
