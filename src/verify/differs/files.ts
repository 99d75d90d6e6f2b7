/**
 * Files: the two root file systems, entry by entry.
 *
 * Compared for every path present on both sides: type, permission bits, setuid/setgid/sticky
 * (by name, as test/e2e/verify.test.ts shows with dir-artifact.setuid-lost), owner (uid:gid: a COPY
 * from the context makes files 0:0, COPY --from keeps the stage's owner, dir-artifact.no-chown there),
 * size and sha256 of content, symlink target, device numbers, hard-link grouping.
 * Not compared: symlink permission bits (Linux ignores them), and mtimes unless `strictMtime`
 * (files made in a build stage and directories COPY/WORKDIR touch always get new ones).
 * A hard link and a regular file are the same type here: the content is compared, and whether
 * paths share it is the 'hardlinks' facet.
 * A path present on one side only is reported once for its topmost such directory, with a count
 * of what lies below it.
 */
import { globMatcher } from '../../shared/glob.js';
import { comparePaths, parentOf } from '../../shared/paths.js';
import type { CompareOptions, Differ, FileEntry, FileType, Manifest } from '../model.js';
import { stamp, type Finding } from './support/finding.js';
import { bytes, contrast, octal } from './support/format.js';

type Side = 'legacy' | 'migrated';
const difference = stamp('files', 'difference');

const TYPE_NAMES: Readonly<Record<FileType, string>> = {
  file: 'regular file',
  hardlink: 'regular file',
  dir: 'directory',
  symlink: 'symbolic link',
  char: 'character device',
  block: 'block device',
  fifo: 'FIFO',
};

/** One facet of an entry compared on both sides; undefined when equal or not applicable. */
type Facet = (legacy: FileEntry, migrated: FileEntry, options: CompareOptions) => Finding | undefined;

interface Wording {
  /** Put before the migrated value only: "mode 0755 in the migrated image, 0644 in the legacy one". */
  readonly prefix?: string;
  /** Put after the migrated value only: "6 bytes in the migrated image, 5 in the legacy one". */
  readonly suffix?: string;
  /** How a value reads in the message (the finding keeps it whole). */
  readonly show?: (value: string) => string;
  /** Rules the facet out for a pair of entries. */
  readonly applies?: (legacy: FileEntry, migrated: FileEntry, options: CompareOptions) => boolean;
}

/** A facet comparing one rendered value per entry; `render` returns undefined where it does not apply to an entry. */
function facet(field: string, render: (entry: FileEntry) => string | number | undefined, wording: Wording = {}): Facet {
  const { prefix = '', suffix = '', show = (value: string) => value, applies = () => true } = wording;
  return (legacy, migrated, options) => {
    if (!applies(legacy, migrated, options)) return undefined;
    const [l, m] = [render(legacy), render(migrated)];
    if (l === undefined || m === undefined || l === m) return undefined;
    const message = `${legacy.path}: ${contrast(`${prefix}${show(String(m))}${suffix}`, show(String(l)))}`;
    return { subject: legacy.path, field, legacy: l, migrated: m, message };
  };
}

/** setuid, setgid, sticky: reported by name, as a present/absent flag. */
function specialBit(name: string, bit: number): Facet {
  return (legacy, migrated) => {
    const [l, m] = [(legacy.mode & bit) !== 0, (migrated.mode & bit) !== 0];
    if (l === m) return undefined;
    const state = (set: boolean): string => (set ? 'set' : 'not set');
    return {
      subject: legacy.path,
      field: name,
      legacy: l,
      migrated: m,
      message: `${legacy.path}: ${contrast(`${name} ${state(m)}`, state(l))}`,
    };
  };
}

const isContent = (entry: FileEntry): boolean => entry.type === 'file' || entry.type === 'hardlink';

/** Compared in this order, once the types agree. */
const FACETS: readonly Facet[] = [
  facet('mode', (e) => (e.type === 'symlink' ? undefined : octal(e.mode & 0o777)), { prefix: 'mode ' }),
  specialBit('setuid', 0o4000),
  specialBit('setgid', 0o2000),
  specialBit('sticky', 0o1000),
  facet('owner', (e) => `${e.uid}:${e.gid}`, { prefix: 'owner ' }),
  facet('size', (e) => (isContent(e) ? e.size : undefined), { suffix: ' bytes' }),
  // Content is named only when the sizes agree: a size difference already says it.
  facet('sha256', (e) => (isContent(e) ? e.sha256 : undefined), {
    prefix: 'content sha256 ',
    show: (value) => `${value.slice(0, 12)}…`,
    applies: (l, m) => l.size === m.size,
  }),
  facet('linkTarget', (e) => e.linkTarget, { prefix: 'link to ' }),
  facet('device', (e) => (e.device ? `${e.device.major}:${e.device.minor}` : undefined), { prefix: 'device ' }),
  facet('mtime', (e) => new Date(e.mtime * 1000).toISOString(), {
    prefix: 'modified ',
    applies: (_l, _m, options) => options.strictMtime,
  }),
];

const typeFacet = facet('type', (e) => TYPE_NAMES[e.type]);

function compareEntry(legacy: FileEntry, migrated: FileEntry, options: CompareOptions): Finding[] {
  const typeMismatch = typeFacet(legacy, migrated, options);
  if (typeMismatch) return [typeMismatch];
  return FACETS.map((compare) => compare(legacy, migrated, options)).filter(
    (found): found is Finding => found !== undefined,
  );
}

function describe(entry: FileEntry): string {
  const parts = [TYPE_NAMES[entry.type], octal(entry.mode), `${entry.uid}:${entry.gid}`];
  if (isContent(entry)) parts.push(bytes(entry.size));
  if (entry.linkTarget !== undefined) parts.push(`→ ${entry.linkTarget}`);
  return parts.join(' ');
}

