/**
 * Emitted Dockerfiles introduce no dockerfile-utils diagnostic that the legacy Dockerfiles did
 * not have: for every golden case with an expected/Dockerfile, each diagnostic of the validator
 * (default settings: its errors and every warning, such as instruction casing or JSON in single
 * quotes) on the emitted file has the code and message of one it gives on an input Dockerfile of
 * the case. No exclusion: no golden output has a diagnostic its inputs lack.
 */
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { validate } from 'dockerfile-utils';
import { caseInput, MIGRATE_FIXTURES, migrateCases } from '../helpers/fixtures.js';

type Found = ReturnType<typeof validate>[number];

const key = (d: Found) => `${String(d.code)} ${typeof d.message === 'string' ? d.message : d.message.value}`;

/** The emitted file's diagnostics whose code and message no input's diagnostic has, as `line: code message`. */
function introduced(emitted: string, inputs: readonly string[]): string[] {
  const had = new Set(inputs.flatMap((text) => validate(text).map(key)));
  return validate(emitted)
    .filter((d) => !had.has(key(d)))
    .map((d) => `${d.range.start.line + 1}: ${key(d)}`);
}

test('introduced: a diagnostic the inputs lack is found, one they have is not', (t) => {
  t.deepEqual(introduced('FROM a\nCMD ["x"]\n', ['FROM a\n']), []);
  t.deepEqual(introduced('FROM a\ncopy x y\n', ['from a\n']), []);
  const found = introduced("FROM a\ncopy x y\nCMD ['x']\n", ['FROM a\nCOPY x y\n']);
  t.is(found.length, 2, found.join('\n'));
  t.true(found[0]!.startsWith('2: '));
});

for (const name of migrateCases()) {
  const expected = path.join(MIGRATE_FIXTURES, name, 'expected');
  if (!fs.existsSync(path.join(expected, 'Dockerfile'))) continue;
  test(`${name}: the emitted Dockerfile adds no dockerfile-utils diagnostic`, (t) => {
    const result = JSON.parse(fs.readFileSync(path.join(expected, 'result.json'), 'utf8')) as {
      files: { path: string; role: string }[];
    };
    const input = caseInput(name);
    const inputs = result.files
      .filter((f) => f.role.endsWith('dockerfile'))
      .map((f) => fs.readFileSync(path.join(input, path.relative('input', f.path)), 'utf8'));
    t.true(inputs.length > 0, 'the case has input Dockerfiles');
    t.deepEqual(introduced(fs.readFileSync(path.join(expected, 'Dockerfile'), 'utf8'), inputs), []);
  });
}
