import test from 'ava';
import { differ } from '../../../src/verify/differs/history.js';
import { defaultCompareOptions, type Difference, type LayerFact } from '../../../src/verify/model.js';
import { side } from '../helpers/facts.js';

/** A history entry; `layer: false` marks a metadata-only instruction. */
type Layer = string | { readonly createdBy: string; readonly layer: false };
const fact = (layer: Layer): LayerFact =>
  typeof layer === 'string'
    ? { createdBy: layer, emptyLayer: false }
    : { createdBy: layer.createdBy, emptyLayer: true };

/**
 * Expected: the two layer-count notes are always there (legacy and migrated counts given as
 * [entries, filesystem layers] pairs), then one note per instruction kind whose counts differ.
 */
const history = test.macro(
  (
    t,
    legacy: readonly Layer[],
    migrated: readonly Layer[],
    counts: readonly [readonly [number, number], readonly [number, number]],
    kinds: Readonly<Record<string, readonly [number, number]>>,
  ) => {
    const found = differ.compare(
      side({ layers: legacy.map(fact) }),
      side({ layers: migrated.map(fact) }),
      defaultCompareOptions,
    );
    t.true(found.every((d) => d.kind === 'info' && d.aspect === 'history'));
    const [[lEntries, lFs], [mEntries, mFs]] = counts;
    const expected: Partial<Difference>[] = [
      { subject: 'layers', field: 'entries', legacy: lEntries, migrated: mEntries },
      { subject: 'layers', field: 'filesystem layers', legacy: lFs, migrated: mFs },
      ...Object.entries(kinds).map(([kind, [l, m]]) => ({
        subject: 'instructions',
        field: kind,
        legacy: l,
        migrated: m,
      })),
    ];
    t.deepEqual(
      found.map((d) => ({ subject: d.subject, field: d.field, legacy: d.legacy, migrated: d.migrated })),
      expected,
    );
  },
);

const classicCopy = '/bin/sh -c #(nop) COPY file:4b2a7c3d1e0f in /app ';
const buildkitCopy = 'COPY /out/app /app # buildkit';
const classicCmd = { createdBy: '/bin/sh -c #(nop)  CMD ["./app"]', layer: false } as const;
const buildkitCmd = { createdBy: 'CMD ["./app"]', layer: false } as const;

test(
  'classic and BuildKit spellings of the same instructions are the same kinds',
  history,
  [classicCopy, classicCmd, '/bin/sh -c make'],
  [buildkitCopy, buildkitCmd, 'RUN /bin/sh -c make # buildkit'],
  [
    [3, 2],
    [3, 2],
  ],
  {},
);

test(
  'classic COPY',
  history,
  [classicCopy],
  [],
  [
    [1, 1],
    [0, 0],
  ],
  { COPY: [1, 0] },
);
test(
  'BuildKit COPY',
  history,
  [],
  [buildkitCopy],
  [
    [0, 0],
    [1, 1],
  ],
  { COPY: [0, 1] },
);
test(
  'classic RUN',
  history,
  ['/bin/sh -c apt-get update'],
  [],
  [
    [1, 1],
    [0, 0],
  ],
  { RUN: [1, 0] },
);
test(
  'classic RUN with build args',
  history,
  ['|2 GOOS=linux VERSION=1 /bin/sh -c go build'],
  [],
  [
    [1, 1],
    [0, 0],
  ],
  { RUN: [1, 0] },
);
test(
  'classic RUN of a lower-case env command is still RUN',
  history,
  ['env CGO_ENABLED=0 go build'],
  [],
  [
    [1, 1],
    [0, 0],
  ],
  { RUN: [1, 0] },
);
test(
  'BuildKit RUN',
  history,
  ['RUN |1 X=y /bin/sh -c make # buildkit'],
  [],
  [
    [1, 1],
    [0, 0],
  ],
  { RUN: [1, 0] },
);
test(
  'classic metadata under another SHELL',
  history,
  [{ createdBy: '/bin/bash -c #(nop)  ENV A=b', layer: false }],
  [],
  [
    [1, 0],
    [0, 0],
  ],
  { ENV: [1, 0] },
);
test(
  'BuildKit metadata',
  history,
  [],
  [{ createdBy: 'EXPOSE map[8080/tcp:{}]', layer: false }, 'WORKDIR /app'],
  [
    [0, 0],
    [2, 1],
  ],
  { EXPOSE: [0, 1], WORKDIR: [0, 1] },
);
test(
  'docker import leaves no text',
  history,
  [''],
  [''],
  [
    [1, 1],
    [1, 1],
  ],
  {},
);
test(
  'an import against an ADD of the base',
  history,
  [''],
  ['/bin/sh -c #(nop) ADD file:abc in / '],
  [
    [1, 1],
    [1, 1],
  ],
  { other: [1, 0], ADD: [0, 1] },
);
test(
  'a builder pattern migrated: one COPY instead of two images',
  history,
  [classicCopy, { createdBy: '/bin/sh -c #(nop) WORKDIR /app', layer: false }, classicCmd],
  [buildkitCopy, 'COPY /src/config.yml /app # buildkit', { createdBy: 'WORKDIR /app', layer: false }, buildkitCmd],
  [
    [3, 1],
    [4, 2],
  ],
  { COPY: [1, 2] },
);
