/**
 * The host snapshot the runner reads before the analysis: which paths it names, and that the
 * matching asks about no path outside them (a path it asks about and the runner did not read would
 * be taken as missing).
 */
import test from 'ava';
import { matchArtifacts } from '../../src/analyze/artifacts.js';
import { buildIgnores } from '../../src/analyze/build-ignore.js';
import {
  buildContexts,
  contextSourcePath,
  hostPathsAsked,
  ignoredIn,
  ignoreRules,
  kindBefore,
  refusedBefore,
  sourceText,
} from '../../src/analyze/host-snapshot.js';
import { parseDockerfile } from '../../src/parse/dockerfile.js';
import type { HostKind, HostSnapshot } from '../../src/model/analysis.js';
import type { ParsedDockerfile } from '../../src/model/dockerfile.js';
import type { BuildFlow } from '../../src/model/flow.js';
import { analyzeText, ROOT } from './helpers.js';

function flowOf(script: string, files: Record<string, string>) {
  const flow: BuildFlow = { script: 'build.sh', events: analyzeText(script).events };
  const dockerfiles = new Map<string, ParsedDockerfile>(
    Object.entries(files).map(([name, text]) => [`${ROOT}/${name}`, parseDockerfile(name, text).dockerfile]),
  );
  return { flow, dockerfiles };
}

const HOST: HostSnapshot = {
  kinds: new Map<string, HostKind>([
    ['/proj/dir', 'dir'],
    ['/proj/file', 'file'],
    ['/proj/link', 'refused'],
  ]),
  dockerignores: new Map([['/proj', [{ exception: false, pattern: 'out' }]]]),
};

test('kindBefore: a listed path is what it was, a refused or unlisted one null; a trailing / is the same path', (t) => {
  t.is(kindBefore(HOST, '/proj/dir'), 'dir');
  t.is(kindBefore(HOST, '/proj/dir/'), 'dir');
  t.is(kindBefore(HOST, '/proj/file'), 'file');
  t.is(kindBefore(HOST, '/proj/link'), null);
  t.is(kindBefore(HOST, '/proj/none'), null);
});

test('refusedBefore: only a path listed as refused', (t) => {
  t.true(refusedBefore(HOST, '/proj/link'));
  t.false(refusedBefore(HOST, '/proj/dir'));
  t.false(refusedBefore(HOST, '/proj/none'));
});

test("ignoredIn: the context's rules on the context-relative path; a context without rules ignores nothing", (t) => {
  t.true(ignoredIn(HOST, { context: '/proj' }, '/proj/out'));
  t.true(ignoredIn(HOST, { context: '/proj' }, '/proj/out/app'));
  t.false(ignoredIn(HOST, { context: '/proj' }, '/proj/app'));
  t.false(ignoredIn(HOST, { context: '/proj/sub' }, '/proj/sub/out'));
});

test('sourceText and contextSourcePath: shell-form quotes go, JSON form is as written', (t) => {
  const file = parseDockerfile('Dockerfile', 'FROM x\nCOPY "a" c/ /x/\nCOPY ["d", "/y/"]\n').dockerfile;
  const [, shell, json] = file.instructions;
  t.deepEqual(
    shell!.args.slice(0, -1).map((tok) => sourceText(shell!, tok)),
    ['a', 'c/'],
  );
  t.is(contextSourcePath('/proj', shell!, shell!.args[1]!), '/proj/c/');
  t.is(contextSourcePath('/proj', json!, json!.args[0]!), '/proj/d');
});

test('hostPathsAsked: contexts, Dockerfiles, cp and host-command paths, context COPY/ADD sources of each build; no URL or --from source', (t) => {
  const { flow, dockerfiles } = flowOf(
    'docker build -t b:1 -f Dockerfile.build .\ndocker create --name c b:1\ndocker cp c:/out ./dist\nmkdir -p pkg\nmv dist/app pkg/\ndocker build -t r:1 -f Dockerfile sub\n',
    {
      'Dockerfile.build': 'FROM golang\nCOPY main.go "go.mod" ./\n',
      Dockerfile:
        'FROM alpine AS a\nCOPY --from=b:1 /x /x\nADD https://example.com/f /f\nCOPY bin/ /bin/\nCOPY ["etc/conf", "/etc/"]\n',
    },
  );
  t.deepEqual(hostPathsAsked(flow, dockerfiles).sort(), [
    '/proj',
    '/proj/Dockerfile',
    '/proj/Dockerfile.build',
    '/proj/dist',
    '/proj/dist/app',
    '/proj/go.mod',
    '/proj/main.go',
    '/proj/pkg',
    '/proj/sub',
    '/proj/sub/bin',
    '/proj/sub/etc/conf',
  ]);
  t.deepEqual(buildContexts(flow), ['/proj', '/proj/sub']);
});

