/**
 * A whole `restage verify` result (status different, legacy side run in the sandbox, every optional
 * part present), typed as VerifyResult so the compiler holds it to the result's shape: what the
 * schema and SARIF tests render without an engine.
 */
import { diagnostic } from '../../src/model/diagnostic.js';
import type { VerifyResult } from '../../src/verify/result.js';

export const VERIFY_RESULT: VerifyResult = {
  status: 'different',
  directory: 'app',
  migratedFrom: 'restage migrate',
  engine: { kind: 'docker', client: '/usr/bin/docker', version: '26.1.5', backend: 'buildkit' },
  differences: [
    {
      aspect: 'files',
      kind: 'difference',
      subject: '/app/hello',
      field: 'mode',
      legacy: '0755',
      migrated: '0700',
      message: 'the migrated image has mode 0700, the legacy one 0755',
    },
  ],
  info: [
    {
      aspect: 'sizes',
      kind: 'info',
      subject: 'image size',
      legacy: 12_000_000,
      migrated: 11_000_000,
      message: 'the migrated image is smaller',
    },
  ],
  sizes: { legacy: 12_000_000, migrated: 11_000_000, legacyBuilder: 800_000_000, ratio: 0.92 },
  times: { legacyBuild: 10.5, migratedBuild: 9.25, run: 1.5, total: 25, overhead: 3.75, overheadShare: 0.15 },
  diagnostics: [
    diagnostic('RS501', { file: 'app/Dockerfile.build', line: 1, column: 1 }, 'ownership pinned'),
    diagnostic('RS706', { file: 'app/build sh #1.sh', line: 7, column: 3 }, 'the run and the analysis disagree'),
  ],
  failure: { step: 'migrated: build', message: 'exit 1', logTail: ['step 3/4', 'error'] },
  kept: ['image restage-1234-legacy'],
  session: 'restage-1234',
  leftovers: [{ what: 'container restage-1234-c1', command: 'docker rm -f restage-1234-c1' }],
  runs: {
    legacy: { exitCode: 0, timedOut: false, stderrHead: [], nondeterministic: [] },
    migrated: { exitCode: 1, timedOut: false, stderrHead: ['boom'], nondeterministic: ['stdout'] },
  },
  legacy: {
    mode: 'run',
    reason: null,
    command: ['sh', 'build.sh'],
    cwd: 'app',
    exitCode: 0,
    seconds: 12.5,
    trace: [
      {
        client: 'docker',
        argv: ['build', '-t', 'app:build', '-f', 'Dockerfile.build', '.'],
        ran: ['/usr/bin/docker', 'build', '-t', 'app:build', '-f', 'Dockerfile.build', '.'],
        cwd: '/work/app',
        outcome: 'run',
        exitCode: 0,
        ms: 8000,
        notes: [],
        image: 'sha256:0123',
      },
      {
        client: 'docker',
        argv: ['push', 'app'],
        ran: null,
        cwd: '/work/app',
        outcome: 'skip',
        exitCode: null,
        ms: 1,
        notes: ['push: not run'],
      },
    ],
  },
};
