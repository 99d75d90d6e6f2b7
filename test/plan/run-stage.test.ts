/**
 * Run stages: the Dockerfile lines that reproduce a container's commands (src/plan/run-stage.ts),
 * one table through one macro, then the stage inserted before the runtime and the consumptions
 * pointed at it.
 */
import test from 'ava';
import { planRunStages, runStageLines } from '../../src/plan/run-stage.js';
import { StageNames } from '../../src/plan/names.js';
import type { ContainerRun, RunStep } from '../../src/model/analysis.js';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import { parseDockerfile } from '../../src/parse/dockerfile.js';
import { validate } from 'dockerfile-utils';
import type { Consumption } from '../../src/model/analysis.js';

const AT = { file: 'build.sh', line: 4, column: 1 };
const step = (over: Partial<RunStep>): RunStep => ({
  at: AT,
  argv: ['make'],
  workdir: null,
  user: null,
  env: [],
  binds: [],
  ...over,
});
const runOf = (...steps: RunStep[]): ContainerRun => ({ container: 'c', at: AT, steps });
const upper = (w: string) => w;

const lines = test.macro({
  exec(t, run: ContainerRun, expected: string[] | null, codes: string[] = []) {
    const diagnostics: Diagnostic[] = [];
    const got = runStageLines(run, 'builder', 'builder-run', '/proj', upper, '\\', (p) => p.slice(6), diagnostics);
    t.deepEqual(got, expected);
    t.deepEqual(
      diagnostics.map((d) => d.code),
      codes,
    );
    if (got) {
      const text = `FROM busybox AS builder\n${got.join('\n')}\n`;
      t.deepEqual(
        validate(text).filter((d) => d.severity === 1),
        [],
        'the stage parses clean',
      );
    }
  },
  title: (what = '') => `run stage: ${what}`,
});

test(
  'the exact argv as an exec-form RUN, nothing else',
  lines,
  runOf(step({ argv: ['go', 'build', '-o', '/out/app'] })),
  ['FROM builder AS builder-run', 'RUN ["go", "build", "-o", "/out/app"]'],
);

test(
  '-w, -u and -e as WORKDIR, USER and ENV; a value with $ or quotes is escaped so the Dockerfile keeps it literal',
  lines,
  runOf(
    step({
      argv: ['sh', '-c', 'echo "$A" > x'],
      workdir: '/src dir',
      user: '1000:1000',
      env: [
        ['A', 'the $USER'],
        ['B', 'say "hi"'],
        ['C', 'plain'],
      ],
    }),
  ),
  [
    'FROM builder AS builder-run',
    'WORKDIR "/src dir"',
    'USER 1000:1000',
    'ENV A="the \\$USER" B="say \\"hi\\"" C=plain',
    'RUN ["sh", "-c", "echo \\"$A\\" > x"]',
  ],
);

test(
  'several steps in order; WORKDIR/USER/ENV repeated only when they change',
  lines,
  runOf(
    step({ argv: ['a'], workdir: '/w', env: [['K', 'v']] }),
    step({ argv: ['b'], workdir: '/w', user: '1000', env: [['K', 'v']] }),
    step({ argv: ['c'], workdir: '/src', user: '0' }),
  ),
  [
    'FROM builder AS builder-run',
    'WORKDIR /w',
    'ENV K=v',
    'RUN ["a"]',
    'USER 1000',
    'RUN ["b"]',
    'WORKDIR /src',
    'USER 0',
    'RUN ["c"]',
  ],
);

test(
  "bind mounts: a directory of the tree is COPYed to the mount point (the image's files there stay), an empty one is made by WORKDIR",
  lines,
  runOf(
    step({
      argv: ['go', 'build', '-o', '/src/out/app'],
      workdir: '/src',
      binds: [
        { at: AT, source: '/proj', target: '/src' },
        { at: AT, source: '/proj/assets', target: '/srv/assets' },
        { at: AT, source: null, target: '/out' },
      ],
    }),
  ),
  [
    'FROM builder AS builder-run',
    'COPY . /src',
    'COPY assets/ /srv/assets',
    'WORKDIR /out',
    'WORKDIR /src',
    'RUN ["go", "build", "-o", "/src/out/app"]',
  ],
);

test(
  'a bind source with a space is copied in JSON form',
  lines,
  runOf(step({ workdir: '/w', binds: [{ at: AT, source: '/proj/my src', target: '/w' }] })),
  ['FROM builder AS builder-run', 'COPY ["my src/","/w"]', 'WORKDIR /w', 'RUN ["make"]'],
);

test(
  'RS332: a bind source outside the build context cannot be copied',
  lines,
  runOf(step({ binds: [{ at: AT, source: '/elsewhere', target: '/src' }] })),
  null,
  ['RS332'],
);

test('planRunStages: the stage goes before the runtime stage, and its consumptions copy from it', (t) => {
  const runtime = parseDockerfile('Dockerfile', 'FROM busybox\nCOPY app /app\n').dockerfile;
  const run = runOf(step({ argv: ['make'] }));
  const consumption = {
    artifact: { run },
    instruction: runtime.stages[0]!.instructions.find((i) => i.keyword === 'COPY')!,
  } as unknown as Consumption;
  const plain = {
    artifact: { run: null },
    instruction: runtime.stages[0]!.instructions.find((i) => i.keyword === 'COPY')!,
  } as unknown as Consumption;
  const base = { source: { ref: 'builder', chown: true }, stageName: 'builder', noShell: false };
  const diagnostics: Diagnostic[] = [];
  const plan = planRunStages(
    [consumption, plain],
    () => base,
    runtime,
    new StageNames(['builder']),
    '/proj',
    (p) => p,
    diagnostics,
  );
  t.deepEqual(diagnostics, []);
  t.deepEqual(plan.stages, [{ name: 'builder-run', from: 'builder', source: 'Dockerfile', role: 'other' }]);
  t.deepEqual(plan.edits, [{ start: 0, end: 0, text: 'FROM builder AS builder-run\nRUN ["make"]\n\n' }]);
  t.is(plan.sourceOf(consumption).source.ref, 'builder-run');
  t.is(plan.sourceOf(consumption).stageName, 'builder-run');
  t.is(plan.sourceOf(plain).source.ref, 'builder');
});

test(
  "a step's output into a path: /bin/sh opens it, then execs the same argv; the directory is made first",
  lines,
  runOf(step({ argv: ['app', '--version', '$HOME "q"'], stdoutTo: '/restage/stdout/4-VERSION' })),
  [
    'FROM builder AS builder-run',
    'RUN ["/bin/sh", "-c", "mkdir -p /restage/stdout && exec \\"$0\\" \\"$@\\" > /restage/stdout/4-VERSION", "app", "--version", "$HOME \\"q\\""]',
  ],
);

test(
  'a step run as another user: root makes the directory writable by all, then the step runs as that user',
  lines,
  runOf(
    step({ argv: ['make'], user: '1000' }),
    step({ argv: ['cat', '/a', '/b'], user: '1000', stdoutTo: '/restage/stdout/5-ab' }),
  ),
  [
    'FROM builder AS builder-run',
    'USER 1000',
    'RUN ["make"]',
    'USER 0',
    'RUN ["/bin/sh", "-c", "mkdir -p /restage/stdout && chmod 1777 /restage/stdout"]',
    'USER 1000',
    'RUN ["/bin/sh", "-c", "exec \\"$0\\" \\"$@\\" > /restage/stdout/5-ab", "cat", "/a", "/b"]',
  ],
);