/**
 * What the differ reads of one side: its visible paths (the `ignore` globs applied as it goes,
 * so no filtered copy is made) and entries made only when asked for.
 */
interface View {
  readonly manifest: Manifest;
  readonly visible: (path: string) => boolean;
  readonly paths: () => Iterable<string>;
  readonly get: (path: string) => FileEntry | undefined;
}

function view(manifest: Manifest, ignore: readonly string[]): View {
  const ignored = ignore.length === 0 ? () => false : globMatcher(ignore);
  const visible = (path: string): boolean => !ignored(path);
  return {
    manifest,
    visible,
    paths: function* () {
      for (const path of manifest.entries.keys()) if (visible(path)) yield path;
    },
    get: (path) => (visible(path) ? manifest.entries.get(path) : undefined),
  };
}

const has = (side: View, path: string): boolean => side.visible(path) && side.manifest.entries.has(path);

function onlyOn(side: Side, mine: View, other: View): Finding[] {
  const only: string[] = [];
  for (const path of mine.paths()) if (!has(other, path)) only.push(path);
  only.sort(comparePaths);
  const onlySet = new Set(only);
  const below = new Map<string, number>();
  const tops: string[] = [];
  for (const path of only) {
    let top: string | undefined;
    for (let dir = path; dir !== '/';) {
      dir = parentOf(dir);
      if (onlySet.has(dir)) top = dir;
    }
    if (top === undefined) tops.push(path);
    else below.set(top, (below.get(top) ?? 0) + 1);
  }
  return tops.map((path) => {
    const entry = mine.get(path) as FileEntry;
    const count = below.get(path) ?? 0;
    const tail = count > 0 ? ` (with ${count} ${count === 1 ? 'entry' : 'entries'} below it)` : '';
    return {
      subject: path,
      field: 'presence',
      legacy: side === 'legacy' ? describe(entry) : null,
      migrated: side === 'migrated' ? describe(entry) : null,
      message: `${path}: ${TYPE_NAMES[entry.type]} only in the ${side} image${tail}`,
    };
  });
}

/** path → the other paths sharing its content, for members of groups of two or more. */
function linkPeers(side: View): Map<string, string[]> {
  // Only entries that link or are linked to can be in a group: no list per plain file.
  const groups = new Map<string, string[]>();
  const join = (root: string, entry: FileEntry | undefined): void => {
    if (entry === undefined || !isContent(entry)) return;
    const members = groups.get(root);
    if (members) members.push(entry.path);
    else groups.set(root, [entry.path]);
  };
  const linked = new Set<string>();
  for (const [path, to] of side.manifest.hardlinks()) {
    if (!side.visible(path)) continue;
    linked.add(to);
    join(to, side.get(path));
  }
  for (const root of linked) {
    const entry = side.get(root);
    if (entry?.hardlinkTo === undefined) join(root, entry);
  }
  const peers = new Map<string, string[]>();
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    for (const member of members) peers.set(member, members.filter((other) => other !== member).sort(comparePaths));
  }
  return peers;
}

/**
 * One finding per set of paths involved (both sides' groups of a path together), named after
 * its first path: a group split in two is one finding, not one per member.
 */
function hardlinkFindings(legacy: View, migrated: View): Finding[] {
  const [legacyPeers, migratedPeers] = [linkPeers(legacy), linkPeers(migrated)];
  // A path in no group on either side has the same (no) peers on both: only group members can differ.
  const common = [...new Set([...legacyPeers.keys(), ...migratedPeers.keys()])]
    .filter((path) => has(legacy, path) && has(migrated, path))
    .sort(comparePaths);
  const seen = new Set<string>();
  const findings: Finding[] = [];
  const phrase = (peers: readonly string[]): string =>
    peers.length ? `hard-linked with ${peers.join(', ')}` : 'not hard-linked';
  for (const path of common) {
    const l = legacyPeers.get(path) ?? [];
    const m = migratedPeers.get(path) ?? [];
    if (l.join('\n') === m.join('\n')) continue;
    const key = [...new Set([path, ...l, ...m])].sort(comparePaths).join('\n');
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push({
      subject: path,
      field: 'hardlinks',
      legacy: l.length ? l.join(', ') : null,
      migrated: m.length ? m.join(', ') : null,
      message: `${path}: ${contrast(phrase(m), phrase(l))}`,
    });
  }
  return findings;
}

/** Findings of the paths on both sides; equal entries are told apart from their columns, without making them. */
function commonFindings(legacy: View, migrated: View, options: CompareOptions): Finding[] {
  const findings: Finding[] = [];
  for (const path of legacy.paths()) {
    if (!has(migrated, path) || legacy.manifest.equalAt(migrated.manifest, path)) continue;
    findings.push(...compareEntry(legacy.get(path) as FileEntry, migrated.get(path) as FileEntry, options));
  }
  return findings;
}

export const differ: Differ = {
  id: 'files',
  title: 'Files',
  compare(legacySide, migratedSide, options) {
    const legacy = view(legacySide.manifest, options.ignore);
    const migrated = view(migratedSide.manifest, options.ignore);
    const findings = [
      ...onlyOn('legacy', legacy, migrated),
      ...onlyOn('migrated', migrated, legacy),
      ...commonFindings(legacy, migrated, options),
      ...hardlinkFindings(legacy, migrated),
    ];
    // Array.prototype.sort is stable: one path's findings keep the order above.
    return findings.sort((a, b) => comparePaths(a.subject, b.subject)).map(difference);
  },
};
