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
