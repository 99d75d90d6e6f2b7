/** The docker CLI's option rules, on any word with a text (the analysis's shell words, the shim's plain strings). */
import test from 'ava';
import { allValues, hasFlag, lastValue, parseWords, spec } from '../../src/shared/docker-options.js';

const BUILD = spec(['t|tag', 'f|file'], ['q|quiet', 'no-cache']);
const words = (...texts: string[]) => texts.map((text, index) => ({ text, index }));

const parses = test.macro({
  exec(t, texts: string[], tags: string[], positionals: string[], unknown: string[] = []) {
    const parsed = parseWords(words(...texts), BUILD);
    t.deepEqual(
      allValues(parsed, 'tag').map((w) => w.text),
      tags,
    );
    t.deepEqual(
      parsed.positionals.map((w) => w.text),
      positionals,
    );
    t.deepEqual(
      parsed.unknown.map((w) => w.text),
      unknown,
    );
  },
  title: (_p, texts: string[]) => texts.join(' '),
});
test(parses, ['-t', 'a', '.'], ['a'], ['.']);
test(parses, ['--tag=a', '.', '--tag', 'b'], ['a', 'b'], ['.']);
test(parses, ['-qta', '.'], ['a'], ['.']);
test(parses, ['-t=a', '.'], ['a'], ['.']);
test(parses, ['--', '-t', 'a'], [], ['-t', 'a']);
test(parses, ['--x', 'y', '.'], [], ['y', '.'], ['--x']);

test('a value inside its option word keeps the word’s other fields; a separate value is the next word itself', (t) => {
  const parsed = parseWords(words('--file=Dockerfile', '-t', 'a', '--no-cache'), BUILD);
  t.deepEqual(lastValue(parsed, 'file'), { text: 'Dockerfile', index: 0 });
  t.deepEqual(lastValue(parsed, 'tag'), { text: 'a', index: 2 });
  t.true(hasFlag(parsed, 'no-cache'));
  t.false(hasFlag(parseWords(words('--no-cache=false'), BUILD), 'no-cache'));
});
