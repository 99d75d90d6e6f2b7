/** plan/still-needed: RS507 and the obsolete list after a migration. */
import test from 'ava';
import { obsoleteFiles, scriptStillNeeded, stillNeededDiagnostics } from '../../src/plan/still-needed.js';
import { diagnostic, type DiagnosticCode } from '../../src/model/diagnostic.js';
import { analysisOf, BUILDER_PATTERN, display } from '../helpers/analysis.js';

const WITH_DOC =
  'docker build -t app:build -f Dockerfile.build .\ndocker create --name x app:build\ndocker cp x:/src/app ./app\ndocker cp x:/src/doc ./doc\ndocker rm -f x\ndocker build -t app:latest .\n';

const cases: [name: string, script: string, reason: RegExp | null, line: number][] = [
  ['every artifact consumed, no other build', BUILDER_PATTERN['build.sh']!, null, 0],
  ['an artifact nothing consumes', WITH_DOC, /^it extracts \/src\/doc to doc, which no build in it consumes/, 4],
  ['an unconsumed artifact the script removes afterwards', `${WITH_DOC}rm -rf ./doc\n`, null, 0],
  [
    'another image built',
    `${BUILDER_PATTERN['build.sh']}docker build -t app:debug -f Dockerfile.debug .\n`,
    /^it also builds app:debug from Dockerfile\.debug, which the migrated Dockerfile does not replace$/,
    6,
  ],
];

for (const [name, script, reason, line] of cases) {
  test(`scriptStillNeeded: ${name}`, (t) => {
    const a = analysisOf({ ...BUILDER_PATTERN, 'build.sh': script, 'Dockerfile.debug': 'FROM alpine\n' });
    const needed = scriptStillNeeded(a, '/proj/Dockerfile', display);
    if (reason === null) return t.is(needed, null);
    t.regex(needed?.reason ?? '', reason);
    t.is(needed?.at.line, line);
  });
}

test('stillNeededDiagnostics: RS507 at the reason, naming the script; none when RS108 already keeps it', (t) => {
  const a = analysisOf({ ...BUILDER_PATTERN, 'build.sh': WITH_DOC });
  const [rs507, ...rest] = stillNeededDiagnostics(a, '/proj/Dockerfile', [], 'ci/build.sh', display);
  t.deepEqual(rest, []);
  t.is(rs507?.code, 'RS507');
  t.is(rs507?.line, 4);
  t.regex(rs507?.message ?? '', /^ci\/build\.sh is still needed after the migration: it extracts/);
  const rs108 = diagnostic('RS108', { file: 'build.sh', line: 6, column: 1 }, 'two runtimes');
  t.deepEqual(stillNeededDiagnostics(a, '/proj/Dockerfile', [rs108], 'build.sh', display), []);
  t.deepEqual(stillNeededDiagnostics(analysisOf(BUILDER_PATTERN), '/proj/Dockerfile', [], 'build.sh', display), []);
});

const planned = ['build.sh', 'Dockerfile.build', 'image app:build'];
const obsoleteCases: [codes: DiagnosticCode[], expected: readonly string[]][] = [
  [[], planned],
  [['RS501', 'RS402'], planned],
  [['RS108'], []],
  [['RS327', 'RS329'], planned],
  [['RS507'], []],
];
for (const [codes, expected] of obsoleteCases) {
  test(`obsoleteFiles with ${codes.join(', ') || 'no diagnostics'}`, (t) => {
    const ds = codes.map((c) => diagnostic(c, { file: 'build.sh', line: 1, column: 1 }, c));
    t.deepEqual(obsoleteFiles(planned, ds), expected);
  });
}
