/**
 * Path confinement: every file restage reads while analysing lies inside the analysed directory.
 * One module decides it, for discovery and migrate alike:
 * - a path is inside when it is lexically under the directory AND every symlink on the way
 *   resolves under the directory's real path; a link that leaves it is never followed;
 * - only regular files are read (after `lstat`/`stat`, before any `open`): a FIFO named
 *   Dockerfile would block `open` forever, a device file could be endless or have effects.
 * Resolving a link (`readlink`, `realpath`) never opens its target.
 */
import fs from 'node:fs';
import path from 'node:path';
import { diagnostic, type Diagnostic, type Location } from '../model/diagnostic.js';
import type { ParsedDockerfile } from '../model/dockerfile.js';
import { isContextSource, readsContext } from '../shared/context-copy.js';
import type { BuildFlow } from '../model/flow.js';
import { isWithin } from '../shared/paths.js';

/** Why a path may not be read: outside lexically, a symlink leaving the directory, or not a regular file/directory. */
export type Refusal = 'outside' | 'link-outside' | 'special';

export type Checked =
  { readonly ok: true; readonly kind: 'file' | 'dir' } | { readonly ok: false; readonly reason: Refusal | 'missing' };

/** Files larger than this are not analysed (a Dockerfile or script is text of a few kB). */
export const MAX_READ_BYTES = 64 * 1024 * 1024;

export class Confinement {
  readonly root: string;
  private readonly realRoot: string;

  constructor(root: string) {
    this.root = path.resolve(root);
    let real = this.root;
    try {
      real = fs.realpathSync(this.root);
    } catch {
      /* a missing root is reported by the caller */
    }
    this.realRoot = real;
  }

  /** What `abs` is, without following a link out of the directory and without opening anything. */
  check(abs: string): Checked {
    const p = path.resolve(this.root, abs);
    if (!isWithin(p, this.root)) return { ok: false, reason: 'outside' };
    let real: string;
    try {
      real = fs.realpathSync(p);
    } catch (e) {
      // A dangling link inside the directory, or a link loop: either way nothing to read.
      return {
        ok: false,
        reason:
          (e as NodeJS.ErrnoException).code === 'ELOOP'
            ? 'link-outside'
            : this.danglingOutside(p)
              ? 'link-outside'
              : 'missing',
      };
    }
    if (!isWithin(real, this.realRoot)) return { ok: false, reason: 'link-outside' };
    let stat: fs.Stats;
    try {
      stat = fs.statSync(real);
    } catch {
      return { ok: false, reason: 'missing' };
    }
    if (stat.isDirectory()) return { ok: true, kind: 'dir' };
    if (stat.isFile()) return { ok: true, kind: 'file' };
    return { ok: false, reason: 'special' };
  }

