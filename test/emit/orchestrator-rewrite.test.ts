/** The orchestrator rewrite of `--write`: kept lines, the one build, and the shapes it declines. */
import test from 'ava';
import { rewriteOrchestrator, type RewriteStep } from '../../src/emit/orchestrator-rewrite.js';

const at = (line: number, column = 1, file = 'build.sh') => ({ file, line, column });
const step = (line: number, column = 1, runtime = false, file = 'build.sh'): RewriteStep => ({
  at: at(line, column, file),
  what: `the step at ${line}`,
  ...(runtime ? { runtime } : {}),
});

interface Case {
  readonly name: string;
  readonly kind?: 'script' | 'makefile';
  readonly text: string;
  readonly steps: readonly RewriteStep[];
  readonly build?: string | null;
  readonly builderWords?: readonly string[];
  readonly extracted?: readonly string[];
  /** The new text, or the refusal's line and a part of its message. */
  readonly expect: string | { readonly line: number; readonly says: string };
}

const BUILD = 'docker build -t app:latest .';

const cases: readonly Case[] = [
  {
    name: 'script: the pattern lines go, the runtime build becomes the one build, every other line stays',
    text: [
      '#!/bin/sh',
      'set -e',
      '# build the app',
      'docker build -t app:build -f Dockerfile.build .',
      'docker create --name extract app:build',
      'docker cp extract:/app ./app',
      'docker rm -f extract',
      'docker build -t app:latest .',
      'rm ./app',
      'docker rmi app:build',
      'docker run --rm app:latest /app --selftest',
      'docker tag app:latest registry/app:latest',
      'docker push registry/app:latest',
      'echo done',
      '',
    ].join('\n'),
    steps: [step(4), step(5), step(6), step(7), step(8, 1, true), step(9)],
    build: 'docker build -t app:latest --build-arg V=1 .',
    builderWords: ['app:build', 'extract'],
    expect: [
      '#!/bin/sh',
      'set -e',
      '# build the app',
      'docker build -t app:latest --build-arg V=1 .',
      'docker run --rm app:latest /app --selftest',
      'docker tag app:latest registry/app:latest',
      'docker push registry/app:latest',
      'echo done',
      '',
    ].join('\n'),
  },
  {
    name: 'script: the runtime build kept byte for byte when it already is the one build',
    text: 'set -e\nIMG=app\ndocker build -t "$IMG:build" -f Dockerfile.build .\nid=$(docker create "$IMG:build")\ndocker cp "$id":/app app && docker rm "$id"\n  docker build -t "$IMG" .   # runtime\nrm -f app\n',
    steps: [step(3), step(4, 6), step(5), step(5, 29), step(6, 3, true), step(7)],
    build: null,
    builderWords: ['"$IMG:build"', 'app:build'],
    expect: 'set -e\nIMG=app\n  docker build -t "$IMG" .   # runtime\n',
  },
  {
    name: 'script: a continued statement goes with all its lines; indentation of the build kept',
    text: 'docker build \\\n  -t b -f Dockerfile.build .\ndocker run --rm b cat /app > app\n    docker build -t app . ;\n',
    steps: [step(1), step(3), step(4, 5, true)],
    expect: `    ${BUILD} ;\n`,
  },
  {
    name: 'script: a step sharing its line with another command is refused',
    text: 'docker build -t b -f Dockerfile.build .\ndocker cp c:/app . && make test\ndocker build -t app .\n',
    steps: [step(1), step(2), step(3, 1, true)],
    expect: { line: 2, says: 'shares its statement with `make test`' },
  },
  {
    name: 'script: steps joined by `;` on one line are refused',
    text: 'docker build -t b -f Dockerfile.build .; echo built\ndocker build -t app .\n',
    steps: [step(1), step(2, 1, true)],
    expect: { line: 1, says: 'shares its line with `; echo built`' },
  },
  {
    name: 'script: a pipe to a command outside the pattern is refused',
    text: 'docker build -t b -f Dockerfile.build . | tee log\ndocker build -t app .\n',
    steps: [step(1), step(2, 1, true)],
    expect: { line: 1, says: 'shares its statement with `tee log`' },
  },
  {
    name: 'script: a failure handler after a step goes with it; after the runtime build it stays',
    text: [
      'docker build -t b -f Dockerfile.build . || exit 1',
      'docker create --name c b',
      'docker cp c:/app ./app || { echo "extraction failed" >&2; docker rm -f c; exit 1; }',
      'docker rm c 2>/dev/null || true',
      'docker build -t app . || exit 1',
      '',
    ].join('\n'),
    steps: [step(1), step(2), step(3), step(3, 64), step(4), step(5, 1, true)],
    builderWords: ['b', 'c'],
    expect: `${BUILD} || exit 1\n`,
  },
  {
    name: 'script: `&& next` after the runtime build stays; a step there is refused',
    text: 'docker build -t b -f Dockerfile.build .\ndocker build -t app . && rm -f app\n',
    steps: [step(1), step(2, 1, true), step(2, 26)],
    expect: { line: 2, says: 'shares its statement with `rm -f app`, a step of the builder pattern' },
  },
  {
    name: 'script: a pipeline of steps that streams the runtime build its context is replaced whole by the one build',
    text: 'set -e\ndocker build -t b -f Dockerfile.build .\ndocker run --rm b tar -c -C /out . | docker build -t app -\necho built\n',
    steps: [step(2), step(3), step(3, 38, true)],
    expect: `set -e\n${BUILD}\necho built\n`,
  },
  {
    name: 'script: a streamed context piped from a command outside the pattern is not the one build',
    text: 'docker build -t b -f Dockerfile.build .\nmake-context | docker build -t app -\n',
    steps: [step(1), step(2, 16, true)],
    expect: 'make-context | docker build -t app:latest .\n',
  },
  {
    name: 'script: a step joined with `&&` to a command outside the pattern is refused',
    text: 'docker build -t b -f Dockerfile.build . && go vet ./...\ndocker build -t app .\n',
    steps: [step(1), step(2, 1, true)],
    expect: { line: 1, says: 'shares its statement with `go vet ./...`' },
  },
  {
    name: 'script: a docker command on the builder container inside a statement of steps goes with it',
    text: 'id="$(docker create b)"\ndocker cp "$id":/out - | tar -x -C out\ndocker rm "$id"\ndocker build -t app .\n',
    steps: [step(1, 7), step(2, 26), step(3), step(4, 1, true)],
    builderWords: ['"$id"'],
    expect: `${BUILD}\n`,
  },
  {
    name: 'script: a step located inside its command (a bind mount) is found',
    text: 'docker run --rm -v "$PWD/out:/out" b make\ndocker build -t app .\n',
    steps: [step(1, 20), step(2, 1, true)],
    expect: `${BUILD}\n`,
  },
  {
    name: 'script: a new build command in a script that changes directory is refused (its paths are relative to DIR)',
    text: 'docker build -t b -f Dockerfile.build .\ncd docker\ndocker build -t app .\n',
    steps: [step(1), step(3, 1, true)],
    build: 'docker build -t app -f docker/Dockerfile .',
    expect: { line: 2, says: 'it changes its working directory (`cd docker`)' },
  },
  {
    name: 'script: a kept runtime build in a script that changes directory is rewritten (the line is as it was)',
    text: 'cd "$(dirname "$0")/.."\ndocker build -t b -f Dockerfile.build .\ndocker build -t app .\n',
    steps: [step(2), step(3, 1, true)],
    build: null,
    expect: 'cd "$(dirname "$0")/.."\ndocker build -t app .\n',
  },
  {
    name: 'script: reading its arguments is refused (the rewrite would fix one)',
    text: 'ARCH=${1:-amd64}\ndocker build -t b:$ARCH -f Dockerfile.build .\ndocker build -t app .\n',
    steps: [step(2), step(3, 1, true)],
    expect: { line: 1, says: 'it reads its arguments (`${1:-amd64}`)' },
  },
  {
    name: 'script: a kept command that uses the extracted file is refused',
    text: 'docker build -t b -f Dockerfile.build .\ndocker run --rm b cat /tool > tool\n"./tool" --version\ndocker build -t app .\n',
    steps: [step(1), step(2), step(4, 1, true)],
    extracted: ['tool'],
    expect: { line: 3, says: '`"./tool" --version` uses "./tool", which the builder pattern extracted' },
  },
  {
    name: 'Makefile: a kept line of the followed recipes that uses the extracted file is refused; other targets are not read',
    kind: 'makefile',
    text: 'image:\n\tdocker run --rm b cat /tool > tool\n\t./tool --version\n\tdocker build -t app .\n\nclean:\n\trm -f tool\n',
    steps: [step(2), step(4, 1, true)],
    extracted: ['tool'],
    expect: { line: 3, says: '`./tool --version` uses ./tool' },
  },
  {
    name: 'script: a step in a function is refused',
    text: 'extract() {\n  docker cp c:/app .\n}\ndocker build -t b -f Dockerfile.build .\nextract\ndocker build -t app .\n',
    steps: [step(2, 3), step(4), step(6, 1, true)],
    expect: { line: 2, says: 'is in a function' },
  },
  {
    name: 'script: a step in a loop is refused',
    text: 'for f in a b; do\n  docker cp c:/$f .\ndone\ndocker build -t app .\n',
    steps: [step(2, 3), step(4, 1, true)],
    expect: { line: 2, says: 'is in a loop' },
  },
  {
    name: 'script: a step in an if is refused',
    text: 'if [ -n "$CI" ]; then\n  docker build -t b -f Dockerfile.build .\nelse\n  echo local\nfi\ndocker build -t app .\n',
    steps: [step(2, 3), step(6, 1, true)],
    expect: { line: 2, says: 'an `if`' },
  },
  {
    name: 'script: a step in a case branch is refused',
    text: 'case "$MODE" in\n  build)\n    docker build -t app .\n    ;;\n  test) make test ;;\nesac\n',
    steps: [step(3, 5, true)],
    expect: { line: 3, says: 'a `case` branch' },
  },
  {
    name: 'script: a step fed by a here-doc is refused',
    text: 'cat <<EOF | docker build -t app -\nFROM x\nEOF\n',
    steps: [step(1, 13, true)],
    expect: { line: 1, says: 'a here-doc' },
  },
  {
    name: 'script: a build whose Dockerfile comes from a here-doc is refused',
    text: 'docker build -t b -f Dockerfile.build .\ndocker build -t app -f- . <<EOF\nFROM b\nEOF\necho done\n',
    steps: [step(1), step(2, 1, true)],
    expect: { line: 2, says: 'is in a statement with a here-doc' },
  },
  {
    name: 'script: a step in a sourced script is refused, naming that file',
    text: '. ./lib.sh\ndocker build -t app .\n',
    steps: [step(3, 1, false, 'lib.sh'), step(2, 1, true)],
    expect: { line: 3, says: 'is in lib.sh, which build.sh sources' },
  },
  {
    name: 'script: a kept command that uses the builder image is refused',
    text: 'docker build -t b -f Dockerfile.build .\ndocker tag b registry/b\ndocker build -t app .\n',
    steps: [step(1), step(3, 1, true)],
    builderWords: ['b'],
    expect: { line: 2, says: '`docker tag b registry/b` uses b' },
  },
  {
    name: 'Makefile: recipe lines keep their tab and prefixes; the one build replaces the command after them',
    kind: 'makefile',
    text: 'IMAGE ?= app\n\nbuilder:\n\tdocker build -t $(IMAGE):build -f Dockerfile.build .\n\nimage: builder\n\t@docker create --name x $(IMAGE):build\n\t-docker cp x:/app ./app\n\t@-docker rm -f x\n\t@docker build -t $(IMAGE) .\n\trm -f ./app\n\t@echo built\n\nclean:\n\t-docker rm -f x\n\trm -f ./app\n',
    steps: [step(4), step(7), step(8), step(9), step(10, 1, true), step(11)],
    build: 'docker build --build-arg P=$$http_proxy -t $(IMAGE) .',
    builderWords: ['$(IMAGE):build', 'app:build', 'x'],
    expect:
      'IMAGE ?= app\n\nbuilder:\n\nimage: builder\n\t@docker build --build-arg P=$$http_proxy -t $(IMAGE) .\n\t@echo built\n\nclean:\n\t-docker rm -f x\n\trm -f ./app\n',
  },
  {
    name: 'Makefile: the runtime recipe line kept byte for byte when it already is the one build',
    kind: 'makefile',
    text: 'all:\n\tdocker build -t b -f Dockerfile.build .\n\tdocker run --rm b cat /app > app\n\tdocker build -t $(IMAGE) .\n\tdocker rmi b\n',
    steps: [step(2), step(3), step(4, 1, true)],
    build: null,
    builderWords: ['b'],
    expect: 'all:\n\tdocker build -t $(IMAGE) .\n',
  },
  {
    name: 'Makefile: another target that runs the builder image is refused; an echo of its name is not a use',
    kind: 'makefile',
    text: 'image:\n\t@echo building b\n\tdocker build -t b -f Dockerfile.build .\n\tdocker build -t app .\n\ntest:\n\tdocker run --rm b go test ./...\n',
    steps: [step(3), step(4, 1, true)],
    builderWords: ['b'],
    expect: { line: 7, says: '`docker run --rm b go test ./...` uses b' },
  },
  {
    name: 'Makefile: a recipe line joining a step with another command is refused',
    kind: 'makefile',
    text: 'all:\n\tdocker build -t b -f Dockerfile.build . && go vet ./...\n\tdocker build -t app .\n',
    steps: [step(2), step(3, 1, true)],
    expect: { line: 2, says: 'shares its recipe line with another command (`&&`)' },
  },
  {
    name: 'Makefile: a continued recipe line is refused',
    kind: 'makefile',
    text: 'all:\n\tdocker build -t b \\\n\t  -f Dockerfile.build .\n\tdocker build -t app .\n',
    steps: [step(2), step(4, 1, true)],
    expect: { line: 2, says: 'continued recipe line' },
  },
  {
    name: 'Makefile: .ONESHELL is refused',
    kind: 'makefile',
    text: '.ONESHELL:\nall:\n\tdocker build -t app .\n',
    steps: [step(3, 1, true)],
    expect: { line: 1, says: 'sets .ONESHELL' },
  },
  {
    name: 'Makefile: a step in an included makefile is refused, naming it',
    kind: 'makefile',
    text: 'include docker.mk\nall:\n\tdocker build -t app .\n',
    steps: [step(2, 1, false, 'docker.mk'), step(3, 1, true)],
    expect: { line: 2, says: 'is in docker.mk' },
  },
];

for (const c of cases) {
  test(c.name, (t) => {
    const kind = c.kind ?? 'script';
    const file = kind === 'makefile' ? 'build.sh' : 'build.sh';
    const out = rewriteOrchestrator({
      file,
      text: c.text,
      kind,
      steps: c.steps,
      buildCommand: c.build === undefined ? BUILD : c.build,
      builderWords: c.builderWords ?? [],
      extractedPaths: c.extracted ?? [],
    });
    if (typeof c.expect === 'string') {
      if (!out.ok) return t.fail(out.diagnostic.message);
      t.is(out.text, c.expect);
      return;
    }
    if (out.ok) return t.fail(`rewritten:\n${out.text}`);
    t.is(out.diagnostic.code, 'RS610');
    t.is(out.diagnostic.line, c.expect.line);
    t.true(out.diagnostic.message.includes(c.expect.says), out.diagnostic.message);
    t.true(out.diagnostic.message.includes('nothing was written'));
  });
}
