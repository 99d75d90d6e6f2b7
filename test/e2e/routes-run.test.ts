/**
 * Run-time builds, started containers and bind mounts (issue 10, part A), on the real engine.
 *
 * - The Docker facts the run stage rests on, measured directly under both builders: a bind mount
 *   of a host directory docker makes shows an empty root-owned 0755 directory, as WORKDIR makes
 *   it in a stage; what the command writes there lands in the host directory with the mode it
 *   gave; files the image had under the mount point are hidden from the command.
 * - restage migrate, then restage verify --legacy=run (the real script in the sandbox, through
 *   the docker shim, which rewrites bind sources into its scratch copy): `equivalent` for each
 *   route, and one mutant per step `different`, under both builders. The replay refuses a bind
 *   route (RS702) instead of judging it.
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

const IMAGE_MAP = [
  '--image-map',
  'busybox=testbase/busybox:latest',
  '--image-map',
  'golang:1.22=testbase/golang:latest',
];
const verify = (dir: string, args: string[]) => verifyRoute(dir, IMAGE_MAP, args);
const BASE = 'testbase/busybox:latest';
const e2e = e2eTest(await unavailable([BASE, 'testbase/golang:latest']));

/**
 * Each case, and a mutant of its migration that a wrong run stage would be: the verdict must say
 * `different` (null: the case has no mutant of its own; one per step is enough).
 */
