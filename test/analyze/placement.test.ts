/**
 * Placement on plain data: what a host path is as the script goes (an artifact, a directory made
 * or holding artifacts, removed, else what the snapshot says it was), and where host commands
 * move the artifacts; no directory on disk.
 */
import test from 'ava';
import { Placement } from '../../src/analyze/placement.js';
import type { Artifact, HostKind, HostSnapshot } from '../../src/model/analysis.js';
import type { HostOperation } from '../../src/model/flow.js';

const AT = { file: 'build.sh', line: 1, column: 1 };

function host(kinds: Record<string, HostKind>): HostSnapshot {
  return { kinds: new Map(Object.entries(kinds)), dockerignores: new Map() };
}

function artifact(hostPath: string, contentOnly = false): Artifact {
  return {
    id: 1,
    copyOut: {
      kind: 'copy-out',
      at: AT,
      container: 'c',
      containerPath: '/out',
      hostPath,
      followLink: false,
      via: 'cp',
      reader: null,
    },
    source: { kind: 'image', image: 'b:1' },
    containerPath: '/out',
    contentOnly,
    hostPath,
    modes: [],
    changes: [],
  };
}

function op(o: HostOperation['op'], paths: string[], mode: string | null = null): HostOperation {
  return {
    kind: 'host',
    at: AT,
    op: o,
    paths,
    command: `${o} ${paths.join(' ')}`,
    mode,
    recursive: false,
    undecidable: [],
  };
}

function placed(p: Placement, x: Artifact): void {
  p.place({ artifact: x, hostPath: x.hostPath, containerPath: x.containerPath, merged: false });
}

test('kindOf: what the snapshot says before the script touches a path; refused and unlisted paths are null', (t) => {
  const p = new Placement(host({ '/proj/src': 'dir', '/proj/go.mod': 'file', '/proj/out': 'refused' }), (x) => x);
  t.is(p.kindOf('/proj/src'), 'dir');
  t.is(p.kindOf('/proj/go.mod'), 'file');
  t.is(p.kindOf('/proj/out'), null);
  t.is(p.kindOf('/proj/none'), null);
});

test('kindOf: an artifact, a directory holding one, a made directory, a removed path', (t) => {
  const p = new Placement(host({ '/proj/src': 'dir' }), (x) => x);
  placed(p, artifact('/proj/bin/app'));
  t.is(p.kindOf('/proj/bin/app'), 'file');
  t.is(p.kindOf('/proj/bin'), 'dir');
  t.deepEqual(p.applyHost(op('mkdir', ['/proj/pkg'])), []);
  t.is(p.kindOf('/proj/pkg'), 'dir');
  p.applyHost(op('rm', ['/proj/src']));
  t.is(p.kindOf('/proj/src'), null);
});

test('mv into a directory the snapshot has: the artifact goes inside; to a path it lacks: the artifact is renamed', (t) => {
  const into = new Placement(host({ '/proj/dist': 'dir' }), (x) => x);
  placed(into, artifact('/proj/app'));
  into.applyHost(op('mv', ['/proj/app', '/proj/dist']));
  t.deepEqual(
    into.placed.map((x) => x.hostPath),
    ['/proj/dist/app'],
  );
  const renamed = new Placement(host({}), (x) => x);
  placed(renamed, artifact('/proj/app'));
  renamed.applyHost(op('mv', ['/proj/app', '/proj/dist']));
  t.deepEqual(
    renamed.placed.map((x) => x.hostPath),
    ['/proj/dist'],
  );
});

test('chmod on an artifact is recorded in its modes; an unmodelled command on it is RS308', (t) => {
  const p = new Placement(host({}), (x) => x);
  placed(p, artifact('/proj/app'));
  p.applyHost(op('chmod', ['/proj/app'], '755'));
  t.deepEqual(
    p.placed[0]!.artifact.modes.map((m) => m.mode),
    ['755'],
  );
  t.deepEqual(
    p.applyHost(op('other', ['/proj/app'])).map((d) => d.code),
    ['RS308'],
  );
});

/** The post-processing changes recorded on the placed artifacts, as shell words. */
const changes = (p: Placement) =>
  p.placed.map((x) =>
    x.artifact.changes.map((c) => ('argv' in c ? c.argv.join(' ') : `chmod ${c.mode} ${c.containerPath}`)),
  );

