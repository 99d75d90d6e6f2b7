/** The orchestrator rewrite of `--write`: kept lines, the one build, and the shapes it declines. */
import test from 'ava';
import {
  rewriteFlow,
  rewriteOrchestrator,
  type FlowFile,
  type RewriteStep,
} from '../../src/emit/orchestrator-rewrite.js';

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

// ---------------------------------------------------------------------------------------------
// The files of the flow: the steps rewritten where they are, all files or none.

const MAKE_TEXT = 'release:\n\t./ci/build.sh\n\t@echo released\n';
const SCRIPT_TEXT = [
  '#!/bin/sh',
  'set -e',
  'docker build -t b -f Dockerfile.build .',
  'docker create --name x b',
  'docker cp x:/out/tool ./tool',
  'docker rm x',
  'docker build -t app .',
  'rm -f tool',
  'docker run --rm app --version',
  'docker push app',
  '',
].join('\n');
const inScript = (line: number, runtime = false) => step(line, 1, runtime, 'ci/build.sh');
const SCRIPT_STEPS = [inScript(3), inScript(4), inScript(5), inScript(6), inScript(7, true), inScript(8)];

function flowFile(file: string, text: string, more: Partial<Omit<FlowFile, 'file' | 'text'>> = {}): FlowFile {
  return {
    file,
    text,
    kind:
      file === 'Makefile'
        ? 'makefile'
        : file === 'package.json'
          ? { declined: 'whose npm scripts restage does not rewrite' }
          : 'script',
    calledAt: [],
    elsewhere: null,
    extractedPaths: ['tool'],
    ...more,
  };
}

const calledFromMake = (line: number) => ({ calledAt: [at(line, 2, 'Makefile')] });

interface FlowCase {
  readonly name: string;
  readonly files: readonly FlowFile[];
  readonly steps: readonly RewriteStep[];
  readonly build?: string | null;
  /** The files rewritten, by name, or the refusal's place and a part of its message. */
  readonly expect:
    | Readonly<Record<string, string>>
    | { readonly file: string; readonly line: number; readonly says: readonly string[] };
}

const SCRIPT_REWRITTEN = '#!/bin/sh\nset -e\ndocker build -t app .\ndocker run --rm app --version\ndocker push app\n';

