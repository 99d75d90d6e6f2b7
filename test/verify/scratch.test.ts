/** Image mapping on both sides: FROM lines and COPY --from=<image>, never stage names or scratch. */
import test from 'ava';
import { mapImage, parseImageMap, rewriteImages } from '../../src/verify/scratch.js';

const map = parseImageMap(['gcc=testbase/gcc:latest', 'debian:bookworm-slim=testbase/debian-slim:bookworm']);

const maps = test.macro({
  exec(t, image: string, expected: string) {
    t.is(mapImage(image, map), expected);
  },
  title: (_p, image: string, expected: string) => `${image} → ${expected}`,
});
test(maps, 'gcc', 'testbase/gcc:latest');
test(maps, 'gcc:12', 'testbase/gcc:latest');
test(maps, 'docker.io/library/gcc:12', 'testbase/gcc:latest');
test(maps, 'debian:bookworm-slim', 'testbase/debian-slim:bookworm');
test(maps, 'debian:bullseye', 'debian:bullseye');
test(maps, 'gccx', 'gccx');

test('FROM images and COPY --from=<image> are rewritten; stage names, scratch and text around them are not', (t) => {
  const text =
    'FROM gcc AS builder\n# gcc stays in comments\nRUN make\n\nFROM scratch\nCOPY --from=builder /a /a\nCOPY --from=gcc:12 /usr/lib/x /x\nFROM builder AS again\n';
  t.is(
    rewriteImages(text, (i) => mapImage(i, map)),
    'FROM testbase/gcc:latest AS builder\n# gcc stays in comments\nRUN make\n\nFROM scratch\nCOPY --from=builder /a /a\nCOPY --from=testbase/gcc:latest /usr/lib/x /x\nFROM builder AS again\n',
  );
});

test('a malformed --image-map entry is refused with the entry named', (t) => {
  t.throws(() => parseImageMap(['gcc']), { message: /--image-map takes FROM=TO, got "gcc"/ });
  t.throws(() => parseImageMap(['=x']), { message: /got "=x"/ });
});

// --- Confinement: the scratch area and what the replay refuses (issue 7 §1). ---
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyzeDirectory } from '../../src/migrate.js';
import { replayRefusals } from '../../src/verify/refusals.js';
import { flowPaths } from '../../src/verify/sides.js';
import { ConfinementError, placeRewritten, repositoryOf, scratchArea, ScratchTree } from '../../src/verify/scratch.js';

