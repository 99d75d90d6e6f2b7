/**
 * Runs one directory through `migrate` (runMigrate, the command as a library call) and through
 * verify's planning step, and checks what must hold for ANY input: a structured result, exit 0
 * or 2, every diagnostic located inside its file, no exception.
 *
 * verify's planning step is verify() itself with an engine that answers no ping: everything
 * verify does before its first engine call runs for real (analyzeDirectory, the --dockerfile
 * check, the status check), and an engine method other than ping is a failure.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runMigrate } from '../../src/cli/migrate.js';
import type { Engine } from '../../src/verify/engine/engine.js';
import { verify } from '../../src/verify/verify.js';
import { parseImageMap } from '../../src/verify/scratch.js';
import { CATALOGUE } from '../../src/model/diagnostic.js';
import type { MigrationResult } from '../../src/model/result.js';
import type { Tree } from './arbitraries.js';

const STATUSES = new Set(['migrated', 'needs-attention', 'nothing-to-migrate', 'error']);

/** An engine that is never reached: ping says so, anything else is a bug in the planning step. */
function unreachableEngine(calls: string[]): Engine {
  return new Proxy({ kind: 'docker', client: 'docker' } as unknown as Engine, {
    get(target, prop) {
      if (prop === 'kind' || prop === 'client') return (target as unknown as Record<string, unknown>)[prop];
      if (prop === 'ping')
        return async () => {
          calls.push('ping');
          return { ok: false, message: 'property test: no engine' };
        };
      if (prop === 'then') return undefined;
      return () => {
        calls.push(String(prop));
        throw new Error(`verify called engine.${String(prop)} before ping`);
      };
    },
  });
}

export interface Outcome {
  readonly result: MigrationResult;
  readonly exitCode: number;
  readonly ms: number;
  readonly verifyStatus: string;
  readonly verifyMs: number;
}

/** Writes a tree to a fresh temp directory; returns it. */
export function writeTree(files: Tree, parent = os.tmpdir()): string {
  const dir = fs.mkdtempSync(path.join(parent, 'restage-prop-'));
  for (const [name, bytes] of Object.entries(files)) {
    // One level of sub-directory (`ci/build.sh`), as discovery reads it; nothing that climbs out.
    const parts = name.split('/');
    if (!name || parts.length > 2 || parts.some((p) => !p || p === '.' || p === '..') || name.includes('\0')) continue;
    if (parts.length === 2) fs.mkdirSync(path.join(dir, parts[0]!), { recursive: true });
    try {
      fs.writeFileSync(path.join(dir, name), bytes);
    } catch {
      /* a sub-directory name that is also a file name of the tree: left out */
    }
  }
  return dir;
}

/**
 * Docker's parser directives: `# name=value` lines at the very top of a Dockerfile, before any other comment,
 * blank line or instruction; the same text further down is a comment.
 */
export function leadingDirectives(dockerfile: string): Set<string> {
  const names = new Set<string>();
  for (const line of dockerfile.replace(/^\uFEFF/, '').split('\n')) {
    const m = /^#\s*([A-Za-z]+)\s*=/.exec(line);
    if (!m) break;
    names.add(m[1]!.toLowerCase());
  }
  return names;
}

/** Every property of a result that holds whatever the input; returns the problems found (empty: fine). */
export function problems(dir: string, result: MigrationResult, exitCode: number): string[] {
  const out: string[] = [];
  if (!STATUSES.has(result.status)) out.push(`status ${String(result.status)}`);
  if (exitCode !== (result.status === 'error' ? 2 : 0)) out.push(`exit ${exitCode} for status ${result.status}`);
  if (result.status === 'error' && result.dockerfile !== null) out.push('a Dockerfile on error');
  if ((result.status === 'migrated' || result.status === 'needs-attention') && typeof result.dockerfile !== 'string')
    out.push('no Dockerfile on success');
  if (result.status === 'error' && !result.diagnostics.some((d) => d.severity === 'error'))
    out.push('error status without an error diagnostic');
  if (result.dockerfile !== null && leadingDirectives(result.dockerfile).has('syntax')) out.push('emitted # syntax=');
  for (const d of result.diagnostics) {
    if (!(d.code in CATALOGUE)) out.push(`unknown code ${d.code}`);
    if (d.severity !== CATALOGUE[d.code].severity) out.push(`${d.code} with severity ${d.severity}`);
    if (!d.message || typeof d.message !== 'string') out.push(`${d.code} without a message`);
    if (!Number.isInteger(d.line) || !Number.isInteger(d.column) || d.line < 1 || d.column < 1)
      out.push(`${d.code} at ${d.line}:${d.column}`);
    if (!d.file) out.push(`${d.code} without a file`);
    const abs = path.resolve(dir, d.file);
    let text: string | null = null;
    try {
      if (fs.lstatSync(abs).isFile()) text = fs.readFileSync(abs, 'utf8');
    } catch {
      /* a directory or a path the diagnostic names as missing */
    }
    if (text !== null && !within(text.split('\n'), d) && !within(text.split(/\r\n|\r|\n/), d)) {
      out.push(`${d.code} at ${d.line}:${d.column}, outside ${d.file} (${text.split('\n').length} lines)`);
    }
  }
  return out;
}

/** Lines count as the shell counts them (\n) or as editors and dockerfile-ast do (\r too); a location may be one past the last column. */
function within(lines: string[], d: { line: number; column: number }): boolean {
  return d.line <= lines.length && d.column <= lines[d.line - 1]!.length + 2;
}

/** Migrate and verify-plan one directory; throws with the problems when a property fails. */
export async function check(dir: string): Promise<Outcome> {
  let t = performance.now();
  const { result, exitCode } = runMigrate(dir, { displayBase: dir });
  const ms = performance.now() - t;
  const found = problems(dir, result, exitCode);
  t = performance.now();
  const calls: string[] = [];
  const planned = await verify(dir, {
    engine: unreachableEngine(calls),
    network: 'none',
    imageMap: parseImageMap([]),
    buildArgs: {},
    strictMtime: false,
    ignore: [],
    run: null,
    keep: false,
    progress: { step: (_l, work) => work() },
    signal: new AbortController().signal,
    displayBase: dir,
  });
  const verifyMs = performance.now() - t;
  const touched = calls.filter((c) => c !== 'ping');
  if (touched.length) found.push(`verify called the engine before ping: ${touched.join(', ')}`);
  if (planned.status === 'bad-input') {
    if (result.status !== 'error' && !planned.diagnostics.some((d) => d.severity === 'error'))
      found.push('verify refused a directory migrate accepted, without an error');
  } else if (planned.status === 'engine-failure' && planned.failure?.step === 'connect') {
    if (result.status === 'error') found.push('verify went on to the engine after a migrate error');
  } else found.push(`verify planning ended ${planned.status}`);
  if (found.length) throw new Error(`${found.join('; ')}\n${JSON.stringify(result.diagnostics.slice(0, 5))}`);
  return { result, exitCode, ms, verifyStatus: planned.status, verifyMs };
}