const flowCases: readonly FlowCase[] = [
  {
    name: 'flow: a Makefile recipe runs the script that holds every step: the script is rewritten, the Makefile is not',
    files: [flowFile('Makefile', MAKE_TEXT), flowFile('ci/build.sh', SCRIPT_TEXT, calledFromMake(2))],
    steps: SCRIPT_STEPS,
    build: null,
    expect: { 'ci/build.sh': SCRIPT_REWRITTEN },
  },
  {
    name: 'flow: `bash ci/build.sh` and `sh ci/build.sh ARG` of a script that does not read its arguments: the same',
    files: [
      flowFile('Makefile', 'release:\n\tbash ci/build.sh\n\nother:\n\tsh ci/build.sh fast\n'),
      flowFile('ci/build.sh', SCRIPT_TEXT, calledFromMake(2)),
    ],
    steps: SCRIPT_STEPS,
    expect: { 'ci/build.sh': SCRIPT_REWRITTEN.replace('docker build -t app .', BUILD) },
  },
  {
    name: 'flow: the recipe builds the builder and the script extracts and builds the runtime: both files are rewritten',
    files: [
      flowFile('Makefile', 'image:\n\tdocker build -t b -f Dockerfile.build .\n\tsh ci/x.sh\n\tdocker push app\n'),
      flowFile(
        'ci/x.sh',
        'set -e\ndocker create --name x b\ndocker cp x:/out/tool ./tool\ndocker rm x\ndocker build -t app .\nrm -f tool\n',
        calledFromMake(3),
      ),
    ],
    steps: [
      step(2, 2, false, 'Makefile'),
      step(2, 1, false, 'ci/x.sh'),
      step(3, 1, false, 'ci/x.sh'),
      step(4, 1, false, 'ci/x.sh'),
      step(5, 1, true, 'ci/x.sh'),
      step(6, 1, false, 'ci/x.sh'),
    ],
    build: 'docker build --build-arg V=1 -t app .',
    expect: {
      Makefile: 'image:\n\tsh ci/x.sh\n\tdocker push app\n',
      'ci/x.sh': 'set -e\ndocker build --build-arg V=1 -t app .\n',
    },
  },
  {
    name: 'flow: a script that runs another script: the builder steps go from the one, the runtime build becomes the one build in the other; the emptied script is no longer run',
    files: [
      flowFile(
        'ci/build.sh',
        'set -e\n. ./ci/env.sh\ndocker build -t b -f Dockerfile.build .\n./ci/extract.sh\ndocker build -t app .\n',
      ),
      flowFile('ci/env.sh', 'VERSION=${1:-dev}\n', { calledAt: [at(2, 1, 'ci/build.sh')] }),
      flowFile('ci/extract.sh', '#!/bin/sh\nid=$(docker create b)\ndocker cp "$id":/out/tool tool\ndocker rm "$id"\n', {
        calledAt: [at(4, 1, 'ci/build.sh')],
      }),
    ],
    steps: [
      step(3, 1, false, 'ci/build.sh'),
      step(2, 7, false, 'ci/extract.sh'),
      step(3, 1, false, 'ci/extract.sh'),
      step(4, 1, false, 'ci/extract.sh'),
      step(5, 1, true, 'ci/build.sh'),
    ],
    expect: {
      'ci/build.sh': `set -e\n. ./ci/env.sh\n${BUILD}\n`,
      'ci/extract.sh': '#!/bin/sh\n',
    },
  },
  {
    name: 'flow: a script the flow runs twice is refused, naming both calls',
    files: [
      flowFile('Makefile', 'release:\n\t./ci/build.sh\n\t./ci/build.sh\n'),
      flowFile('ci/build.sh', SCRIPT_TEXT, { calledAt: [at(2, 2, 'Makefile'), at(3, 2, 'Makefile')] }),
    ],
    steps: SCRIPT_STEPS,
    expect: { file: 'ci/build.sh', line: 3, says: ['runs 2 times (Makefile:2, Makefile:3)'] },
  },
  {
    name: 'flow: the runtime build in package.json and the builder in the script it runs: refused, naming both places',
    files: [
      flowFile(
        'package.json',
        '{\n  "scripts": {\n    "prerelease": "sh ci/b.sh",\n    "release": "docker build -t app ."\n  }\n}\n',
      ),
      flowFile('ci/b.sh', 'docker build -t b -f Dockerfile.build .\ndocker run --rm b cat /tool > tool\n', {
        calledAt: [at(3, 5, 'package.json')],
      }),
    ],
    steps: [step(1, 1, false, 'ci/b.sh'), step(2, 1, false, 'ci/b.sh'), step(4, 5, true, 'package.json')],
    expect: {
      file: 'package.json',
      line: 4,
      says: [
        'not rewriting package.json and ci/b.sh:',
        'the step at 4 (package.json:4) is in package.json, whose npm scripts restage does not rewrite',
        "the pattern's other steps start with the step at 1 (ci/b.sh:1)",
        'Edit package.json and ci/b.sh by hand',
      ],
    },
  },
  {
    name: 'flow: package.json runs the script that holds every step: the script is rewritten; a package named like the artifact is no use of it',
    files: [
      flowFile('package.json', '{\n  "name": "tool",\n  "scripts": { "build": "sh ci/build.sh" }\n}\n'),
      flowFile('ci/build.sh', SCRIPT_TEXT, { calledAt: [at(3, 15, 'package.json')] }),
    ],
    steps: SCRIPT_STEPS,
    build: null,
    expect: { 'ci/build.sh': SCRIPT_REWRITTEN },
  },
  {
    name: 'flow: a package.json script that uses the extracted file after running the script is refused',
    files: [
      flowFile('package.json', '{\n  "scripts": {\n    "build": "sh ci/build.sh && ./tool --version"\n  }\n}\n'),
      flowFile('ci/build.sh', SCRIPT_TEXT, { calledAt: [at(3, 5, 'package.json')] }),
    ],
    steps: SCRIPT_STEPS,
    build: null,
    expect: {
      file: 'package.json',
      line: 3,
      says: ['package.json runs `sh ci/build.sh && ./tool --version`, which uses ./tool'],
    },
  },
  {
    name: 'flow: a recipe that uses the extracted file after running the script is refused',
    files: [
      flowFile('Makefile', 'release:\n\t./ci/build.sh\n\t./tool --version\n'),
      flowFile('ci/build.sh', SCRIPT_TEXT, calledFromMake(2)),
    ],
    steps: SCRIPT_STEPS,
    build: null,
    expect: { file: 'Makefile', line: 3, says: ['`./tool --version` uses ./tool'] },
  },
  {
    name: 'flow: another target of the calling Makefile that runs the builder image is refused',
    files: [
      flowFile('Makefile', 'release:\n\t./ci/build.sh\n\ntest:\n\tdocker run --rm b go test ./...\n'),
      flowFile('ci/build.sh', SCRIPT_TEXT, calledFromMake(2)),
    ],
    steps: SCRIPT_STEPS,
    build: null,
    expect: {
      file: 'Makefile',
      line: 5,
      says: [
        'in Makefile, `docker run --rm b go test ./...` uses b, which the run, rewritten in ci/build.sh, no longer makes',
      ],
    },
  },
  {
    name: 'flow: a new one build in a script run from another directory is refused; kept as written it is not',
    files: [
      flowFile('Makefile', 'release:\n\tcd ci && ./build.sh\n'),
      flowFile('ci/build.sh', SCRIPT_TEXT, {
        ...calledFromMake(2),
        elsewhere: 'ci/build.sh runs in ci, where Makefile:2 runs it',
      }),
    ],
    steps: SCRIPT_STEPS,
    expect: {
      file: 'ci/build.sh',
      line: 7,
      says: ['ci/build.sh runs in ci, where Makefile:2 runs it, and the one build'],
    },
  },
  {
    name: 'flow: a script that reads its arguments is refused when it holds steps',
    files: [
      flowFile('Makefile', 'release:\n\tsh ci/build.sh release\n'),
      flowFile('ci/build.sh', `TARGET=$1\n${SCRIPT_TEXT}`, calledFromMake(2)),
    ],
    steps: SCRIPT_STEPS.map((s) => ({ ...s, at: { ...s.at, line: s.at.line + 1 } })),
    expect: { file: 'ci/build.sh', line: 1, says: ['not rewriting ci/build.sh: it reads its arguments'] },
  },
  {
    name: 'flow: a step of the split in a file that cannot be rewritten names every file that holds steps',
    files: [
      flowFile('Makefile', 'image:\n\tdocker build -t b -f Dockerfile.build . && echo built\n\tsh ci/x.sh\n'),
      flowFile('ci/x.sh', 'docker run --rm b cat /out/tool > tool\ndocker build -t app .\n', calledFromMake(3)),
    ],
    steps: [step(2, 2, false, 'Makefile'), step(1, 1, false, 'ci/x.sh'), step(2, 1, true, 'ci/x.sh')],
    expect: {
      file: 'Makefile',
      line: 2,
      says: [
        'not rewriting Makefile and ci/x.sh: in Makefile, the step at 2 shares its recipe line',
        'Edit Makefile and ci/x.sh by hand',
      ],
    },
  },
  {
    name: 'flow: a step in a JavaScript build script is refused, naming it',
    files: [flowFile('package.json', '{"scripts":{"build":"node scripts/build.mjs"}}')],
    steps: [step(3, 1, false, 'scripts/build.mjs'), step(9, 1, true, 'scripts/build.mjs')],
    expect: { file: 'scripts/build.mjs', line: 3, says: ['is in scripts/build.mjs, a JavaScript build script'] },
  },
];

