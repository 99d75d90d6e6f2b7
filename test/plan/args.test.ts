/** renameBuildArgs: the same --build-arg with different values in two builds. */
import test from 'ava';
import { planMigration } from '../../src/plan/index.js';
import { analysisOf, display, PROJ } from '../helpers/analysis.js';

const options = { root: PROJ, output: `${PROJ}/Dockerfile`, display };
const pipeline = (builderArgs: string, runtimeArgs: string) =>
  `docker build ${builderArgs} -t app:build -f Dockerfile.build .\ndocker create --name x app:build\ndocker cp x:/app ./app\ndocker rm -f x\ndocker build ${runtimeArgs} -t app:1 .\n`;

const macro = test.macro(
  (
    t,
    files: Record<string, string>,
    expected: { codes: string[]; command: RegExp; renamed?: Record<string, string>; builder?: RegExp },
  ) => {
    const plan = planMigration(analysisOf(files), options)!;
    t.deepEqual(
      plan.diagnostics.map((d) => d.code).filter((c) => c === 'RS353' || c === 'RS502'),
      expected.codes,
    );
    t.regex(plan.buildCommand, expected.command);
    t.deepEqual(plan.renamedBuildArgs ?? {}, expected.renamed ?? {});
    if (expected.builder) {
      const f = plan.files[0]!;
      const text = [...f.edits]
        .sort((a, b) => b.start - a.start)
        .reduce((s, e) => s.slice(0, e.start) + e.text + s.slice(e.end), f.dockerfile.text);
      t.regex(text, expected.builder);
    }
  },
);

test(
  'different values: the builder ARG renamed, ENV keeps the old name, both passed (RS353)',
  macro,
  {
    'Dockerfile.build': 'FROM busybox\nARG V=0\nRUN echo $V > /app\n',
    Dockerfile: 'FROM busybox\nARG V\nCOPY app /app\n',
    'build.sh': pipeline('--build-arg V=1', '--build-arg V=2'),
  },
  {
    codes: ['RS353'],
    command: /--build-arg V_BUILDER=1 --build-arg V=2 /,
    renamed: { V_BUILDER: '1' },
    builder: /^ARG V_BUILDER=0\nENV V=\$\{V_BUILDER\}\nRUN echo \$V > \/app/m,
  },
);
test(
  'the same value: nothing renamed, passed once',
  macro,
  {
    'Dockerfile.build': 'FROM busybox\nARG V\nRUN echo $V > /app\n',
    Dockerfile: 'FROM busybox\nARG V\nCOPY app /app\n',
    'build.sh': pipeline('--build-arg V=1', '--build-arg V=1'),
  },
  { codes: [], command: /^docker build --build-arg V=1 -t app:1 \.$/ },
);
test(
  'a global ARG (it may feed a FROM line) is not renamed: RS502',
  macro,
  {
    'Dockerfile.build': 'ARG V\nFROM busybox\nARG V\nRUN echo $V > /app\n',
    Dockerfile: 'FROM busybox\nARG V\nCOPY app /app\n',
    'build.sh': pipeline('--build-arg V=1', '--build-arg V=2'),
  },
  { codes: ['RS502'], command: /--build-arg V=1 --build-arg V=2/ },
);
test(
  'a builder the runtime starts FROM is not renamed (the ENV would reach the image): RS502',
  macro,
  {
    'Dockerfile.build': 'FROM busybox\nARG V\nRUN echo $V > /app\n',
    Dockerfile: 'FROM app:build\nARG V\nCOPY app /app\n',
    'build.sh': pipeline('--build-arg V=1', '--build-arg V=2'),
  },
  { codes: ['RS502'], command: /--build-arg V=1 --build-arg V=2/ },
);
test(
  'a bare --build-arg V (its value from the environment) is not renamed: RS502',
  macro,
  {
    'Dockerfile.build': 'FROM busybox\nARG V\nRUN echo $V > /app\n',
    Dockerfile: 'FROM busybox\nARG V\nCOPY app /app\n',
    'build.sh': pipeline('--build-arg V', '--build-arg V=2'),
  },
  { codes: ['RS502'], command: /--build-arg V --build-arg V=2/ },
);
