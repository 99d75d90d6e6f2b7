/**
 * Guards are not exits: a branch that only reports a failure and exits non-zero is the failure
 * path; the analysis follows the success path (RS321 when the condition cannot be decided), and
 * `exit 0` / plain `exit` in the main flow still end it.
 */
import test from 'ava';
import { analyzeText, summarize } from '../helpers.js';

const BUILD = 'docker build -t b:1 -f Dockerfile.build .\n';
const REST = 'docker create --name c b:1\ndocker cp c:/app ./app\ndocker rm c\ndocker build -t r:1 .\n';
const FULL = ['build b:1', 'create c b:1', 'cp c:/app /proj/app', 'rm c', 'build r:1'];

const guard = test.macro({
  exec(t, script: string, codes: string[]) {
    const { events, diagnostics } = analyzeText(script);
    t.deepEqual(summarize(events), FULL);
    t.deepEqual(
      diagnostics.map((d) => d.code),
      codes,
      JSON.stringify(diagnostics, null, 1),
    );
  },
  title: (provided) => `guard: ${provided}`,
});

test('if [ $? != 0 ]; then echo; exit 1; fi', guard, `${BUILD}if [ $? != 0 ]; then echo failed; exit 1; fi\n${REST}`, [
  'RS321',
]);
test(
  'if [ $? -ne 0 ] with a message to stderr, cleanup and exit 2',
  guard,
  `${BUILD}if [ $? -ne 0 ]; then\n  echo "build failed" >&2\n  docker rm -f c 2>/dev/null\n  exit 2\nfi\n${REST}`,
  ['RS321'],
);
test(
  'if ! docker build …; then exit 1; fi runs the build',
  guard,
  `if ! docker build -t b:1 -f Dockerfile.build .; then echo no >&2; exit 1; fi\n${REST}`,
  [],
);
test('docker build … || exit 1', guard, `docker build -t b:1 -f Dockerfile.build . || exit 1\n${REST}`, []);
test(
  '|| { docker rm -f c; exit 1; } is not an unanalysed docker command',
  guard,
  `${BUILD}docker create --name c b:1\ndocker cp c:/app ./app || { docker rm -f c; exit 1; }\ndocker rm c\ndocker build -t r:1 .\n`,
  [],
);
test('[ $? -ne 0 ] && { echo x; exit 1; }', guard, `${BUILD}[ $? -ne 0 ] && { echo x; exit 1; }\n${REST}`, ['RS321']);
test(
  'a die function as the failure path',
  guard,
  `die() { echo "$*" >&2; exit 1; }\n${BUILD}if [ $? -ne 0 ]; then die "build failed"; fi\n${REST}`,
  ['RS321'],
);
test('set -e', guard, `set -e\n${BUILD}${REST}`, []);
test(
  'return 1 in a function guard',
  guard,
  `build() {\n  ${BUILD}  if [ $? -ne 0 ]; then return 1; fi\n}\nbuild\n${REST}`,
  ['RS321'],
);

test('RS321 is an info on the if, naming the condition', (t) => {
  const { diagnostics } = analyzeText(`${BUILD}if [ $? != 0 ]; then echo failed; exit 1; fi\n${REST}`);
  t.like(diagnostics[0], { code: 'RS321', severity: 'info', line: 2, column: 1 });
  t.regex(diagnostics[0]!.message, /cannot decide `\[ \$\? != 0 \]`.*followed the path where the script succeeds/);
});

test('exit 0 and plain exit in the main flow still end the analysis', (t) => {
  t.deepEqual(summarize(analyzeText(`${BUILD}exit 0\n${REST}`).events), ['build b:1']);
  t.deepEqual(summarize(analyzeText(`${BUILD}exit\n${REST}`).events), ['build b:1']);
  t.deepEqual(summarize(analyzeText(`${BUILD}exit 1\n${REST}`).events), ['build b:1']);
});

test('a decided guard that fires is an exit', (t) => {
  t.deepEqual(summarize(analyzeText(`${BUILD}X=a\nif [ "$X" = a ]; then echo stop; exit 1; fi\n${REST}`).events), [
    'build b:1',
  ]);
});

test('an undecidable branch that does more than report is still taken (RS306 when docker depends on it)', (t) => {
  const { events, diagnostics } = analyzeText(`if [ -f x ]; then docker build -t b:1 .; exit 1; fi\n${REST}`);
  t.deepEqual(summarize(events), ['build b:1']);
  t.deepEqual(
    diagnostics.map((d) => d.code),
    ['RS306'],
  );
});

test('the condition of an if runs: a docker build in it is analysed', (t) => {
  t.deepEqual(
    summarize(
      analyzeText(`if docker build -t b:1 -f Dockerfile.build .; then echo ok; else echo no; exit 1; fi\n${REST}`)
        .events,
    ),
    FULL,
  );
});