for (const c of flowCases) {
  test(c.name, (t) => {
    const out = rewriteFlow({
      files: c.files,
      steps: c.steps,
      buildCommand: c.build === undefined ? BUILD : c.build,
      builderWords: ['b', 'x', '"$id"'],
      buildDir: '.',
    });
    if (!('says' in c.expect)) {
      if (!out.ok) return t.fail(out.diagnostic.message);
      t.deepEqual(Object.fromEntries(out.rewritten.map((r) => [r.file, r.text])), c.expect);
      return;
    }
    if (out.ok) return t.fail(`rewritten: ${JSON.stringify(out.rewritten)}`);
    t.is(out.diagnostic.code, 'RS610');
    t.is(`${out.diagnostic.file}:${out.diagnostic.line}`, `${c.expect.file}:${c.expect.line}`);
    for (const part of c.expect.says) t.true(out.diagnostic.message.includes(part), out.diagnostic.message);
    t.true(out.diagnostic.message.includes('nothing was written'));
  });
}

test('flow: where the one build is once written, and the first line removed from a file without it', (t) => {
  const out = rewriteFlow({
    files: [
      flowFile('Makefile', 'image:\n\t@echo start\n\tdocker build -t b -f Dockerfile.build .\n\tsh ci/x.sh\n'),
      flowFile(
        'ci/x.sh',
        'set -e\ndocker run --rm b cat /out/tool > tool\n\ndocker build -t app .\n',
        calledFromMake(4),
      ),
    ],
    steps: [step(3, 2, false, 'Makefile'), step(2, 1, false, 'ci/x.sh'), step(4, 1, true, 'ci/x.sh')],
    buildCommand: null,
    builderWords: ['b'],
    buildDir: '.',
  });
  if (!out.ok) return t.fail(out.diagnostic.message);
  t.deepEqual(out.runtimeAt, { file: 'ci/x.sh', line: 3, column: 1 });
  t.deepEqual(
    out.rewritten.map((r) => [r.file, r.buildLine, r.firstRemoved, r.removedLines]),
    [
      ['Makefile', null, 3, 1],
      ['ci/x.sh', 3, 2, 1],
    ],
  );
});

