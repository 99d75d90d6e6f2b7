/** Make's expansion: references, `$$`, substitution references, the host-free functions; the rest unknown. */
import test from 'ava';
import { expandMake, type MakeVariable } from '../../../src/analyze/make/expand.js';

const VARS: Record<string, MakeVariable> = {
  IMAGE: { value: 'acme/app', flavor: 'simple' },
  TAG: { value: '$(VERSION)-$(ARCH)', flavor: 'recursive' },
  VERSION: { value: '1.2', flavor: 'simple' },
  ARCH: { value: 'amd64', flavor: 'simple' },
  amd64_CC: { value: 'gcc', flavor: 'simple' },
  SRCS: { value: 'a.c b.c dir/c.c', flavor: 'simple' },
  LOOP: { value: '$(LOOP) x', flavor: 'recursive' },
  GIT: { value: 'is the output of a shell command', flavor: 'unknown' },
  E: { value: '', flavor: 'simple' },
};
const scope = (name: string) => VARS[name];

const expands = test.macro({
  exec(t, text: string, expected: string) {
    t.deepEqual(expandMake(text, scope), { text: expected });
  },
  title: (_p, text: string, expected: string) => `${JSON.stringify(text)} → ${JSON.stringify(expected)}`,
});
test(expands, 'docker build -t $(IMAGE):$(TAG) .', 'docker build -t acme/app:1.2-amd64 .');
test(expands, '${IMAGE} $I', 'acme/app ');
test(expands, 'echo $$HOME $$$$', 'echo $HOME $$');
test(expands, '$($(ARCH)_CC)', 'gcc');
test(expands, '$(SRCS:.c=.o)', 'a.o b.o dir/c.o');
test(expands, '$(SRCS:%.c=build/%.o)', 'build/a.o build/b.o build/dir/c.o');
test(expands, '$(subst amd64,arm64,$(ARCH))', 'arm64');
test(expands, '$(patsubst %.c,%.o,$(SRCS))', 'a.o b.o dir/c.o');
test(expands, '$(strip   a   b  )', 'a b');
test(expands, '$(filter %.c,a.c b.h)', 'a.c');
test(expands, '$(filter-out a.c,$(SRCS))', 'b.c dir/c.c');
test(expands, '$(sort b a b)', 'a b');
test(expands, '$(word 2,$(SRCS)) $(words $(SRCS)) $(firstword $(SRCS)) $(lastword $(SRCS))', 'b.c 3 a.c dir/c.c');
test(expands, '$(dir dir/c.c a.c) $(notdir dir/c.c)', 'dir/ ./ c.c');
test(expands, '$(suffix dir/c.c x) $(basename dir/c.c)', '.c dir/c');
test(expands, '$(addprefix out/,a b) $(addsuffix .o,a b)', 'out/a out/b a.o b.o');
test(expands, '$(join a b,1 2)', 'a1 b2');
test(expands, '$(if $(E),yes,no) $(if $(IMAGE),yes,no)', 'no yes');
test(expands, '$(or $(E),$(ARCH)) $(and $(ARCH),$(VERSION))', 'amd64 1.2');
test(expands, '$(if $(IMAGE),ok,$(shell false))', 'ok');
test(expands, '$(value TAG)', '$(VERSION)-$(ARCH)');
test(expands, '$(UNDEFINED)x', 'x');
test(expands, 'a,b (c)', 'a,b (c)');

const unknown = test.macro({
  exec(t, text: string, reason: RegExp) {
    const r = expandMake(text, scope);
    t.true('unknown' in r, JSON.stringify(r));
    if ('unknown' in r) t.regex(r.unknown, reason);
  },
  title: (_p, text: string) => `${JSON.stringify(text)} is unknown`,
});
test(unknown, '$(shell git rev-parse HEAD)', /\$\(shell …\)/);
test(unknown, '$(wildcard *.go)', /\$\(wildcard …\)/);
test(unknown, 'x $(GIT)', /\$\(GIT\) is the output of a shell command/);
test(unknown, '$(LOOP)', /LOOP references itself/);
test(unknown, '$(IMAGE', /never closed/);
test(unknown, '$(call f,x)', /\$\(call …\)/);
