/** `make GOAL` as one shell script: prerequisites first and once, a subshell per line, sub-makes in place, located. */
import test from 'ava';
import { readMakefile } from '../../../src/analyze/make/read.js';
import { makefileLocation, makeScript } from '../../../src/analyze/make/recipes.js';

const script = (text: string, goal: string | null = null, commandLine: Record<string, string> = {}) =>
  makeScript({
    read: (vars) => readMakefile('Makefile', text, { commandLine: vars }),
    goal,
    commandLine,
    file: 'Makefile',
  });

const BUILDER = [
  'IMAGE ?= acme/app',
  'TAG := 1.0',
  '.PHONY: all builder extract image clean',
  'all: image',
  'builder:',
  '\tdocker build -t $(IMAGE):build -f Dockerfile.build .',
  'extract: builder',
  '\tdocker create --name extract $(IMAGE):build',
  '\tdocker cp extract:/src/app ./app',
  '\t-docker rm -f extract',
  'image: extract',
  '\tdocker build -t $(IMAGE):$(TAG) .',
  'clean:',
  '\trm -f app',
  '',
].join('\n');

test('the default goal runs what it needs first, each target once, every line in a subshell of its own', (t) => {
  const s = script(BUILDER);
  t.is(s.goal, 'all');
  t.deepEqual(s.diagnostics, []);
  t.is(
    s.text,
    [
      'set -e',
      '(docker build -t acme/app:build -f Dockerfile.build .',
      ')',
      '(docker create --name extract acme/app:build',
      ')',
      '(docker cp extract:/src/app ./app',
      ')',
      '(docker rm -f extract',
      ') || true',
      '(docker build -t acme/app:1.0 .',
      ')',
      '',
    ].join('\n'),
  );
});

test('a named goal and command-line variables', (t) => {
  const s = script(BUILDER, 'builder', { IMAGE: 'x/y' });
  t.is(s.text, 'set -e\n(docker build -t x/y:build -f Dockerfile.build .\n)\n');
});

test('automatic variables, target-specific variables seen by prerequisites, exported variables', (t) => {
  const s = script(
    [
      'export REGISTRY = r.example',
      'app: main.go Dockerfile',
      '\tdocker build -t $@ --build-arg SRC=$< --label deps="$^" .',
      'push: TAG = v2',
      'push: app tagged',
      'tagged:',
      '\tdocker tag app $(REGISTRY)/app:$(TAG)',
      '',
    ].join('\n'),
    'push',
  );
  t.is(
    s.text,
    [
      'set -e',
      'export REGISTRY=r.example',
      '(docker build -t app --build-arg SRC=main.go --label deps="main.go Dockerfile" .',
      ')',
      '(docker tag app r.example/app:v2',
      ')',
      '',
    ].join('\n'),
  );
});

test('$(MAKE) TARGET on a line of its own runs that goal in place, re-read with its variables', (t) => {
  const s = script(
    [
      'ARCH ?= amd64',
      'release:',
      '\t$(MAKE) image ARCH=arm64',
      '\t@echo done',
      'image:',
      '\tdocker build -t app:$(ARCH) .',
      '',
    ].join('\n'),
    'release',
  );
  t.is(s.text, 'set -e\n(docker build -t app:arm64 .\n)\n(echo done\n)\n');
});

test('.ONESHELL: one subshell for the whole recipe, so a cd holds for the lines after it', (t) => {
  const s = script('.ONESHELL:\nimage:\n\tcd docker\n\tdocker build -t app .\n', 'image');
  t.is(s.text, 'set -e\n(cd docker\ndocker build -t app .\n)\n');
});

test('what restage cannot follow is located in the Makefile', (t) => {
  const unknownGoal = script(BUILDER, 'deploy');
  t.deepEqual(
    unknownGoal.diagnostics.map((d) => [d.code, d.line]),
    [['RS362', 1]],
  );
  const s = script(
    'image:\n\tdocker build -t app:$(shell git rev-parse HEAD) .\n\tcd sub && $(MAKE) x\n\t$(MAKE) -C sub x\n',
    'image',
  );
  t.deepEqual(
    s.diagnostics.map((d) => [d.code, d.line, d.column]),
    [
      ['RS360', 2, 2],
      ['RS360', 3, 2],
      ['RS360', 4, 2],
    ],
  );
  t.deepEqual(
    script('').diagnostics.map((d) => d.code),
    ['RS362'],
  );
  // make named only in quoted text runs no make.
  t.deepEqual(script('help:\n\t@echo "make image | make clean"\n').diagnostics, []);
});

test('a location in the script maps back to the Makefile: columns one to one on a line passed on as written', (t) => {
  const s = script(BUILDER);
  // Line 6 of the script is `(docker cp extract:/src/app ./app`: its column 12 (the `e` of extract) is column 12 of Makefile line 9, after the tab.
  t.deepEqual(makefileLocation(s, { line: 6, column: 12 }), { file: 'Makefile', line: 9, column: 12 });
  // An expanded line maps to where its command starts.
  t.deepEqual(makefileLocation(s, { line: 2, column: 30 }), { file: 'Makefile', line: 6, column: 2 });
  t.is(makefileLocation(s, { line: 1, column: 1 }), null);
});

