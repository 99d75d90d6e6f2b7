/**
 * `docker export` streams (src/analyze/export-stream.ts, carried by src/analyze/tar-stream.ts) on
 * small scripts: where the members a `tar -x` names land, the whole file system unpacked without
 * members, and which forms are declined on which line.
 */
import test, { type ExecutionContext } from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate } from '../../src/migrate.js';
import { parseShell } from '../../src/parse/shell.js';
import { analyzeScript } from '../../src/analyze/script.js';
import type { FlowEvent } from '../../src/model/flow.js';
import { exportedPathProblem, exportMembers } from '../../src/analyze/export-stream.js';

const ROOT = '/proj';

function summarize(events: readonly FlowEvent[]): string[] {
  return events.map((e) => {
    switch (e.kind) {
      case 'create':
        return `create ${e.handle} ${e.image}`;
      case 'copy-out':
        return `${e.via}${e.exportedAt ? ' export' : ''} ${e.container}:${e.containerPath} ${e.hostPath}${e.archiveMember !== undefined ? ` [${e.archiveMember}]` : ''}`;
      case 'remove':
        return `rm ${e.containers.join(',')}`;
      case 'host':
        return `host ${e.op} ${e.paths.join(',')}`;
      default:
        return e.kind;
    }
  });
}

