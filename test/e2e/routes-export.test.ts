/**
 * `docker export` into `tar -x` (issue 10), on the real engine.
 *
 * - The Docker and tar facts the migration rests on, measured directly under both builders: the
 *   stream names its members from the root without `/` or `./` (directories as `app/dist/`), and
 *   holds what the engine adds to every container (`.dockerenv`, `etc/hosts`, `etc/hostname`,
 *   `etc/resolv.conf` empty, `dev/`, `proc/`, `sys/`) besides the image's files and what the
 *   container's command made (not what it wrote into a volume or a bind mount: their mount points
 *   only); GNU tar finds a member named with a trailing `/`, not one with a leading `/` or `./`;
 *   `tar -x -C DIR MEMBER` on the host, as root, keeps the archive's modes
 *   and owners; `COPY DIR/MEMBER` then gives 0:0 and those modes, as `COPY --from --chown=0:0 /MEMBER`.
 * - restage migrate, then restage verify --legacy=run (the real script in the sandbox, its docker
 *   calls traced) with the migration: `equivalent`, the trace agreeing with the analysis (no
 *   RS706); a mutant without the pinned `--chown=0:0` (the builder chowns the artifact to 1000):
 *   `different`; both builders. The replay refuses the route (RS310) instead of re-enacting it.
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
  factsBuilder,
  migrateRoute as migrate,
  verifyRoute,
  statIn,
} from './helpers/routes.js';

const IMAGE_MAP = ['--image-map', 'busybox=testbase/busybox:latest'];
const verify = (dir: string, args: string[]) => verifyRoute(dir, IMAGE_MAP, args);
const BASE = 'testbase/busybox:latest';
const e2e = e2eTest(await unavailable([BASE]));

const CASES: ReadonlyArray<{ name: string; copy: RegExp }> = [
  { name: 'export-pipe-dir', copy: /COPY --from=builder --chown=0:0 \/app\/dist \/srv\/www\// },
  { name: 'export-pipe-cwd', copy: /COPY --from=builder --chown=0:0 \/usr\/local\/bin\/tool \/usr\/bin\/tool/ },
  { name: 'export-file', copy: /COPY --from=builder --chown=0:0 \/opt\/app\/lib \/usr\/local\/lib\/app/ },
  { name: 'export-run', copy: /COPY --from=builder-run --chown=0:0 \/out\/tool \/usr\/local\/bin\/tool/ },
  { name: 'export-whole', copy: /COPY --from=builder --chown=0:0 \/app\/bin\/app \/usr\/local\/bin\/app/ },
];

for (const { name, copy } of CASES) {
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
        'the run and the analysis agree on the export',
      );
      t.deepEqual(leftovers(same.session!), []);
      const mutantFile = path.join(w.repo, 'Dockerfile.mutant');
      fs.writeFileSync(mutantFile, m.dockerfile!.replace(/--chown=0:0 /g, ''));
      const other = verify(w.repo, ['--backend', backend, '--legacy=run', '--dockerfile', mutantFile]);
      fs.rmSync(mutantFile);
      t.is(other.status, 'different', JSON.stringify(other));
      t.true(
        other.differences.some((d) => /owner|uid|gid|1000/i.test(d.message)),
        JSON.stringify(other.differences),
      );
      t.deepEqual(leftovers(other.session!), []);
      t.deepEqual(w.snapshot(), before);
    });
  }
}

e2e('the replay refuses a docker export stream (RS310 on the tar -x line) rather than re-enact it', async (t) => {
  const w = workspace(t, () => caseFiles('export-pipe-dir'));
  assertReplayRefused(t, verify(w.repo, ['--legacy=replay']), 6);
});

for (const backend of BACKENDS) {
  e2e(`Docker and tar facts of docker export (${backend})`, async (t) => {
    const w = workspace(t, () => ({}));
    const tag = `restage-test-routes-export-facts-${backend}-${process.pid}`;
    const images = [`${tag}:builder`, `${tag}:context`, `${tag}:from`];
    const created = `${tag.replace(/:/g, '-')}-c`;
    const ran = `${tag.replace(/:/g, '-')}-r`;
    t.teardown(() => {
      spawnSync(docker, ['rm', '--force', '--volumes', created, ran], { encoding: 'utf8' });
      spawnSync(docker, ['rmi', '--force', ...images], { encoding: 'utf8' });
    });
    const build = factsBuilder(w.repo, backend);
    build(
      images[0]!,
      `FROM ${BASE}\nRUN mkdir -p /app/dist/css && printf 'hi\\n' > /app/dist/index.html && chmod 640 /app/dist/index.html && printf 'x\\n' > /app/dist/css/a.css && chmod 664 /app/dist/css/a.css && chown -R 1000:1000 /app/dist/css\nCMD ["sh"]\n`,
    );

    // The stream: names from the root without `/` or `./`, directories with a trailing `/`, and the engine's files.
    run(['create', '--name', created, '--network', 'none', images[0]!]);
    const listing = spawnSync('sh', ['-c', `${docker} export ${created} | tar -tv`], { encoding: 'utf8' });
    t.is(listing.status, 0);
    const lines = listing.stdout.split('\n').filter((l) => l !== '');
    const names = lines.map((l) =>
      l
        .split(/\s+/)
        .slice(5)
        .join(' ')
        .replace(/ -> .*$/, ''),
    );
    t.true(names.includes('app/dist/'));
    t.true(names.includes('app/dist/css/a.css'));
    t.false(names.some((n) => n.startsWith('/') || n.startsWith('./')));
    for (const engine of ['.dockerenv', 'etc/hosts', 'etc/hostname', 'etc/resolv.conf']) {
      const line = lines.find((l) => l.endsWith(` ${engine}`));
      t.truthy(line, engine);
      t.is(line!.split(/\s+/)[2], '0', `${engine} is empty`);
    }
    for (const dir of ['dev/', 'proc/', 'sys/']) t.true(names.includes(dir), dir);
    t.deepEqual(
      names.filter((n) => /^(proc|sys)\/./.test(n)),
      [],
      'proc/ and sys/ are empty mount points',
    );

    // What a run's command made is in the stream of its container; what it wrote into a volume or a bind mount is not.
    fs.mkdirSync(path.join(w.repo, 'bound'));
    run([
      'run',
      '--name',
      ran,
      '--network',
      'none',
      '--mount',
      'type=volume,dst=/vol',
      '-v',
      `${path.join(w.repo, 'bound')}:/bound`,
      images[0]!,
      'sh',
      '-c',
      'mkdir /out && echo made > /out/x && echo v > /vol/x && echo b > /bound/x',
    ]);
    const ranNames = spawnSync('sh', ['-c', `${docker} export ${ran} | tar -t`], { encoding: 'utf8' }).stdout.split(
      '\n',
    );
    t.true(ranNames.includes('out/x'));
    t.true(ranNames.includes('vol/') && ranNames.includes('bound/'), 'the mount points are in the stream');
    t.false(ranNames.includes('vol/x'), 'a volume\u2019s content is not');
    t.false(ranNames.includes('bound/x'), 'a bind mount\u2019s content is not');

    // tar -x of a member, as root, keeps the archive's modes and owners; COPY from the context gives 0:0.
    fs.mkdirSync(path.join(w.repo, 'out'));
    const x = spawnSync('sh', ['-c', `${docker} export ${created} | tar -x -C out app/dist`], { cwd: w.repo });
    t.is(x.status, 0);
    t.false(fs.existsSync(path.join(w.repo, 'out', 'etc')), 'only the member is unpacked');
    const css = fs.statSync(path.join(w.repo, 'out', 'app', 'dist', 'css', 'a.css'));
    t.is((css.mode & 0o777).toString(8), '664');
    t.is(css.uid, 1000);
    // GNU tar matches a member named with a trailing `/`; one with a leading `/` or `./` is not found.
    const member = (operand: string) =>
      spawnSync('sh', ['-c', `mkdir -p m && ${docker} export ${created} | tar -x -C m ${operand}`], {
        cwd: w.repo,
        encoding: 'utf8',
      });
    t.is(member('app/dist/').status, 0);
    t.true(fs.existsSync(path.join(w.repo, 'm', 'app', 'dist', 'css', 'a.css')));
    for (const missing of ['/app/dist', './app/dist']) {
      const r = member(missing);
      t.not(r.status, 0, missing);
      t.regex(r.stderr, /Not found in archive/, missing);
    }
    build(images[1]!, `FROM ${BASE}\nCOPY out/app/dist/ /srv/www/\n`);
    build(images[2]!, `FROM ${BASE}\nCOPY --from=${images[0]} --chown=0:0 /app/dist /srv/www/\n`);
    const expected = ['/srv/www/index.html 0:0 640', '/srv/www/css 0:0 755', '/srv/www/css/a.css 0:0 664'];
    const paths = expected.map((l) => l.split(' ')[0]!);
    t.deepEqual(statIn(images[1]!, ...paths), expected);
    t.deepEqual(statIn(images[2]!, ...paths), expected);
  });
}
