/**
 * The built package as a consumer sees it: package.json's "exports" and "types" lead to
 * dist/index.d.ts, which type-checks a program using the library (test/fixtures/library/consumer.ts),
 * and names none of the CLI's concerns. Needs `npm run build` first, as every test of dist/ does.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, tempCopy } from '../helpers/fixtures.js';

const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** tsc --noEmit on one fixture in a project whose node_modules/restage is this repository. */
function typecheck(fixture: string): { code: number | null; output: string } {
  const dir = tempCopy();
  try {
    fs.mkdirSync(path.join(dir, 'node_modules', '@types'), { recursive: true });
    fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'restage'));
    fs.symlinkSync(path.join(ROOT, 'node_modules', '@types', 'node'), path.join(dir, 'node_modules', '@types', 'node'));
    fs.copyFileSync(path.join(ROOT, 'test', 'fixtures', 'library', fixture), path.join(dir, fixture));
    fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
    const compilerOptions = { strict: true, module: 'NodeNext', target: 'ES2022', noEmit: true, types: ['node'] };
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: [fixture] }));
    const r = spawnSync(process.execPath, [TSC, '-p', dir], { cwd: dir, encoding: 'utf8' });
    return { code: r.status, output: r.stdout + r.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('a program using migrate, verify and their types type-checks against dist/index.d.ts', (t) => {
  t.true(fs.existsSync(path.join(ROOT, 'dist', 'index.d.ts')), 'npm run build emits the declarations');
  const r = typecheck('consumer.ts');
  t.is(r.output, '');
  t.is(r.code, 0);
});

test("the CLI's exit codes, runners and V8 flag helper are not the library's", (t) => {
  const r = typecheck('cli-concerns.ts');
  t.is(r.code, 2, r.output);
  for (const name of ['boundYoungGeneration', 'EXIT', 'runMigrate', 'runVerify'])
    t.regex(r.output, new RegExp(`error TS(2305|2724): .*'"restage"' has no exported member (named )?'${name}'`));
});
