/**
 * Failing seeds of the property suite, replayed as regular tests (test/fixtures/property/<case>):
 * each once crashed restage, produced an unlocated or out-of-file diagnostic, or was misjudged by the harness.
 */
import test from 'ava';
import path from 'node:path';
import { ROOT } from '../helpers/fixtures.js';
import { check, leadingDirectives } from './harness.js';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'property');

test('deep-if: 2,000 nested ifs exhausted the stack; now RS311 at the level that is too deep', async (t) => {
  const { result, exitCode } = await check(path.join(FIXTURES, 'deep-if'));
  t.is(exitCode, 2);
  t.deepEqual(
    result.diagnostics.map((d) => `${d.code} ${d.file}:${d.line}`),
    ['RS311 build.sh:499'],
  );
});

test('validator-bom: an instruction after a BOM before FROM made the validator recurse forever; now validated', async (t) => {
  const { result, exitCode } = await check(path.join(FIXTURES, 'validator-bom'));
  t.is(exitCode, 2);
  t.false(result.diagnostics.some((d) => d.code === 'RS206'));
  t.true(
    result.diagnostics.some((d) => d.code === 'RS201' && d.file === 'Dockerfile.build' && d.line === 1),
    JSON.stringify(result.diagnostics),
  );
});

test('lone-cr: a lone \\r in a Dockerfile gave instructions empty spans (a COPY with no sources); now RS205 where it is', async (t) => {
  const { result, exitCode } = await check(path.join(FIXTURES, 'lone-cr'));
  t.is(exitCode, 2);
  t.true(
    result.diagnostics.some((d) => d.code === 'RS205' && d.file === 'Dockerfile' && d.line === 1 && d.column === 12),
    JSON.stringify(result.diagnostics),
  );
});

test('syntax-comment: a `# syntax=` comment below FROM was taken for an emitted parser directive; it is a comment, kept', async (t) => {
  const { result, exitCode } = await check(path.join(FIXTURES, 'syntax-comment'));
  t.is(exitCode, 0);
  t.is(result.status, 'migrated');
  t.regex(result.dockerfile ?? '', /^FROM [^\n]*\n[\s\S]*\n# syntax=docker\/dockerfile:1\n/);
  t.deepEqual([...leadingDirectives(result.dockerfile ?? '')], []);
  t.deepEqual([...leadingDirectives('# syntax=docker/dockerfile:1\nFROM scratch\n')], ['syntax']);
});
