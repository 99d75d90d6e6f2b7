/**
 * Any command's output redirected into a host file (issue 10), on the real engine.
 *
 * - The Docker facts the migration rests on, measured directly under both builders: a shell
 *   redirection of `docker run`'s output makes a 0644 file (umask 022) holding the command's
 *   standard output and not its standard error; a build step `RUN ["/bin/sh", "-c", "exec \"$0\"
 *   \"$@\" > F", argv…]` writes the same bytes into a 0644 file owned by the step's user, made in
 *   a directory root made 1777; `docker build -` of a tar stream builds with that stream as its
 *   context.
 * - restage migrate, then restage verify --legacy=run (the real script in the sandbox) with the
 *   migration: `equivalent`, no RS706; a mutant: `different`; both builders. The replay refuses
 *   the route (RS310).
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

/** The cases, what the migration must hold, and a mutant the comparison must tell apart. */
const CASES: ReadonlyArray<{ name: string; copy: RegExp; mutant: (d: string) => string; differs: RegExp }> = [
  {
    name: 'stdout-cmd-version',
    copy: /COPY --from=builder-run-modes --chown=0:0 \/restage\/stdout\/4-VERSION \/etc\/app-version/,
    // Without the pin the file keeps the owner the step's user (1000) gave it.
    mutant: (d) => d.replace(/--chown=0:0 /g, ''),
    differs: /owner|uid|gid|1000/i,
  },
  {
    name: 'stdout-cmd-sh-cat',
    copy: /COPY --from=builder-run-modes --chown=0:0 \/restage\/stdout\/4-all\.conf \/etc\/all\.conf/,
    // Without the modes stage all.conf keeps 0644, not the host chmod's 0640.
    mutant: (d) => d.replace('--from=builder-run-modes', '--from=builder-run'),
    differs: /mode|640|644/i,
  },
  {
    name: 'stdout-cmd-exec',
    copy: /COPY --from=builder-run-modes --chown=0:0 \/restage\/stdout\/6-listing\.txt /,
    // Without the first exec the listing lacks y.txt.
    mutant: (d) => d.replace(/RUN \["sh", "-c", "printf[^\n]*\n/, ''),
    differs: /listing\.txt: 6 bytes in the migrated image, 12 in the legacy one/,
  },
];

for (const { name, copy, mutant, differs } of CASES) {
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
        'the run and the analysis agree on the redirection',
      );
      t.deepEqual(leftovers(same.session!), []);
      const mutantFile = path.join(w.repo, 'Dockerfile.mutant');
      const changed = mutant(m.dockerfile!);
      t.not(changed, m.dockerfile, 'the mutant changes the Dockerfile');
      fs.writeFileSync(mutantFile, changed);
      const other = verify(w.repo, ['--backend', backend, '--legacy=run', '--dockerfile', mutantFile]);
      fs.rmSync(mutantFile);
      t.is(other.status, 'different', JSON.stringify(other));
      t.true(
        other.differences.some((d) => differs.test(d.message)),
        JSON.stringify(other.differences),
      );
      t.deepEqual(leftovers(other.session!), []);
      t.deepEqual(w.snapshot(), before);
    });
  }
}

e2e("the replay refuses a command's output into a file (RS310 on the run line) rather than re-enact it", async (t) => {
  const w = workspace(t, () => caseFiles('stdout-cmd-sh-cat'));
  assertReplayRefused(t, verify(w.repo, ['--legacy=replay']), 4);
});

for (const backend of BACKENDS) {
  e2e(`Docker facts of a command's output into a file (${backend})`, async (t) => {
    const w = workspace(t, () => ({}));
    const tag = `restage-test-routes-stdout-facts-${backend}-${process.pid}`;
    const images = [`${tag}:builder`, `${tag}:step`, `${tag}:stdin`];
    t.teardown(() => {
      spawnSync(docker, ['rmi', '--force', ...images], { encoding: 'utf8' });
    });
    const build = factsBuilder(w.repo, backend);
    build(images[0]!, `FROM ${BASE}\nRUN printf 'a\\n' > /a && printf 'b\\n' > /b\nUSER 1000\nCMD ["sh"]\n`);

    // The host redirection: 0644 under umask 022, standard output only.
    const r = spawnSync(
      'sh',
      ['-c', `umask 022; ${docker} run --rm --network none ${images[0]} sh -c 'cat /a /b; echo err >&2' > out`],
      { cwd: w.repo, encoding: 'utf8' },
    );
    t.is(r.status, 0, r.stderr);
    t.is(r.stderr, 'err\n');
    t.is(fs.readFileSync(path.join(w.repo, 'out'), 'utf8'), 'a\nb\n');
    t.is((fs.statSync(path.join(w.repo, 'out')).mode & 0o777).toString(8), '644');

    // The build step: the same bytes, 0644, owned by the step's user (uid 1000, gid 0: busybox has no such user), in the 1777 directory root made.
    build(
      images[1]!,
      [
        `FROM ${images[0]}`,
        'USER 0',
        'RUN ["/bin/sh", "-c", "mkdir -p /restage/stdout && chmod 1777 /restage/stdout"]',
        'USER 1000',
        'RUN ["/bin/sh", "-c", "exec \\"$0\\" \\"$@\\" > /restage/stdout/4-out", "sh", "-c", "cat /a /b; echo err >&2"]',
        '',
      ].join('\n'),
    );
    t.deepEqual(statIn(images[1]!, '/restage/stdout', '/restage/stdout/4-out'), [
      '/restage/stdout 0:0 1777',
      '/restage/stdout/4-out 1000:0 644',
    ]);
    t.is(run(['run', '--rm', '--network', 'none', images[1]!, 'cat', '/restage/stdout/4-out']), 'a\nb\n');

    // `docker build -` of a tar stream: the stream is the context, its Dockerfile the one built.
    fs.mkdirSync(path.join(w.repo, 'ctx'));
    fs.writeFileSync(path.join(w.repo, 'ctx', 'Dockerfile'), `FROM ${BASE}\nCOPY hello /hello\n`);
    fs.writeFileSync(path.join(w.repo, 'ctx', 'hello'), 'hi\n');
    const s = spawnSync('sh', ['-c', `tar -c -C ctx . | ${docker} build -q --network none -t ${images[2]} -`], {
      cwd: w.repo,
      encoding: 'utf8',
      env: { ...process.env, DOCKER_BUILDKIT: backend === 'buildkit' ? '1' : '0' },
    });
    t.is(s.status, 0, s.stderr);
    t.is(run(['run', '--rm', '--network', 'none', images[2]!, 'cat', '/hello']), 'hi\n');
  });
}
