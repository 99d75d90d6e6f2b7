/**
 * The one model of the host commands restage follows (`mkdir`, `rm`, `mv`, `cp`, `chmod`): what
 * each does to the paths it names, as steps on single paths. The analysis applies the steps to its
 * picture of where the artifacts lie, the replay applies them to the scratch copy; both get the
 * steps from here, so they cannot disagree.
 *
 * Shell semantics kept: `mv a b dir` and `cp a dir` act into an existing directory (`dir/a`);
 * with one source and a destination that is not a directory, the source takes the destination's
 * name. `chmod` modes are applied with umask 022 where the symbolic form leaves out "who"
 * (`chmod +x` sets x for all but not through the umask's bits), as a shell's default umask and a
 * container's RUN both have it.
 */
import path from 'node:path';
import type { HostOperation } from '../model/flow.js';

export type HostStep =
  | { readonly kind: 'mkdir'; readonly path: string }
  | { readonly kind: 'remove'; readonly path: string }
  | { readonly kind: 'move' | 'copy'; readonly from: string; readonly to: string }
  | { readonly kind: 'chmod'; readonly path: string; readonly mode: string; readonly recursive: boolean };

/** The ops replayed and modelled exactly; any other op on an artifact is not carried over. */
export const MODELLED_OPS: ReadonlySet<HostOperation['op']> = new Set(['mkdir', 'rm', 'mv', 'cp', 'chmod']);

/** The steps of one host operation; `isDir` says whether a path is a directory at that point. */
export function hostSteps(
  op: Pick<HostOperation, 'op' | 'paths' | 'mode' | 'recursive'>,
  isDir: (p: string) => boolean,
): HostStep[] {
  const { paths } = op;
  switch (op.op) {
    case 'mkdir':
      return paths.map((p) => ({ kind: 'mkdir', path: p }));
    case 'rm':
      return paths.map((p) => ({ kind: 'remove', path: p }));
    case 'chmod':
      return op.mode === null
        ? []
        : paths.map((p) => ({ kind: 'chmod', path: p, mode: op.mode!, recursive: op.recursive }));
    case 'mv':
    case 'cp': {
      if (paths.length < 2) return [];
      const dest = paths[paths.length - 1]!;
      const into = paths.length > 2 || isDir(dest);
      return paths.slice(0, -1).map((from) => ({
        kind: op.op === 'mv' ? 'move' : 'copy',
        from,
        to: into ? path.join(dest, path.basename(from)) : dest,
      }));
    }
    default:
      return [];
  }
}

/**
 * What a modelled operation needs and leaves, before knowing which paths are directories: the
 * paths it reads (the sources of `mv`/`cp`, the paths of `chmod`), which must exist, and the paths
 * it makes (the directories of `mkdir`, the destination of `mv`/`cp`), below which later
 * operations may read.
 */
export function hostPaths(op: Pick<HostOperation, 'op' | 'paths'>): { reads: string[]; makes: string[] } {
  const { paths } = op;
  switch (op.op) {
    case 'mv':
    case 'cp':
      return paths.length < 2
        ? { reads: [], makes: [] }
        : { reads: paths.slice(0, -1), makes: [paths[paths.length - 1]!] };
    case 'chmod':
      return { reads: [...paths], makes: [] };
    case 'mkdir':
      return { reads: [], makes: [...paths] };
    default:
      return { reads: [], makes: [] };
  }
}

const UMASK = 0o022;
const NUMERIC = /^[0-7]{1,4}$/;
const CLAUSE = /^([ugoa]*)([-+=])([rwxXst]*|[ugo])$/;

/** Whether chmod accepts the mode operand (numeric, or symbolic clauses like `u+x,go-w`). */
export function isMode(spec: string): boolean {
  return NUMERIC.test(spec) || spec.split(',').every((c) => CLAUSE.test(c));
}

