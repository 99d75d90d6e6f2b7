/** plan/already: whether an analysis leaves anything to migrate, and what is reported when not. */
import test from 'ava';
import { alreadyMigrated, copiedAlready, nothingToMigrate, otherBuild } from '../../src/plan/already.js';
import { diagnostic } from '../../src/model/diagnostic.js';
import { analysisOf, BUILDER_PATTERN, display } from '../helpers/analysis.js';

const MULTI_STAGE =
  'FROM golang:1.22 AS builder\nWORKDIR /src\nCOPY main.go .\nRUN go build -o app .\n\nFROM alpine:3.19 AS runtime\nCOPY --from=builder --chown=0:0 /src/app /usr/local/bin/app\nCMD ["app"]\n';
const EXTRACT_DOC =
  'docker build -t app:build -f Dockerfile.build .\ndocker create --name x app:build\ndocker cp x:/src/app ./app\ndocker cp x:/src/doc ./doc\ndocker rm -f x\ndocker build -t app:latest .\n';

const codes = (ds: readonly { code: string }[]) => ds.map((d) => d.code).sort();

test('a builder pattern whose runtime takes the artifact from its context is left to the plan', (t) => {
  const a = analysisOf(BUILDER_PATTERN);
  t.false(copiedAlready(a.consumptions));
  t.is(nothingToMigrate(a, a.diagnostics, 'build.sh', display), null);
});

test('restage output with the legacy script beside it: stale script, RS402 dropped, script and builder obsolete', (t) => {
  const a = analysisOf({ ...BUILDER_PATTERN, Dockerfile: MULTI_STAGE });
  t.is(a.runtime, null);
  t.true(
    a.diagnostics.some((d) => d.code === 'RS402'),
    JSON.stringify(a.diagnostics),
  );
  t.deepEqual(alreadyMigrated(a), {
    dockerfile: '/proj/Dockerfile',
    stillNeeded: null,
    replaced: ['/proj/Dockerfile.build'],
  });
  const settled = nothingToMigrate(a, a.diagnostics, 'build.sh', display)!;
  t.deepEqual(settled.obsolete, ['build.sh', 'Dockerfile.build']);
  t.deepEqual(codes(settled.diagnostics), ['RS504']);
  t.regex(settled.diagnostics[0]!.message, /build\.sh, Dockerfile\.build can go$/);
  t.is(settled.diagnostics[0]!.file, 'Dockerfile');
});

test('a multi-stage Dockerfile that does not copy everything the script extracts keeps the script (RS504, nothing obsolete)', (t) => {
  const a = analysisOf({ ...BUILDER_PATTERN, 'build.sh': EXTRACT_DOC, Dockerfile: MULTI_STAGE });
  t.regex(alreadyMigrated(a)!.stillNeeded!, /^it extracts \/src\/doc, which this Dockerfile does not copy/);
  const settled = nothingToMigrate(a, a.diagnostics, 'build.sh', display)!;
  t.deepEqual(settled.obsolete, []);
  const rs504 = settled.diagnostics.filter((d) => d.code === 'RS504');
  t.is(rs504.length, 1);
  t.regex(rs504[0]!.message, /but build\.sh still does what it does not: it extracts \/src\/doc/);
  t.true(
    settled.diagnostics.some((d) => d.code === 'RS402'),
    'the unconsumed extraction is still reported',
  );
});

test('a context COPY overwritten by a later COPY --from of the same stage counts as copied already', (t) => {
  const dockerfile =
    'FROM golang:1.22 AS builder\nWORKDIR /src\nRUN go build -o app .\n\nFROM alpine:3.19\nCOPY app /usr/local/bin/app\nCOPY --from=builder /src/app /usr/local/bin/app\n';
  const a = analysisOf({ ...BUILDER_PATTERN, Dockerfile: dockerfile });
  t.truthy(a.runtime);
  t.true(copiedAlready(a.consumptions));
  const settled = nothingToMigrate(a, a.diagnostics, 'build.sh', display)!;
  t.deepEqual(settled.obsolete, ['build.sh', 'Dockerfile.build']);
  t.true(settled.diagnostics.some((d) => d.code === 'RS504'));
});

test('the same COPY --from placed before the context COPY does not replace it', (t) => {
  const dockerfile =
    'FROM golang:1.22 AS builder\nRUN go build -o /src/app .\n\nFROM alpine:3.19\nCOPY --from=builder /src/app /usr/local/bin/app\nCOPY app /usr/local/bin/app\n';
  const a = analysisOf({ ...BUILDER_PATTERN, Dockerfile: dockerfile });
  t.false(copiedAlready(a.consumptions));
  t.is(nothingToMigrate(a, a.diagnostics, 'build.sh', display), null);
});

test('artifacts no build consumes: RS106 on the script, unless an error already stops the migration', (t) => {
  const a = analysisOf({ ...BUILDER_PATTERN, Dockerfile: 'FROM alpine:3.19\nCMD ["true"]\n' });
  t.is(a.runtime, null);
  const settled = nothingToMigrate(a, a.diagnostics, 'build.sh', display)!;
  t.deepEqual(
    settled.diagnostics.filter((d) => d.code === 'RS106').map((d) => [d.file, d.line, d.column]),
    [['build.sh', 1, 1]],
  );
  t.deepEqual(settled.obsolete, []);
  const failing = [...a.diagnostics, diagnostic('RS201', { file: 'Dockerfile', line: 1, column: 1 }, 'bad')];
  t.false(nothingToMigrate(a, failing, 'build.sh', display)!.diagnostics.some((d) => d.code === 'RS106'));
});

test('no extraction at all: nothing to migrate, diagnostics as given', (t) => {
  const a = analysisOf({ 'build.sh': 'docker build -t app .\n', Dockerfile: 'FROM alpine\n' });
  const given = [diagnostic('RS305', { file: 'build.sh', line: 1, column: 1 }, 'x')];
  t.deepEqual(nothingToMigrate(a, given, 'build.sh', display), { diagnostics: given, obsolete: [] });
});

test('otherBuild: a build that is neither the given file nor an image extracted from', (t) => {
  const a = analysisOf({
    ...BUILDER_PATTERN,
    'build.sh': `${BUILDER_PATTERN['build.sh']}docker build -t app:debug -f Dockerfile.debug .\n`,
    'Dockerfile.debug': 'FROM alpine\n',
  });
  t.deepEqual(otherBuild(a, '/proj/Dockerfile')?.tags, ['app:debug']);
  t.deepEqual(otherBuild(a, '/proj/Dockerfile.debug')?.tags, ['app:latest']);
  t.is(otherBuild(analysisOf(BUILDER_PATTERN), '/proj/Dockerfile'), null);
});
