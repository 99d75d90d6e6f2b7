import test from 'ava';
import { DockerfileParser } from 'dockerfile-ast';
import { uncachedArguments } from '../../src/parse/argument-memo.js';
import { parseDockerfile } from '../../src/parse/dockerfile.js';

const TEXT = [
  'FROM golang:1.7.3 AS build',
  'COPY --chown=1:1 ["a b", "c"] /dst/',
  'RUN echo one \\',
  '    two # not a comment',
  'ENV A=1 B="x y"',
  `RUN echo ${'a'.repeat(100_000)}`,
  'CMD ["/app", "--flag"]',
  '',
].join('\n');

const view = (args: { getValue(): string; getRange(): unknown }[]) =>
  args.map((a) => [a.getValue(), JSON.stringify(a.getRange())]);

test('the kept arguments are the ones dockerfile-ast computes, call after call', (t) => {
  const instructions = DockerfileParser.parse(TEXT).getInstructions();
  t.is(instructions.length, 6);
  for (const ins of instructions) {
    const raw = ins as unknown as { getRawArguments(): Parameters<typeof view>[0] };
    const expected = view(uncachedArguments(ins));
    t.deepEqual(view(raw.getRawArguments()), expected, ins.getKeyword());
    t.deepEqual(view(raw.getRawArguments()), expected, `${ins.getKeyword()}, second call`);
  }
});

test('each caller gets its own array: changing one leaves the next call whole', (t) => {
  const [from] = DockerfileParser.parse(TEXT).getInstructions();
  const first = from!.getArguments();
  const length = first.length;
  first.splice(0, first.length);
  t.is(from!.getArguments().length, length);
  t.true(length > 0);
});

test('a Dockerfile with a long line parses to the same instructions, flags and arguments', (t) => {
  // The expected table is what parseDockerfile gives for TEXT without the memo (the import removed).
  const { dockerfile, diagnostics } = parseDockerfile('Dockerfile', TEXT);
  t.deepEqual(diagnostics, []);
  t.deepEqual(
    dockerfile.stages[0]!.instructions.map((i) => [
      i.keyword,
      i.flags.map((f) => `${f.name}=${f.value}`),
      i.args.map((a) => (a.raw.length > 50 ? a.raw.length : a.raw)),
    ]),
    [
      ['COPY', ['chown=1:1'], ['a b', 'c']],
      ['RUN', [], ['echo', 'one', 'two', '#', 'not', 'a', 'comment']],
      ['ENV', [], ['A=1', 'B="x', 'y"']],
      ['RUN', [], ['echo', 100_000]],
      ['CMD', [], ['/app', '--flag']],
    ],
  );
});
