/**
 * restage's Compose translation (src/analyze/compose/translate.ts), which both the migration and
 * verify's sandboxed run (src/verify/legacy/shim/compose.ts) stand on, held against the real
 * program: Debian's docker-compose 1.29 (v1; scripts/engine.sh installs it; Debian 12 has no v2
 * plugin). Each Compose golden's script runs for real, outside any sandbox, in a scratch copy with
 * its base images mapped to the test images and `docker compose` written `docker-compose`; the
 * runtime image it tags must hold the same files (type, mode, owner, size, bytes) and config as
 * the image of the Dockerfile restage migrates that copy to.
 *
 * The fact behind RS370 for a kept `run` output (golden compose-v1-output-unbuilt) is shown here
 * too: on an engine without the service's image, the build `run` does first prints its log into
 * that output; with the image there, it does not.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExecutionContext } from 'ava';
import tar from 'tar-stream';
import { BIN } from '../helpers/fixtures.js';
import { caseInput } from '../helpers/fixtures.js';
import { caseVerify } from '../helpers/golden-verify.js';
import { e2eTest, unavailable } from './helpers/engine.js';
import { docker, dockerRun } from './helpers/routes.js';
import { BASES, env } from './helpers/verify-run.js';

const compose = spawnSync('docker-compose', ['version', '--short'], { encoding: 'utf8' });
const e2e = e2eTest(
  compose.status === 0
    ? await unavailable(BASES)
    : 'docker-compose is not installed; install it with: bash scripts/engine.sh start',
);

/** Tags the scripts give, made this run's own so nothing of the engine's is touched. */
const OWN = `restage-compose-real-${process.pid}`;
const TAGS = ['app:1.0', 'tool-builder:latest', 'tool:1.0'];

interface Copy {
  readonly dir: string;
  readonly script: string;
}

/** The case's tree in a scratch `input/` (the project name compose derives), base images mapped, v1 spelling, own tags. */
function copyCase(name: string): Copy {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-compose-real-'));
  const dir = path.join(parent, 'input');
  fs.cpSync(caseInput(name), dir, { recursive: true });
  const imageMap = caseVerify(name)?.imageMap ?? {
    'busybox:1.36': 'testbase/busybox:latest',
    'golang:1.22': 'testbase/golang:latest',
  };
  let script = '';
  for (const file of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const p = path.join(dir, file);
    if (!fs.statSync(p).isFile()) continue;
    let text = fs.readFileSync(p, 'utf8');
    for (const [from, to] of Object.entries(imageMap)) text = text.replaceAll(from, to);
    for (const tag of TAGS) text = text.replaceAll(tag, `${OWN}-${tag}`);
    if (file.endsWith('.sh')) {
      text = text.replaceAll('docker compose ', 'docker-compose ');
      script = file;
    }
    fs.writeFileSync(p, text);
  }
  return { dir, script };
}

