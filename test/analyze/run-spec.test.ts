/**
 * The run options restage reads into a RunSpec (src/analyze/run-spec.ts): command words,
 * --entrypoint, -w, -u, literal -e, and each mount's kind; what is not literal is listed, located.
 */
import test from 'ava';
import { parseShell } from '../../src/parse/shell.js';
import { analyzeScript } from '../../src/analyze/script.js';
import { keepsAlive } from '../../src/analyze/run-spec.js';
import type { RunSpec } from '../../src/model/flow.js';

function specOf(line: string): RunSpec {
  const parsed = parseShell('build.sh', `${line}\n`);
  const { flow } = analyzeScript(parsed.script!, '/proj', '/proj/build.sh');
  const create = flow.events.find((e) => e.kind === 'create');
  if (create?.kind !== 'create' || !create.run) throw new Error(`no run spec for ${line}`);
  return create.run;
}

const reads = test.macro({
  exec(t, line: string, expected: Partial<Omit<RunSpec, 'at'>>) {
    const spec = specOf(line);
    for (const [key, value] of Object.entries(expected)) t.deepEqual(spec[key as keyof RunSpec], value, key);
  },
  title: (_p, line: string) => `reads: ${line}`,
});

test(reads, "docker run --name c -w /src -u 1000 -e A=1 --env 'B=x y' img make dist", {
  entrypoint: null,
  args: ['make', 'dist'],
  workdir: '/src',
  user: '1000',
  env: [
    ['A', '1'],
    ['B', 'x y'],
  ],
  unreadable: [],
});
test(reads, "docker create --name c --entrypoint /bin/sh img -c 'make'", {
  entrypoint: '/bin/sh',
  args: ['-c', 'make'],
});
test(reads, 'docker run --rm -v "$PWD/out:/out" -v ./rel:/rel:ro,z -v cache:/root/.cache -v /anon img', {
  mounts: [
    {
      at: { file: 'build.sh', line: 1, column: 20 },
      kind: 'bind',
      source: '/proj/out',
      target: '/out',
      readOnly: false,
      written: '"$PWD/out:/out"',
    },
    {
      at: { file: 'build.sh', line: 1, column: 39 },
      kind: 'bind',
      source: '/proj/rel',
      target: '/rel',
      readOnly: true,
      written: './rel:/rel:ro,z',
    },
    {
      at: { file: 'build.sh', line: 1, column: 58 },
      kind: 'volume',
      source: 'cache',
      target: '/root/.cache',
      readOnly: false,
      written: 'cache:/root/.cache',
    },
    {
      at: { file: 'build.sh', line: 1, column: 80 },
      kind: 'volume',
      source: '',
      target: '/anon',
      readOnly: false,
      written: '/anon',
    },
  ],
});
test(reads, 'docker run --rm --mount type=bind,source=$(pwd)/out,target=/out,readonly --tmpfs /tmp:size=1m img', {
  mounts: [
    {
      at: { file: 'build.sh', line: 1, column: 25 },
      kind: 'bind',
      source: '/proj/out',
      target: '/out',
      readOnly: true,
      written: 'type=bind,source=$(pwd)/out,target=/out,readonly',
    },
    {
      at: { file: 'build.sh', line: 1, column: 82 },
      kind: 'tmpfs',
      source: '',
      target: '/tmp',
      readOnly: false,
      written: '/tmp:size=1m',
    },
  ],
});

test('what is not literal is unreadable, on its word: -e NAME, an unset variable, a relative -w; --env-file is kept to be read', (t) => {
  const spec = specOf('docker run --name c -e HOME --env-file a.env -w rel img echo "$UNSET_X"');
  t.is(spec.unreadable.length, 3);
  t.deepEqual(
    spec.envFiles?.map((f) => f.path),
    ['/proj/a.env'],
  );
  t.true(spec.unreadable.some((u) => /-e HOME/.test(u.why)));
  t.true(spec.unreadable.some((u) => /\$UNSET_X/.test(u.why)));
  t.true(spec.unreadable.some((u) => /not an absolute path/.test(u.why)));
});

const alive: [string[], boolean][] = [
  [['sleep', 'infinity'], true],
  [['/bin/sleep', '3600'], true],
  [['sleep', '1d'], true],
  [['tail', '-f', '/dev/null'], true],
  [['sleep'], false],
  [['make'], false],
  [['tail', '-f', '/var/log/x'], false],
];
for (const [words, expected] of alive)
  test(`keepsAlive(${words.join(' ')}) is ${expected}`, (t) => t.is(keepsAlive(words), expected));
