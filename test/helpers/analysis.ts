/**
 * An Analysis built in memory by the real stages (parse → analyze → match), for unit tests of the
 * stages after it: `files` is the directory at /proj before the script runs, by relative path.
 */
import path from 'node:path';
import { parseDockerfile } from '../../src/parse/dockerfile.js';
import { parseShell } from '../../src/parse/shell.js';
import { analyzeScript } from '../../src/analyze/script.js';
import { matchArtifacts } from '../../src/analyze/artifacts.js';
import { parseDockerignore } from '../../src/analyze/dockerignore.js';
import { buildIgnores as buildIgnoresOf } from '../../src/analyze/build-ignore.js';
import { buildContexts, hostPathsAsked } from '../../src/analyze/host-snapshot.js';
import type { Analysis, HostKind } from '../../src/model/analysis.js';
import type { ParsedDockerfile } from '../../src/model/dockerfile.js';

export const PROJ = '/proj';

/** Paths relative to /proj, as the report shows them when run from /proj. */
export const display = (p: string): string => path.relative(PROJ, p) || '.';

export function analysisOf(files: Readonly<Record<string, string>>, script = 'build.sh'): Analysis {
  const text = files[script];
  if (text === undefined) throw new Error(`no ${script} among the files`);
  const shell = parseShell(script, text);
  if (!shell.script) throw new Error(`parse failed: ${JSON.stringify(shell.diagnostics)}`);
  const readFile = (abs: string) => {
    const rel = path.relative(PROJ, abs);
    return files[rel] === undefined ? null : { display: rel, text: files[rel] };
  };
  const { flow, diagnostics } = analyzeScript(shell.script, PROJ, path.join(PROJ, script), { readFile });
  const dockerfiles = new Map<string, ParsedDockerfile>();
  for (const e of flow.events) {
    if (e.kind !== 'build') continue;
    const source = files[path.relative(PROJ, e.dockerfile)];
    if (source !== undefined && !dockerfiles.has(e.dockerfile))
      dockerfiles.set(e.dockerfile, parseDockerfile(display(e.dockerfile), source).dockerfile);
  }
  const kinds = new Map<string, HostKind>();
  for (const abs of hostPathsAsked(flow, dockerfiles)) {
    const rel = path.relative(PROJ, abs);
    if (rel in files) kinds.set(abs, 'file');
    else if (rel === '' || Object.keys(files).some((f) => f.startsWith(`${rel}/`))) kinds.set(abs, 'dir');
  }
  const dockerignores = new Map(
    buildContexts(flow).map((c) => [
      c,
      parseDockerignore(files[path.relative(PROJ, path.join(c, '.dockerignore'))] ?? ''),
    ]),
  );
  const snapshot = { kinds, dockerignores };
  const treeText = (abs: string) => files[path.relative(PROJ, abs)] ?? null;
  const buildIgnores = buildIgnoresOf(flow, snapshot, treeText, (abs) => path.relative(PROJ, abs) in files);
  const match = matchArtifacts({
    flow,
    root: PROJ,
    host: { ...snapshot, buildIgnores },
    dockerfiles,
    display,
    scriptFailed: diagnostics.some((d) => d.severity === 'error'),
  });
  return {
    flow,
    artifacts: match.artifacts,
    consumptions: match.consumptions,
    runtime: match.runtime,
    staged: match.staged,
    dockerfiles,
    diagnostics: [...diagnostics, ...match.diagnostics],
  };
}

/** The bundled href-counter sample's shape: build, create, cp, rm, build the runtime. */
export const BUILDER_PATTERN: Readonly<Record<string, string>> = {
  'build.sh':
    'docker build -t app:build -f Dockerfile.build .\ndocker create --name x app:build\ndocker cp x:/src/app ./app\ndocker rm -f x\ndocker build -t app:latest .\n',
  'Dockerfile.build': 'FROM golang:1.22\nWORKDIR /src\nCOPY main.go .\nRUN go build -o app .\n',
  Dockerfile: 'FROM alpine:3.19\nCOPY app /usr/local/bin/app\nCMD ["app"]\n',
  'main.go': 'package main\nfunc main() {}\n',
};
