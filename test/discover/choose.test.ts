/** Which script a migration analyses: shapes, the choice among several, and `--script`. */
import test from 'ava';
import { chooseGoal, chooseScript, namedScript, scriptShape, type ScriptShape } from '../../src/discover/choose.js';
import type { Checked } from '../../src/discover/confine.js';

const shapes: [analysed: Parameters<typeof scriptShape>[0], expected: ScriptShape][] = [
  [null, 'unknown'],
  [{ builds: 0, consumptions: 0 }, 'none'],
  [{ builds: 2, consumptions: 0 }, 'builds'],
  [{ builds: 2, consumptions: 1 }, 'pipeline'],
];
for (const [analysed, expected] of shapes) {
  test(`scriptShape ${JSON.stringify(analysed)} → ${expected}`, (t) => t.is(scriptShape(analysed), expected));
}

const choices: [name: string, scripts: Record<string, ScriptShape>, chosen: string | null, rs110: boolean][] = [
  ['no script', {}, null, false],
  ['one script, whatever it does', { 'deploy.sh': 'none' }, 'deploy.sh', false],
  [
    'the only pipeline among launchers',
    { 'build.sh': 'pipeline', 'run.sh': 'none', 'push.sh': 'builds' },
    'build.sh',
    false,
  ],
  ['two pipelines: never chosen by name', { 'build.sh': 'pipeline', 'build.armhf.sh': 'pipeline' }, null, true],
  ['no pipeline: the only script that builds', { 'build.sh': 'builds', 'run.sh': 'none' }, 'build.sh', false],
  ['no pipeline: one that could not be analysed', { 'build.sh': 'unknown', 'run.sh': 'none' }, 'build.sh', false],
  ['no pipeline, two that build', { 'a.sh': 'builds', 'b.sh': 'unknown' }, null, true],
  ['only launchers', { 'a.sh': 'none', 'b.sh': 'none' }, null, false],
];
for (const [name, scripts, chosen, rs110] of choices) {
  test(`chooseScript: ${name}`, (t) => {
    const asked: string[] = [];
    const choice = chooseScript(
      Object.keys(scripts),
      (s) => {
        asked.push(s);
        return scripts[s]!;
      },
      (s) => `d/${s}`,
    );
    t.is(choice.script, chosen);
    t.deepEqual(
      choice.diagnostics.map((d) => d.code),
      rs110 ? ['RS110'] : [],
    );
    if (Object.keys(scripts).length <= 1) t.deepEqual(asked, [], 'a lone script is not analysed twice');
  });
}

test('RS110 names every candidate and how to pick one', (t) => {
  const { diagnostics } = chooseScript(
    ['build.armhf.sh', 'build.sh', 'run.sh'],
    (s) => (s === 'run.sh' ? 'none' : 'pipeline'),
    (s) => `d/${s}`,
  );
  t.is(diagnostics[0]?.file, 'd/build.armhf.sh');
  t.regex(
    diagnostics[0]?.message ?? '',
    /^2 scripts each build a builder pattern .*: d\/build\.armhf\.sh, d\/build\.sh; .* e\.g\. --script build\.armhf\.sh$/,
  );
});

const display = (p: string) => p.replace(/^\/proj\/?/, '') || '.';
const named: [checked: Checked, script: string | null, why: RegExp | null][] = [
  [{ ok: true, kind: 'file' }, 'ci/build.sh', null],
  [{ ok: true, kind: 'dir' }, null, /--script ci\/build\.sh: it is a directory;/],
  [{ ok: false, reason: 'missing' }, null, /--script ci\/build\.sh: there is no file ci\/build\.sh;/],
  [{ ok: false, reason: 'link-outside' }, null, /: it is \(or goes through\) a symlink that points outside/],
];
for (const [checked, script, why] of named) {
  test(`namedScript when the confinement says ${JSON.stringify(checked)}`, (t) => {
    const choice = namedScript('ci/build.sh', '/proj', '/proj/ci/build.sh', checked, display);
    t.is(choice.script, script);
    if (!why) return t.deepEqual(choice.diagnostics, []);
    t.deepEqual(
      choice.diagnostics.map((d) => [d.code, d.file]),
      [['RS111', '.']],
    );
    t.regex(choice.diagnostics[0]!.message, why);
  });
}

const goals: [
  name: string,
  defaultGoal: string | null,
  targets: Record<string, [ScriptShape, number]>,
  chosen: string | null,
  why: RegExp,
][] = [
  [
    'the default goal builds the runtime image',
    'all',
    { all: ['pipeline', 9], image: ['pipeline', 8] },
    'all',
    /default goal/,
  ],
  [
    'the default goal only prints help: the shortest pipeline, the longer one named',
    'help',
    { help: ['none', 2], release: ['pipeline', 12], image: ['pipeline', 9], builder: ['builds', 2] },
    'image',
    /builds the runtime image, which the default goal help does not; release does too, with more steps/,
  ],
  ['ties go to the Makefile order', null, { a: ['pipeline', 5], b: ['pipeline', 5] }, 'a', /; b does too/],
  [
    'no pipeline, the default goal builds nothing: the target that builds most',
    'help',
    { help: ['none', 2], builder: ['builds', 2], image: ['builds', 6] },
    'image',
    /builds an image/,
  ],
  [
    'no pipeline, the default goal builds: the default goal',
    'all',
    { all: ['builds', 3], x: ['builds', 9] },
    'all',
    /^the default goal$/,
  ],
  ['no target', null, {}, null, /default goal/],
];
for (const [name, defaultGoal, targets, chosen, why] of goals) {
  test(`chooseGoal: ${name}`, (t) => {
    const walked: string[] = [];
    const choice = chooseGoal(defaultGoal, Object.keys(targets), (g) => {
      walked.push(g);
      const [shape, lines] = targets[g]!;
      return { shape, lines };
    });
    t.is(choice.goal, chosen);
    t.regex(choice.why, why);
  });
}

test('chooseGoal: a package.json has scripts, and the report says so', (t) => {
  const walk = (g: string) => ({ shape: g === 'image' ? ('pipeline' as const) : ('builds' as const), lines: 3 });
  t.is(chooseGoal(null, ['lint', 'image'], walk, 'script').why, 'the script that builds the runtime image');
  t.is(chooseGoal(null, ['lint', 'image'], walk).why, 'the target that builds the runtime image');
  t.is(chooseGoal(null, ['a'], () => ({ shape: 'builds', lines: 1 }), 'script').why, 'the script that builds an image');
});