const BUILDER = 'FROM busybox:latest\nWORKDIR /src\nRUN echo hi > app\n';
function repo(t: { teardown: (f: () => void) => void }, files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-test-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
const refusals = (dir: string) => {
  const m = analyzeDirectory(dir, { displayBase: dir });
  return {
    migration: m,
    refused: replayRefusals(m.analysis!, scratchArea(m.root, flowPaths(m.analysis!))),
  };
};
const script = (body: string) => `#!/bin/sh\nset -e\n${body}\n`;
const EXTRACT = 'docker create --name x b:1\ndocker cp x:/src/app ./app\ndocker rm -f x';

test('the repository is the git work tree above the directory; without one, the directory', (t) => {
  const dir = repo(t, { '.git/HEAD': 'ref: refs/heads/main\n', 'ci/build.sh': '' });
  t.is(repositoryOf(path.join(dir, 'ci')), dir);
  const bare = repo(t, { 'build.sh': '' });
  t.is(repositoryOf(bare), bare);
});

test('the area holds what the flow names in the repository, never what lies outside it', (t) => {
  const dir = repo(t, { '.git/HEAD': 'x', 'ci/build.sh': '' });
  t.is(scratchArea(path.join(dir, 'ci'), [path.join(dir, 'Dockerfile'), '/tmp/out/app', '/opt/x']), dir);
  t.is(scratchArea(path.join(dir, 'ci'), [path.join(dir, 'ci', 'app'), '/tmp/out/app']), path.join(dir, 'ci'));
});

test('every host path maps into the scratch root; the area is copied without .git, the rest starts empty', (t) => {
  const dir = repo(t, { '.git/HEAD': 'x', Dockerfile: 'FROM a\n', 'ci/build.sh': '' });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-test-scratch-'));
  t.teardown(() => fs.rmSync(root, { recursive: true, force: true }));
  const tree = ScratchTree.copy(dir, root);
  for (const p of ['/tmp/x', '/etc/passwd', `${os.homedir()}/.cache/x`, path.join(dir, '..', 'sibling')])
    t.true(tree.map(p).startsWith(`${root}/`), p);
  t.is(fs.readFileSync(tree.map(path.join(dir, 'Dockerfile')), 'utf8'), 'FROM a\n');
  t.false(fs.existsSync(tree.map(path.join(dir, '.git'))));
  t.false(fs.existsSync(tree.map('/etc/passwd')));
});

test('a write through a link that leads outside the scratch root is an internal error, never a write', (t) => {
  const outside = repo(t, { keep: 'real' });
  const dir = repo(t, {});
  fs.symlinkSync(outside, path.join(dir, 'out'));
  fs.symlinkSync(path.join(outside, 'missing'), path.join(dir, 'dangling'));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-test-scratch-'));
  t.teardown(() => fs.rmSync(root, { recursive: true, force: true }));
  const tree = ScratchTree.copy(dir, root);
  t.throws(() => tree.writable(tree.map(path.join(dir, 'out', 'keep')), 'write'), { instanceOf: ConfinementError });
  t.throws(() => tree.writable(tree.map(path.join(dir, 'dangling')), 'write'), { instanceOf: ConfinementError });
  t.throws(() => tree.writable('/tmp/elsewhere', 'write'), { instanceOf: ConfinementError });
  // Removing the link itself stays inside.
  t.is(tree.writable(tree.map(path.join(dir, 'out')), 'remove', true), tree.map(path.join(dir, 'out')));
  t.is(tree.writable(tree.map('/tmp/new/file'), 'write'), tree.map('/tmp/new/file'));
});

test('a script in ci/ that cds to the repository root builds from outside the analysed directory: a located error (RS120), nothing planned to replay', (t) => {
  const dir = repo(t, {
    '.git/HEAD': 'x',
    Dockerfile: 'FROM busybox:latest\nCOPY app /app\n',
    'ci/Dockerfile.build': BUILDER,
    'ci/build.sh': script(
      `cd "$(dirname "$0")/.."\ndocker build -t b:1 -f ci/Dockerfile.build .\n${EXTRACT}\ndocker build -t r:1 .`,
    ),
  });
  const m = analyzeDirectory(path.join(dir, 'ci'), { displayBase: dir });
  t.is(m.result.status, 'error');
  t.deepEqual(
    [...new Set(m.result.diagnostics.filter((d) => d.code === 'RS120').map((d) => `${d.file}:${d.line}`))],
    ['ci/build.sh:4', 'ci/build.sh:8'],
  );
  t.is(m.plan, null, 'verify stops at the analysis: nothing is replayed');
});

test("an output directory under /tmp made by the script is the replay's own; one it only reads is refused", (t) => {
  const made = repo(t, {
    Dockerfile: 'FROM busybox:latest\nCOPY app /app\n',
    'Dockerfile.build': BUILDER,
    'build.sh': script(
      `OUT=/tmp/restage-never-x\nrm -rf "$OUT"\nmkdir -p "$OUT"\ndocker build -t b:1 -f Dockerfile.build .\ndocker create --name x b:1\ndocker cp x:/src/app "$OUT/app"\ndocker rm -f x\ncp "$OUT/app" ./app\ndocker build -t r:1 .`,
    ),
  });
  t.deepEqual(refusals(made).refused, []);
  const read = repo(t, {
    Dockerfile: 'FROM busybox:latest\nCOPY app /app\n',
    'Dockerfile.build': BUILDER,
    'build.sh': script(
      `docker build -t b:1 -f Dockerfile.build /opt/restage-never-ctx\n${EXTRACT}\ndocker build -t r:1 .`,
    ),
  });
  const { refused } = refusals(read);
  t.is(refused.length, 1);
  t.like(refused[0], { code: 'RS310', severity: 'error', line: 3 });
  t.regex(refused[0]!.message, /\/opt\/restage-never-ctx/);
});

for (const [name, line] of [
  ['rm -rf "$STAGING_DIR/probe"', 'rm -rf "$STAGING_DIR/probe"'],
  ['~', 'mkdir -p ~/.cache/x'],
  ['$HOME', 'rm -rf "$HOME/.cache/x"'],
  ["a command's output", 'rm -rf "$(mktemp -d)/x"'],
] as const) {
  test(`an undecidable host path (${name}) is a located warning in migrate and a refusal in verify`, (t) => {
    const dir = repo(t, {
      Dockerfile: 'FROM busybox:latest\nCOPY app /app\n',
      'Dockerfile.build': BUILDER,
      'build.sh': script(`${line}\ndocker build -t b:1 -f Dockerfile.build .\n${EXTRACT}\ndocker build -t r:1 .`),
    });
    const { migration, refused } = refusals(dir);
    const warning = migration.result.diagnostics.find((d) => d.code === 'RS309');
    t.like(warning, { severity: 'warning', line: 3 });
    t.is(migration.result.status, 'needs-attention');
    const host = migration.analysis!.flow.events.find((e) => e.kind === 'host' && e.undecidable.length > 0);
    t.truthy(host);
    t.deepEqual(host?.kind === 'host' ? host.paths : null, []);
    t.like(refused[0], { code: 'RS310', line: 3 });
  });
}

for (const cmd of ['chown 1000:1000 app', 'touch app', 'echo x > app', 'ln -sf other app', 'tar -xf extra.tar -C .']) {
  test(`\`${cmd}\` on an extracted artifact is needs-attention in migrate and refused by the replay`, (t) => {
    const dir = repo(t, {
      Dockerfile: 'FROM busybox:latest\nCOPY app /app\n',
      'Dockerfile.build': BUILDER,
      'build.sh': script(`docker build -t b:1 -f Dockerfile.build .\n${EXTRACT}\n${cmd}\ndocker build -t r:1 .`),
    });
    const { migration, refused } = refusals(dir);
    t.like(
      migration.result.diagnostics.find((d) => d.code === 'RS308'),
      { severity: 'warning', line: 7 },
    );
    t.is(migration.result.status, 'needs-attention');
    t.like(
      refused.find((d) => d.line === 7),
      { code: 'RS310' },
    );
  });
}

for (const [cmd, code] of [
  ['strip app', 'RS351'],
  ['ln -s app app-link', null],
] as const) {
  test(`\`${cmd}\` on an extracted artifact is post-processing restage models, which the replay refuses to re-enact (${code ?? 'carried'})`, (t) => {
    const dir = repo(t, {
      Dockerfile: 'FROM busybox:latest\nCOPY app /app\n',
      'Dockerfile.build': BUILDER,
      'build.sh': script(`docker build -t b:1 -f Dockerfile.build .\n${EXTRACT}\n${cmd}\ndocker build -t r:1 .`),
    });
    const { migration, refused } = refusals(dir);
    t.false(migration.result.diagnostics.some((d) => d.code === 'RS308'));
    if (code)
      t.like(
        migration.result.diagnostics.find((d) => d.code === code),
        { severity: 'warning', line: 7 },
      );
    t.like(
      refused.find((d) => d.line === 7),
      { code: 'RS310' },
    );
  });
}

test('commands that only read an artifact are inert', (t) => {
  const dir = repo(t, {
    Dockerfile: 'FROM busybox:latest\nCOPY app /app\n',
    'Dockerfile.build': BUILDER,
    'build.sh': script(
      `docker build -t b:1 -f Dockerfile.build .\n${EXTRACT}\n[ -f app ]\nls -l app\nsha256sum app\ndocker build -t r:1 .`,
    ),
  });
  const { migration, refused } = refusals(dir);
  t.is(migration.result.status, 'migrated');
  t.deepEqual(refused, []);
});

test('a docker cp from a container the script ran (RS320) is refused before anything runs (RS702); a created one is replayed', (t) => {
  const files = { 'Dockerfile.build': BUILDER, Dockerfile: 'FROM busybox:latest\nCOPY app /app\n' };
  const ran = repo(t, {
    ...files,
    'build.sh': script(
      'docker build -t b:1 -f Dockerfile.build .\ndocker run --name x b:1 make\ndocker cp x:/src/app ./app\ndocker rm -f x\ndocker build -t r:1 .',
    ),
  });
  const { refused } = refusals(ran);
  t.deepEqual(
    refused.map((d) => [d.code, d.line]),
    [['RS702', 4]],
  );
  t.regex(refused[0]!.message, /starts this container before `docker cp` reads \/src\/app/);
  const created = repo(t, {
    ...files,
    'build.sh': script(`docker build -t b:1 -f Dockerfile.build .\n${EXTRACT}\ndocker build -t r:1 .`),
  });
  t.deepEqual(refusals(created).refused, []);
});

test('placeRewritten: the tree keeps the user’s Dockerfile; the rewritten one goes where .dockerignore excludes it, else outside', (t) => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-test-place-'));
  t.teardown(() => fs.rmSync(base, { recursive: true, force: true }));
  const area = path.join(base, 'repo');
  fs.mkdirSync(area);
  fs.writeFileSync(path.join(area, 'Dockerfile'), 'FROM busybox\nCOPY . /c\n');
  fs.writeFileSync(path.join(area, '.dockerignore'), '*.md\n');
  const tree = ScratchTree.copy(area, path.join(base, 'side'));
  const file = tree.map(path.join(area, 'Dockerfile'));
  const context = tree.map(area);
  const session = { scratch: () => fs.mkdtempSync(path.join(base, 'outside-')) };
  t.is(placeRewritten(tree, file, context, 'FROM busybox\nCOPY . /c\n', session), file, 'nothing rewritten');
  const inside = placeRewritten(tree, file, context, 'FROM testbase/busybox\nCOPY . /c\n', session);
  t.regex(path.relative(context, inside), /^restage-[0-9a-f]{16}\.md$/);
  t.is(fs.readFileSync(inside, 'utf8'), 'FROM testbase/busybox\nCOPY . /c\n');
  t.is(fs.readFileSync(file, 'utf8'), 'FROM busybox\nCOPY . /c\n');
  fs.writeFileSync(path.join(context, '.dockerignore'), '*.md\n.dockerignore\n');
  const outside = placeRewritten(tree, file, context, 'FROM testbase/busybox\nCOPY . /c\n', session);
  t.false(outside.startsWith(context));
  t.is(path.basename(outside), 'Dockerfile');
  t.is(fs.readFileSync(outside, 'utf8'), 'FROM testbase/busybox\nCOPY . /c\n');
});

