/** planMigration: the plan of a builder pattern, from an Analysis built in memory. */
import test from 'ava';
import { planMigration } from '../../src/plan/index.js';
import { analysisOf, BUILDER_PATTERN, display, PROJ } from '../helpers/analysis.js';

const options = (dockerignores: string[] = []) => ({
  root: PROJ,
  output: `${PROJ}/Dockerfile`,
  display,
  dockerignores: new Set(dockerignores),
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
    'no .dockerignore given as present',
  );
});

test('a .dockerignore present in a context that stops being one is RS505', (t) => {
  const plan = planMigration(analysisOf(SPLIT_CONTEXTS), options([`${PROJ}/src/.dockerignore`]))!;
  const rs505 = plan.diagnostics.filter((d) => d.code === 'RS505');
  t.deepEqual(
    rs505.map((d) => [d.file, d.line]),
    [['src/.dockerignore', 1]],
  );
  t.regex(rs505[0]!.message, /merge its patterns \(prefixed with src\/\) into \.dockerignore$/);
});
