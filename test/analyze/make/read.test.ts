/** Make's read phase: assignments and their precedence, conditionals, includes, rules and recipes, located. */
import test from 'ava';
import { readMakefile } from '../../../src/analyze/make/read.js';

const value = (text: string, name: string, options = {}) => {
  const m = readMakefile('Makefile', text, options);
  const v = m.variables.get(name);
  return v?.flavor === 'recursive' ? `=${v.value}` : v?.value;
};

test('assignments: recursive, simple, conditional, appending, shell; command line over file over environment', (t) => {
  t.is(value('A = $(B)\nB = 1\n', 'A'), '=$(B)');
  t.is(value('B = 1\nA := $(B)\nB = 2\n', 'A'), '1');
  t.is(value('A ?= 1\nA ?= 2\n', 'A'), '=1');
  t.is(value('A := x\nA += y\n', 'A'), 'x y');
  t.is(value('A = x\nA += $(B)\n', 'A'), '=x $(B)');
  t.is(readMakefile('Makefile', 'A != git describe\n').variables.get('A')?.flavor, 'unknown');
  t.is(value('A = file\n', 'A', { commandLine: { A: 'cli' } }), 'cli');
  t.is(value('override A = file\n', 'A', { commandLine: { A: 'cli' } }), '=file');
  t.is(value('A = file\n', 'A', { environment: { A: 'env' } }), '=file');
  t.is(value('A ?= file\n', 'A', { environment: { A: 'env' } }), 'env');
  t.is(value('A = one \\\n    two\n', 'A'), '=one two');
  t.is(value('A = x # a comment\n', 'A'), '=x');
  t.is(value('A = x \\# y\n', 'A'), '=x # y');
  t.is(value('define A\nline 1\nline 2\nendef\n', 'A'), '=line 1\nline 2');
});

test('conditionals are evaluated with the variables as they are at that line', (t) => {
  const text =
    'ARCH ?= amd64\nifeq ($(ARCH),arm64)\nIMG = arm\nelse ifeq "$(ARCH)" "amd64"\nIMG = amd\nelse\nIMG = other\nendif\nifdef NOPE\nX = 1\nendif\nifndef NOPE\nY = 1\nendif\n';
  t.is(value(text, 'IMG'), '=amd');
  t.is(value(text, 'IMG', { commandLine: { ARCH: 'arm64' } }), '=arm');
  t.is(value(text, 'IMG', { commandLine: { ARCH: 'x' } }), '=other');
  t.is(value(text, 'X'), undefined);
  t.is(value(text, 'Y'), '=1');
});

test('a condition restage cannot evaluate is an error on its line, not a guess', (t) => {
  const m = readMakefile('Makefile', 'GIT != git rev-parse HEAD\nifeq ($(GIT),abc)\nA = 1\nendif\n');
  t.deepEqual(
    m.diagnostics.map((d) => [d.code, d.line]),
    [['RS360', 2]],
  );
  t.is(m.variables.get('A'), undefined);
});

test('rules: targets, prerequisites (order-only too), recipes with their prefixes, located at the command text', (t) => {
  const m = readMakefile(
    'Makefile',
    '.PHONY: all build\nIMAGE := app\n\nall: build | out\n\nbuild: Dockerfile.build\n\t@docker build -t $(IMAGE):build -f Dockerfile.build .\n\t-docker rm -f x\n# a comment between recipe lines\n\n\tdocker create --name x \\\n\t  $(IMAGE):build\nclean: ; rm -rf out\n',
  );
  t.is(m.defaultGoal, 'all');
  t.deepEqual([...m.phony], ['all', 'build']);
  t.deepEqual(m.rules.get('all')!.prerequisites, ['build', 'out']);
  const build = m.rules.get('build')!;
  t.deepEqual(build.prerequisites, ['Dockerfile.build']);
  t.deepEqual(
    build.recipe.map((r) => [r.text, r.at.line, r.at.column, r.ignoreErrors]),
    [
      ['docker build -t $(IMAGE):build -f Dockerfile.build .', 7, 3, false],
      ['docker rm -f x', 8, 3, true],
      ['docker create --name x \\\n  $(IMAGE):build', 11, 2, false],
    ],
  );
  t.deepEqual(
    m.rules.get('clean')!.recipe.map((r) => [r.text, r.at.column]),
    [['rm -rf out', 10]],
  );
  t.deepEqual(m.diagnostics, []);
});