  /** The text of a regular file inside the directory, or why it cannot be read. */
  readText(abs: string): { readonly text: string } | { readonly refused: Refusal | 'missing' | 'unreadable' } {
    const checked = this.check(abs);
    if (!checked.ok) return { refused: checked.reason };
    if (checked.kind !== 'file') return { refused: 'missing' };
    try {
      const fd = fs.openSync(path.resolve(this.root, abs), fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
      try {
        // The check above and this open race with other writers; fstat on the open descriptor is the last word.
        const stat = fs.fstatSync(fd);
        if (!stat.isFile()) return { refused: 'special' };
        if (stat.size > MAX_READ_BYTES) return { refused: 'unreadable' };
        return { text: fs.readFileSync(fd, 'utf8') };
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      return { refused: 'unreadable' };
    }
  }

  /** A dangling link whose target would lie outside (reported as an escape, not as missing). */
  private danglingOutside(p: string): boolean {
    try {
      const target = fs.readlinkSync(p);
      return !isWithin(path.resolve(path.dirname(p), target), this.root);
    } catch {
      return false;
    }
  }
}

/** The message part that says why a path was refused. */
export function refusalText(reason: Refusal): string {
  switch (reason) {
    case 'outside':
      return 'lies outside the directory restage analyses';
    case 'link-outside':
      return 'is (or goes through) a symlink that points outside the directory restage analyses; restage never follows it';
    case 'special':
      return 'is not a regular file (a FIFO, socket or device); restage never opens such files';
  }
}

/**
 * What makes a refused path readable. restage analyses a script as run from the directory it is
 * given, and takes a script in a sub-directory only when --script names it (the RS120-RS122 rows of
 * test/migrate/advice-table.test.ts follow each fix).
 */
const REFUSAL_FIX: Record<Refusal, string> = {
  outside:
    'move what the build needs into the directory, or run restage on the directory the script is run from (it must hold all of it), with --script naming the script relative to that directory',
  'link-outside': 'replace the link with a copy of what it points to',
  special: 'replace it with a regular file',
};

export function refusalDiagnostic(reason: Refusal, at: Location, what: string): Diagnostic {
  const code = reason === 'outside' ? 'RS120' : reason === 'link-outside' ? 'RS121' : 'RS122';
  return diagnostic(code, at, `${what} ${refusalText(reason)}; ${REFUSAL_FIX[reason]}, and run restage again`);
}

/**
 * The build inputs a flow names, checked before any is read: each build's context and Dockerfile
 * (RS120–RS122), and each context COPY/ADD source of the Dockerfiles that exist (RS410: a source
 * that walks out of its build context, which Docker refuses or silently re-roots; RS121/RS122 as above).
 * Returns the Dockerfiles that may be read.
 */
export function checkBuildInputs(
  flow: BuildFlow,
  confinement: Confinement,
  display: (p: string) => string,
): { readonly diagnostics: Diagnostic[]; readonly readable: Set<string> } {
  const diagnostics: Diagnostic[] = [];
  const readable = new Set<string>();
  const seen = new Set<string>();
  const once = (d: Diagnostic) => {
    const key = `${d.code}:${d.file}:${d.line}:${d.column}`;
    if (!seen.has(key)) {
      seen.add(key);
      diagnostics.push(d);
    }
  };
  for (const e of flow.events) {
    if (e.kind !== 'build') continue;
    const context = confinement.check(e.context);
    if (!context.ok && context.reason !== 'missing')
      once(refusalDiagnostic(context.reason, e.at, `the build context ${display(e.context)}`));
    const file = confinement.check(e.dockerfile);
    if (!file.ok && file.reason !== 'missing')
      once(refusalDiagnostic(file.reason, e.dockerfileAt, `the Dockerfile ${display(e.dockerfile)}`));
    else readable.add(e.dockerfile);
  }
  return { diagnostics, readable };
}

/** Context sources of COPY/ADD (no --from, not a URL) that leave the context or the directory. */
export function checkCopySources(
  flow: BuildFlow,
  dockerfiles: ReadonlyMap<string, ParsedDockerfile>,
  confinement: Confinement,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const e of flow.events) {
    if (e.kind !== 'build') continue;
    const file = dockerfiles.get(e.dockerfile);
    if (!file || !confinement.check(e.context).ok) continue;
    for (const inst of file.instructions) {
      if (!readsContext(inst)) continue;
      for (const src of inst.args.slice(0, -1)) {
        const word = src.value ?? src.raw;
        if (!isContextSource(word)) continue;
        // Docker resolves a COPY source against the context root, `/` included.
        const rel = word.replace(/^\/+/, '');
        const abs = path.resolve(e.context, rel);
        const at = { file: file.file, line: src.line, column: src.column };
        const key = `${at.file}:${at.line}:${at.column}`;
        if (seen.has(key)) continue;
        if (!isWithin(abs, e.context)) {
          seen.add(key);
          diagnostics.push(
            diagnostic(
              'RS410',
              at,
              `the COPY source ${src.raw} walks out of the build context with \`..\`; Docker refuses it (or reads a different file inside the context); name a path inside the context`,
            ),
          );
          continue;
        }
        const checked = confinement.check(abs);
        if (!checked.ok && checked.reason !== 'missing') {
          seen.add(key);
          diagnostics.push(refusalDiagnostic(checked.reason, at, `the COPY source ${src.raw}`));
        }
      }
    }
  }
  return diagnostics;
}