const flows = test.macro({
  exec(t, script: string, expected: string[], codes: string[] = []) {
    const parsed = parseShell('build.sh', script);
    const { flow, diagnostics } = analyzeScript(parsed.script!, ROOT, `${ROOT}/build.sh`);
    t.deepEqual(summarize(flow.events), expected);
    t.deepEqual(
      diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`),
      codes,
      JSON.stringify(diagnostics, null, 1),
    );
  },
  title: (given) => `docker export: ${given ?? ''}`,
});

const CREATE = 'docker create --name c img\n';

test(
  'piped into tar -x -C DIR MEMBER…: each member lands at DIR/MEMBER, from /MEMBER',
  flows,
  `${CREATE}docker export c | tar -xv -C out usr/local/bin/app app/dist/\n`,
  [
    'create c img',
    'tar export c:/usr/local/bin/app /proj/out/usr/local/bin/app',
    'tar export c:/app/dist /proj/out/app/dist',
  ],
  ['RS341 2:19'],
);

test(
  'piped into tar -x without -C: below the working directory; docker container export; a captured id',
  flows,
  'id=$(docker create img)\ndocker container export "$id" | tar x src/tool\n',
  ['create @container#1 img', 'tar export @container#1:/src/tool /proj/src/tool'],
  ['RS341 2:33'],
);

test(
  'into a file (> and -o), unpacked later with -f: the archive holds the whole file system',
  flows,
  `${CREATE}docker export c > fs.tar\ndocker export -o other.tar c\ntar -xf fs.tar -C out src/tool\n`,
  [
    'create c img',
    'tar export c:/. /proj/fs.tar [.]',
    'tar export c:/. /proj/other.tar [.]',
    'tar export c:/src/tool /proj/out/src/tool',
  ],
  ['RS341 4:1'],
);

test(
  'tar -x without members: the whole file system, merged into the directory',
  flows,
  `${CREATE}mkdir rootfs\ndocker export c | tar -x -C rootfs\n`,
  ['create c img', 'host mkdir /proj/rootfs', 'tar export c:/. /proj/rootfs'],
  ['RS341 3:19'],
);

test(
  'declined: a pattern, --exclude, --strip-components, a leading / or ./, an engine path, -C after a member (RS348)',
  flows,
  `${CREATE}docker export c | tar -x 'usr/bin/*'\ndocker export c | tar -x --exclude=x usr\ndocker export c | tar -x --strip-components=1 usr/bin\ndocker export c | tar -x /usr/bin/app\ndocker export c | tar -x ./usr/bin/app\ndocker export c | tar -x etc/hosts\ndocker export c | tar -x etc\ndocker export c | tar -x usr/bin/app -C out\n`,
  ['create c img'],
  ['RS348 2:19', 'RS348 3:19', 'RS348 4:19', 'RS348 5:19', 'RS348 6:19', 'RS348 7:19', 'RS348 8:19', 'RS348 9:19'],
);

test(
  'declined: piped into something else, left on the output, captured, appended, an unknown option (RS347)',
  flows,
  `${CREATE}docker export c | gzip > fs.tgz\ndocker export c\nx=$(docker export c)\ndocker export c >> fs.tar\ndocker export --quiet c > fs.tar\n`,
  ['create c img', 'host other /proj/fs.tgz'],
  ['RS347 2:1', 'RS347 3:1', 'RS347 4:5', 'RS347 5:1', 'RS347 6:15'],
);

test('the members map to /MEMBER; an engine path or a pattern is not a member restage maps', (t) => {
  t.deepEqual(exportMembers([{ operand: 'usr//local/bin/', dir: null }], null), [
    { containerPath: '/usr/local/bin', name: 'usr/local/bin' },
  ]);
  for (const operand of ['.dockerenv', 'proc/1', 'dev', 'etc', 'etc/resolv.conf', 'sys/', 'a/../b', '[ab]', '.'])
    t.is(typeof exportMembers([{ operand, dir: null }], null), 'string', operand);
  t.is(exportedPathProblem('/usr/bin/app', []), null);
  t.regex(exportedPathProblem('/', [])!, /whole file system/);
  t.regex(exportedPathProblem('/etc', [])!, /holds \/etc\/host/);
  t.regex(
    exportedPathProblem('/out/app', [
      {
        at: { file: 'b', line: 1, column: 1 },
        kind: 'bind',
        source: '/p/out',
        target: '/out',
        readOnly: false,
        written: '-v x',
      },
    ])!,
    /mount/,
  );
});

test('an export of a container the script never created is RS401, said of docker export', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-export-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'Dockerfile.build'), 'FROM busybox:latest\nRUN mkdir -p /out && echo x > /out/app\n');
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM busybox:latest\nCOPY out/app /app\n');
  fs.writeFileSync(
    path.join(dir, 'build.sh'),
    '#!/bin/sh\nset -e\ndocker build -t b -f Dockerfile.build .\ndocker export nope | tar -x out/app\ndocker build -t app .\n',
  );
  const r = migrate(dir);
  const d = r.diagnostics.find((x) => x.code === 'RS401');
  t.truthy(d, JSON.stringify(r.diagnostics));
  t.regex(d!.message, /`docker export` streams the file system of container "nope"/);
  t.not(r.status, 'migrated');
});

/** migrate on a directory with these files; the codes it answers, `code line` each. */
function migrated(
  t: ExecutionContext,
  files: Record<string, string>,
): { status: string; codes: string[]; messages?: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-export-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries({
    'Dockerfile.build': 'FROM busybox:latest\nRUN mkdir -p /app/bin && echo x > /app/bin/app\n',
    ...files,
  })) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  const r = migrate(dir);
  const shown = r.diagnostics.filter((d) => d.severity !== 'info');
  const codes = shown.map((d) => `${d.code} ${path.basename(d.file)}:${d.line}`);
  // Not enumerable: `deepEqual` on a result compares its status and codes only.
  return Object.defineProperty({ status: r.status, codes }, 'messages', { value: shown.map((d) => d.message) });
}

const script = (...lines: string[]) =>
  ['#!/bin/sh', 'set -e', 'docker build -t b -f Dockerfile.build .', ...lines, 'docker build -t app .', ''].join('\n');
const WHOLE = script('docker create --name c b', 'mkdir rootfs', 'docker export c | tar -x -C rootfs', 'docker rm c');

test('the whole file system unpacked: a COPY of the directory itself, of one that holds it, of an engine path is RS349', (t) => {
  for (const copy of [
    'COPY rootfs/ /',
    'COPY . /ctx',
    'COPY rootfs/etc /etc',
    'COPY rootfs/proc /proc',
    'COPY rootfs/.dockerenv /x',
  ]) {
    const r = migrated(t, { 'build.sh': WHOLE, Dockerfile: `FROM busybox:latest\n${copy}\n` });
    t.deepEqual(r.codes, ['RS349 Dockerfile:2'], copy);
    t.is(r.status, 'error', copy);
  }
  const fine = migrated(t, { 'build.sh': WHOLE, Dockerfile: 'FROM busybox:latest\nCOPY rootfs/app/bin /opt/bin\n' });
  t.deepEqual(fine, { status: 'migrated', codes: [] });
});

test('the whole file system unpacked into a directory of the tree: a COPY of a file the tree had is RS349, of one it did not is migrated', (t) => {
  const r = migrated(t, {
    'build.sh': script('docker create --name c b', 'docker export c | tar -x', 'docker rm c'),
    Dockerfile: 'FROM busybox:latest\nCOPY app/bin/app /usr/bin/app\nCOPY conf/app.conf /etc/app.conf\n',
    'conf/app.conf': 'x\n',
  });
  t.deepEqual(r.codes, ['RS349 Dockerfile:3']);
});

test('an ADD of the exported archive is RS349; a member that meets a mount of the run is RS348', (t) => {
  const added = migrated(t, {
    'build.sh': script('docker create --name c b', 'docker export c > fs.tar', 'docker rm c'),
    Dockerfile: 'FROM busybox:latest\nADD fs.tar /\n',
  });
  t.deepEqual(added.codes, ['RS349 Dockerfile:2']);
  const mounted = migrated(t, {
    'build.sh': script(
      'docker run --name c -v "$PWD/out:/out" b sh -c "cp /app/bin/app /out/app"',
      'mkdir x',
      'docker export c | tar -x -C x out/app',
      'docker rm c',
    ),
    Dockerfile: 'FROM busybox:latest\nCOPY x/out/app /app\n',
  });
  t.true(mounted.codes.includes('RS348 build.sh:6'), JSON.stringify(mounted));
  t.is(mounted.status, 'error');
});

test('an export after the container is removed is RS401; one written to a file before the removal is unpacked after it', (t) => {
  const COPY = 'FROM busybox:latest\nCOPY out/app/bin/app /app\n';
  const late = migrated(t, {
    'build.sh': script('docker create --name c b', 'docker rm c', 'docker export c | tar -x -C out app/bin/app'),
    Dockerfile: COPY,
  });
  t.true(late.codes.includes('RS401 build.sh:6'), JSON.stringify(late));
  const lateFile = migrated(t, {
    'build.sh': script(
      'docker create --name c b',
      'docker rm c',
      'docker export c > fs.tar',
      'tar -xf fs.tar -C out app/bin/app',
    ),
    Dockerfile: COPY,
  });
  t.true(lateFile.codes.includes('RS401 build.sh:7'), JSON.stringify(lateFile));
  const early = migrated(t, {
    'build.sh': script(
      'docker create --name c b',
      'docker export c > fs.tar',
      'docker rm c',
      'mkdir out',
      'tar -xf fs.tar -C out app/bin/app',
    ),
    Dockerfile: COPY,
  });
  t.deepEqual(early, { status: 'migrated', codes: [] });
});

test('an export of a detached run nothing waited for is RS324, said of docker export; with docker wait it migrates from the run stage', (t) => {
  const COPY = 'FROM busybox:latest\nCOPY out/out/app /app\n';
  const run = 'docker run -d --name c b sh -c "mkdir -p /out && cp /app/bin/app /out/app"';
  const early = migrated(t, {
    'build.sh': script(run, 'mkdir out', 'docker export c | tar -x -C out out/app', 'docker rm c'),
    Dockerfile: COPY,
  });
  t.true(early.codes.includes('RS324 build.sh:6'), JSON.stringify(early));
  t.true(
    early.messages!.some((m) =>
      m.includes('`docker export` reads /out/app of container "c" while its command may still be running'),
    ),
  );
  const waited = migrated(t, {
    'build.sh': script(run, 'docker wait c', 'mkdir out', 'docker export c | tar -x -C out out/app', 'docker rm c'),
    Dockerfile: COPY,
  });
  t.deepEqual(waited, { status: 'migrated', codes: [] });
});

test('a file moved out of the unpacked file system keeps its container path (with the host chmod); a moved engine path is still RS349', (t) => {
  const moved = (from: string, to: string, copy: string) =>
    migrated(t, {
      'build.sh': script(
        'docker create --name c b',
        'mkdir rootfs',
        'docker export c | tar -x -C rootfs',
        'docker rm c',
        `mv rootfs/${from} ${to}`,
        'chmod 700 app',
        'rm -rf rootfs',
      ),
      Dockerfile: `FROM busybox:latest\n${copy}\n`,
    });
  t.deepEqual(moved('app/bin/app', 'app', 'COPY app /usr/local/bin/app'), { status: 'migrated', codes: [] });
  t.deepEqual(moved('etc', 'etc', 'COPY etc /etc').codes, ['RS349 Dockerfile:2']);
});