test('a target with no recipe of its own is made by the pattern rule that matches it, with $* its stem', (t) => {
  const s = script(
    [
      'image: TAG = 2',
      'image: bin/cart',
      '\tdocker build -t app:$(TAG) .',
      'bin/%: builder',
      '\tdocker cp $*-x:/src/$* $@ # $< $^',
      'builder:',
      '\tdocker build -t app:build-$(TAG) -f Dockerfile.build .',
      '%.o: %.c',
      '\tcc -c -o $@ $< # $*',
      'obj: src/main.o',
      '',
    ].join('\n'),
  );
  t.deepEqual(s.diagnostics, []);
  t.is(
    s.text,
    [
      'set -e',
      '(docker build -t app:build-2 -f Dockerfile.build .',
      ')',
      '(docker cp cart-x:/src/cart bin/cart # builder builder',
      ')',
      '(docker build -t app:2 .',
      ')',
      '',
    ].join('\n'),
  );
  // A pattern with no `/` matches the file name; the directory goes in front of the stem and of the prerequisites.
  t.is(
    script(['%.o: %.c', '\tcc -c -o $@ $< # $*', 'obj: src/main.o', ''].join('\n'), 'obj').text,
    ['set -e', '(cc -c -o src/main.o src/main.c # src/main', ')', ''].join('\n'),
  );
});

test('a pattern rule is not used for a .PHONY target, and the shortest stem wins', (t) => {
  const text = ['.PHONY: bin/x', 'bin/%:', '\techo short $*', '%:', '\techo long $*', 'all: bin/x bin/y', ''];
  const s = script(text.join('\n'), 'all');
  t.deepEqual(s.diagnostics, []);
  // `all` has no recipe and is not .PHONY: make makes it with the match-anything rule too (`make -n` prints both).
  t.is(s.text, ['set -e', '(echo short y', ')', '(echo long all', ')', ''].join('\n'));
});

test('a pattern rule make might pass over for another (its prerequisites may not exist) is reported, not guessed', (t) => {
  const s = script(['%.o: %.c', '\tcc -c $<', '%.o: %.s', '\tas $<', 'all: a.o', ''].join('\n'), 'all');
  t.is(s.text, 'set -e\n');
  t.deepEqual(
    s.diagnostics.map((d) => [d.code, d.line, d.message.split(', and')[0]]),
    [['RS360', 1, 'the target `a.o`: 2 pattern rules match it (`%.o` at line 1, `%.o` at line 3)']],
  );
  const grouped = script(['%.a %.b: %.c', '\tgen $<', 'all: x.a', ''].join('\n'), 'all');
  t.is(grouped.diagnostics[0]?.code, 'RS360');
  t.regex(grouped.diagnostics[0]!.message, /names several targets/);
});

test('$(shell cat FILE) in a recipe reads the tree file, unless a recipe line names it (it may have been written by then)', (t) => {
  const files: Record<string, string> = { VERSION: '3.4\n', CHANNEL: 'beta\n' };
  const run = (text: string) =>
    makeScript({
      read: (vars) => readMakefile('Makefile', text, { commandLine: vars }),
      goal: null,
      file: 'Makefile',
      readFile: (name) => files[name] ?? null,
    });
  const ok = run('V ?= $(shell cat VERSION)\nimage:\n\tdocker build -t a:$(V) .\n');
  t.deepEqual(ok.diagnostics, []);
  t.is(ok.text, 'set -e\n(docker build -t a:3.4 .\n)\n');
  const written = run(
    'CHANNEL = $(shell cat CHANNEL)\nimage: chan\n\tdocker build -t a:$(CHANNEL) .\nchan:\n\techo stable > CHANNEL\n',
  );
  t.deepEqual(
    written.diagnostics.map((d) => [d.code, d.line]),
    [['RS360', 3]],
  );
  t.regex(written.diagnostics[0]!.message, /reads CHANNEL, which a recipe line of the Makefile names/);
  // Without the tree (no reader) it stays unknown, as before.
  t.is(script('V = $(shell cat VERSION)\nimage:\n\tdocker build -t a:$(V) .\n').diagnostics[0]?.code, 'RS360');
});

test('a recipe line that is a subshell opens with `( (`, never `((` (an arithmetic command to the shell)', (t) => {
  const s = script('image:\n\t(cd web; npm run image)\n');
  const line = s.text.split('\n').find((l) => l.includes('cd web'))!;
  t.is(line, '( (cd web; npm run image)');
  const n = s.text.split('\n').indexOf(line) + 1;
  // `cd` is column 4 of the script's line and column 3 of the Makefile's (after the tab).
  t.deepEqual(makefileLocation(s, { line: n, column: 4 }), { file: 'Makefile', line: 2, column: 3 });
});
