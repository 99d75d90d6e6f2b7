/**
 * Tar streams and tarballs out of the builder (issue 10, part B), on the real engine.
 *
 * - The Docker and tar facts the migration rests on, measured directly under both builders:
 *   `docker cp C:/d -` streams `d/…` and `C:/d/. -` streams `./…`; `tar -x` on the host, as root,
 *   keeps the archive's modes and owners; `ADD ARCHIVE DEST/` unpacks a local tar with the owners
 *   and modes it records (not 0:0) and leaves DEST 0:0 0755; `COPY --from` of the directory gives
 *   the same files, owners and modes.
 * - restage migrate, then restage verify --legacy=run (the real script in the sandbox, its docker
 *   calls traced) with the migration: `equivalent`, the trace agreeing with the analysis (no
 *   RS706); a mutant that changes owners: `different`; both builders. The replay refuses the
 *   route (RS310) instead of re-enacting it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { e2eTest, unavailable } from './helpers/engine.js';
import { workspace } from './helpers/workspace.js';
import { runLeftovers as leftovers } from './helpers/verify-run.js';
import {
  assertReplayRefused,
  BACKENDS,
  caseFiles,
  docker,
  dockerRun as run,
  migrateRoute as migrate,
  verifyRoute,
  statIn,
  factsBuilder,
} from './helpers/routes.js';

const IMAGE_MAP = ['--image-map', 'busybox=testbase/busybox:latest'];
const verify = (dir: string, args: string[]) => verifyRoute(dir, IMAGE_MAP, args);
const BASE = 'testbase/busybox:latest';
const e2e = e2eTest(await unavailable([BASE]));

/**
 * The cases, with what the migration must hold and a mutant that changes owners: without the
 * pinned `--chown=0:0` (the builder chowns part of the artifact to 1000), or, where ADD kept the
 * archive's owners, with a `--chown` that ADD did not apply.
 */
