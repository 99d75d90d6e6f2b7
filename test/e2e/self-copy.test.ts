/**
 * An image that copies its own build context (`COPY .`), which holds its Dockerfile and
 * .dockerignore, on the real engine, under both builders.
 *
 * - The Docker facts src/verify/placement.ts rests on, measured directly: the classic client,
 *   given a Dockerfile outside the context, appends `\n.dockerfile.<20 hex>\n` to the context's
 *   .dockerignore, which a `COPY .` carries into the image (BuildKit does not); a Dockerfile inside
 *   the context that its .dockerignore excludes enters no image under either builder.
 * - restage verify --legacy=run of golden copy-dot-with-artifact: the only difference left is the
 *   runtime Dockerfile itself, explained (the legacy .dockerignore is the user's, the migrated
 *   image holds the Dockerfile restage emits, not verify's image-mapped one); with `Dockerfile` in
 *   the .dockerignore the two images are equivalent. The replay (--legacy=replay) gives the same.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { caseInput } from '../helpers/fixtures.js';
import { client, e2eTest, unavailable } from './helpers/engine.js';
import { runLeftovers, verifyJson } from './helpers/verify-run.js';
import { treeHash } from './helpers/workspace.js';
import { builderFlags } from './helpers/routes.js';

const BASE = 'testbase/busybox:latest';
const e2e = e2eTest(await unavailable([BASE, 'testbase/debian-slim:bookworm']));
const docker = client ?? 'docker';
const BACKENDS = ['buildkit', 'classic'] as const;
const IGNORE = '*.md\nbuild.sh\n';

function scratch(t: { teardown: (f: () => void) => void }, prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `restage-test-self-copy-${prefix}-`));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

for (const backend of BACKENDS) {
  e2e(`Docker facts: where a Dockerfile leaves the context the user's (${backend})`, async (t) => {
    const dir = scratch(t, 'facts');
    const ctx = path.join(dir, 'ctx');
    fs.mkdirSync(ctx);
    fs.writeFileSync(path.join(ctx, '.dockerignore'), IGNORE);
    fs.writeFileSync(path.join(ctx, 'a.txt'), 'a\n');
    fs.writeFileSync(path.join(ctx, 'NOTES.md'), 'notes\n');
    fs.writeFileSync(path.join(ctx, 'build.sh'), 'true\n');
    const text = `FROM ${BASE}\nCOPY . /c\n`;
    fs.writeFileSync(path.join(dir, 'Dockerfile'), text);
    fs.writeFileSync(path.join(ctx, 'restage-0123456789abcdef.md'), text);
    const tag = `restage-test-self-copy-${backend}-${process.pid}`;
    t.teardown(() => {
      spawnSync(docker, ['rmi', '--force', `${tag}:outside`, `${tag}:inside`], { encoding: 'utf8' });
    });
    const build = (image: string, dockerfile: string) => {
      const r = spawnSync(
        docker,
        [
          'build',
          '-q',
          '--no-cache',
          ...builderFlags(backend),
          '--network',
          'none',
          '-t',
          image,
          '-f',
          dockerfile,
          '.',
        ],
        {
          cwd: ctx,
          encoding: 'utf8',
          env: { ...process.env, DOCKER_BUILDKIT: backend === 'buildkit' ? '1' : '0' },
        },
      );
      if (r.status !== 0) throw new Error(`build ${image}: ${r.stderr}`);
    };
    const inImage = (image: string, script: string) =>
      spawnSync(docker, ['run', '--rm', '--network', 'none', image, 'sh', '-c', script], { encoding: 'utf8' }).stdout;

    build(`${tag}:outside`, path.join(dir, 'Dockerfile'));
    const ignore = inImage(`${tag}:outside`, 'cat /c/.dockerignore');
    if (backend === 'classic') t.regex(ignore, /^\*\.md\nbuild\.sh\n\n\.dockerfile\.[0-9a-f]{20}\n$/);
    else t.is(ignore, IGNORE);
    t.is(inImage(`${tag}:outside`, 'ls -A /c'), '.dockerignore\na.txt\n');

    build(`${tag}:inside`, 'restage-0123456789abcdef.md');
    t.is(inImage(`${tag}:inside`, 'cat /c/.dockerignore'), IGNORE);
    t.is(inImage(`${tag}:inside`, 'ls -A /c'), '.dockerignore\na.txt\n');
  });

  const verifyCase = (t: Parameters<Parameters<typeof e2e>[1]>[0], ignore: string | null, legacy = 'run') => {
    const dir = path.join(scratch(t, 'case'), 'input');
    fs.cpSync(caseInput('copy-dot-with-artifact'), dir, { recursive: true });
    if (ignore !== null) fs.writeFileSync(path.join(dir, '.dockerignore'), ignore);
    const before = treeHash(dir);
    const r = verifyJson([
      dir,
      '--legacy',
      legacy,
      '--backend',
      backend,
      '--image-map',
      'python:3.12-slim=testbase/debian-slim:bookworm',
    ]);
    t.is(treeHash(dir), before, 'verify leaves the tree as it was');
    t.deepEqual(runLeftovers(r.json.session ?? 'no-session'), []);
    return r;
  };

  for (const legacy of ['run', 'replay'])
    e2e(
      `copy-dot-with-artifact: only the runtime Dockerfile differs, and verify says why (${backend}, --legacy=${legacy})`,
      async (t) => {
        const { code, json } = verifyCase(t, null, legacy);
        const detail = json.differences.map((d) => d.message).join('\n') + (json.failure?.message ?? '');
        t.is(json.status, 'different', detail);
        t.is(code, 1);
        t.is(json.differences.length, 1, detail);
        const [d] = json.differences;
        t.is(d!.aspect, 'files');
        t.regex(d!.message, /^\/srv\/app\/Dockerfile: 343 bytes in the migrated image, 98 in the legacy one: /);
        t.regex(d!.message, /holds its runtime Dockerfile itself/);
        t.regex(d!.message, /Add `Dockerfile` to the context's \.dockerignore/);
      },
    );

  e2e(`copy-dot-with-artifact with Dockerfile in .dockerignore: equivalent (${backend})`, async (t) => {
    const { code, json } = verifyCase(t, `${IGNORE}Dockerfile\n`);
    const detail = json.differences.map((d) => d.message).join('\n') + (json.failure?.message ?? '');
    t.is(json.status, 'equivalent', detail);
    t.is(code, 0);
  });
}
