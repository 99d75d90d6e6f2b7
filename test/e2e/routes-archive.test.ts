/**
 * Archives unpacked on the host (issue 10), on the real engine.
 *
 * - The Docker and tool facts the migration rests on, measured directly under both builders: host
 *   `tar -x` as root keeps the members' modes and owners, and a COPY from the context gives them
 *   0:0 with the host modes; unzip (host and busybox) restores the unix modes the zip records;
 *   gunzip and xz -d (host and busybox) give the decompressed file the compressed file's mode; the
 *   test images have the tools src/plan/tools.ts says they have (busybox: tar, gunzip, unzip, xz,
 *   unxz, bunzip2; debian-slim: tar, gunzip, and no unzip, xz or bzip2).
 * - restage migrate, then restage verify --legacy=run (the real script in the sandbox) with the
 *   migration: `equivalent`; a mutant that changes the unpacked modes: `different`; both builders.
 *   The replay refuses the route (RS310) instead of re-enacting it.
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
const SLIM = 'testbase/debian-slim:bookworm';
const e2e = e2eTest(await unavailable([BASE, SLIM]));

/** The cases and the COPY the migration must hold. */
const CASES: ReadonlyArray<{ name: string; copy: RegExp }> = [
  { name: 'archive-tar-into-dir', copy: /COPY --from=builder-post --chown=0:0 \/\.restage-unpack-1 \/opt\/app\n/ },
  { name: 'archive-zip-into-dir', copy: /COPY --from=builder-post --chown=0:0 \/\.restage-unpack-1 \/opt\/app\/\n/ },
  {
    name: 'archive-bind-mount-tar',
    copy: /COPY --from=builder-run-post --chown=0:0 \/\.restage-unpack-1\/dist \/srv\/www\n/,
  },
  {
    name: 'archive-gunzip-file',
    copy: /COPY --from=builder-post --chown=0:0 \/\.restage-unpack-1\/tool \/usr\/local\/bin\/tool\n/,
  },
];

/** The migration with the unpacked files' modes changed after the replayed unpack. */
const mutant = (dockerfile: string) =>
  dockerfile.replace(/^(RUN .*\/\.restage-unpack-1.*)$/m, '$1 && chmod -R o+w /.restage-unpack-1');

for (const { name, copy } of CASES) {
  for (const backend of BACKENDS) {
    e2e(`${name}: the migration is equivalent to the real script, the mutant is not (${backend})`, async (t) => {
      const w = workspace(t, () => caseFiles(name));
      const before = w.snapshot();
      const m = migrate(w.repo);
      t.is(m.code, 0, JSON.stringify(m.diagnostics));
      t.regex(m.dockerfile ?? '', copy);
      t.true(m.diagnostics.some((d) => d.code === 'RS356'));
      const same = verify(w.repo, ['--backend', backend, '--legacy=run']);
      t.is(same.status, 'equivalent', JSON.stringify(same));
      t.is(same.legacy?.mode, 'run');
      t.deepEqual(leftovers(same.session!), []);
      const changed = mutant(m.dockerfile!);
      t.not(changed, m.dockerfile);
      const mutantFile = path.join(w.repo, 'Dockerfile.mutant');
      fs.writeFileSync(mutantFile, changed);
      const other = verify(w.repo, ['--backend', backend, '--legacy=run', '--dockerfile', mutantFile]);
      fs.rmSync(mutantFile);
      t.is(other.status, 'different', JSON.stringify(other));
      t.true(
        other.differences.some((d) => /mode|perm|7[57]7|66[46]/i.test(d.message)),
        JSON.stringify(other.differences),
      );
      t.deepEqual(leftovers(other.session!), []);
      t.deepEqual(w.snapshot(), before);
    });
  }
}

e2e('the replay refuses a host unpack (RS310 on the tar -x line) rather than re-enact it', async (t) => {
  const w = workspace(t, () => caseFiles('archive-tar-into-dir'));
  assertReplayRefused(t, verify(w.repo, ['--legacy=replay']), 8);
});

/** `path uid:gid mode` of host paths below `dir`. */
const statHost = (dir: string, ...paths: string[]) =>
  paths.map((p) => {
    const s = fs.statSync(path.join(dir, p));
    return `${p} ${s.uid}:${s.gid} ${(s.mode & 0o777).toString(8)}`;
  });