const CASES: ReadonlyArray<{ name: string; copy: RegExp; mutant: (d: string) => string }> = [
  { name: 'tar-pipe-dir', copy: /COPY --from=builder --chown=0:0 \/app\/dist \/srv\/www\//, mutant: unpinned },
  { name: 'tar-file-gzip', copy: /COPY --from=builder --chown=0:0 \/src\/lib \/opt\/lib/, mutant: unpinned },
  { name: 'tar-relative-workdir', copy: /COPY --from=builder --chown=0:0 \/app\/dist \/srv\/www/, mutant: unpinned },
  { name: 'cp-stdout-pipe', copy: /COPY --from=builder --chown=0:0 \/app\/dist \/srv\/www/, mutant: unpinned },
  { name: 'cp-stdout-file', copy: /COPY --from=builder --chown=0:0 \/src\/tool \/usr\/local\/bin\//, mutant: unpinned },
  { name: 'stdout-tar', copy: /COPY --from=builder \/src\/tool \/usr\/local\/bin\/tool/, mutant: pinned },
  { name: 'add-tar-dir', copy: /COPY --from=builder \/app\/dist \/srv\/www\//, mutant: pinned },
  { name: 'add-tar-cp', copy: /COPY --from=builder \/app\/dist dist/, mutant: pinned },
];

function unpinned(dockerfile: string): string {
  return dockerfile.replace(/--chown=0:0 /g, '');
}

function pinned(dockerfile: string): string {
  return dockerfile.replace(/--from=builder /g, '--from=builder --chown=4242:4242 ');
}

for (const { name, copy, mutant } of CASES) {
  for (const backend of BACKENDS) {
    e2e(`${name}: the migration is equivalent to the real script, the mutant is not (${backend})`, async (t) => {
      const w = workspace(t, () => caseFiles(name));
      const before = w.snapshot();
      const m = migrate(w.repo);
      t.is(m.code, 0, JSON.stringify(m.diagnostics));
      t.regex(m.dockerfile ?? '', copy);
      const same = verify(w.repo, ['--backend', backend, '--legacy=run']);
      t.is(same.status, 'equivalent', JSON.stringify(same));
      t.is(same.legacy?.mode, 'run');
      t.deepEqual(
        same.diagnostics.filter((d) => d.code === 'RS706'),
        [],
        'the run and the analysis agree on the tar stream',
      );
      t.deepEqual(leftovers(same.session!), []);
      const mutantFile = path.join(w.repo, 'Dockerfile.mutant');
      fs.writeFileSync(mutantFile, mutant(m.dockerfile!));
      const other = verify(w.repo, ['--backend', backend, '--legacy=run', '--dockerfile', mutantFile]);
      fs.rmSync(mutantFile);
      t.is(other.status, 'different', JSON.stringify(other));
      t.true(
        other.differences.some((d) => /owner|uid|gid|1000|4242/i.test(d.message)),
        JSON.stringify(other.differences),
      );
      t.deepEqual(leftovers(other.session!), []);
      t.deepEqual(w.snapshot(), before);
    });
  }
}

e2e('the replay refuses a tar stream (RS310 on the tar -x line) rather than re-enact it', async (t) => {
  const w = workspace(t, () => caseFiles('tar-pipe-dir'));
  assertReplayRefused(t, verify(w.repo, ['--legacy=replay']), 5);
});

for (const backend of BACKENDS) {
  e2e(`Docker and tar facts of the tar routes (${backend})`, async (t) => {
    const w = workspace(t, () => ({}));
    const tag = `restage-test-routes-tar-facts-${backend}-${process.pid}`;
    const images = [`${tag}:builder`, `${tag}:add`, `${tag}:from`, `${tag}:context`];
    const container = `${tag.replace(/:/g, '-')}-c`;
    t.teardown(() => {
      spawnSync(docker, ['rm', '--force', container], { encoding: 'utf8' });
      spawnSync(docker, ['rmi', '--force', ...images], { encoding: 'utf8' });
    });
    const build = factsBuilder(w.repo, backend);
    build(
      images[0]!,
      `FROM ${BASE}\nRUN mkdir -p /app/dist/css && printf 'hi\\n' > /app/dist/index.html && chmod 640 /app/dist/index.html && printf 'x\\n' > /app/dist/css/a.css && chmod 664 /app/dist/css/a.css && chown -R 1000:1000 /app/dist/css\nCMD ["sh"]\n`,
    );

    // docker cp C:/d - streams d under its name; C:/d/. - streams its content as ./…
    run(['create', '--name', container, '--network', 'none', images[0]!]);
    const names = (p: string) =>
      spawnSync('sh', ['-c', `${docker} cp ${container}:${p} - | tar -t`], { encoding: 'utf8' }).stdout.split('\n');
    t.true(names('/app/dist').includes('dist/index.html'));
    t.true(names('/app/dist/.').includes('./index.html'));

    // tar -x as root keeps the archive's modes and owners (the context COPY then gives 0:0 and keeps the modes).
    fs.mkdirSync(path.join(w.repo, 'out'));
    const x = spawnSync(
      'sh',
      ['-c', `${docker} run --rm --network none ${images[0]} tar -c -C /app/dist . | tar -x -C out`],
      {
        cwd: w.repo,
      },
    );
    t.is(x.status, 0);
    const css = fs.statSync(path.join(w.repo, 'out', 'css', 'a.css'));
    t.is((css.mode & 0o777).toString(8), '664');
    t.is(css.uid, 1000);
    t.is((fs.statSync(path.join(w.repo, 'out', 'index.html')).mode & 0o777).toString(8), '640');
    build(images[3]!, `FROM ${BASE}\nCOPY out/ /srv/www/\n`);
    t.deepEqual(statIn(images[3]!, '/srv/www/index.html', '/srv/www/css/a.css'), [
      '/srv/www/index.html 0:0 640',
      '/srv/www/css/a.css 0:0 664',
    ]);

    // ADD unpacks a local tar with the owners and modes it records; COPY --from of the directory gives the same.
    const a = spawnSync(
      'sh',
      ['-c', `${docker} run --rm --network none ${images[0]} tar -cz -C /app/dist . > dist.tgz`],
      { cwd: w.repo },
    );
    t.is(a.status, 0);
    build(images[1]!, `FROM ${BASE}\nADD dist.tgz /srv/www/\n`);
    build(images[2]!, `FROM ${BASE}\nCOPY --from=${images[0]} /app/dist /srv/www/\n`);
    const expected = [
      '/srv/www 0:0 755',
      '/srv/www/index.html 0:0 640',
      '/srv/www/css 1000:1000 755',
      '/srv/www/css/a.css 1000:1000 664',
    ];
    const paths = expected.map((l) => l.split(' ')[0]!);
    t.deepEqual(statIn(images[1]!, ...paths), expected);
    t.deepEqual(statIn(images[2]!, ...paths), expected);
  });
}
