import test from 'ava';
import { differ } from '../../../src/verify/differs/files.js';
import { ColumnManifest } from '../../../src/verify/manifest/manifest.js';
import { readManifest } from '../../../src/verify/manifest/read.js';
import {
  defaultCompareOptions,
  type CompareOptions,
  type Difference,
  type FileEntry,
  type Manifest,
} from '../../../src/verify/model.js';
import { device, dir, file, hardlink, sha256, side, symlink } from '../helpers/facts.js';
import { chunkedStream, tarArchive, type TarSpec } from '../helpers/tar-writer.js';

interface Case {
  readonly legacy: readonly FileEntry[];
  readonly migrated: readonly FileEntry[];
  readonly options?: Partial<CompareOptions>;
}

/** Expected findings in order; each is matched with t.like, so a case states only what it is about. */
const diff = test.macro((t, { legacy, migrated, options }: Case, expected: readonly Partial<Difference>[]) => {
  const found = differ.compare(side({ entries: legacy }), side({ entries: migrated }), {
    ...defaultCompareOptions,
    ...options,
  });
  t.deepEqual(
    found.map((d) => `${d.subject} ${d.field}`),
    expected.map((d) => `${d.subject} ${d.field}`),
  );
  expected.forEach((want, i) => t.like(found[i], { aspect: 'files', kind: 'difference', ...want }));
});

const tree = [dir('/'), dir('/app'), file('/app/tool', 'bin', { mode: 0o755 }), symlink('/app/current', 'tool')];

test('identical trees', diff, { legacy: tree, migrated: tree }, []);

test('a path on one side only', diff, { legacy: [...tree, file('/app/extra', 'e')], migrated: tree }, [
  {
    subject: '/app/extra',
    field: 'presence',
    legacy: 'regular file 0644 0:0 1 B',
    migrated: null,
    message: '/app/extra: regular file only in the legacy image',
  },
]);

test(
  'a directory on one side only is reported once, with what lies below it',
  diff,
  {
    legacy: tree,
    migrated: [...tree, dir('/opt'), dir('/opt/sdk'), file('/opt/sdk/a'), file('/opt/sdk/b'), file('/stray')],
  },
  [
    {
      subject: '/opt',
      field: 'presence',
      legacy: null,
      message: '/opt: directory only in the migrated image (with 3 entries below it)',
    },
    { subject: '/stray', field: 'presence' },
  ],
);

test('type', diff, { legacy: [file('/app/run', 'x')], migrated: [symlink('/app/run', 'x')] }, [
  {
    subject: '/app/run',
    field: 'type',
    legacy: 'regular file',
    migrated: 'symbolic link',
    message: '/app/run: symbolic link in the migrated image, regular file in the legacy one',
  },
]);

test(
  'permission bits',
  diff,
  { legacy: [file('/app/run.sh', 'x', { mode: 0o644 })], migrated: [file('/app/run.sh', 'x', { mode: 0o755 })] },
  [
    {
      subject: '/app/run.sh',
      field: 'mode',
      legacy: '0644',
      migrated: '0755',
      message: '/app/run.sh: mode 0755 in the migrated image, 0644 in the legacy one',
    },
  ],
);

test(
  'setuid, setgid and sticky are named',
  diff,
  {
    legacy: [
      file('/usr/bin/su', 's', { mode: 0o4755 }),
      file('/usr/bin/wall', 'w', { mode: 0o755 }),
      dir('/tmp', { mode: 0o1777 }),
    ],
    migrated: [
      file('/usr/bin/su', 's', { mode: 0o755 }),
      file('/usr/bin/wall', 'w', { mode: 0o2755 }),
      dir('/tmp', { mode: 0o777 }),
    ],
  },
  [
    {
      subject: '/tmp',
      field: 'sticky',
      legacy: true,
      migrated: false,
      message: '/tmp: sticky not set in the migrated image, set in the legacy one',
    },
    { subject: '/usr/bin/su', field: 'setuid', legacy: true, migrated: false },
    { subject: '/usr/bin/wall', field: 'setgid', legacy: false, migrated: true },
  ],
);

test(
  'owner',
  diff,
  { legacy: [file('/app/bin/tool', 't')], migrated: [file('/app/bin/tool', 't', { uid: 1000, gid: 1000 })] },
  [
    {
      subject: '/app/bin/tool',
      field: 'owner',
      legacy: '0:0',
      migrated: '1000:1000',
      message: '/app/bin/tool: owner 1000:1000 in the migrated image, 0:0 in the legacy one',
    },
  ],
);

