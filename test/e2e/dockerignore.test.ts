/**
 * The .dockerignore matcher against the engine: each case of test/helpers/dockerignore-cases.ts
 * becomes a context with that .dockerignore, built with `COPY . /ctx` on each builder; the files
 * and directories the image holds under /ctx must be exactly what `dockerignore` keeps (a
 * directory is there when it is kept, or holds something kept). Everything made is named
 * `restage-e2etest-<run>-…` and removed at the end.
 */
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { dockerignore } from '../../src/analyze/dockerignore.js';
import { DOCKERIGNORE_CASES } from '../helpers/dockerignore-cases.js';
import { e2eTest, engine, unavailable } from './helpers/engine.js';

const run = promisify(execFile);
const BASE = 'testbase/busybox:latest';
const PREFIX = `restage-e2etest-${randomBytes(3).toString('hex')}-`;
const e2e = e2eTest(await unavailable([BASE]));
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-dockerignore-'));
const images: string[] = [];

/** What `dockerignore` says the image holds under /ctx: kept files, and directories kept or holding a kept file. */
function expectedEntries(ignore: string, files: readonly string[]): string[] {
  const excluded = dockerignore(ignore);
  const entries = new Set<string>();
  for (const file of files) {
    const parts = file.split('/');
    const kept = !excluded(file);
    for (let depth = 1; depth < parts.length; depth++) {
      const dir = parts.slice(0, depth).join('/');
      if (kept || !excluded(dir)) entries.add(`${dir}/`);
    }
    if (kept) entries.add(file);
  }
  return [...entries].sort();
}

async function docker(args: readonly string[], builder: 'classic' | 'buildkit'): Promise<string> {
  const env = { ...process.env, DOCKER_BUILDKIT: builder === 'buildkit' ? '1' : '0' };
  return (await run(engine.client, [...args], { env, maxBuffer: 16 * 1024 * 1024 })).stdout;
}

DOCKERIGNORE_CASES.forEach((c, index) => {
  for (const builder of ['classic', 'buildkit'] as const) {
    e2e(`${builder}: ${c.name}`, async (t) => {
      const dir = path.join(scratch, `${index}-${builder}`);
      const context = path.join(dir, 'context');
      const files = ['.dockerignore', ...c.excluded, ...c.included];
      for (const file of files) {
        fs.mkdirSync(path.dirname(path.join(context, file)), { recursive: true });
        fs.writeFileSync(path.join(context, file), file === '.dockerignore' ? c.ignore : file);
      }
      const dockerfile = path.join(dir, 'Dockerfile');
      fs.writeFileSync(dockerfile, `FROM ${BASE}\nCOPY . /ctx/\n`);
      const tag = `${PREFIX}${index}-${builder}`;
      images.push(tag);
      await docker(['build', '-q', '--no-cache', '-t', tag, '-f', dockerfile, context], builder);
      const listing = await docker(
        [
          'run',
          '--rm',
          '--network',
          'none',
          tag,
          'sh',
          '-c',
          'cd /ctx && find . -mindepth 1 -type d -exec echo {}/ \\; -o -print',
        ],
        builder,
      );
      const actual = listing
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => line.replace(/^\.\//, ''))
        .sort();
      t.deepEqual(actual, expectedEntries(c.ignore, files));
    });
  }
});

test.after.always('remove the images and the contexts', async () => {
  for (const image of images) await run(engine.client, ['rmi', '-f', image]).catch(() => undefined);
  fs.rmSync(scratch, { recursive: true, force: true });
});
