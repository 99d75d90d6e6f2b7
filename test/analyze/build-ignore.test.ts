/**
 * resolveBuildIgnore: which ignore file filters a build's context, by builder
 * (test/e2e/dockerignore-file.test.ts measures the facts on the engine).
 */
import test from 'ava';
import { dockerfileIgnorePath, isUndecided, resolveBuildIgnore } from '../../src/analyze/build-ignore.js';
import type { Builder } from '../../src/model/flow.js';

const CONTEXT_IGNORE = '/proj/.dockerignore';
const OWN = '/proj/Dockerfile.build.dockerignore';
const build = (builder: Builder | null, streamed = false) => ({
  context: '/proj',
  dockerfile: '/proj/Dockerfile.build',
  builder,
  ...(streamed ? { streamed: { at: { file: 'build.sh', line: 1, column: 1 } } } : {}),
});
const tree =
  (files: Record<string, string>) =>
  (file: string): string | null =>
    files[file] ?? null;

test('the Dockerfile’s own ignore file is the -f path with .dockerignore appended', (t) => {
  t.is(dockerfileIgnorePath('/proj/docker/Dockerfile'), '/proj/docker/Dockerfile.dockerignore');
  t.is(dockerfileIgnorePath('/proj/build.Dockerfile'), '/proj/build.Dockerfile.dockerignore');
});

test('BuildKit: the Dockerfile’s own file, instead of (not merged with) the context’s', (t) => {
  const got = resolveBuildIgnore(build('buildkit'), tree({ [CONTEXT_IGNORE]: 'a\n', [OWN]: 'b\n' }));
  t.deepEqual(got, { file: OWN, rules: [{ exception: false, pattern: 'b' }] });
});

test('BuildKit: an empty own file leaves out nothing', (t) => {
  const got = resolveBuildIgnore(build('buildkit'), tree({ [CONTEXT_IGNORE]: 'a\n', [OWN]: '' }));
  t.deepEqual(got, { file: OWN, rules: [] });
});

test('the classic builder: the context’s file, whatever lies beside the Dockerfile', (t) => {
  const got = resolveBuildIgnore(build('classic'), tree({ [CONTEXT_IGNORE]: 'a\n', [OWN]: 'b\n' }));
  t.deepEqual(got, { file: CONTEXT_IGNORE, rules: [{ exception: false, pattern: 'a' }] });
});

test('no own file: the context’s under either builder (none at all: no file, no rules)', (t) => {
  for (const b of ['buildkit', 'classic', null] as const) {
    t.deepEqual(resolveBuildIgnore(build(b), tree({ [CONTEXT_IGNORE]: 'a\n' })), {
      file: CONTEXT_IGNORE,
      rules: [{ exception: false, pattern: 'a' }],
    });
    t.deepEqual(resolveBuildIgnore(build(b), tree({})), { file: null, rules: [] });
  }
});

test('the builder left to the engine: undecided when the two files hold different rules', (t) => {
  const got = resolveBuildIgnore(build(null), tree({ [CONTEXT_IGNORE]: 'a\n', [OWN]: 'b\n' }));
  t.true(isUndecided(got));
  t.deepEqual(got, { undecided: { own: OWN, context: CONTEXT_IGNORE }, rules: [{ exception: false, pattern: 'a' }] });
  const noContextFile = resolveBuildIgnore(build(null), tree({ [OWN]: 'b\n' }));
  t.deepEqual(noContextFile, { undecided: { own: OWN, context: null }, rules: [] });
});

test('the builder left to the engine: the same rules (comments aside) decide nothing', (t) => {
  const got = resolveBuildIgnore(build(null), tree({ [CONTEXT_IGNORE]: '# mine\na\n', [OWN]: 'a\n' }));
  t.deepEqual(got, { file: CONTEXT_IGNORE, rules: [{ exception: false, pattern: 'a' }] });
});

test('a streamed build has no Dockerfile beside it; a staged .dockerignore is read from its origin', (t) => {
  const files = tree({ [CONTEXT_IGNORE]: 'a\n', [OWN]: 'b\n', '/proj/docker/.dockerignore': 'c\n' });
  t.is(resolveBuildIgnore(build('buildkit', true), files).rules[0]!.pattern, 'a');
  t.deepEqual(resolveBuildIgnore(build('classic'), files, '/proj/docker/.dockerignore'), {
    file: '/proj/docker/.dockerignore',
    rules: [{ exception: false, pattern: 'c' }],
  });
});
