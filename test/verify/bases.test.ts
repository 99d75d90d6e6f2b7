/** The images verify checks before building: FROM and COPY --from images after --image-map, less what the flow builds itself. */
import test from 'ava';
import { analyzeDirectory } from '../../src/migrate.js';
import { legacyBases, missingBases, runBases, textBases } from '../../src/verify/bases.js';
import { EngineError, type Engine } from '../../src/verify/engine/engine.js';
import { neededBuilds } from '../../src/verify/refusals.js';
import { ROOT } from '../helpers/fixtures.js';
import path from 'node:path';

test('a Dockerfile: FROM and COPY --from images, mapped; stage names, scratch and ARG references left out', (t) => {
  const text =
    'ARG BASE=x\nFROM golang:1.22 AS build\nFROM ${BASE}\nFROM build AS again\nFROM scratch\nCOPY --from=build /a /a\nCOPY --from=tools/lint:2 /b /b\n';
  const uses = textBases('Dockerfile', text, new Map([['golang', 'testbase/golang:latest']]));
  t.deepEqual(
    uses.map((u) => [u.image, u.written, u.at.line]),
    [
      ['testbase/golang:latest', 'golang:1.22', 2],
      ['tools/lint:2', 'tools/lint:2', 7],
    ],
  );
});

test('the legacy side: the builds it replays, less the tags the flow makes itself', (t) => {
  const dir = path.join(ROOT, 'test', 'fixtures', 'e2e', 'missing-base');
  const { analysis } = analyzeDirectory(dir, { displayBase: ROOT });
  const uses = legacyBases(analysis!, new Map());
  t.deepEqual(
    uses.map((u) => `${u.image} ${u.at.file}:${u.at.line}`),
    [
      'restage-test/no-such-builder:1 test/fixtures/e2e/missing-base/Dockerfile.build:1',
      'restage-test/no-such-runtime:2 test/fixtures/e2e/missing-base/Dockerfile:1',
    ],
  );
});

test('the legacy side: a builder FROM an image an earlier build makes needs that build, and not that image from the engine', (t) => {
  const dir = path.join(ROOT, 'test', 'fixtures', 'migrate', 'shape-chained-from-base', 'input');
  const { analysis } = analyzeDirectory(dir, { displayBase: ROOT });
  t.deepEqual([...neededBuilds(analysis!)].map((b) => b.tags[0]).sort(), [
    'app-base:latest',
    'app:build',
    'app:latest',
  ]);
  t.deepEqual(
    legacyBases(analysis!, new Map()).map((u) => u.image),
    ['busybox:latest', 'busybox:latest'],
  );
});

test('missing images: one RS701 per image at its first use; an engine error that is not "no such image" is thrown on', async (t) => {
  const asked: string[] = [];
  const engine = {
    inspectImage: async (ref: string) => {
      asked.push(ref);
      if (ref === 'here:1') return { Id: 'x' };
      throw new EngineError('no such image', [], 1, 'Error: No such image', true);
    },
  } as unknown as Engine;
  const at = { file: 'Dockerfile', line: 1, column: 6 };
  const found = await missingBases(
    engine,
    [
      { image: 'here:1', written: 'here:1', at },
      { image: 'gone:2', written: 'gone', at },
      { image: 'gone:2', written: 'gone', at: { ...at, line: 4 } },
    ],
    new AbortController().signal,
  );
  t.deepEqual(asked, ['here:1', 'gone:2']);
  t.is(found.length, 1);
  t.like(found[0], { code: 'RS701', line: 1 });
  t.regex(
    found[0]!.message,
    /the image gone:2 \(gone mapped by --image-map\) is not on the engine.*--image-map gone:latest=<local image>/,
  );
  const broken = {
    inspectImage: async () => {
      throw new EngineError('daemon gone', [], 1, 'Cannot connect', false);
    },
  } as unknown as Engine;
  await t.throwsAsync(missingBases(broken, [{ image: 'a:1', written: 'a:1', at }], new AbortController().signal), {
    message: 'daemon gone',
  });
});

test('a run without analysis: every Dockerfile it may build, less the images the orchestrators name', (t) => {
  const dockerfiles = [
    { file: 'Dockerfile.build', text: 'FROM golang:1.22\nRUN make\n' },
    { file: 'Dockerfile', text: 'FROM myorg/builder AS b\nFROM busybox\nCOPY --from=b /app /app\n' },
    { file: 'docker/Dockerfile.tools', text: 'FROM tools:3\n' },
  ];
  const makefile =
    'IMAGE=myorg/builder\nbuild:\n\tdocker build -t $(IMAGE) -f Dockerfile.build .\n\tdocker build -t "tools:3" .\n';
  const uses = runBases(dockerfiles, [makefile], new Map([['busybox', 'testbase/busybox:latest']]));
  t.deepEqual(
    uses.map((u) => `${u.image} ${u.at.file}:${u.at.line}`),
    ['golang:1.22 Dockerfile.build:1', 'testbase/busybox:latest Dockerfile:2'],
  );
});

test('a run without analysis: an absent image is an RS709 warning, not an RS701 refusal', async (t) => {
  const engine = {
    inspectImage: async () => {
      throw new EngineError('no such image', [], 1, 'Error: No such image', true);
    },
  } as unknown as Engine;
  const at = { file: 'Dockerfile.build', line: 1, column: 6 };
  const found = await missingBases(
    engine,
    [{ image: 'golang:1.22', written: 'golang:1.22', at }],
    new AbortController().signal,
    'RS709',
  );
  t.deepEqual(
    found.map((d) => [d.code, d.severity, d.file, d.line]),
    [['RS709', 'warning', 'Dockerfile.build', 1]],
  );
  t.regex(found[0]!.message, /if the legacy run builds this Dockerfile, that build fails.*--image-map golang:1\.22=/);
});
