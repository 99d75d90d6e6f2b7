/** The artifact flow drawn: stages, artifacts, uses; the legacy round trip beside the COPY --from. */
import test from 'ava';
import { flowTree, legacyRoute, renderGraph } from '../../src/emit/graph.js';
import type { MigrationResult } from '../../src/model/result.js';

const result: MigrationResult = {
  status: 'migrated',
  directory: 'app "x"',
  files: [],
  stages: [
    { name: 'builder', from: 'golang:1.22', source: 'app/Dockerfile.build' },
    { name: 'runtime', from: 'busybox', source: 'app/Dockerfile' },
  ],
  artifacts: [
    {
      stage: 'builder',
      path: '/out/app',
      hostPath: 'app/out/app',
      consumers: [
        { file: 'app/Dockerfile', line: 2, instruction: 'COPY out/app /usr/local/bin/', dest: '/usr/local/bin/' },
      ],
    },
    { stage: 'builder', path: '/out/doc "1"', hostPath: 'app/doc', via: 'stdout', consumers: [] },
  ],
  dockerfile: 'FROM golang:1.22 AS builder\n',
  buildCommand: 'docker build -t app .',
  obsolete: [],
  diagnostics: [],
  target: 'app/Dockerfile',
  written: [],
};

test('mermaid: one node per stage, host path and use; dotted legacy edges, thick COPY --from edges; quotes escaped', (t) => {
  const g = renderGraph([result], 'mermaid');
  t.true(g.startsWith('flowchart LR\n'));
  t.regex(g, /\n {2}s0\["builder<br\/>FROM golang:1\.22<br\/>app\/Dockerfile\.build"\]\n/);
  t.regex(g, /\n {2}h0\[\/"host: app\/out\/app"\/\]\n/);
  t.regex(g, /\n {2}s0 -\. "docker cp \/out\/app" \.-> h0\n/);
  t.regex(g, /\n {2}h0 -\. "COPY from the context" \.-> u0_0\n/);
  t.regex(g, /\n {2}s0 == "COPY --from=builder \/out\/app \/usr\/local\/bin\/" ==> u0_0\n/);
  t.regex(g, /"stdout \/out\/doc #quot;1#quot;"/);
  t.regex(g, /\n {2}u0_0 -- "in" --- s1\n/, 'the use belongs to the runtime stage of its file');
  t.notRegex(g, /[^=]"[^"\n]*"[^"\n]*"[^\s\]/)]/, 'no unescaped quote inside a label');
});

test('dot: a digraph with the same nodes and edges, labels escaped; several patterns are clusters', (t) => {
  const g = renderGraph([result], 'dot');
  t.regex(g, /^digraph restage \{\n {2}rankdir=LR;/);
  t.regex(g, /\n {2}s0 \[shape=box, label="builder\\nFROM golang:1\.22\\napp\/Dockerfile\.build"\];\n/);
  t.regex(g, /\n {2}s0 -> u0_0 \[label="COPY --from=builder \/out\/app \/usr\/local\/bin\/", style=bold\];\n/);
  t.regex(g, /\n {2}s0 -> h1 \[label="stdout \/out\/doc \\"1\\"", style=dashed\];\n/);
  t.true(g.endsWith('}\n'));
  const two = renderGraph([result, { ...result, directory: 'b' }], 'dot');
  t.regex(two, /subgraph cluster_0 \{\n {4}label="app \\"x\\"";/);
  t.regex(two, /subgraph cluster_1 \{\n {4}label="b";/);
  t.regex(two, /\n {4}p1s0 -> p1u0_0 /, 'ids are unique per pattern');
  const m = renderGraph([result, { ...result, directory: 'b' }], 'mermaid');
  t.is(m.match(/\n {2}subgraph /g)?.length, 2);
  t.is(m.match(/\n {2}end\n/g)?.length, 2);
});

test('flowTree: per stage, each artifact with its legacy round trip and the COPY --from that replaces it', (t) => {
  t.deepEqual(flowTree(result), [
    '  builder  FROM golang:1.22  (app/Dockerfile.build)',
    '    /out/app',
    '      legacy: docker cp → app/out/app → app/Dockerfile:2 COPY out/app /usr/local/bin/',
    '      now:    COPY --from=builder /out/app /usr/local/bin/  (app/Dockerfile:2)',
    '    /out/doc "1"',
    '      legacy: stdout → app/doc → (not consumed)',
  ]);
  t.is(legacyRoute({ stage: 'b', path: '/x', hostPath: 'x', via: 'bind', consumers: [] }), 'bind mount');
});
