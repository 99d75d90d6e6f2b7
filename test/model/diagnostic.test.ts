/** The diagnostic catalogue and its helpers. */
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { CATALOGUE, diagnostic, hasErrors, sortDiagnostics, type DiagnosticCode } from '../../src/model/diagnostic.js';
import { ROOT } from '../helpers/fixtures.js';

/** Codes kept in the catalogue only so that they are never reused. */
const RETIRED = new Set(['RS107', 'RS320', 'RS372']);

test('diagnostic takes the severity from the catalogue and the location as given', (t) => {
  t.deepEqual(diagnostic('RS501', { file: 'Dockerfile.build', line: 2, column: 3 }, 'pinned'), {
    code: 'RS501',
    severity: 'info',
    message: 'pinned',
    file: 'Dockerfile.build',
    line: 2,
    column: 3,
  });
  t.is(diagnostic('RS201', { file: 'f', line: 1, column: 1 }, '').severity, 'error');
  t.is(diagnostic('RS203', { file: 'f', line: 1, column: 1 }, '').severity, 'warning');
});

const at = (code: DiagnosticCode, file: string, line: number, column = 1) =>
  diagnostic(code, { file, line, column }, code);

test('hasErrors: only an error-severity diagnostic counts', (t) => {
  t.false(hasErrors([]));
  t.false(hasErrors([at('RS203', 'f', 1), at('RS501', 'f', 1)]));
  t.true(hasErrors([at('RS501', 'f', 1), at('RS110', 'f', 1)]));
});

test('sortDiagnostics: by file, line, column, then errors before warnings before info, then code; input untouched', (t) => {
  const input = [
    at('RS501', 'b', 1),
    at('RS305', 'a', 2),
    at('RS203', 'a', 2),
    at('RS201', 'a', 2),
    at('RS322', 'a', 2),
    at('RS203', 'a', 1, 9),
    at('RS203', 'a', 1, 2),
  ];
  const copy = [...input];
  t.deepEqual(
    sortDiagnostics(input).map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`),
    ['a:1:2 RS203', 'a:1:9 RS203', 'a:2:1 RS201', 'a:2:1 RS203', 'a:2:1 RS305', 'a:2:1 RS322', 'b:1:1 RS501'],
  );
  t.deepEqual(input, copy);
});

test('codes follow the numbering: RS1xx–RS7xx, three digits', (t) => {
  for (const code of Object.keys(CATALOGUE)) t.regex(code, /^RS[1-7]\d\d$/);
});

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

test('every catalogue code is emitted somewhere in src/, except the retired ones', (t) => {
  const catalogue = path.join(ROOT, 'src', 'model', 'diagnostic.ts');
  const text = sources(path.join(ROOT, 'src'))
    .filter((p) => p !== catalogue)
    .map((p) => fs.readFileSync(p, 'utf8'))
    .join('\n');
  const unused = Object.keys(CATALOGUE).filter((code) => !RETIRED.has(code) && !text.includes(`'${code}'`));
  t.deepEqual(unused, []);
  for (const code of RETIRED) t.false(text.includes(`'${code}'`), `${code} is retired but still emitted`);
});
