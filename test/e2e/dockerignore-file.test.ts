/**
 * Which ignore file each builder reads (src/analyze/build-ignore.ts), against the engine: each
 * case lays out a context and a Dockerfile (`COPY . /ctx/`), with a `.dockerignore` and a
 * `<Dockerfile>.dockerignore`, builds it under BuildKit and the classic builder, and the files the
 * image holds at the top of /ctx must be exactly those resolveBuildIgnore's rules keep. Measured on
 * docker 20.10.24 (Debian): BuildKit reads the file beside the -f path instead of the context's
 * (not merged; also outside the context; `Dockerfile.dockerignore` for the default name), the
 * classic builder the context's only. Everything made is named `restage-e2etest-<run>-…` and removed.
 */
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { resolveBuildIgnore } from '../../src/analyze/build-ignore.js';
import { ignoredBy } from '../../src/analyze/dockerignore.js';
import { e2eTest, engine, unavailable } from './helpers/engine.js';

const run = promisify(execFile);
const BASE = 'testbase/busybox:latest';
const PREFIX = `restage-e2etest-${randomBytes(3).toString('hex')}-`;
const e2e = e2eTest(await unavailable([BASE]));
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-dockerignore-file-'));
const images: string[] = [];

interface Case {
  readonly name: string;
  /** Files by path relative to the case's directory; the context is `ctx/`. */
  readonly files: Readonly<Record<string, string>>;
  /** The Dockerfile, relative to the case's directory (written with `COPY . /ctx/`). */
  readonly dockerfile: string;
}

const PLAIN = { 'ctx/a.txt': 'a', 'ctx/b.txt': 'b', 'ctx/c.txt': 'c', 'ctx/.dockerignore': 'a.txt\n' };
const CASES: Case[] = [
  {
    name: 'both files beside each other in the context',
    files: { ...PLAIN, 'ctx/Dockerfile.build.dockerignore': 'b.txt\n' },
    dockerfile: 'ctx/Dockerfile.build',
  },
  {
    name: 'the default name: Dockerfile.dockerignore',
    files: { ...PLAIN, 'ctx/Dockerfile.dockerignore': 'b.txt\n' },
    dockerfile: 'ctx/Dockerfile',
  },
  {
    name: 'the Dockerfile outside the context; a file of its name at the context root is not read',
    files: { ...PLAIN, 'ctx/Dockerfile.build.dockerignore': 'b.txt\n', 'out/Dockerfile.build.dockerignore': 'c.txt\n' },
    dockerfile: 'out/Dockerfile.build',
  },
  {
    name: 'an empty own file leaves out nothing',
    files: { ...PLAIN, 'ctx/Dockerfile.x.dockerignore': '' },
    dockerfile: 'ctx/Dockerfile.x',
  },
  {
    name: 'no own file: the context’s',
    files: PLAIN,
    dockerfile: 'ctx/Dockerfile.x',
  },
];

async function docker(args: readonly string[], builder: 'classic' | 'buildkit'): Promise<string> {
  const env = { ...process.env, DOCKER_BUILDKIT: builder === 'buildkit' ? '1' : '0' };
  return (await run(engine.client, [...args], { env, maxBuffer: 16 * 1024 * 1024 })).stdout;
}

CASES.forEach((c, index) => {
  for (const builder of ['classic', 'buildkit'] as const) {
    e2e(`${builder}: ${c.name}`, async (t) => {
      const dir = path.join(scratch, `${index}-${builder}`);
      const files: Record<string, string> = { ...c.files, [c.dockerfile]: `FROM ${BASE}\nCOPY . /ctx/\n` };
      for (const [file, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), text);
      }
      const context = path.join(dir, 'ctx');
      const dockerfile = path.join(dir, c.dockerfile);
      const tag = `${PREFIX}${index}-${builder}`;
      images.push(tag);
      await docker(['build', '-q', '--no-cache', '--network', 'none', '-t', tag, '-f', dockerfile, context], builder);
      const listing = await docker(['run', '--rm', '--network', 'none', tag, 'ls', '-A', '/ctx'], builder);
      const actual = listing.split('\n').filter((l) => l !== '');
      const { rules } = resolveBuildIgnore({ context, dockerfile, builder }, (f) =>
        fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : null,
      );
      const expected = Object.keys(files)
        .filter((f) => f.startsWith('ctx/'))
        .map((f) => f.slice('ctx/'.length))
        .filter((f) => !ignoredBy(rules, f))
        .sort();
      t.deepEqual(actual.sort(), expected);
    });
  }
});

test.after.always('remove the images and the contexts', async () => {
  for (const image of images) await run(engine.client, ['rmi', '-f', image]).catch(() => undefined);
  fs.rmSync(scratch, { recursive: true, force: true });
});
