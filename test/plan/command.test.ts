/** The replacement `docker build` command, and how its words are quoted. */
import test from 'ava';
import { buildCommand } from '../../src/plan/command.js';
import { shellQuote } from '../../src/shared/shell-quote.js';
import { analysisOf, BUILDER_PATTERN, PROJ } from '../helpers/analysis.js';

const quotes: [word: string, expected: string][] = [
  ['app:latest', 'app:latest'],
  ['registry.example.org:5000/team/app@sha256', 'registry.example.org:5000/team/app@sha256'],
  ['A=1', 'A=1'],
  ['two words', "'two words'"],
  ["it's", "'it'\\''s'"],
  ['$HOME', "'$HOME'"],
  ['', "''"],
];
for (const [word, expected] of quotes) {
  test(`shellQuote ${JSON.stringify(word)}`, (t) => t.is(shellQuote(word), expected));
}

function builds(script: string) {
  const a = analysisOf({ ...BUILDER_PATTERN, 'build.sh': script });
  const [builder, runtime] = a.flow.events.filter((e) => e.kind === 'build');
  return { builder: builder!, runtime: runtime! };
}

const commands: [name: string, script: string, expected: string][] = [
  [
    'build arguments of both builds, each once; proxies stay references',
    'docker build --build-arg https_proxy=$https_proxy --build-arg V=1 -t app:build -f Dockerfile.build .\ndocker build --build-arg V=1 --build-arg "N=a b" -t app .\n',
    "docker build --build-arg https_proxy=$https_proxy --build-arg V=1 --build-arg 'N=a b' -t app .",
  ],
  [
    '--no-cache and --pull of either build, --platform of the runtime',
    'docker build --no-cache -t app:build -f Dockerfile.build .\ndocker build --pull --platform linux/arm64 -t app -t app:1 .\n',
    'docker build --no-cache --pull --platform linux/arm64 -t app -t app:1 .',
  ],
  [
    "the runtime build's own DOCKER_BUILDKIT=1 (its Dockerfile may need BuildKit) prefixes the one build",
    'docker build -t app:build -f Dockerfile.build .\nDOCKER_BUILDKIT=1 docker build -t app .\n',
    'DOCKER_BUILDKIT=1 docker build -t app .',
  ],
  [
    'an exported DOCKER_BUILDKIT=0 before both builds keeps the classic builder',
    'export DOCKER_BUILDKIT=0\ndocker build -t app:build -f Dockerfile.build .\ndocker build -t app .\n',
    'DOCKER_BUILDKIT=0 docker build -t app .',
  ],
  [
    'BuildKit for one build and the classic builder for the other: BuildKit, which the one needs',
    'DOCKER_BUILDKIT=0 docker build -t app:build -f Dockerfile.build .\ndocker buildx build --load -t app .\n',
    'DOCKER_BUILDKIT=1 docker build --load -t app .',
  ],
  [
    'a DOCKER_BUILDKIT set without export does not reach docker: the engine chooses',
    'DOCKER_BUILDKIT=1\ndocker build -t app:build -f Dockerfile.build .\ndocker build -t app .\n',
    'docker build -t app .',
  ],
];
for (const [name, script, expected] of commands) {
  test(`buildCommand: ${name}`, (t) => {
    const { builder, runtime } = builds(script);
    t.is(
      buildCommand({ root: PROJ, runtime, builders: [builder], dockerfile: `${PROJ}/Dockerfile`, context: PROJ }),
      expected,
    );
  });
}

test('buildCommand: a Dockerfile other than the context default is named with -f; a context elsewhere is relative', (t) => {
  const { builder, runtime } = builds(BUILDER_PATTERN['build.sh']!);
  t.is(
    buildCommand({
      root: PROJ,
      runtime,
      builders: [builder],
      dockerfile: `${PROJ}/Dockerfile.new`,
      context: `${PROJ}/ctx`,
    }),
    'docker build -t app:latest -f Dockerfile.new ctx',
  );
});