function run(
  file: string,
  args: readonly string[],
  cwd: string,
  more: Record<string, string> = {},
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(file, args, {
    cwd,
    encoding: 'utf8',
    env: { ...env, PATH: `${path.dirname(docker)}:${process.env.PATH}`, ...more },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every entry of the image's file system: `type mode uid:gid size sha256` by path. */
async function filesOf(image: string): Promise<Map<string, string>> {
  const container = dockerRun(['create', image, 'true']).trim();
  try {
    const out = new Map<string, string>();
    const extract = tar.extract();
    const child = spawnSync(docker, ['export', container], { maxBuffer: 1 << 30 });
    if (child.status !== 0) throw new Error(`docker export: ${child.stderr.toString()}`);
    await new Promise<void>((resolve, reject) => {
      extract.on('entry', (header, stream, next) => {
        const hash = crypto.createHash('sha256');
        stream.on('data', (chunk: unknown) => void hash.update(chunk as Buffer));
        stream.on('end', () => {
          const owner = `${header.uid}:${header.gid}`;
          const mode = (header.mode ?? 0).toString(8);
          out.set(
            header.name.replace(/\/$/, ''),
            `${header.type} ${mode} ${owner} ${header.size} ${hash.digest('hex')} ${header.linkname ?? ''}`,
          );
          next();
        });
        stream.resume();
      });
      extract.on('finish', resolve);
      extract.on('error', reject);
      extract.end(child.stdout);
    });
    return out;
  } finally {
    dockerRun(['rm', '-f', container]);
  }
}

function configOf(image: string): unknown {
  const [inspected] = JSON.parse(dockerRun(['image', 'inspect', image])) as { Config: Record<string, unknown> }[];
  const c = inspected!.Config;
  return { Cmd: c.Cmd, Entrypoint: c.Entrypoint, Env: c.Env, WorkingDir: c.WorkingDir, User: c.User };
}

/** Removes what the real run made: this run's own tags, the services' images (`input_*`, `myapp_*`, `ci_*`) and networks. */
function cleanUp(before: { images: Set<string>; networks: Set<string> }): void {
  const names = (args: string[]) => dockerRun(args).split('\n').filter(Boolean);
  const made = /^(input|myapp|ci)_[\w.-]+:latest$/;
  for (const tag of names(['images', '--format', '{{.Repository}}:{{.Tag}}']))
    if (tag.startsWith(OWN) || (made.test(tag) && !before.images.has(tag))) spawnSync(docker, ['rmi', '-f', tag]);
  for (const net of names(['network', 'ls', '--format', '{{.Name}}']))
    if (/^(input|myapp|ci)_default$/.test(net) && !before.networks.has(net)) spawnSync(docker, ['network', 'rm', net]);
}

function snapshot() {
  const list = (args: string[]) => new Set(dockerRun(args).split('\n').filter(Boolean));
  return {
    images: list(['images', '--format', '{{.Repository}}:{{.Tag}}']),
    networks: list(['network', 'ls', '--format', '{{.Name}}']),
  };
}

async function sameImage(t: ExecutionContext, legacy: string, migrated: string): Promise<void> {
  const [a, b] = [await filesOf(legacy), await filesOf(migrated)];
  t.true(a.size > 100, `${a.size} entries read from ${legacy}`);
  const differ = [...new Set([...a.keys(), ...b.keys()])]
    .filter((p) => a.get(p) !== b.get(p))
    .map((p) => `${p}: real compose ${a.get(p) ?? 'absent'}, migrated ${b.get(p) ?? 'absent'}`);
  t.deepEqual(differ, []);
  t.deepEqual(configOf(legacy), configOf(migrated));
}

const MIGRATED = ['compose-build-verb', 'compose-run-build-map', 'compose-run-image-command', 'compose-v1-dashes'];

for (const name of MIGRATED) {
  e2e(
    `${name} (as docker-compose v1): the real Compose pipeline's image and restage's migration are the same`,
    async (t) => {
      const { dir, script } = copyCase(name);
      const before = snapshot();
      t.teardown(() => {
        cleanUp(before);
        fs.rmSync(path.dirname(dir), { recursive: true, force: true });
      });
      const migrate = run(process.execPath, [BIN, 'migrate', '--json', dir], dir);
      const result = JSON.parse(migrate.stdout) as {
        status: string;
        dockerfile: string | null;
        buildCommand: string | null;
      };
      t.is(result.status, 'migrated', migrate.stdout);
      const runtimeTag = /-t (\S+)/.exec(result.buildCommand ?? '')?.[1];
      t.truthy(runtimeTag, result.buildCommand ?? 'no build command');
      fs.writeFileSync(path.join(dir, 'Dockerfile.restage'), result.dockerfile!);
      const migratedTag = `${OWN}-migrated:${name}`;
      // BuildKit: the classic builder would leave the builder stage behind as an untagged image.
      const built = run(
        docker,
        ['build', '-q', '--network=none', '-t', migratedTag, '-f', 'Dockerfile.restage', '.'],
        dir,
        {
          DOCKER_BUILDKIT: '1',
        },
      );
      t.is(built.status, 0, built.stderr);
      fs.rmSync(path.join(dir, 'Dockerfile.restage'));
      const legacy = run('sh', [script], dir);
      t.is(legacy.status, 0, `${legacy.stdout}\n${legacy.stderr}`);
      await sameImage(t, runtimeTag!, migratedTag);
    },
  );
}

e2e(
  'docker-compose run builds a missing service image first and prints that build into the kept output (RS370); not once the image is there',
  async (t) => {
    const { dir, script } = copyCase('compose-v1-output-unbuilt');
    const before = snapshot();
    t.teardown(() => {
      cleanUp(before);
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    });
    const first = run('sh', [script], dir);
    t.is(first.status, 0, first.stderr);
    // The artifact is a Go binary: its first bytes tell the build log from the binary.
    const head = () =>
      dockerRun(['run', '--rm', '--entrypoint', 'head', `${OWN}-${TAGS[0]}`, '-c', '12', '/usr/local/bin/app']);
    t.is(head(), 'Step 1/5 : F', 'on an engine without the image, the build log is in the output');
    // The second run tags a new runtime image: the first one is removed with the rest.
    const firstImage = dockerRun(['image', 'inspect', '--format', '{{.Id}}', `${OWN}-${TAGS[0]}`]).trim();
    t.teardown(() => void spawnSync(docker, ['rmi', '-f', firstImage]));
    const again = run('sh', [script], dir);
    t.is(again.status, 0, again.stderr);
    t.is(head().slice(0, 4), '\x7fELF', 'with the image there, the output is the binary alone');
  },
);
