import test from 'ava';
import { differ } from '../../../src/verify/differs/config.js';
import { defaultCompareOptions, type Difference, type ImageConfig } from '../../../src/verify/model.js';
import { side, type SideSpec } from '../helpers/facts.js';

type Spec = ImageConfig | SideSpec;
const asSide = (spec: Spec): SideSpec =>
  'config' in spec || 'os' in spec || 'architecture' in spec ? spec : { config: spec as ImageConfig };

/** legacy and migrated are configs (or whole side specs for the platform); expected findings in order. */
const diff = test.macro((t, legacy: Spec, migrated: Spec, expected: readonly Partial<Difference>[]) => {
  const found = differ.compare(side(asSide(legacy)), side(asSide(migrated)), defaultCompareOptions);
  t.deepEqual(
    found.map((d) => [d.subject, d.field]),
    expected.map((d) => [d.subject, d.field]),
  );
  expected.forEach((want, i) => t.like(found[i], { aspect: 'config', kind: 'difference', ...want }));
});

const go: ImageConfig = {
  Entrypoint: ['/app/server'],
  Cmd: ['--port', '8080'],
  Env: ['PATH=/usr/local/bin:/usr/bin', 'APP_ENV=prod'],
  WorkingDir: '/app',
  User: 'app',
  ExposedPorts: { '8080/tcp': {} },
  Labels: { 'org.opencontainers.image.title': 'server' },
};

test('identical configs', diff, go, { ...go }, []);

test(
  'unset in every spelling is equal',
  diff,
  {
    Entrypoint: null,
    Cmd: [],
    Env: null,
    ExposedPorts: {},
    Volumes: null,
    Labels: {},
    Healthcheck: null,
    Shell: [],
    OnBuild: null,
    User: '',
  },
  {},
  [],
);

test('WorkingDir "" is "/"', diff, { WorkingDir: '' }, { WorkingDir: '/' }, []);

test('WorkingDir', diff, { WorkingDir: '/app' }, { WorkingDir: '/srv' }, [
  {
    subject: 'WorkingDir',
    legacy: '/app',
    migrated: '/srv',
    message: 'WorkingDir: "/srv" in the migrated image, "/app" in the legacy one',
  },
]);

test(
  'Cmd and Entrypoint are compared whole, in order',
  diff,
  go,
  { ...go, Entrypoint: ['/app/server', '-v'], Cmd: ['8080', '--port'] },
  [
    {
      subject: 'Entrypoint',
      legacy: '["/app/server"]',
      migrated: '["/app/server","-v"]',
      message: 'Entrypoint: ["/app/server","-v"] in the migrated image, ["/app/server"] in the legacy one',
    },
    { subject: 'Cmd' },
  ],
);

test('a command set on one side only', diff, { Cmd: ['./hello'] }, { Cmd: null }, [
  {
    subject: 'Cmd',
    legacy: '["./hello"]',
    migrated: null,
    message: 'Cmd: unset in the migrated image, ["./hello"] in the legacy one',
  },
]);

test('Env is reported per variable', diff, go, { ...go, Env: ['PATH=/usr/bin', 'APP_ENV=prod', 'DEBUG=1'] }, [
  { subject: 'Env', field: 'PATH', legacy: '/usr/local/bin:/usr/bin', migrated: '/usr/bin' },
  {
    subject: 'Env',
    field: 'DEBUG',
    legacy: null,
    migrated: '1',
    message: 'Env DEBUG: "1" in the migrated image, unset in the legacy one',
  },
]);

test(
  'Env order of distinct variables does not matter',
  diff,
  go,
  { ...go, Env: ['APP_ENV=prod', 'PATH=/usr/local/bin:/usr/bin'] },
  [],
);

test("Env order of one variable's duplicates matters", diff, { Env: ['A=1', 'A=2'] }, { Env: ['A=2', 'A=1'] }, [
  { subject: 'Env', field: 'A', legacy: '["1","2"]', migrated: '["2","1"]' },
]);

test(
  'Labels are a map, reported per key',
  diff,
  { Labels: { a: '1', b: '2' } },
  { Labels: { b: '2', a: '3', c: '' } },
  [
    { subject: 'Labels', field: 'a', legacy: '1', migrated: '3' },
    { subject: 'Labels', field: 'c', legacy: null, migrated: '' },
  ],
);

test(
  'ExposedPorts: protocol tcp by default, extra ports named',
  diff,
  { ExposedPorts: { '8080': {}, '53/udp': {} } },
  { ExposedPorts: { '8080/tcp': {}, '9090/tcp': {} } },
  [
    {
      subject: 'ExposedPorts',
      field: '53/udp',
      legacy: true,
      migrated: false,
      message: 'ExposedPorts 53/udp: not exposed in the migrated image, exposed in the legacy one',
    },
    { subject: 'ExposedPorts', field: '9090/tcp', legacy: false, migrated: true },
  ],
);

test('Volumes', diff, { Volumes: { '/data': {} } }, { Volumes: { '/data/': {}, '/cache': {} } }, [
  {
    subject: 'Volumes',
    field: '/cache',
    message: 'Volumes /cache: a volume in the migrated image, not a volume in the legacy one',
  },
]);

test('User', diff, { User: '1000:1000' }, { User: 'app' }, [{ subject: 'User', legacy: '1000:1000', migrated: 'app' }]);

test(
  'Healthcheck per sub-field; 0 inherits',
  diff,
  { Healthcheck: { Test: ['CMD', '/app/health'], Interval: 30e9, Retries: 0 } },
  { Healthcheck: { Test: ['CMD-SHELL', '/app/health'], Interval: 10e9 } },
  [
    { subject: 'Healthcheck', field: 'Test', legacy: '["CMD","/app/health"]', migrated: '["CMD-SHELL","/app/health"]' },
    {
      subject: 'Healthcheck',
      field: 'Interval',
      legacy: '30s',
      migrated: '10s',
      message: 'Healthcheck Interval: 10s in the migrated image, 30s in the legacy one',
    },
  ],
);

test('StopSignal: unset is SIGTERM, TERM is SIGTERM', diff, { StopSignal: '' }, { StopSignal: 'term' }, []);

test('StopSignal', diff, { StopSignal: 'SIGTERM' }, { StopSignal: 'SIGKILL' }, [
  { subject: 'StopSignal', legacy: 'SIGTERM', migrated: 'SIGKILL' },
]);

test('Shell and OnBuild', diff, { Shell: ['/bin/sh', '-c'], OnBuild: ['RUN make'] }, { Shell: ['/bin/bash', '-c'] }, [
  { subject: 'Shell' },
  { subject: 'OnBuild', legacy: '["RUN make"]', migrated: null },
]);

test(
  'the platform',
  diff,
  { config: {}, os: 'linux', architecture: 'amd64' },
  { config: {}, os: 'linux', architecture: 'arm64' },
  [{ subject: 'Architecture', legacy: 'amd64', migrated: 'arm64' }],
);