test('flow: a script left running nothing: its run goes from the caller when it removes cleanly, else it stays', (t) => {
  const emptied = (caller: string, line: number) =>
    rewriteFlow({
      files: [
        flowFile('Makefile', caller),
        flowFile(
          'ci/b.sh',
          '#!/bin/sh\n# the builder\nset -eu\nset -o pipefail\ndocker build -t b -f Dockerfile.build .\n',
          calledFromMake(line),
        ),
        flowFile(
          'ci/x.sh',
          'docker run --rm b cat /out/tool > tool\ndocker build -t app .\n',
          calledFromMake(line + 1),
        ),
      ],
      steps: [step(5, 1, false, 'ci/b.sh'), step(1, 1, false, 'ci/x.sh'), step(2, 1, true, 'ci/x.sh')],
      buildCommand: null,
      builderWords: ['b'],
      buildDir: '.',
    });
  const clean = emptied('image:\n\t@sh ci/b.sh\n\tsh ci/x.sh\n', 2);
  if (!clean.ok) return t.fail(clean.diagnostic.message);
  t.deepEqual(
    clean.rewritten.map((r) => [r.file, r.text, r.runRemoved && `${r.runRemoved.file}:${r.runRemoved.line}`]),
    [
      ['Makefile', 'image:\n\tsh ci/x.sh\n', null],
      ['ci/b.sh', '#!/bin/sh\n# the builder\nset -eu\nset -o pipefail\n', 'Makefile:2'],
      ['ci/x.sh', 'docker build -t app .\n', null],
    ],
  );
  // `&& echo` on the run's line: removing it would change the line; the run of the empty script stays.
  const joined = emptied('image:\n\tsh ci/b.sh && echo built\n\tsh ci/x.sh\n', 2);
  if (!joined.ok) return t.fail(joined.diagnostic.message);
  t.deepEqual(
    joined.rewritten.map((r) => [r.file, r.runRemoved]),
    [
      ['ci/b.sh', null],
      ['ci/x.sh', null],
    ],
  );
});

test('flow: a script that still sets a variable or runs a command is not empty; its run stays', (t) => {
  for (const rest of ['VERSION=1\n', 'echo extracted\n', 'set -- a b\n']) {
    const out = rewriteFlow({
      files: [
        flowFile('build.sh', './ci/b.sh\ndocker build -t app .\n'),
        flowFile('ci/b.sh', `docker run --rm b cat /out/tool > tool\n${rest}`, { calledAt: [at(1, 1, 'build.sh')] }),
      ],
      steps: [step(1, 1, false, 'ci/b.sh'), step(2, 1, true, 'build.sh')],
      buildCommand: null,
      builderWords: ['b'],
      buildDir: '.',
    });
    if (!out.ok) return t.fail(out.diagnostic.message);
    t.deepEqual(
      out.rewritten.map((r) => [r.file, r.text, r.runRemoved]),
      [['ci/b.sh', rest, null]],
      rest,
    );
  }
});
