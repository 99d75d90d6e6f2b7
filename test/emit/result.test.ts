/** The result's summaries: Dockerfile roles, artifacts with their consumers, the status. */
import test from 'ava';
import { dockerfileRoles, migrationStatus, summarizeArtifacts } from '../../src/emit/result.js';
import { diagnostic, type DiagnosticCode } from '../../src/model/diagnostic.js';
import type { MigrationStatus } from '../../src/model/result.js';
import { planMigration } from '../../src/plan/index.js';
import { analysisOf, BUILDER_PATTERN, display, PROJ } from '../helpers/analysis.js';

const statuses: [codes: DiagnosticCode[], produced: boolean, expected: MigrationStatus][] = [
  [[], true, 'migrated'],
  [['RS501', 'RS305'], true, 'migrated'],
  [['RS203'], true, 'needs-attention'],
  [['RS203', 'RS201'], true, 'error'],
  [[], false, 'nothing-to-migrate'],
  [['RS402'], false, 'nothing-to-migrate'],
  [['RS110'], false, 'error'],
];
for (const [codes, produced, expected] of statuses) {
  test(`migrationStatus [${codes.join(', ')}]${produced ? ', produced' : ''} → ${expected}`, (t) => {
    const ds = codes.map((c) => diagnostic(c, { file: 'f', line: 1, column: 1 }, c));
    t.is(migrationStatus(ds, produced), expected);
  });
}

test('dockerfileRoles: builder, runtime and other Dockerfiles the script builds, each once, none already known', (t) => {
  const a = analysisOf({
    ...BUILDER_PATTERN,
    'build.sh': `${BUILDER_PATTERN['build.sh']}docker build -t app:debug -f Dockerfile.debug .\n`,
    'Dockerfile.debug': 'FROM alpine\n',
  });
  t.deepEqual(
    dockerfileRoles(a, [], display).map((f) => `${f.path}:${f.role}`),
    ['Dockerfile.build:builder-dockerfile', 'Dockerfile:runtime-dockerfile', 'Dockerfile.debug:dockerfile'],
  );
  t.deepEqual(
    dockerfileRoles(a, [{ path: 'Dockerfile.debug', role: 'dockerfile' }], display).map((f) => f.path),
    ['Dockerfile.build', 'Dockerfile'],
  );
});

test('summarizeArtifacts: stage, container and host path, consumers with the instruction as written', (t) => {
  const a = analysisOf({ ...BUILDER_PATTERN, Dockerfile: 'FROM alpine:3.19\nCOPY  app \\\n  /usr/local/bin/app\n' });
  const plan = planMigration(a, { root: PROJ, output: `${PROJ}/Dockerfile`, display })!;
  t.deepEqual(summarizeArtifacts(a, plan.stages, display), [
    {
      stage: 'builder',
      path: '/src/app',
      hostPath: 'app',
      consumers: [
        { file: 'Dockerfile', line: 2, instruction: 'COPY  app \\\n  /usr/local/bin/app', dest: '/usr/local/bin/app' },
      ],
    },
  ]);
  t.is(summarizeArtifacts(a, [], display)[0]?.stage, '', 'no builder stage planned: no stage name');
});

test('summarizeArtifacts: an artifact from an image the script does not build names the image', (t) => {
  const a = analysisOf({
    'build.sh':
      'docker create --name x golang:1.22\ndocker cp x:/usr/local/go/bin/go ./go\ndocker rm x\ndocker build -t app .\n',
    Dockerfile: 'FROM alpine\nCOPY go /usr/bin/go\n',
  });
  t.deepEqual(
    summarizeArtifacts(a, [], display).map((s) => [s.stage, s.path, s.consumers.length]),
    [['golang:1.22', '/usr/local/go/bin/go', 1]],
  );
});