const CASES: ReadonlyArray<{ name: string; expect: RegExp; mutant: ((d: string) => string) | null }> = [
  // Step 1: the run stage, with -w/-u/-e; the mutant forgets the run's environment.
  {
    name: 'run-env-workdir-user',
    expect: /USER 1000:1000\nENV GREETING=hello WHO="the \\\$USER"\nRUN \["sh", "-c"/,
    mutant: (d) => d.replace(/^ENV .*\n/m, ''),
  },
  { name: 'start-exec-keepalive', expect: /RUN \["mkdir", "-p", "\/out"\]\nWORKDIR \/out\n/, mutant: null },
  { name: 'run-detached-wait', expect: /FROM builder AS builder-run\nRUN \["sh", "-c"/, mutant: null },
  {
    name: 'run-cp-then-chmod',
    expect: /FROM builder-run AS builder-run-modes\nUSER 0\nRUN chmod 755 \/tmp\/tool\n/,
    mutant: null,
  },
  { name: 'run-env-file', expect: /ENV GREETING="hello from the env file" MODE=750\n/, mutant: null },
  { name: 'start-attached-cmd', expect: /RUN \["\/bin\/sh", "-c", "mkdir -p \/out/, mutant: null },
  // Step 2: a bind-mounted output directory; the mutant's command gives the file another mode.
  {
    name: 'mount-output-dir',
    expect: /FROM builder AS builder-run\nWORKDIR \/out\nWORKDIR \/src\n/,
    mutant: (d) => d.replace('chmod 755 /out/tool', 'chmod 700 /out/tool'),
  },
  {
    // The host's mv round trip inside the mounted directory is replayed after the run (src/plan/modes.ts).
    name: 'mount-output-relative',
    expect:
      /FROM builder-run AS builder-run-post\nUSER 0\nRUN mv \/dist\/tool \/dist\/tool\.tmp && mv \/dist\/tool\.tmp \/dist\/tool\n[^]*COPY --from=builder-run-post --chown=0:0 \/dist\/tool/,
    mutant: null,
  },
  {
    name: 'mount-volume-dropped',
    expect: /WORKDIR \/cache\nWORKDIR \/out\nWORKDIR \/scratch\nWORKDIR \/src\n/,
    mutant: null,
  },
  { name: 'mount-output-mount-flag', expect: /COPY --from=builder-run --chown=0:0 \/out\/tool/, mutant: null },
  // Step 3: bind-mounted sources; the mutant copies only part of them.
  {
    name: 'mount-source-busybox',
    expect: /FROM builder AS builder-run\nCOPY \. \/work\nWORKDIR \/work\n/,
    mutant: (d) => d.replace('COPY . /work', 'COPY src/a.txt /work/src/'),
  },
  { name: 'mount-source-go', expect: /COPY \. \/src\nWORKDIR \/src\nRUN \["go", "build"/, mutant: null },
];

for (const c of CASES) {
  for (const backend of BACKENDS) {
    e2e(
      `${c.name}: the migration is equivalent to the script run in the sandbox${c.mutant ? ', a wrong run stage is not' : ''} (${backend})`,
      async (t) => {
        const w = workspace(t, () => caseFiles(c.name));
        const before = w.snapshot();
        const m = migrate(w.repo);
        t.is(m.code, 0, JSON.stringify(m));
        t.regex(m.dockerfile ?? '', c.expect);
        const same = verify(w.repo, ['--backend', backend, '--legacy=run']);
        t.is(same.status, 'equivalent', JSON.stringify(same));
        t.is(same.legacy?.mode, 'run');
        t.deepEqual(
          same.diagnostics.filter((d) => d.code === 'RS706'),
          [],
          'the run and the analysis agree on the docker calls',
        );
        t.deepEqual(leftovers(same.session!), []);
        if (c.mutant) {
          const mutantFile = path.join(w.repo, 'Dockerfile.mutant');
          const text = c.mutant(m.dockerfile!);
          t.not(text, m.dockerfile);
          fs.writeFileSync(mutantFile, text);
          const mutant = verify(w.repo, ['--backend', backend, '--legacy=run', '--dockerfile', mutantFile]);
          fs.rmSync(mutantFile);
          t.is(mutant.status, 'different', JSON.stringify(mutant));
          t.deepEqual(leftovers(mutant.session!), []);
        }
        t.deepEqual(w.snapshot(), before, 'the user tree is untouched');
      },
    );
  }
}

e2e('the replay refuses a bind-mount route before anything runs (RS702), it does not judge it', async (t) => {
  const w = workspace(t, () => caseFiles('mount-output-dir'));
  const r = verify(w.repo, ['--legacy=replay']);
  t.not(r.status, 'equivalent');
  t.not(r.status, 'different');
  t.true(
    r.diagnostics.some((d) => d.code === 'RS702' && d.line === 4 && /--legacy=run/.test(d.message)),
    JSON.stringify(r.diagnostics),
  );
});

for (const backend of BACKENDS) {
  e2e(`Docker facts of the bind-mount routes (${backend})`, async (t) => {
    const w = workspace(t, () => ({}));
    const tag = `restage-test-routes-run-facts-${backend}-${process.pid}`;
    const images = [`${tag}:image`, `${tag}:stage`];
    t.teardown(() => {
      spawnSync(docker, ['rmi', '--force', ...images], { encoding: 'utf8' });
    });
    const build = factsBuilder(w.repo, backend);
    build(images[0]!, `FROM ${BASE}\nRUN mkdir /out && echo image > /out/hidden\n`);
    // A missing host directory: docker makes it; the command sees it empty, 0:0 0755, hiding the image's /out.
    const out = path.join(w.repo, 'made-by-docker');
    const seen = run([
      'run',
      '--rm',
      '--network',
      'none',
      '-v',
      `${out}:/out`,
      images[0]!,
      'sh',
      '-c',
      'stat -c "%u:%g %a" /out && ls -A /out | wc -l && echo x > /out/new && chmod 750 /out/new',
    ]);
    t.is(seen, '0:0 755\n0\n');
    t.is((fs.statSync(path.join(out, 'new')).mode & 0o777).toString(8), '750');
    t.false(fs.existsSync(path.join(out, 'hidden')));
    // WORKDIR in a stage makes the mount point the same way (root, 0755).
    build(images[1]!, `FROM ${BASE}\nWORKDIR /fresh\n`);
    t.is(run(['run', '--rm', '--network', 'none', images[1]!, 'stat', '-c', '%u:%g %a', '/fresh']).trim(), '0:0 755');
    fs.rmSync(out, { recursive: true, force: true });
  });
}
