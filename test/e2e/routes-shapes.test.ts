/**
 * Host post-processing and pipeline shapes (issue 10, "Shapes" and "Host post-processing"), on
 * the real engine, under both builders.
 *
 * - The Docker facts the migration rests on, measured directly: a COPY from the context follows a
 *   top-level source symlink (the image gets a regular file with the target's content and mode)
 *   and keeps a symlink inside a copied directory as a link with the same target text; busybox has
 *   no `strip`, testbase/gcc (the stand-in for gcc:latest) has /usr/bin/strip.
 * - Each golden case below: `restage migrate`, then `restage verify --legacy=run` (the real script
 *   in the sandbox) with the migration → `equivalent`; a mutant that drops what the migration
 *   carried → `different`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { e2eTest, unavailable } from './helpers/engine.js';
import { workspace } from './helpers/workspace.js';
import { BASES, runLeftovers as leftovers, verifyJson } from './helpers/verify-run.js';
import {
  BACKENDS,
  caseFiles,
  docker,
  dockerRun as run,
  factsBuilder,
  migrateRoute as migrate,
} from './helpers/routes.js';

const e2e = e2eTest(await unavailable(BASES));

/** The migration with its post-processing stage left out: the builder's files reach the image unchanged. */
const withoutPostStage = (dockerfile: string) =>
  dockerfile.replace(/FROM builder AS builder-post\n(?:.+\n)+\n/, '').replace(/--from=builder-post/g, '--from=builder');

/**
 * Each case: the pattern its migration must show, and a mutant of it that must be judged
 * different (what the migration carried, dropped).
 */
const CASES: readonly { name: string; shows: RegExp; mutant: (dockerfile: string) => string }[] = [
  { name: 'post-rm-part-of-dir', shows: /RUN rm -rf \/out\/docs && mkdir -p \/out\/log/, mutant: withoutPostStage },
  { name: 'post-mv-inside-dir', shows: /RUN mv \/out\/bin\/app-linux-amd64 \/out\/bin\/app/, mutant: withoutPostStage },
  { name: 'post-mv-out-of-dir', shows: /RUN rm -rf \/out\/bin\/app\n/, mutant: withoutPostStage },
  { name: 'post-ln-in-dir', shows: /RUN ln -sf libfoo.so.1 \/out\/lib\/libfoo.so/, mutant: withoutPostStage },
  { name: 'post-strip-gcc', shows: /RUN strip --strip-unneeded \/src\/hello/, mutant: withoutPostStage },
  {
    name: 'post-ln-top-level',
    shows: /COPY --from=builder --chown=0:0 \/src\/tool \/usr\/local\/bin\/tool2/,
    mutant: (d) => d.replace('/src/tool /usr/local/bin/tool2', '/bin/busybox /usr/local/bin/tool2'),
  },
  {
    name: 'post-mkdir-mv-new-dir',
    shows: /^COPY --from=builder --chown=0:0 \/src\/tool \/opt\/bin\/tool$/m,
    mutant: (d) => d.replace('/opt/bin/tool', '/opt/tool'),
  },
  {
    name: 'shape-runtime-from-builder',
    shows: /^FROM builder AS runtime$/m,
    mutant: (d) => d.replace('FROM builder AS runtime', 'FROM busybox:latest AS runtime'),
  },
  {
    name: 'shape-chained-from-base',
    shows: /^FROM app-base AS app$/m,
    mutant: (d) => d.replace('FROM app-base AS app', 'FROM busybox:latest AS app'),
  },
  {
    name: 'shape-chained-context',
    shows: /^COPY --from=gen --chown=0:0 \/gen\/version.h \.$/m,
    mutant: (d) => d.replace('/gen/version.h .', '/etc/passwd ./version.h'),
  },
  {
    name: 'shape-chained-context-chmod',
    shows: /^FROM gen AS gen-modes\nUSER 0\nRUN chmod 755 \/gen\/gen.sh$/m,
    mutant: (d) => d.replace(/FROM gen AS gen-modes\n(?:.+\n)+\n/, '').replace('--from=gen-modes', '--from=gen'),
  },
  {
    name: 'shape-two-builders',
    shows: /^COPY --from=web --chown=0:0 \/build\/web \/srv\/www$/m,
    mutant: (d) => d.replace('/build/web /srv/www', '/build /srv/www'),
  },
  {
    name: 'shape-build-args-renamed',
    shows: /^ARG VERSION_BUILDER\nENV VERSION=\$\{VERSION_BUILDER\}$/m,
    mutant: (d) => d.replace('ARG VERSION_BUILDER\nENV VERSION=${VERSION_BUILDER}', 'ARG VERSION'),
  },
  {
    name: 'shape-target-platform',
    shows: /^FROM --platform=linux\/amd64 busybox:latest AS deps$(?![^]*RUN false)/m,
    mutant: (d) => d.replace('--from=compile --chown=0:0 /app', '--from=compile --chown=0:0 /deps.txt'),
  },
];