test(
  'a size difference says it, without a content finding',
  diff,
  { legacy: [file('/f', 'short')], migrated: [file('/f', 'longer')] },
  [
    {
      subject: '/f',
      field: 'size',
      legacy: 5,
      migrated: 6,
      message: '/f: 6 bytes in the migrated image, 5 in the legacy one',
    },
  ],
);

test('same size, other content', diff, { legacy: [file('/f', 'aaaa')], migrated: [file('/f', 'bbbb')] }, [
  { subject: '/f', field: 'sha256', legacy: sha256('aaaa'), migrated: sha256('bbbb') },
]);

test(
  'symlink targets; symlink modes are never compared',
  diff,
  {
    legacy: [symlink('/lib64', 'usr/lib64', { mode: 0o777 })],
    migrated: [symlink('/lib64', '/usr/lib64', { mode: 0o755 })],
  },
  [
    {
      subject: '/lib64',
      field: 'linkTarget',
      message: '/lib64: link to /usr/lib64 in the migrated image, usr/lib64 in the legacy one',
    },
  ],
);

test('device numbers', diff, { legacy: [device('/dev0', 'char', 1, 3)], migrated: [device('/dev0', 'char', 1, 5)] }, [
  { subject: '/dev0', field: 'device', legacy: '1:3', migrated: '1:5' },
]);

test(
  'a hard link and a copy with the same content differ only in grouping, reported once',
  diff,
  {
    legacy: [file('/bin/a', 'x'), hardlink('/bin/b', '/bin/a', 'x')],
    migrated: [file('/bin/a', 'x'), file('/bin/b', 'x')],
  },
  [
    {
      subject: '/bin/a',
      field: 'hardlinks',
      legacy: '/bin/b',
      migrated: null,
      message: '/bin/a: not hard-linked in the migrated image, hard-linked with /bin/b in the legacy one',
    },
  ],
);

test(
  'the same groups with another first member are equal',
  diff,
  {
    legacy: [file('/bin/a', 'x'), hardlink('/bin/b', '/bin/a', 'x')],
    migrated: [file('/bin/b', 'x'), hardlink('/bin/a', '/bin/b', 'x')],
  },
  [],
);

test(
  'mtimes are ignored by default, files and directories alike',
  diff,
  {
    legacy: [dir('/app', { mtime: 1 }), file('/app/x', 'x', { mtime: 1 })],
    migrated: [dir('/app', { mtime: 2 }), file('/app/x', 'x', { mtime: 2 })],
  },
  [],
);

test(
  'strictMtime compares them',
  diff,
  {
    legacy: [dir('/app', { mtime: 0 }), file('/app/x', 'x', { mtime: 0 })],
    migrated: [dir('/app', { mtime: 86_400 }), file('/app/x', 'x', { mtime: 0 })],
    options: { strictMtime: true },
  },
  [
    {
      subject: '/app',
      field: 'mtime',
      message:
        '/app: modified 1970-01-02T00:00:00.000Z in the migrated image, 1970-01-01T00:00:00.000Z in the legacy one',
    },
  ],
);

test(
  'ignored paths are left out on both sides',
  diff,
  {
    legacy: [file('/var/log/a.log', 'a'), file('/app/x', 'x')],
    migrated: [file('/var/log/b.log', 'b'), file('/app/x', 'y')],
    options: { ignore: ['/var/log/**'] },
  },
  [{ subject: '/app/x', field: 'sha256' }],
);

const LINKED_INTO_LOGS = [
  file('/bin/a', 'x'),
  hardlink('/bin/b', '/bin/a', 'x'),
  hardlink('/var/log/c', '/bin/a', 'x'),
  file('/var/log/root', 'r'),
  hardlink('/bin/d', '/var/log/root', 'r'),
  hardlink('/bin/e', '/var/log/root', 'r'),
];
const LINKED_APART = [
  file('/bin/a', 'x'),
  hardlink('/bin/b', '/bin/a', 'x'),
  file('/bin/d', 'r'),
  hardlink('/bin/e', '/bin/d', 'r'),
];

test(
  'an ignored path is no member of a hard-link group, nor its root',
  diff,
  { legacy: LINKED_INTO_LOGS, migrated: LINKED_APART, options: { ignore: ['/var/log/**'] } },
  [],
);