test('a FROM behind a build argument is mapped by its value under the build’s arguments, else left as written', (t) => {
  const text =
    'ARG GCC=12\nARG UNSET\nFROM gcc:${GCC} AS builder\nFROM ${UNSET:-debian:bookworm-slim}\nCOPY --from=$X /a /a\nFROM $ZZ\n';
  const mapped = (args?: Record<string, string>) => rewriteImages(text, (i) => mapImage(i, map), args);
  t.is(mapped(), text);
  t.is(
    mapped({}),
    'ARG GCC=12\nARG UNSET\nFROM testbase/gcc:latest AS builder\nFROM testbase/debian-slim:bookworm\nCOPY --from=$X /a /a\nFROM $ZZ\n',
  );
  const exact = parseImageMap(['gcc:13=testbase/gcc:latest']);
  t.is(
    rewriteImages(text, (i) => mapImage(i, exact), { GCC: '12' }),
    text,
  );
  t.is(
    rewriteImages(text, (i) => mapImage(i, exact), { GCC: '13' }),
    text.replace('gcc:${GCC}', 'testbase/gcc:latest'),
  );
  t.is(
    rewriteImages('ARG B=builder\nFROM alpine AS builder\nFROM ${B}\n', (i) =>
      mapImage(i, parseImageMap(['builder=x'])),
    ),
    'ARG B=builder\nFROM alpine AS builder\nFROM ${B}\n',
  );
});

