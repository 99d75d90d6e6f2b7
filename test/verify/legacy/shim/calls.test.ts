/**
 * shim/calls: the step images of calls that never ended, read from the log each call left in its
 * directory (a classic build cut short by Ctrl-C committed those steps).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { unfinishedStepImages } from '../../../../src/verify/legacy/shim/calls.js';
import { CALLS } from '../../../../src/verify/legacy/shim/client-script.js';

test('unfinishedStepImages: the step images of each unfinished call, not the base image of a FROM', (t) => {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-test-calls-'));
  t.teardown(() => fs.rmSync(runDir, { recursive: true, force: true }));
  t.deepEqual(unfinishedStepImages(runDir), [], 'no calls directory: none');
  const build = path.join(runDir, CALLS, '1');
  fs.mkdirSync(build, { recursive: true });
  fs.writeFileSync(
    path.join(build, 'out'),
    [
      'Step 1/3 : FROM testbase/busybox:latest',
      ' ---> 70e47e19202f',
      'Step 2/3 : WORKDIR /src',
      ' ---> Running in 5d1c0b3a9e2f',
      'Removing intermediate container 5d1c0b3a9e2f',
      ' ---> 8913d7c8a607',
      'Step 3/3 : RUN sleep 60',
      ' ---> Running in 1b2bcf7268eb',
      '',
    ].join('\n'),
  );
  const other = path.join(runDir, CALLS, '2');
  fs.mkdirSync(other);
  fs.writeFileSync(path.join(other, 'argv'), 'ps\0');
  t.deepEqual(unfinishedStepImages(runDir), ['8913d7c8a607']);
});
