/** planMigration: the plan of a builder pattern, from an Analysis built in memory. */
import test from 'ava';
import { planMigration } from '../../src/plan/index.js';
import path from 'node:path';
import { analysisOf, BUILDER_PATTERN, display, PROJ } from '../helpers/analysis.js';
import type { ContextTree } from '../../src/plan/dockerignore.js';
import { resolveBuildIgnore } from '../../src/analyze/build-ignore.js';

const options = () => ({
  root: PROJ,
  output: `${PROJ}/Dockerfile`,
  display,
});

test('the builder pattern: builder and runtime stages, one build command, the legacy flow obsolete', (t) => {
  const plan = planMigration(analysisOf(BUILDER_PATTERN), options())!;
  t.deepEqual(
    plan.stages.map((s) => [s.name, s.from, s.source, s.role]),
    [
      ['builder', 'golang:1.22', 'Dockerfile.build', 'builder'],
      ['runtime', 'alpine:3.19', 'Dockerfile', 'runtime'],
    ],
  );
  t.is(plan.buildCommand, 'docker build -t app:latest .');
  t.deepEqual(plan.obsolete, ['build.sh', 'Dockerfile.build', 'image app:build']);
  t.deepEqual(
    plan.diagnostics.map((d) => d.code),
    ['RS501'],
  );
});

test('--out elsewhere: the command names the file with -f, relative to the directory', (t) => {
  const plan = planMigration(analysisOf(BUILDER_PATTERN), { ...options(), output: `${PROJ}/out/Dockerfile` })!;
  t.is(plan.buildCommand, 'docker build -t app:latest -f out/Dockerfile .');
});

test('no runtime build: no plan', (t) => {
  t.is(planMigration(analysisOf({ ...BUILDER_PATTERN, Dockerfile: 'FROM alpine\n' }), options()), null);
});

const SPLIT_CONTEXTS = {
  ...BUILDER_PATTERN,
  'build.sh':
    'docker build -t app:build -f Dockerfile.build src\ndocker create --name x app:build\ndocker cp x:/src/app ./app\ndocker rm -f x\ndocker build -t app:latest .\n',
  'src/main.go': 'package main\n',
  'src/.dockerignore': '*.md\n',
};