test('the replay refuses a context streamed to docker build -: out of a container on the build, a host tar on its -', (t) => {
  const container = refusals(
    repo(t, {
      'build.sh': script(
        'docker build -t b:1 -f Dockerfile.build .\ndocker run --rm b:1 tar -c -C /out . | docker build -t app -',
      ),
      'Dockerfile.build': 'FROM busybox:latest\nCOPY Dockerfile.runtime /out/Dockerfile\nRUN echo > /out/tool\n',
      'Dockerfile.runtime': 'FROM busybox:latest\nCOPY tool /tool\n',
    }),
  );
  t.is(container.migration.result.status, 'migrated');
  t.deepEqual(
    container.refused.map((d) => `${d.code} ${d.line}:${d.column}`),
    ['RS310 4:40'],
  );
  t.regex(
    container.refused[0]!.message,
    /does not re-enact a tar stream that `docker build -` reads as its context \(line 4\)/,
  );
  const host = refusals(
    repo(t, {
      'build.sh': script(
        `docker build -t b:1 -f Dockerfile.build .\n${EXTRACT.replace('./app', 'build/app')}\ntar -C build -c Dockerfile app | docker build -t app -`,
      ),
      'Dockerfile.build': BUILDER,
      'build/Dockerfile': 'FROM busybox:latest\nCOPY app /app\n',
    }),
  );
  t.is(host.migration.result.status, 'migrated');
  t.deepEqual(
    host.refused.map((d) => `${d.code} ${d.line}:${d.column}`),
    ['RS310 7:54'],
  );
  t.regex(
    host.refused[0]!.message,
    /builds from directories, and this build reads the host tar stream of some members of/,
  );
});
