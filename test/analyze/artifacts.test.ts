/**
 * matchArtifacts on plain data: the flow, the parsed Dockerfiles and the host snapshot (what each
 * path was before the script ran, each context's .dockerignore rules); no directory on disk.
 */
import test from 'ava';
import { matchArtifacts } from '../../src/analyze/artifacts.js';
import { parseDockerfile } from '../../src/parse/dockerfile.js';
import type { DockerignoreRule, HostKind } from '../../src/model/analysis.js';
import type { ParsedDockerfile } from '../../src/model/dockerfile.js';
import { analyzeText, ROOT } from './helpers.js';
import { analysisOf } from '../helpers/analysis.js';

const BUILDER = 'docker build -t b:1 -f Dockerfile.build .\ndocker create --name c b:1\n';
const RUNTIME = 'docker build -t r:1 .\n';

function match(
  script: string,
  runtime: string,
  kinds: Record<string, HostKind> = {},
  dockerignores: Record<string, DockerignoreRule[]> = {},
) {
  const dockerfiles = new Map<string, ParsedDockerfile>([
    [`${ROOT}/Dockerfile.build`, parseDockerfile('Dockerfile.build', 'FROM golang\n').dockerfile],
    [`${ROOT}/Dockerfile`, parseDockerfile('Dockerfile', runtime).dockerfile],
  ]);
  return matchArtifacts({
    flow: { script: 'build.sh', events: analyzeText(`${BUILDER}${script}${RUNTIME}`).events },
    root: ROOT,
    host: { kinds: new Map(Object.entries(kinds)), dockerignores: new Map(Object.entries(dockerignores)) },
    dockerfiles,
    display: (p) => p.slice(ROOT.length + 1) || '.',
    scriptFailed: false,
  });
}

const codes = (r: ReturnType<typeof match>) => r.diagnostics.map((d) => d.code);

test('docker cp to a path that does not exist: the artifact takes that name', (t) => {
  const r = match('docker cp c:/out/app ./bin\n', 'FROM alpine\nCOPY bin /usr/bin/app\n');
  t.is(r.artifacts[0]!.hostPath, '/proj/bin');
  t.like(r.consumptions[0], { containerPath: '/out/app', within: null });
  t.deepEqual(codes(r), []);
});

test('docker cp to a directory that existed before the script: the artifact lands inside it', (t) => {
  const r = match('docker cp c:/out/app ./bin\n', 'FROM alpine\nCOPY bin/app /usr/bin/app\n', { '/proj/bin': 'dir' });
  t.is(r.artifacts[0]!.hostPath, '/proj/bin/app');
  t.like(r.consumptions[0], { containerPath: '/out/app', within: null });
});

test('docker cp c:/d/. into a directory that held files: COPY of that directory keeps them and adds the artifact', (t) => {
  const r = match('docker cp c:/dist/. ./web\n', 'FROM nginx\nCOPY web /usr/share/nginx/html\n', {
    '/proj/web': 'dir',
  });
  t.is(r.consumptions.length, 1);
  t.like(r.consumptions[0], { containerPath: '/dist', within: '' });
});

test('docker cp c:/d/. to a new path: COPY of that path is the artifact itself', (t) => {
  const r = match('docker cp c:/dist/. ./web\n', 'FROM nginx\nCOPY web /usr/share/nginx/html\n');
  t.like(r.consumptions[0], { containerPath: '/dist', within: null });
});

test('COPY . takes an artifact the context holds, unless the .dockerignore leaves it out', (t) => {
  const script = 'docker cp c:/out/app ./app\n';
  const runtime = 'FROM alpine\nCOPY . /src\n';
  const kept = match(script, runtime);
  t.like(kept.consumptions[0], { containerPath: '/out/app', within: 'app' });
  const ignored = match(script, runtime, {}, { [ROOT]: [{ exception: false, pattern: 'app' }] });
  t.deepEqual(ignored.consumptions, []);
  t.deepEqual(codes(ignored), ['RS402']);
  const excepted = match(
    script,
    runtime,
    {},
    {
      [ROOT]: [
        { exception: false, pattern: '*' },
        { exception: true, pattern: 'app' },
      ],
    },
  );
  t.is(excepted.consumptions.length, 1);
});

