/** Running `restage verify` as a user does, and finding what a run left on the engine and in the temp directory. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { BIN, ROOT } from '../../helpers/fixtures.js';
import { client, engine } from './engine.js';

export const IMAGE_MAP = [
  'gcc=testbase/gcc:latest',
  'golang=testbase/golang:latest',
  'arm64v8/golang=testbase/golang:latest',
  'debian:bookworm-slim=testbase/debian-slim:bookworm',
  'busybox=testbase/busybox:latest',
].flatMap((m) => ['--image-map', m]);
export const BASES = [
  'testbase/gcc:latest',
  'testbase/golang:latest',
  'testbase/debian-slim:bookworm',
  'testbase/busybox:latest',
];
export const env = { ...process.env, ...(client ? { RESTAGE_DOCKER: client } : {}) };

export interface VerifyJson {
  status: string;
  session: string | null;
  differences: { aspect: string; field?: string; message: string }[];
  info: { aspect: string; field?: string; message: string }[];
  engine: { backend: string } | null;
  failure: { step: string; message: string } | null;
  times: { overheadShare: number } | null;
  diagnostics: { code: string; file: string; line: number; message: string }[];
  runs: {
    legacy: { exitCode: number; stderrHead: string[]; nondeterministic: string[] };
    migrated: { exitCode: number; stderrHead: string[]; nondeterministic: string[] };
  } | null;
  leftovers: { what: string; command: string }[];
}

export function verifyJson(args: string[]): { code: number | null; json: VerifyJson; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, 'verify', ...args, ...IMAGE_MAP, '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
    env,
  });
  let json: VerifyJson;
  try {
    json = JSON.parse(r.stdout) as VerifyJson;
  } catch {
    throw new Error(`verify printed no JSON (exit ${r.status}): ${r.stdout}\n${r.stderr}`);
  }
  return { code: r.status, json, stderr: r.stderr };
}

/** Containers, images (by name or by verify's session label) and scratch directories a verify run left. */
export async function leftovers(): Promise<string[]> {
  const names = await engine.listNames('restage-');
  const labelled = spawnSync(client ?? 'docker', ['ps', '--all', '--quiet', '--filter', 'label=restage.session'], {
    encoding: 'utf8',
    env,
  })
    .stdout.split('\n')
    .filter(Boolean)
    .map((id) => `labelled container ${id}`);
  const labelledImages = spawnSync(
    client ?? 'docker',
    ['images', '--all', '--quiet', '--filter', 'label=restage.session'],
    { encoding: 'utf8', env },
  )
    .stdout.split('\n')
    .filter(Boolean)
    .map((id) => `labelled image ${id}`);
  // Scratch directories of a verify session are named restage-<8 hex>-<role>-….
  const dirs = fs.readdirSync(os.tmpdir()).filter((n) => /^restage-[0-9a-f]{8}-/.test(n));
  return [...names.containers, ...names.images, ...labelled, ...labelledImages, ...dirs].filter(
    (n) => !n.startsWith('restage-e2etest-'),
  );
}

/**
 * Containers, images, run-prefixed tags, volumes and scratch directories of one verify session
 * (a legacy run's names carry the session id), after verify returned.
 */
export function runLeftovers(session: string): string[] {
  const out = (args: string[]) =>
    spawnSync(client ?? 'docker', args, { encoding: 'utf8', env })
      .stdout.split('\n')
      .filter((l) => l.trim() !== '');
  return [
    ...out(['ps', '--all', '--quiet', '--filter', `label=restage.session=${session}`]).map((c) => `container ${c}`),
    ...out(['images', '--all', '--quiet', '--filter', `label=restage.session=${session}`]).map((i) => `image ${i}`),
    ...out(['volume', 'ls', '--quiet'])
      .filter((v) => v.includes(session))
      .map((v) => `volume ${v}`),
    ...out(['images', '--format', '{{.Repository}}:{{.Tag}}'])
      .filter((i) => i.includes(session))
      .map((i) => `tag ${i}`),
    ...fs
      .readdirSync(os.tmpdir())
      .filter((d) => d.startsWith(session))
      .map((d) => `directory ${os.tmpdir()}/${d}`),
  ];
}

/**
 * Untagged images descending from `base`: what a classic build leaves of a stage that is not its
 * final image, or of a build cut short.
 */
export async function danglingFrom(base: string): Promise<string[]> {
  const baseId = (await engine.inspectImage(base)).Id;
  const ids = spawnSync(client ?? 'docker', ['images', '-a', '-q', '--no-trunc', '--filter', 'dangling=true'], {
    encoding: 'utf8',
    env,
  })
    .stdout.split('\n')
    .filter(Boolean);
  const found: string[] = [];
  for (const id of ids) {
    let cursor: string | undefined = id;
    for (let hops = 0; cursor && hops < 64; hops++) {
      if (cursor === baseId) {
        found.push(id);
        break;
      }
      cursor = ((await engine.inspectImage(cursor).catch(() => null))?.Parent as string | undefined) || undefined;
    }
  }
  return found;
}

/**
 * Untagged images (intermediate ones too) whose history mentions `marker`: what builds of a fixture
 * that carries the marker in its RUN lines left behind.
 */
export async function untaggedMentioning(marker: string): Promise<string[]> {
  const all = spawnSync(client ?? 'docker', ['images', '-a', '--no-trunc', '--format', '{{.ID}} {{.Repository}}'], {
    encoding: 'utf8',
    env,
  })
    .stdout.split('\n')
    .filter(Boolean);
  const found: string[] = [];
  for (const id of all.filter((l) => l.endsWith(' <none>')).map((l) => l.split(' ')[0]!)) {
    const history = await engine.history(id).catch(() => []);
    if (history.some((h) => h.createdBy.includes(marker))) found.push(id);
  }
  return found;
}

/**
 * The verify sessions a run started, learnt from its scratch directories (restage-<8 hex>-<role>-…)
 * in `tmp`, the TMPDIR given to the run: other runs on the same engine are not its.
 */
export function watchSessions(tmp: string): { readonly ids: Set<string>; stop(): void } {
  const ids = new Set<string>();
  const look = () => {
    for (const n of fs.readdirSync(tmp)) {
      const id = /^(restage-[0-9a-f]{8})-/.exec(n)?.[1];
      if (id) ids.add(id);
    }
  };
  const timer = setInterval(look, 50);
  return {
    ids,
    stop: () => {
      look();
      clearInterval(timer);
    },
  };
}

/** What the sessions left: containers and images by name or label, and any entry of `tmp` (when given). */
export async function sessionLeftovers(ids: ReadonlySet<string>, tmp: string | null): Promise<string[]> {
  const found: string[] = tmp === null ? [] : [...fs.readdirSync(tmp)];
  for (const id of ids) {
    const names = await engine.listNames(`${id}-`);
    const labelled = await engine.labelled('restage.session', id);
    found.push(
      ...names.containers,
      ...names.images,
      ...labelled.containers.map((c) => `labelled container ${c}`),
      ...labelled.images.map((i) => `labelled image ${i}`),
    );
  }
  return found;
}

/** What the session `id` (from verify's JSON `session`) left: containers, images, scratch directories. */
export async function leftoversOf(id: string | null): Promise<string[]> {
  if (id === null) return [];
  const dirs = fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith(`${id}-`));
  return [...(await sessionLeftovers(new Set([id]), null)), ...dirs];
}