/** The permission bits (and setuid/setgid/sticky) a chmod mode gives a file with mode `old`. */
export function applyMode(spec: string, old: number, isDirectory: boolean): number {
  if (NUMERIC.test(spec)) return parseInt(spec, 8);
  let mode = old & 0o7777;
  for (const clause of spec.split(',')) {
    const m = CLAUSE.exec(clause);
    if (!m) throw new Error(`not a chmod mode: ${spec}`);
    const who = m[1]!.replace('a', 'ugo');
    const masked = who === '';
    const whoMask = (masked ? 'ugo' : who)
      .split('')
      .reduce((acc, w) => acc | (w === 'u' ? 0o4700 : w === 'g' ? 0o2070 : 0o1007), 0);
    let bits = 0;
    const perms = m[3]!;
    if (/^[ugo]$/.test(perms)) {
      const shift = perms === 'u' ? 6 : perms === 'g' ? 3 : 0;
      const p = (mode >> shift) & 7;
      bits = (p << 6) | (p << 3) | p;
    } else {
      for (const c of perms) {
        if (c === 'r') bits |= 0o444;
        if (c === 'w') bits |= 0o222;
        if (c === 'x' || (c === 'X' && (isDirectory || (old & 0o111) !== 0))) bits |= 0o111;
        if (c === 's') bits |= 0o6000;
        if (c === 't') bits |= 0o1000;
      }
    }
    bits &= whoMask;
    if (masked) bits &= ~UMASK | 0o7000;
    if (m[2] === '+') mode |= bits;
    else if (m[2] === '-') mode &= ~bits;
    else mode = (mode & ~(whoMask & 0o777)) | bits;
  }
  return mode;
}

/**
 * One member of a tar stream: the container path it holds and the name the archive gives it,
 * which is where `tar -x` writes it below its directory. `.` is the content of the directory
 * (`tar -c -C /dir .`, `docker cp C:/dir/. -`): containerPath then ends in `/.`, as a
 * `docker cp c:/dir/. dest` copy out does.
 */
export interface TarEntry {
  readonly containerPath: string;
  readonly name: string;
  /**
   * The operand, normalized, when tar read it relative to the image's WORKDIR (no `-C`, no `-w`):
   * containerPath then holds it taken from `/`, and the analysis resolves it against the WORKDIR
   * the Dockerfile gives (src/analyze/stdout.ts), as for a relative `cat PATH`.
   */
  readonly relative?: string;
}

/**
 * The entry `tar -c` makes of an operand: relative to the `-C` directory in effect, else to the
 * working directory (`workdir`, null when unknown). GNU tar and busybox tar drop a leading `/`
 * from the name (`tar -c /app/bin` holds `app/bin`). A string says why the member is not knowable.
 */
export function tarCreateEntry(operand: string, dir: string | null, workdir: string | null): TarEntry | string {
  if (operand === '' || operand.split('/').includes('..'))
    return `the member \`${operand}\` climbs out of its directory with \`..\``;
  const base = operand.startsWith('/') ? '/' : (dir ?? workdir);
  if (base !== null && !base.startsWith('/')) return `the directory \`${dir}\` is relative`;
  const name = path.posix.normalize(operand).replace(/^\/+/, '').replace(/\/+$/, '') || '.';
  if (base === null)
    return {
      containerPath: name === '.' ? '/.' : path.posix.join('/', name),
      name,
      relative: name,
    };
  const abs = path.posix.normalize(path.posix.join(base, operand)).replace(/(.)\/+$/, '$1');
  if (abs === '/')
    return 'the stream holds the whole file system of the container (with /proc, /sys and /dev as it runs)';
  if (name === '.') return { containerPath: `${abs}/.`, name };
  return { containerPath: abs, name };
}

/** The entry `docker cp C:/p -` streams: p under its own name (a directory with its content), or `p/.` as `.`. */
export function cpStreamEntry(containerPath: string): TarEntry | string {
  if (containerPath === '/' || containerPath === '/.') return 'the stream holds the whole file system of the container';
  if (containerPath.endsWith('/.')) return { containerPath, name: '.' };
  return { containerPath, name: path.posix.basename(containerPath) };
}

/**
 * Where `tar -x -C into` puts each entry (as root, which keeps the archive's modes and owners):
 * `.` merges the content into `into`, which must exist; `a/b` lands at `into/a/b`, tar making the
 * directories above it. The same copies a `docker cp` of each entry makes into a path that does
 * not exist yet (test/e2e/routes-tar.test.ts).
 */
export function tarExtraction(
  entries: readonly TarEntry[],
  into: string,
): (TarEntry & { readonly hostPath: string })[] {
  return entries.map((e) => ({ ...e, hostPath: e.name === '.' ? into : path.join(into, e.name) }));
}
