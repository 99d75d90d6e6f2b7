/**
 * A `tar` command line, read the way GNU tar and busybox tar read it, for the two ends of a tar
 * stream restage migrates: `tar -c` in a container writing to standard output, and `tar -x` on the
 * host reading a pipe or a file. Only the options whose effect on what lands where is known are
 * accepted; anything else is returned as `refused` with why, and the caller declines the line.
 *
 * Forms read: `-czf -`, `czf -` (the old form: bundled letters without a dash as first word),
 * `--create`/`--extract`/`--gzip`/`--file=F`/`--file F`/`--directory=D`/`-C D`, `-v`. Members:
 * each operand after the options; `-C DIR` applies to the operands after it (GNU tar's rule).
 */

export interface TarMemberSpec {
  /** The operand as written. */
  readonly operand: string;
  /** The `-C` directory in effect for it (as written), or null. */
  readonly dir: string | null;
}

export interface TarCommand {
  readonly mode: 'create' | 'extract' | null;
  readonly gzip: boolean;
  /** `-J`/`--xz` and `-j`/`--bzip2`, read only when the caller accepts them (a host archive file). */
  readonly xz?: boolean;
  readonly bzip2?: boolean;
  /** `-f`'s value as written; null when not given (then tar reads or writes standard input/output). */
  readonly file: string | null;
  /** The last `-C` (where `-x` extracts), as written. */
  readonly directory: string | null;
  readonly members: readonly TarMemberSpec[];
  /** The first option restage does not model, with why; null when every word is understood. */
  readonly refused: { readonly word: number; readonly why: string } | null;
}

/** Options that change nothing restage compares (verbosity), or say what root's tar -x does anyway. */
const HARMLESS_LONG = new Set([
  'verbose',
  'no-same-owner',
  'same-owner',
  'same-permissions',
  'preserve-permissions',
  'numeric-owner',
]);
const HARMLESS_SHORT = new Set(['v', 'p']);

const WHY_LONG: Readonly<Record<string, string>> = {
  exclude: 'leaves out members by a pattern restage does not evaluate',
  transform: 'renames members by an expression restage does not evaluate',
  xform: 'renames members by an expression restage does not evaluate',
  'strip-components': 'drops leading path parts of the members',
  'no-same-permissions': 'applies the umask to the members’ modes',
  'files-from': 'reads the member list from a file restage does not read',
  dereference: 'follows symlinks into the archive',
  bzip2: 'compresses with bzip2 (restage reads gzip only)',
  xz: 'compresses with xz (restage reads gzip only)',
  zstd: 'compresses with zstd (restage reads gzip only)',
  'auto-compress': 'picks a compression from the file name',
  owner: 'records another owner for the members',
  group: 'records another group for the members',
  mode: 'records other modes for the members',
  touch: 'gives the members the extraction time as mtime',
};
const WHY_SHORT: Readonly<Record<string, string>> = {
  j: 'compresses with bzip2 (restage reads gzip only)',
  J: 'compresses with xz (restage reads gzip only)',
  a: 'picks a compression from the file name',
  h: 'follows symlinks into the archive',
  T: 'reads the member list from a file restage does not read',
  X: 'leaves out the members a file lists',
  m: 'gives the members the extraction time as mtime',
  k: 'keeps files that already exist instead of replacing them',
  t: 'lists the archive instead of extracting it',
  r: 'appends to an archive',
  u: 'appends to an archive',
  O: 'extracts to standard output',
};

/**
 * Parses the words after `tar`. `compressions`: `-J`/`--xz` and `-j`/`--bzip2` are read (a host
 * file unpacked in the image by the same options) instead of refused.
 */
export function parseTar(words: readonly string[], compressions = false): TarCommand {
  let mode: TarCommand['mode'] = null;
  let gzip = false;
  let xz = false;
  let bzip2 = false;
  let file: string | null = null;
  let directory: string | null = null;
  const members: TarMemberSpec[] = [];
  let refused: TarCommand['refused'] = null;
  const refuse = (word: number, why: string) => {
    refused ??= { word, why };
  };
  let optionsEnd = false;
  let i = 0;
  // The old form: `tar czf - dir` bundles letters in the first word, and their values follow in order.
  const pendingValues: string[] = [];
  const takeShort = (letters: string, at: number, old: boolean): void => {
    for (let k = 0; k < letters.length; k++) {
      const c = letters[k]!;
      if (c === 'c') mode = mode === 'extract' ? mode : 'create';
      else if (c === 'x') mode = mode === 'create' ? mode : 'extract';
      else if (c === 'z') gzip = true;
      else if (compressions && c === 'J') xz = true;
      else if (compressions && c === 'j') bzip2 = true;
      else if (HARMLESS_SHORT.has(c)) continue;
      else if (c === 'f' || c === 'C') {
        if (old) {
          pendingValues.push(c);
          continue;
        }
        const rest = letters.slice(k + 1);
        const value = rest !== '' ? rest : words[++i];
        if (value === undefined) return refuse(at, `-${c} needs a value`);
        if (c === 'f') file = value;
        else directory = value;
        return;
      } else return refuse(at, WHY_SHORT[c] ?? `-${c} is an option restage does not model`);
    }
  };
  for (; i < words.length; i++) {
    const w = words[i]!;
    if (pendingValues.length > 0) {
      const letter = pendingValues.shift()!;
      if (letter === 'f') file = w;
      else directory = w;
      continue;
    }
    if (optionsEnd || (!w.startsWith('-') && !(i === 0 && /^[a-zA-Z]+$/.test(w) && /[cx]/.test(w)))) {
      members.push({ operand: w, dir: directory });
      continue;
    }
    if (i === 0 && !w.startsWith('-')) {
      takeShort(w, i, true);
      continue;
    }
    if (w === '--') {
      optionsEnd = true;
      continue;
    }
    if (w.startsWith('--')) {
      const eq = w.indexOf('=');
      const name = w.slice(2, eq < 0 ? undefined : eq);
      const inline = eq < 0 ? null : w.slice(eq + 1);
      if (name === 'create') mode = 'create';
      else if (name === 'extract' || name === 'get') mode = 'extract';
      else if (name === 'gzip' || name === 'gunzip' || name === 'ungzip') gzip = true;
      else if (compressions && name === 'xz') xz = true;
      else if (compressions && name === 'bzip2') bzip2 = true;
      else if (HARMLESS_LONG.has(name)) continue;
      else if (name === 'file' || name === 'directory') {
        const value = inline ?? words[++i];
        if (value === undefined) {
          refuse(i, `--${name} needs a value`);
          continue;
        }
        if (name === 'file') file = value;
        else directory = value;
      } else refuse(i, WHY_LONG[name] ?? `--${name} is an option restage does not model`);
      continue;
    }
    if (w === '-') {
      members.push({ operand: w, dir: directory });
      continue;
    }
    takeShort(w.slice(1), i, false);
  }
  if (pendingValues.length > 0) refuse(0, `-${pendingValues[0]} needs a value`);
  return { mode, gzip, ...(compressions ? { xz, bzip2 } : {}), file, directory, members, refused };
}

/** Whether a member operand names paths by a pattern (`*.so`, `bin/?`, `[ab]`): the members are then not knowable. */
export function isPattern(operand: string): boolean {
  return /[*?[]/.test(operand);
}