const written = (o: HostOperation, words: string[], recursive = false): HostOperation => ({
  ...o,
  written: words,
  recursive,
});

test('rm and mkdir strictly inside an extracted directory become changes on container paths; rm of the whole artifact removes it', (t) => {
  const p = new Placement(host({}), (x) => x);
  placed(p, artifact('/proj/out'));
  t.deepEqual(p.applyHost({ ...op('rm', ['/proj/out/docs']), recursive: true }), []);
  p.applyHost(op('mkdir', ['/proj/out/log', '/proj/elsewhere']));
  t.deepEqual(changes(p), [['rm -rf /out/docs', 'mkdir -p /out/log']]);
  t.is(p.kindOf('/proj/elsewhere'), 'dir', 'the mkdir outside the artifact is an ordinary step');
  p.applyHost(op('rm', ['/proj/out']));
  t.deepEqual(p.placed, []);
});

test('mv inside one extracted directory is a change, in order with chmod; a host file moved into it is RS352', (t) => {
  const p = new Placement(host({ '/proj/README': 'file' }), (x) => x);
  placed(p, artifact('/proj/out'));
  p.applyHost(op('mv', ['/proj/out/bin/a', '/proj/out/bin/b']));
  p.applyHost(op('chmod', ['/proj/out/bin/b'], '700'));
  t.deepEqual(changes(p), [['mv /out/bin/a /out/bin/b', 'chmod 700 /out/bin/b']]);
  t.deepEqual(
    p.applyHost(op('cp', ['/proj/README', '/proj/out/README'])).map((d) => d.code),
    ['RS352'],
  );
});

test('mv of a part out of an extracted directory makes it an artifact of its own and removes it from the directory', (t) => {
  const p = new Placement(host({}), (x) => x);
  placed(p, artifact('/proj/out'));
  p.applyHost(op('mv', ['/proj/out/bin/app', '/proj/app']));
  t.deepEqual(
    p.placed.map((x) => [x.hostPath, x.containerPath]),
    [
      ['/proj/out', '/out'],
      ['/proj/app', '/out/bin/app'],
    ],
  );
  t.deepEqual(changes(p)[0], ['rm -rf /out/bin/app']);
});

test('strip of an artifact is a change with its options; of another host file, nothing', (t) => {
  const p = new Placement(host({ '/proj/other': 'file' }), (x) => x);
  placed(p, artifact('/proj/app'));
  t.deepEqual(p.applyHost(written(op('strip', ['/proj/app', '/proj/other']), ['--strip-unneeded'])), []);
  t.deepEqual(changes(p), [['strip --strip-unneeded /out']]);
});

test('ln -s: a link inside an extracted directory is a change with the target as written; a link elsewhere to an artifact is that artifact under the link name', (t) => {
  const p = new Placement(host({}), (x) => x);
  placed(p, artifact('/proj/lib'));
  p.applyHost(written(op('ln', ['/proj/lib/libfoo.so']), ['-sf', 'libfoo.so.1']));
  t.deepEqual(changes(p), [['ln -sf libfoo.so.1 /out/libfoo.so']]);
  p.applyHost(written(op('ln', ['/proj/top']), ['-s', 'lib/libfoo.so.1']));
  const link = p.placed.find((x) => x.hostPath === '/proj/top')!;
  t.is(link.containerPath, '/out/libfoo.so.1');
  t.true(link.link);
  p.applyHost(written(op('ln', ['/proj/dangling']), ['-s', 'nowhere']));
  t.is(p.kindOf('/proj/dangling'), null, 'a link to no artifact is no artifact');
});

test('a host file copied or moved into or over an extracted artifact is RS352', (t) => {
  const p = new Placement(host({ '/proj/README': 'file' }), (x) => x);
  placed(p, artifact('/proj/out'));
  t.deepEqual(
    p.applyHost(op('cp', ['/proj/README', '/proj/out'])).map((d) => d.code),
    ['RS352'],
  );
  t.deepEqual(
    p.applyHost(op('mv', ['/proj/README', '/proj/out'])).map((d) => d.code),
    ['RS352'],
  );
  t.deepEqual(
    p.placed.map((x) => x.hostPath),
    ['/proj/out'],
  );
});