test('target-specific variables, .DEFAULT_GOAL, .ONESHELL, .RECIPEPREFIX, export', (t) => {
  const m = readMakefile(
    'Makefile',
    '.RECIPEPREFIX = >\n.ONESHELL:\nexport REGISTRY = r.example\nexport HOME\n.DEFAULT_GOAL := image\nfirst:\n> echo first\nimage: TAG = v2\nimage:\n> docker build -t app:$(TAG) .\n',
  );
  t.is(m.defaultGoal, 'image');
  t.true(m.oneshell);
  t.deepEqual([...m.exported].sort(), ['HOME', 'REGISTRY']);
  t.is(m.rules.get('image')!.variables.get('TAG')?.value, 'v2');
  t.deepEqual(
    m.rules.get('image')!.recipe.map((r) => r.text),
    ['docker build -t app:$(TAG) .'],
  );
});

test('include reads through the caller; a missing include is RS361, a missing -include nothing', (t) => {
  const files: Record<string, string> = { 'config.mk': 'IMAGE = from-include\n' };
  const readFile = (name: string) => (name in files ? { display: `sub/${name}`, text: files[name]! } : null);
  const m = readMakefile('Makefile', 'include config.mk\n-include local.mk\ninclude missing.mk\n', { readFile });
  t.is(m.variables.get('IMAGE')?.value, 'from-include');
  t.deepEqual(
    m.diagnostics.map((d) => [d.code, d.file, d.line]),
    [['RS361', 'Makefile', 3]],
  );
});

test('lines make cannot read are located errors; a pattern rule is kept out', (t) => {
  const m = readMakefile('Makefile', 'this is not make\n%.o: %.c\n\tcc -c $<\nendif\nifeq (a,b)\n');
  t.deepEqual(
    m.diagnostics.map((d) => [d.code, d.line]),
    [
      ['RS360', 1],
      ['RS360', 4],
      ['RS360', 5],
    ],
  );
  t.is(m.rules.size, 0);
});

test('$(shell cat FILE) in the read phase is the tree file, as make gives a shell output; other commands stay unknown', (t) => {
  const files: Record<string, string> = { VERSION: '3.4.1\n', 'two.txt': 'a\nb\r\nc\n\n' };
  const readFile = (name: string) => (name in files ? { display: name, text: files[name]! } : null);
  const read = (text: string) => readMakefile('Makefile', text, { readFile });
  const v = (text: string, name: string) => read(text).variables.get(name);
  t.deepEqual(v('V := $(shell cat VERSION)\n', 'V'), { value: '3.4.1', flavor: 'simple', origin: 'file' });
  t.is(v('V := $(shell cat two.txt VERSION)\n', 'V')?.value, 'a b c  3.4.1');
  t.is(v('F := VERSION\nV := x$(shell cat $(F))y\n', 'V')?.value, 'x3.4.1y');
  t.is(read('ifeq ($(shell cat VERSION),3.4.1)\nA := yes\nendif\n').variables.get('A')?.value, 'yes');
  t.is(v('V := $(shell cat MISSING)\n', 'V')?.flavor, 'unknown');
  t.is(v('V := $(shell git describe)\n', 'V')?.flavor, 'unknown');
  t.is(v('V := $(shell cat VERSION | tr . -)\n', 'V')?.flavor, 'unknown');
  // Without a reader (no tree), and in a recursive variable (expanded when recipes run), it is unknown.
  t.is(readMakefile('Makefile', 'V := $(shell cat VERSION)\n').variables.get('V')?.flavor, 'unknown');
  t.is(v('V = $(shell cat VERSION)\n', 'V')?.flavor, 'recursive');
});
