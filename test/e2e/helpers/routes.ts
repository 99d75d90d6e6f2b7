/**
 * What the route e2e files (test/e2e/routes*.test.ts) share: restage migrate and verify run as a
 * user runs them (JSON out), a golden case's input tree for a workspace, and the docker client.
 */
import type { ExecutionContext } from 'ava';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, MIGRATE_FIXTURES, ROOT } from '../../helpers/fixtures.js';
import { client } from './engine.js';

export const BACKENDS = ['buildkit', 'classic'] as const;
export const docker = client ?? 'docker';
export const routeEnv = { ...process.env, ...(client ? { RESTAGE_DOCKER: client } : {}) };

export interface RouteVerdict {
  code: number | null;
  status: string;
  session: string | null;
  legacy: { mode: string } | null;
  diagnostics: { code: string; file: string; line: number; message: string }[];
  differences: { aspect: string; message: string }[];
}

/** `restage verify DIR --json` with the image map and the extra flags. */
export function verifyRoute(dir: string, imageMap: readonly string[], args: readonly string[]): RouteVerdict {
  const r = spawnSync(process.execPath, [BIN, 'verify', dir, ...imageMap, '--json', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: routeEnv,
  });
  try {
    return { code: r.status, ...(JSON.parse(r.stdout) as Omit<RouteVerdict, 'code'>) };
  } catch {
    throw new Error(`verify printed no JSON (exit ${r.status}): ${r.stdout}\n${r.stderr}`);
  }
}

/** `verify --legacy=replay` refused the route rather than re-enact it: not equivalent, RS310 on `line`. */
export function assertReplayRefused(t: ExecutionContext, refused: RouteVerdict, line: number): void {
  t.not(refused.status, 'equivalent');
  t.true(
    refused.diagnostics.some((d) => d.code === 'RS310' && d.line === line),
    JSON.stringify(refused.diagnostics),
  );
}

export interface RouteMigration {
  code: number | null;
  status: string;
  dockerfile: string | null;
  diagnostics: { code: string }[];
}

/** `restage migrate DIR --json`. */
export function migrateRoute(dir: string): RouteMigration {
  const r = spawnSync(process.execPath, [BIN, 'migrate', dir, '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: routeEnv,
  });
  return { code: r.status, ...(JSON.parse(r.stdout) as Omit<RouteMigration, 'code'>) };
}

/** A golden case's input tree (sub-directories and dot files too), as the workspace takes it. */
export function caseFiles(name: string): Record<string, string> {
  const dir = path.join(MIGRATE_FIXTURES, name, 'input');
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const f of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, f.name);
      if (f.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** The docker client with these arguments; its output, or an error with its stderr. */
export function dockerRun(args: readonly string[], options: { cwd?: string; input?: string } = {}): string {
  const r = spawnSync(docker, args, { encoding: 'utf8', ...options });
  if (r.status !== 0) throw new Error(`${docker} ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return r.stdout;
}

/** `path uid:gid mode` of paths inside an image (busybox stat). */
export function statIn(image: string, ...paths: string[]): string[] {
  return dockerRun(['run', '--rm', '--network', 'none', image, 'stat', '-c', '%n %u:%g %a', ...paths])
    .trim()
    .split('\n');
}

/** A build's own flags for one builder: the classic one keeps a failed step's container unless --force-rm. */
export const builderFlags = (backend: (typeof BACKENDS)[number]): string[] =>
  backend === 'classic' ? ['--force-rm'] : [];

/**
 * Builds a Dockerfile's text in `dir` with one builder, without the network or the cache: how the
 * route files measure a Docker fact directly. Throws with the build's stderr when it fails.
 */
export function factsBuilder(dir: string, backend: (typeof BACKENDS)[number]) {
  return (image: string, dockerfile: string): void => {
    fs.writeFileSync(path.join(dir, 'Dockerfile.facts'), dockerfile);
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
        'Dockerfile.facts',
        '.',
      ],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, DOCKER_BUILDKIT: backend === 'buildkit' ? '1' : '0' } },
    );
    if (r.status !== 0) throw new Error(`build ${image}: ${r.stderr}`);
  };
}
