/** `make GOAL` as the orchestrator's script: parsed, and every location the analysis makes in it moved back to the Makefile. */
import test from 'ava';
import { makeTargets, orchestrateMake, readInvocation } from '../../../src/analyze/make/orchestrate.js';
import { analyzeScript } from '../../../src/analyze/script.js';

const MAKEFILE = [
  'IMAGE := acme/app', //                                  1
  '', //                                                   2
  '.PHONY: image', //                                      3
  'image: builder', //                                     4
  '\tdocker build -t $(IMAGE) .', //                       5
  '', //                                                   6
  'builder:', //                                           7
  '\tdocker build -t b -f Dockerfile.build .', //          8
  '\tdocker create --name c b', //                         9
  '\t@docker cp c:/out/app ./app', //                      10
  '%.o: %.c', //                                           11
  '\tcc -c $<', //                                         12
].join('\n');

const invocation = (text = MAKEFILE, commandLine: Record<string, string> = {}) => ({
  file: 'Makefile',
  text,
  commandLine,
  environment: {},
  readFile: () => null,
});

test('the flow of make GOAL is located on the Makefile lines and columns its recipes come from', (t) => {
  const made = orchestrateMake(invocation(), 'image');
  t.is(made.goal, 'image');
  t.truthy(made.shell.script);
  const { flow, diagnostics } = analyzeScript(made.shell.script!, '/proj', '/proj/Makefile');
  made.relocate(flow);
  made.relocate(diagnostics);
  t.deepEqual(
    flow.events.map((e) => [e.kind, e.at.file, e.at.line, e.at.column]),
    [
      ['build', 'Makefile', 8, 2],
      ['create', 'Makefile', 9, 2],
      ['copy-out', 'Makefile', 10, 3],
      ['build', 'Makefile', 5, 2],
    ],
  );
  // Relocating again moves nothing: each location moves once.
  made.relocate(flow);
  t.is(flow.events[0]!.at.line, 8);
});

test('the targets make can be asked for: no special or pattern targets', (t) => {
  t.deepEqual(makeTargets(readInvocation(invocation())), ['image', 'builder']);
});

test('the default goal and command-line variables', (t) => {
  const made = orchestrateMake(invocation(MAKEFILE, { IMAGE: 'other/app' }), null);
  t.is(made.goal, 'image');
  t.regex(made.shell.script!.root.text, /docker build -t other\/app \./);
  t.true(made.lines > 5);
});