/** A ContextTree over the in-memory files at /proj. */
const treeOf = (files: Readonly<Record<string, string>>): ContextTree => ({
  text: (file) => files[path.relative(PROJ, file)] ?? null,
  entries: (dir) => {
    const rel = path.relative(PROJ, dir);
    const below = Object.keys(files)
      .filter((f) => rel === '' || f.startsWith(`${rel}/`))
      .map((f) => (rel === '' ? f : f.slice(rel.length + 1)));
    return [...new Set(below.flatMap((f) => f.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'))))];
  },
});

test('different contexts: merged into the common ancestor, builder COPY sources re-rooted (RS503)', (t) => {
  const plan = planMigration(analysisOf(SPLIT_CONTEXTS), options())!;
  t.is(plan.context, PROJ);
  const rs503 = plan.diagnostics.filter((d) => d.code === 'RS503');
  t.deepEqual(
    rs503.map((d) => d.file),
    ['Dockerfile.build'],
  );
  t.regex(rs503[0]!.message, /prefixed its 1 COPY\/ADD source with src\/$/);
  t.false(
    plan.diagnostics.some((d) => d.code === 'RS505'),
    'no tree given: no .dockerignore',
  );
  t.falsy(plan.dockerignore);
});

test('a .dockerignore of a context that stops being one: re-rooted into the merged context’s, RS505 says so', (t) => {
  const plan = planMigration(analysisOf(SPLIT_CONTEXTS), { ...options(), tree: treeOf(SPLIT_CONTEXTS) })!;
  t.deepEqual(plan.dockerignore, {
    path: `${PROJ}/.dockerignore`,
    text: '# restage: the build context src/ is now part of this one; its .dockerignore, re-rooted below it\nsrc/*.md\n',
    previous: null,
  });
  const rs505 = plan.diagnostics.filter((d) => d.code === 'RS505');
  t.deepEqual(
    rs505.map((d) => [d.file, d.line, d.severity]),
    [['.dockerignore', 1, 'info']],
  );
  t.regex(rs505[0]!.message, /the rules of src\/\.dockerignore re-rooted below src\//);
});

test('COPY . of a build whose context was a sub-directory copies that directory from the merged context', (t) => {
  const files = {
    ...BUILDER_PATTERN,
    'build.sh':
      'docker build -t app:build -f Dockerfile.build .\ndocker create --name x app:build\ndocker cp x:/src/app docker/app\ndocker rm -f x\ndocker build -t app:latest docker\n',
    'docker/Dockerfile': 'FROM alpine:3.19\nCOPY . /srv\n',
    'docker/conf.yml': 'a: 1\n',
  };
  const plan = planMigration(analysisOf(files), { ...options(), tree: treeOf(files) })!;
  const runtime = plan.files.find((f) => f.dockerfile.file === 'docker/Dockerfile')!;
  t.true(runtime.edits.some((e) => e.text === 'docker'));
  t.falsy(plan.dockerignore, 'no .dockerignore anywhere: none written');
});

const BB = 'FROM busybox:latest\n';
const extract = (tag: string, from: string, to: string) =>
  `docker create --name x ${tag}\ndocker cp x:${from} ${to}\ndocker rm -f x\n`;

test('chained builders, FROM: the image an earlier build made is that build’s stage, dependencies first (RS354)', (t) => {
  const plan = planMigration(
    analysisOf({
      'Dockerfile.base': `${BB}RUN echo sdk > /sdk\n`,
      'Dockerfile.build': 'FROM app-base:1\nRUN cp /sdk /app\n',
      Dockerfile: `${BB}COPY app /app\n`,
      'build.sh': `docker build -t app-base:1 -f Dockerfile.base .\ndocker build -t app:build -f Dockerfile.build .\n${extract('app:build', '/app', './app')}docker build -t app:1 .\n`,
    }),
    options(),
  )!;
  t.deepEqual(
    plan.stages.map((s) => [s.name, s.from]),
    [
      ['app-base', 'busybox:latest'],
      ['app', 'app-base'],
      ['runtime', 'busybox:latest'],
    ],
  );
  t.deepEqual(
    plan.diagnostics.filter((d) => d.code === 'RS354').map((d) => [d.file, d.line]),
    [['Dockerfile.build', 1]],
  );
  t.deepEqual(plan.obsolete, [
    'build.sh',
    'Dockerfile.base',
    'Dockerfile.build',
    'image app-base:1',
    'image app:build',
  ]);
  t.deepEqual(
    plan.replacedBuilds?.map((b) => b.tags[0]),
    ['app-base:1', 'app:build', 'app:1'],
  );
});

test('chained builders, context: the second builder copies the first one’s artifact from its stage, with --chown=0:0', (t) => {
  const analysis = analysisOf({
    'Dockerfile.gen': `${BB}RUN echo v1 > /v.h\n`,
    'Dockerfile.build': `${BB}COPY v.h /src/\nRUN cp /src/v.h /app\n`,
    Dockerfile: `${BB}COPY app /app\n`,
    'build.sh': `docker build -t gen:1 -f Dockerfile.gen .\n${extract('gen:1', '/v.h', './v.h')}chmod 600 v.h\ndocker build -t app:build -f Dockerfile.build .\n${extract('app:build', '/app', './app')}docker build -t app:1 .\n`,
  });
  t.false(
    analysis.diagnostics.some((d) => d.code === 'RS108'),
    'the first builder feeds the runtime: no second runtime',
  );
  const plan = planMigration(analysis, options())!;
  t.deepEqual(
    plan.stages.map((s) => s.name),
    ['gen', 'gen-modes', 'app', 'runtime'],
  );
  const build = plan.files.find((f) => f.dockerfile.file === 'Dockerfile.build')!;
  t.true(build.edits.some((e) => e.text.includes('FROM gen AS gen-modes\nUSER 0\nRUN chmod 600 /v.h')));
  t.true(build.edits.some((e) => e.text === '--from=gen-modes --chown=0:0 '));
});

test('--target: the builder file’s stages after the target are cut; --platform on its FROM lines when the runtime has none', (t) => {
  const plan = planMigration(
    analysisOf({
      'Dockerfile.build': `${BB.trim()} AS deps\nRUN echo d > /d\nFROM deps AS compile\nRUN echo c > /app\n# tests\nFROM compile AS test\nRUN false\n`,
      Dockerfile: `${BB}COPY app /app\n`,
      'build.sh': `docker build --target compile --platform linux/arm64 -t app:build -f Dockerfile.build .\n${extract('app:build', '/app', './app')}docker build -t app:1 .\n`,
    }),
    options(),
  )!;
  t.deepEqual(
    plan.stages.map((s) => s.name),
    ['deps', 'compile', 'runtime'],
  );
  const file = plan.files[0]!;
  const cut = file.edits.find((e) => e.end === file.dockerfile.text.length && e.text === '')!;
  t.is(file.dockerfile.text.slice(cut.start), '# tests\nFROM compile AS test\nRUN false\n');
  t.deepEqual(
    file.edits.filter((e) => e.text.includes('--platform')).map((e) => e.text),
    [' --platform=linux/arm64'],
    'only the stage FROM an image, not the one FROM deps',
  );
});

test('chained builders: a later builder file’s global ARGs go above the first FROM too', (t) => {
  const plan = planMigration(
    analysisOf({
      'Dockerfile.gen': `${BB}RUN echo v1 > /v.h\n`,
      'Dockerfile.build': 'ARG BASE=busybox:latest\nFROM ${BASE}\nCOPY v.h /src/\nRUN cp /src/v.h /app\n',
      Dockerfile: `${BB}COPY app /app\n`,
      'build.sh': `docker build -t gen:1 -f Dockerfile.gen .\n${extract('gen:1', '/v.h', './v.h')}docker build -t app:build -f Dockerfile.build .\n${extract('app:build', '/app', './app')}docker build -t app:1 .\n`,
    }),
    options(),
  )!;
  t.deepEqual(plan.hoistedArgs, ['ARG BASE=busybox:latest']);
  const build = plan.files.find((f) => f.dockerfile.file === 'Dockerfile.build')!;
  t.true(build.edits.some((e) => e.start === 0 && e.text === '' && e.end === 'ARG BASE=busybox:latest\n'.length));
});

test('the runtime build’s --platform with a builder built without one: RS355 on the builder build', (t) => {
  const plan = planMigration(
    analysisOf({
      'Dockerfile.build': `${BB}RUN echo c > /app\n`,
      Dockerfile: `${BB}COPY app /app\n`,
      'build.sh': `docker build -t app:build -f Dockerfile.build .\n${extract('app:build', '/app', './app')}docker build --platform linux/arm64 -t app:1 .\n`,
    }),
    options(),
  )!;
  t.is(plan.buildCommand, 'docker build --platform linux/arm64 -t app:1 .');
  t.deepEqual(
    plan.diagnostics.filter((d) => d.code === 'RS355').map((d) => [d.file, d.line]),
    [['build.sh', 1]],
  );
});

/**
 * The ignore file the one build reads (`mergedIgnore`): the merged Dockerfile's own
 * `<Dockerfile>.dockerignore` under BuildKit, the context's `.dockerignore` otherwise; the builder
 * left to the engine with an own file that differs: RS510.
 */
const OWN_FILE = {
  ...BUILDER_PATTERN,
  '.dockerignore': '*.md\n',
  'Dockerfile.dockerignore': '*.md\nmain.go\n',
};
const withBuilder = (prefix: string) =>
  BUILDER_PATTERN['build.sh']!.replace(/^docker build/gm, `${prefix}docker build`);
/** treeOf, and each build's ignore file as the analysis resolves it. */
const treeWithIgnores = (files: Readonly<Record<string, string>>): ContextTree => ({
  ...treeOf(files),
  ignoreOf: (build) => {
    const got = resolveBuildIgnore(build, (f) => files[path.relative(PROJ, f)] ?? null);
    return 'file' in got ? got.file : path.join(build.context, '.dockerignore');
  },
});

test('BuildKit, the merged Dockerfile has its own ignore file: the additions go there', (t) => {
  const files = { ...OWN_FILE, 'build.sh': withBuilder('DOCKER_BUILDKIT=1 ') };
  const plan = planMigration(analysisOf(files), { ...options(), tree: treeWithIgnores(files) })!;
  t.is(plan.builder, 'buildkit');
  t.is(plan.dockerignore!.path, `${PROJ}/Dockerfile.dockerignore`);
  t.is(plan.dockerignore!.previous, '*.md\nmain.go\n');
  t.true(plan.dockerignore!.text.endsWith('\n!main.go\n'));
});

test('the classic builder: the Dockerfile’s own file is not read, and one .dockerignore served both builds', (t) => {
  const files = { ...OWN_FILE, 'build.sh': withBuilder('DOCKER_BUILDKIT=0 ') };
  const plan = planMigration(analysisOf(files), { ...options(), tree: treeWithIgnores(files) })!;
  t.is(plan.builder, 'classic');
  t.falsy(plan.dockerignore);
  t.false(plan.diagnostics.some((d) => d.code === 'RS505' || d.code === 'RS510'));
});

test('the builder left to the engine, --out beside an own ignore file that differs: RS510 at that file', (t) => {
  const files = { ...BUILDER_PATTERN, '.dockerignore': '*.md\n', 'out/Dockerfile.dockerignore': 'main.go\n' };
  const plan = planMigration(analysisOf(files), {
    ...options(),
    output: `${PROJ}/out/Dockerfile`,
    tree: treeWithIgnores(files),
  })!;
  t.is(plan.builder, null);
  t.falsy(plan.dockerignore);
  const rs510 = plan.diagnostics.filter((d) => d.code === 'RS510');
  t.deepEqual(
    rs510.map((d) => [d.severity, d.file, d.line]),
    [['error', 'out/Dockerfile.dockerignore', 1]],
  );
  t.regex(rs510[0]!.message, /the two files leave out different paths: set DOCKER_BUILDKIT=1 \(or 0\)/);
  // The same rules there, and nothing to add: either file serves.
  const same = { ...files, 'out/Dockerfile.dockerignore': '*.md\n' };
  const ok = planMigration(analysisOf(same), {
    ...options(),
    output: `${PROJ}/out/Dockerfile`,
    tree: treeWithIgnores(same),
  })!;
  t.false(ok.diagnostics.some((d) => d.code === 'RS510'));
  t.falsy(ok.dockerignore);
});