for (const c of CASES) {
  for (const backend of BACKENDS) {
    e2e(`${c.name}: the migration is equivalent to the legacy run, the mutant is not (${backend})`, async (t) => {
      const w = workspace(t, () => caseFiles(c.name));
      const before = w.snapshot();
      const m = migrate(w.repo);
      t.is(m.code, 0, JSON.stringify(m.diagnostics));
      t.regex(m.dockerfile ?? '', c.shows);
      const same = verifyJson([w.repo, '--backend', backend, '--legacy=run']);
      t.is(same.json.status, 'equivalent', JSON.stringify(same.json));
      t.deepEqual(
        same.json.diagnostics.filter((d) => d.code === 'RS706'),
        [],
        'the legacy run and the analysis agree',
      );
      const session = (same.json as unknown as { session: string }).session;
      t.deepEqual(leftovers(session), []);
      const mutantFile = path.join(w.repo, 'Dockerfile.mutant');
      const mutated = c.mutant(m.dockerfile!);
      t.not(mutated, m.dockerfile, 'the mutant changes the migration');
      fs.writeFileSync(mutantFile, mutated);
      const mutant = verifyJson([w.repo, '--backend', backend, '--legacy=run', '--dockerfile', mutantFile]);
      fs.rmSync(mutantFile);
      t.is(mutant.json.status, 'different', JSON.stringify(mutant.json));
      t.deepEqual(leftovers((mutant.json as unknown as { session: string }).session), []);
      t.deepEqual(w.snapshot(), before);
    });
  }
}

const shIn = (image: string, script: string) =>
  run(['run', '--rm', '--network', 'none', image, 'sh', '-c', script]).trim();

e2e('Docker facts: busybox has no strip, testbase/gcc has /usr/bin/strip', async (t) => {
  t.is(shIn('testbase/busybox:latest', 'command -v strip || echo none'), 'none');
  t.is(shIn('testbase/gcc:latest', 'command -v strip'), '/usr/bin/strip');
});

e2e('Docker facts: docker cp reads a container path literally, a wildcard is no pattern', async (t) => {
  const name = `restage-test-cp-glob-${process.pid}`;
  const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-test-cp-glob-'));
  t.teardown(() => {
    spawnSync(docker, ['rm', '--force', name], { encoding: 'utf8' });
    fs.rmSync(dest, { recursive: true, force: true });
  });
  const created = spawnSync(docker, ['create', '--name', name, 'testbase/busybox:latest', 'true'], {
    encoding: 'utf8',
  });
  t.is(created.status, 0, created.stderr);
  // /bin holds many files; `/bin/*` names none of them.
  const r = spawnSync(docker, ['cp', `${name}:/bin/*`, dest], { encoding: 'utf8' });
  t.not(r.status, 0);
  t.regex(r.stderr, /Could not find the file|No such container:path/);
  t.deepEqual(fs.readdirSync(dest), []);
});

for (const backend of BACKENDS) {
  e2e(`Docker facts of host symlinks (${backend})`, async (t) => {
    const w = workspace(t, () => ({ tool: '#!/bin/sh\necho tool\n', 'lib/libfoo.so.1': 'v1\n' }));
    fs.chmodSync(path.join(w.repo, 'tool'), 0o750);
    fs.symlinkSync('tool', path.join(w.repo, 'tool-link'));
    fs.symlinkSync('libfoo.so.1', path.join(w.repo, 'lib', 'libfoo.so'));
    const image = `restage-test-shapes-facts-${backend}-${process.pid}`;
    t.teardown(() => {
      spawnSync(docker, ['rmi', '--force', image], { encoding: 'utf8' });
    });
    factsBuilder(w.repo, backend)(
      image,
      'FROM testbase/busybox:latest\nCOPY tool-link /usr/local/bin/tool2\nCOPY lib/ /usr/local/lib/\n',
    );
    // The top-level link is followed: a regular file, the target's content and mode, 0:0.
    t.is(shIn(image, 'stat -c "%u:%g %a %F" /usr/local/bin/tool2'), '0:0 750 regular file');
    t.is(shIn(image, 'cat /usr/local/bin/tool2'), '#!/bin/sh\necho tool');
    // A link inside a copied directory stays a link, with the target text as written.
    t.is(shIn(image, 'stat -c %F /usr/local/lib/libfoo.so'), 'symbolic link');
    t.is(shIn(image, 'readlink /usr/local/lib/libfoo.so'), 'libfoo.so.1');
  });
}

// The replay (--legacy=replay) re-enacts the modelled host commands (rm, mkdir, mv, cp, chmod) and the
// builds a chained builder needs; it refuses strip and ln, which only the real run (--legacy=run) does.
for (const name of [
  'post-rm-part-of-dir',
  'post-mv-inside-dir',
  'post-mkdir-mv-new-dir',
  'shape-chained-from-base',
  'shape-chained-context-chmod',
]) {
  for (const backend of BACKENDS) {
    e2e(`${name}: the replay is equivalent too (${backend}, --legacy=replay)`, async (t) => {
      const w = workspace(t, () => caseFiles(name));
      const before = w.snapshot();
      const same = verifyJson([w.repo, '--backend', backend, '--legacy=replay']);
      t.is(same.json.status, 'equivalent', JSON.stringify(same.json));
      t.deepEqual(leftovers((same.json as unknown as { session: string }).session), []);
      t.deepEqual(w.snapshot(), before);
    });
  }
}

for (const name of ['post-strip-gcc', 'post-ln-in-dir']) {
  e2e(`${name}: the replay refuses the host tool it does not re-enact (RS310), nothing built`, async (t) => {
    const w = workspace(t, () => caseFiles(name));
    const r = verifyJson([w.repo, '--legacy=replay']);
    t.is(r.code, 2, JSON.stringify(r.json));
    t.like(
      r.json.diagnostics.find((d) => d.code === 'RS310'),
      { line: 7 },
    );
  });
}
