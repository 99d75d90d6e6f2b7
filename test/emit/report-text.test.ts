/** The text report: the Dockerfile on stdout only when asked and produced, the report on stderr. */
import test from 'ava';
import { formatDiagnostic, renderText } from '../../src/emit/report-text.js';
import { renderJson } from '../../src/emit/report-json.js';
import { diagnostic } from '../../src/model/diagnostic.js';
import type { MigrationResult } from '../../src/model/result.js';

const result: MigrationResult = {
  status: 'needs-attention',
  directory: 'app',
  files: [{ path: 'app/build.sh', role: 'orchestrator' }],
  stages: [{ name: 'builder', from: 'golang', source: 'app/Dockerfile.build' }],
  artifacts: [{ stage: 'builder', path: '/src/app', hostPath: 'app/app', consumers: [] }],
  dockerfile: 'FROM golang AS builder\n',
  buildCommand: 'docker build -t app .',
  obsolete: ['app/build.sh'],
  diagnostics: [diagnostic('RS203', { file: 'app/Dockerfile', line: 3, column: 5 }, 'use exec form')],
  target: 'app/Dockerfile',
  written: [],
};

test('formatDiagnostic is file:line:col severity code message', (t) => {
  t.is(formatDiagnostic(result.diagnostics[0]!), 'app/Dockerfile:3:5 warning RS203 use exec form');
});

test('renderText: headline, sections, diagnostics on stderr; the Dockerfile on stdout when asked', (t) => {
  const r = renderText(result, { printDockerfile: true });
  t.is(r.stdout, 'FROM golang AS builder\n');
  t.is(renderText(result, { printDockerfile: false }).stdout, '');
  t.is(renderText({ ...result, dockerfile: null }, { printDockerfile: true }).stdout, '');
  t.regex(r.stderr, /^restage: app: migrated, needs attention\n/);
  t.regex(r.stderr, /\n {2}app\/build\.sh {2}\(orchestrator\)\n/);
  t.regex(
    r.stderr,
    /\nflow:\n {2}builder {2}FROM [^\n]*\n {4}\/src\/app\n {6}legacy: docker cp → app\/app → \(not consumed\)\n/,
  );
  t.regex(r.stderr, /\nreplace the script with \(run in app\):\n {2}docker build -t app \.\n/);
  t.regex(r.stderr, /\nno longer needed: app\/build\.sh\n/);
  t.true(r.stderr.endsWith('diagnostics:\napp/Dockerfile:3:5 warning RS203 use exec form\n'));
  t.notRegex(r.stderr, /wrote:/);
});

test('renderJson: the documented fields, schemaVersion first, one trailing newline', (t) => {
  const text = renderJson(result);
  t.true(text.endsWith('}\n'));
  const json = JSON.parse(text) as Record<string, unknown>;
  t.deepEqual(Object.keys(json), [
    'schemaVersion',
    'status',
    'directory',
    'files',
    'stages',
    'artifacts',
    'dockerfile',
    'buildCommand',
    'target',
    'obsolete',
    'written',
    'diagnostics',
  ]);
  t.is(json.schemaVersion, 1);
});

test('the .dockerignore the migration needs: a report section with its text, a JSON field after dockerfile', (t) => {
  const withIgnore: MigrationResult = {
    ...result,
    dockerignore: { path: 'app/.dockerignore', text: '*.log\n\n# restage: x\n!config.yml\n', exists: true },
  };
  t.regex(
    renderText(withIgnore, { printDockerfile: false }).stderr,
    /\napp\/\.dockerignore \(its text kept at the top, lines added\), which the one build needs:\n {2}\*\.log\n {2}\n {2}# restage: x\n {2}!config\.yml\n\nreplace the script/,
  );
  t.regex(
    renderText(
      { ...withIgnore, dockerignore: { ...withIgnore.dockerignore!, exists: false } },
      { printDockerfile: false },
    ).stderr,
    /\napp\/\.dockerignore \(new\), which the one build needs:\n/,
  );
  t.notRegex(renderText(result, { printDockerfile: false }).stderr, /dockerignore/);
  const json = JSON.parse(renderJson(withIgnore)) as Record<string, unknown>;
  t.deepEqual(Object.keys(json).slice(6, 9), ['dockerfile', 'dockerignore', 'buildCommand']);
  t.deepEqual(json.dockerignore, withIgnore.dockerignore);
});