test('the same groups compared with nothing ignored', diff, { legacy: LINKED_INTO_LOGS, migrated: LINKED_APART }, [
  { subject: '/bin/a', field: 'hardlinks', legacy: '/bin/b, /var/log/c', migrated: '/bin/b' },
  { subject: '/bin/d', field: 'hardlinks' },
  { subject: '/var/log/c', field: 'presence' },
  { subject: '/var/log/root', field: 'presence' },
]);

test(
  'several facets of one path are all reported, in a fixed order',
  diff,
  {
    legacy: [file('/app/tool', 'aa', { mode: 0o4755, uid: 0 })],
    migrated: [file('/app/tool', 'bbb', { mode: 0o700, uid: 1000, gid: 1000 })],
  },
  [
    { subject: '/app/tool', field: 'mode' },
    { subject: '/app/tool', field: 'setuid' },
    { subject: '/app/tool', field: 'owner' },
    { subject: '/app/tool', field: 'size' },
  ],
);

// ---- the migrated manifest folded into the legacy one while it streams (readManifest's `fold`) ----

const LEGACY_TAR: readonly TarSpec[] = [
  { name: './', type: '5' },
  { name: './app/', type: '5' },
  { name: './app/tool', data: 'bin', mode: 0o755 },
  { name: './app/conf', data: 'a=1' },
  { name: './app/tool-link', type: '1', linkName: './app/tool' },
  { name: './app/current', type: '2', linkName: 'tool' },
  { name: './app/legacy-only', data: 'old' },
];

/** How many entries of a folded manifest are the other manifest's records. */
const shared = (manifest: Manifest): number => (manifest instanceof ColumnManifest ? manifest.shared : 0);

/** Both manifests, the migrated one read with `fold`, and the findings with and without folding. */
async function foldedPair(migratedTar: readonly TarSpec[]) {
  const read = (specs: readonly TarSpec[], fold?: Manifest) =>
    readManifest(chunkedStream(tarArchive(specs), 700), fold ? { fold } : {});
  const legacy = await read(LEGACY_TAR);
  const migrated = await read(migratedTar, legacy);
  const plain = await read(migratedTar);
  const compare = (m: Manifest) =>
    differ.compare({ ...side(), manifest: legacy }, { ...side(), manifest: m }, defaultCompareOptions);
  return { legacy, migrated, folded: compare(migrated), unfolded: compare(plain) };
}

test('fold: equal entries are one record for both sides, and compare as equal', async (t) => {
  const { legacy, migrated, folded, unfolded } = await foldedPair(LEGACY_TAR);
  t.is(shared(migrated), legacy.entries.size);
  for (const [path, entry] of migrated.entries) t.deepEqual(entry, legacy.entries.get(path), path);
  t.deepEqual(folded, []);
  t.deepEqual(folded, unfolded);
});

test('fold: an entry that differs keeps its own record and is still reported', async (t) => {
  const changed = LEGACY_TAR.map((s) => (s.name === './app/conf' ? { ...s, data: 'a=2' } : s));
  const { legacy, migrated, folded, unfolded } = await foldedPair(changed);
  t.is(migrated.entries.get('/app/conf')?.sha256, sha256('a=2'));
  t.is(shared(migrated), legacy.entries.size - 1);
  t.deepEqual(
    folded.map((d) => `${d.subject} ${d.field}`),
    ['/app/conf sha256'],
  );
  t.deepEqual(folded, unfolded);
});

test('fold: entries on one side only are reported as before', async (t) => {
  const specs = [...LEGACY_TAR.filter((s) => s.name !== './app/legacy-only'), { name: './app/new', data: 'n' }];
  const { migrated, folded, unfolded } = await foldedPair(specs);
  t.false(migrated.entries.has('/app/legacy-only'));
  t.deepEqual(
    folded.map((d) => `${d.subject} ${d.field} ${d.legacy === null ? 'migrated' : 'legacy'}`),
    ['/app/legacy-only presence legacy', '/app/new presence migrated'],
  );
  t.deepEqual(folded, unfolded);
});

test('fold: archive order does not matter; a changed hard-link grouping is still reported', async (t) => {
  const reordered = [...LEGACY_TAR].reverse().filter((s) => s.type !== '1');
  const specs = [...reordered, { name: './app/tool-link', data: 'bin' }];
  const { legacy, migrated, folded, unfolded } = await foldedPair(specs);
  // Every entry but the link, now a file of its own, is shared (the group's first member is a plain file on both sides).
  t.is(shared(migrated), legacy.entries.size - 1);
  t.deepEqual(
    folded.map((d) => `${d.subject} ${d.field}`),
    ['/app/tool hardlinks'],
  );
  t.deepEqual(folded, unfolded);
});
