/** The replacement `docker build` command, and how its words are quoted. */
import test from 'ava';
import { buildCommand, shellQuote } from '../../src/plan/command.js';
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
