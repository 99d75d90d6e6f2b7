/** The value a build gives a Dockerfile word through its variables; unknown (null) whenever the shim cannot know it. */
import test from 'ava';
import { expandWord, globalScope, stageScope } from '../../src/verify/arg-scope.js';
import { parseDockerfile } from '../../src/parse/dockerfile.js';

const scope = new Map<string, string | null>([
  ['BASE', 'myorg/builder'],
  ['TAG', '1.2'],
  ['EMPTY', ''],
  ['ENVIRON', null],
]);

const words = test.macro({
  exec(t, word: string, expected: string | null) {
    t.is(expandWord(word, scope), expected);
  },
  title: (_p, word: string, expected: string | null) => `${word} → ${String(expected)}`,
});
test(words, 'alpine', 'alpine');
test(words, '$BASE', 'myorg/builder');
test(words, '${BASE}', 'myorg/builder');
test(words, '${BASE}:${TAG}', 'myorg/builder:1.2');
test(words, 'registry.local/$BASE-x', 'registry.local/myorg/builder-x');
test(words, '${EMPTY:-alpine}', 'alpine');
test(words, '${BASE:-alpine}', 'myorg/builder');
test(words, '${EMPTY:+x}', '');
test(words, '${BASE:+other/${TAG}}', 'other/1.2');
test(words, '${EMPTY:-${BASE}}', 'myorg/builder');
test(words, '"${BASE}"', 'myorg/builder');
test(words, "'${BASE}'", '${BASE}');
test(words, '\\$BASE', '$BASE');
test(words, 'a$', 'a$');
test(words, '$UNDECLARED', null);
test(words, '${ENVIRON}', null);
test(words, '${ENVIRON:-x}', null);
test(words, '${BASE-x}', null);
test(words, '${BASE#my}', null);
test(words, '${BASE', null);
test(words, '"open', null);

const parse = (text: string) => parseDockerfile('Dockerfile', text).dockerfile;

test('the global scope: defaults, a --build-arg over them, none for an undeclared name, empty for no default', (t) => {
  const file = parse('ARG BASE=myorg/builder\nARG NONE\nARG A=x B="${BASE}:2"\nFROM $BASE\nARG LATE=1\n');
  t.deepEqual(
    [...globalScope(file, new Map()).entries()],
    [
      ['BASE', 'myorg/builder'],
      ['NONE', ''],
      ['A', 'x'],
      ['B', 'myorg/builder:2'],
    ],
  );
  const given = globalScope(
    file,
    new Map([
      ['BASE', 'other'],
      ['UNDECLARED', 'u'],
      ['A', null],
    ]),
  );
  t.is(given.get('BASE'), 'other');
  t.is(given.get('B'), 'other:2');
  t.is(given.get('A'), null, '--build-arg A takes the client environment');
  t.false(given.has('UNDECLARED'), 'a --build-arg counts only for a declared ARG');
  t.false(given.has('LATE'), 'an ARG after the first FROM is no global');
});

test('a stage scope: its own ARGs before the instruction, the global default inherited, ENV unknown', (t) => {
  const file = parse(
    'ARG SRC=myorg/builder\nARG NODEF\nFROM alpine\nARG SRC\nARG NODEF\nARG OWN=own/${SRC}\nENV OWN=changed\nCOPY --from=$SRC / /\n',
  );
  const stage = file.stages[0]!.instructions;
  const before = stageScope(file, stage.slice(0, 3), new Map());
  t.is(before.get('SRC'), 'myorg/builder');
  t.is(before.get('NODEF'), null, 'no default anywhere: the base image environment may set it');
  t.is(before.get('OWN'), 'own/myorg/builder');
  t.is(stageScope(file, stage.slice(0, 4), new Map()).get('OWN'), null);
  t.false(stageScope(file, [], new Map()).has('SRC'), 'a global ARG is not seen in a stage without its own ARG');
  t.is(stageScope(file, stage, new Map([['SRC', 'given']])).get('SRC'), 'given');
});