test('hostPathsAsked: the COPY sources of a Dockerfile found at the build, relative to its context', (t) => {
  const { flow, dockerfiles } = flowOf('docker build -t r:1 -f Dockerfile sub\n', {
    Dockerfile: 'FROM alpine\nCOPY bin/ etc/conf /x/\n',
  });
  t.deepEqual(hostPathsAsked(flow, dockerfiles).sort(), [
    '/proj/Dockerfile',
    '/proj/sub',
    '/proj/sub/bin',
    '/proj/sub/etc/conf',
  ]);
});

/** A snapshot whose every lookup is recorded, so a test sees each path the matching asks about. */
class Recorded extends Map<string, HostKind> {
  readonly asked = new Set<string>();
  override get(key: string): HostKind | undefined {
    this.asked.add(key);
    return super.get(key);
  }
}

const SCENARIOS: readonly {
  name: string;
  script: string;
  files: Record<string, string>;
  kinds: [string, HostKind][];
}[] = [
  {
    name: 'cp into an existing directory, COPY of the directory',
    script:
      'docker build -t b:1 -f Dockerfile.build .\ndocker create --name c b:1\ndocker cp c:/out/. ./dist\ndocker build -t r:1 .\n',
    files: { 'Dockerfile.build': 'FROM golang\n', Dockerfile: 'FROM alpine\nCOPY dist/ /app\nCOPY dist/x /x\n' },
    kinds: [['/proj/dist', 'dir']],
  },
  {
    name: 'mkdir, mv into it, chmod, rm, a missing source',
    script:
      'docker build -t b:1 -f Dockerfile.build .\ndocker create --name c b:1\ndocker cp c:/app ./app\nmkdir -p out\nmv app out\nchmod 755 out/app\ncp out/app copies\nrm -rf tmp\ndocker build -t r:1 .\n',
    files: { 'Dockerfile.build': 'FROM golang\n', Dockerfile: 'FROM alpine\nCOPY out/app copies/app gone /x/\n' },
    kinds: [
      ['/proj/tmp', 'dir'],
      ['/proj/copies', 'dir'],
    ],
  },
  {
    name: 'COPY . of a context with a .dockerignore, a refused context',
    script:
      'docker build -t b:1 -f Dockerfile.build .\ndocker create --name c b:1\ndocker cp c:/app ./bin\ndocker build -t r:1 .\ndocker build -t s:1 -f Dockerfile linked\n',
    files: { 'Dockerfile.build': 'FROM golang\n', Dockerfile: 'FROM alpine\nCOPY . /src\nCOPY missing /m\n' },
    kinds: [
      ['/proj/bin', 'dir'],
      ['/proj/linked', 'refused'],
    ],
  },
];

for (const s of SCENARIOS) {
  test(`matchArtifacts asks the snapshot only about hostPathsAsked: ${s.name}`, (t) => {
    const { flow, dockerfiles } = flowOf(s.script, s.files);
    const kinds = new Recorded(s.kinds);
    const result = matchArtifacts({
      flow,
      root: ROOT,
      host: { kinds, dockerignores: new Map() },
      dockerfiles,
      display: (p) => p,
      scriptFailed: false,
    });
    t.true(result.artifacts.length > 0);
    t.true(kinds.asked.size > 0);
    const named = new Set(hostPathsAsked(flow, dockerfiles));
    t.deepEqual(
      [...kinds.asked].filter((p) => !named.has(p)),
      [],
    );
  });
}

test('buildIgnores: each build’s file, a .dockerignore copied into its context standing for the tree file', (t) => {
  const { flow } = flowOf(
    'docker build -t b -f Dockerfile.build .\nmkdir stage\ncp deploy/.dockerignore stage/\nDOCKER_BUILDKIT=1 docker build -t app -f deploy/Dockerfile stage\n',
    {},
  );
  const files: Record<string, string> = {
    '/proj/.dockerignore': 'a\n',
    '/proj/Dockerfile.build.dockerignore': 'b\n',
    '/proj/deploy/.dockerignore': 'c\n',
  };
  const got = buildIgnores(
    flow,
    { kinds: new Map<string, HostKind>([['/proj/deploy/.dockerignore', 'file']]), dockerignores: new Map() },
    (f) => files[f] ?? null,
    (p) => p in files,
  );
  const [builder, runtime] = flow.events.filter((e) => e.kind === 'build');
  // No builder asked for: the two files of the builder's build differ, undecided.
  t.deepEqual(got.get(builder!), {
    undecided: { own: '/proj/Dockerfile.build.dockerignore', context: '/proj/.dockerignore' },
    rules: [{ exception: false, pattern: 'a' }],
  });
  t.deepEqual(got.get(runtime!), { file: '/proj/deploy/.dockerignore', rules: [{ exception: false, pattern: 'c' }] });
  t.deepEqual(ignoreRules({ kinds: new Map(), dockerignores: new Map(), buildIgnores: got }, runtime!), [
    { exception: false, pattern: 'c' },
  ]);
});