const sh = (cwd: string, script: string) => {
  const r = spawnSync('sh', ['-c', script], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${script}: exit ${r.status}\n${r.stderr}`);
  return r.stdout;
};

e2e('the test images have the unpack tools src/plan/tools.ts says they have', async (t) => {
  const has = (image: string, tool: string) =>
    spawnSync(docker, ['run', '--rm', '--network', 'none', image, 'sh', '-c', `command -v ${tool}`], {
      encoding: 'utf8',
    }).status === 0;
  for (const tool of ['tar', 'gunzip', 'gzip', 'unzip', 'xz', 'unxz', 'bunzip2', 'bzip2'])
    t.true(has(BASE, tool), `busybox has ${tool}`);
  for (const tool of ['tar', 'gunzip', 'gzip']) t.true(has(SLIM, tool), `debian-slim has ${tool}`);
  for (const tool of ['unzip', 'xz', 'unxz', 'bunzip2', 'bzip2']) t.false(has(SLIM, tool), `debian-slim lacks ${tool}`);
});

for (const backend of BACKENDS) {
  e2e(`Docker and tool facts of the archive routes (${backend})`, async (t) => {
    const w = workspace(t, () => ({}));
    const tag = `restage-test-routes-archive-facts-${backend}-${process.pid}`;
    const images = [`${tag}:builder`, `${tag}:context`, `${tag}:replayed`];
    const container = `${tag.replace(/:/g, '-')}-c`;
    t.teardown(() => {
      spawnSync(docker, ['rm', '--force', container], { encoding: 'utf8' });
      spawnSync(docker, ['rmi', '--force', ...images], { encoding: 'utf8' });
    });
    const build = factsBuilder(w.repo, backend);
    // A zip (unix modes 0750 and 0640) and an xz file made on the host (busybox's xz only
    // decompresses), carried into the builder as base64.
    sh(
      w.repo,
      `mkdir -p z/bin && printf 'a\\n' > z/bin/app && chmod 750 z/bin/app && printf 'b\\n' > z/data.txt && chmod 640 z/data.txt && (cd z && zip -q -X -r ../app.zip bin data.txt) && xz -c z/bin/app > app.xz && base64 app.zip > app.zip.b64 && base64 app.xz > app.xz.b64 && rm -rf z app.zip app.xz`,
    );
    build(
      images[0]!,
      `FROM ${BASE}\nCOPY app.zip.b64 app.xz.b64 /tmp/\nRUN mkdir -p /out /d/share && printf 'x\\n' > /d/app && chmod 750 /d/app && printf 'y\\n' > /d/share/a.txt && chmod 664 /d/share/a.txt && chown -R 1000:1000 /d/share && tar -czf /out/d.tar.gz -C /d . && base64 -d /tmp/app.zip.b64 > /out/app.zip && gzip -c /d/app > /out/app.gz && chmod 710 /out/app.gz && base64 -d /tmp/app.xz.b64 > /out/app.xz && chmod 701 /out/app.xz\n`,
    );
    run(['create', '--name', container, '--network', 'none', images[0]!]);
    for (const [from, to] of [
      ['d.tar.gz', 'd.tar.gz'],
      ['app.zip', 'app.zip'],
      ['app.gz', 'app.gz'],
      ['app.xz', 'tool.xz'],
    ])
      run(['cp', `${container}:/out/${from}`, path.join(w.repo, to!)]);

    // Host tar -x as root keeps the members' modes and owners.
    sh(w.repo, 'mkdir t && tar -xzf d.tar.gz -C t');
    t.deepEqual(statHost(w.repo, 't/app', 't/share', 't/share/a.txt'), [
      't/app 0:0 750',
      't/share 1000:1000 755',
      't/share/a.txt 1000:1000 664',
    ]);
    // Host unzip restores the modes the zip records; gunzip and xz -d keep the compressed file's mode.
    sh(w.repo, 'unzip -q app.zip -d u && gunzip app.gz && xz -d tool.xz');
    t.deepEqual(statHost(w.repo, 'u/bin/app', 'u/data.txt', 'app', 'tool'), [
      'u/bin/app 0:0 750',
      'u/data.txt 0:0 640',
      'app 0:0 710',
      'tool 0:0 701',
    ]);
    t.false(fs.existsSync(path.join(w.repo, 'app.gz')), 'gunzip removes the compressed file');
    t.false(fs.existsSync(path.join(w.repo, 'tool.xz')), 'xz -d removes the compressed file');

    // COPY from the context gives 0:0 and keeps the host modes.
    build(images[1]!, `FROM ${BASE}\nCOPY t /srv/t\nCOPY u /srv/u\n`);
    t.deepEqual(
      statIn(images[1]!, '/srv/t/app', '/srv/t/share', '/srv/t/share/a.txt', '/srv/u/bin/app', '/srv/u/data.txt'),
      [
        '/srv/t/app 0:0 750',
        '/srv/t/share 0:0 755',
        '/srv/t/share/a.txt 0:0 664',
        '/srv/u/bin/app 0:0 750',
        '/srv/u/data.txt 0:0 640',
      ],
    );

    // The same unpacks replayed by busybox in the builder image: the same modes (and owners for tar).
    build(
      images[2]!,
      `FROM ${images[0]}\nUSER 0\nRUN mkdir /.t /.u /.g /.x && tar -x -z -f /out/d.tar.gz -C /.t && unzip -q /out/app.zip -d /.u && cp -p /out/app.gz /.g/app.gz && gunzip /.g/app.gz && cp -p /out/app.xz /.x/app.xz && xz -d /.x/app.xz && test ! -e /.g/app.gz && test ! -e /.x/app.xz\n`,
    );
    t.deepEqual(statIn(images[2]!, '/.t/app', '/.t/share/a.txt', '/.u/bin/app', '/.u/data.txt', '/.g/app', '/.x/app'), [
      '/.t/app 0:0 750',
      '/.t/share/a.txt 1000:1000 664',
      '/.u/bin/app 0:0 750',
      '/.u/data.txt 0:0 640',
      '/.g/app 0:0 710',
      '/.x/app 0:0 701',
    ]);
  });
}