test('RS403: a COPY source that neither existed nor was extracted; a refused source or context is not said missing', (t) => {
  const script = 'docker cp c:/out/app ./app\n';
  const runtime = 'FROM alpine\nCOPY app /app\nCOPY conf /etc/conf\n';
  t.deepEqual(codes(match(script, runtime)), ['RS403']);
  t.deepEqual(codes(match(script, runtime, { '/proj/conf': 'file' })), []);
  t.deepEqual(codes(match(script, runtime, { '/proj/conf': 'refused' })), []);
  t.deepEqual(codes(match(script, runtime, { '/proj': 'refused' })), []);
});

test('RS402 is not said when a build context restage may not read could use the artifact', (t) => {
  const script = 'docker cp c:/out/app ./app\n';
  const runtime = 'FROM alpine\nCOPY conf /etc/conf\n';
  t.deepEqual(codes(match(script, runtime, { '/proj/conf': 'file' })), ['RS402']);
  t.deepEqual(codes(match(script, runtime, { '/proj/conf': 'file', '/proj': 'refused' })), []);
});

test('mv into a directory that existed before the script: COPY finds the artifact inside it', (t) => {
  const r = match('docker cp c:/out/app ./app\nmv app dist\n', 'FROM alpine\nCOPY dist/app /app\n', {
    '/proj/dist': 'dir',
  });
  t.like(r.consumptions[0], { containerPath: '/out/app', within: null });
  t.is(r.consumptions[0]!.artifact.hostPath, '/proj/dist/app');
});

/**
 * A runtime Dockerfile with its own ignore file (src/analyze/build-ignore.ts): BuildKit's build of
 * `COPY bin /usr/local/bin/` copies what `Dockerfile.dockerignore` keeps of the extracted `bin/`,
 * the classic builder's what `.dockerignore` keeps; the builder left to the engine: RS391 at `-f`.
 */
const OWN_IGNORE = {
  'Dockerfile.build': 'FROM golang\nRUN mkdir /out && echo hi > /out/app && echo s > /out/app.debug\n',
  Dockerfile: 'FROM alpine\nCOPY bin /usr/local/bin/\n',
  '.dockerignore': 'bin/app\n',
  'Dockerfile.dockerignore': 'bin/*.debug\n',
};
const ownIgnoreScript = (runtimeEnv: string) =>
  `docker build -t b -f Dockerfile.build .\nmkdir bin\ndocker create --name x b\ndocker cp x:/out/app bin/app\ndocker cp x:/out/app.debug bin/app.debug\ndocker rm x\n${runtimeEnv}docker build -t app -f Dockerfile .\n`;

test('a Dockerfile’s own ignore file: BuildKit reads it, the classic builder the context’s', (t) => {
  const consumed = (env: string) =>
    analysisOf({ ...OWN_IGNORE, 'build.sh': ownIgnoreScript(env) }).consumptions.map((c) => c.artifact.containerPath);
  t.deepEqual(consumed('DOCKER_BUILDKIT=1 '), ['/out/app']);
  t.deepEqual(consumed('DOCKER_BUILDKIT=0 '), ['/out/app.debug']);
});

test('a Dockerfile’s own ignore file, the builder left to the engine: RS391 at the -f value', (t) => {
  const analysis = analysisOf({ ...OWN_IGNORE, 'build.sh': ownIgnoreScript('') });
  const rs391 = analysis.diagnostics.filter((d) => d.code === 'RS391');
  t.deepEqual(
    rs391.map((d) => [d.severity, d.file, d.line, d.column]),
    [['error', 'build.sh', 7, 24]],
  );
  t.regex(
    rs391[0]!.message,
    /through Dockerfile\.dockerignore, the Dockerfile's own ignore file, and the classic builder through \.dockerignore; they differ/,
  );
  // Podman: its builder is not measured here; the files must be the same.
  const podman = analysisOf({
    ...OWN_IGNORE,
    'build.sh': ownIgnoreScript('').replace('docker build -t app', 'podman build -t app'),
  });
  t.regex(
    podman.diagnostics.find((d) => d.code === 'RS391')!.message,
    /the build runs on podman, whose builder restage has not measured on this: make the two files the same/,
  );
  // The same rules in both: nothing to decide.
  const same = analysisOf({ ...OWN_IGNORE, 'Dockerfile.dockerignore': 'bin/app\n', 'build.sh': ownIgnoreScript('') });
  t.false(same.diagnostics.some((d) => d.code === 'RS391'));
});
