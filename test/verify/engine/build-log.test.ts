/** Step images off real build logs: the classic builder's and podman's, never the base image a FROM step prints. */
import test from 'ava';
import { stepImages } from '../../../src/verify/engine/build-log.js';

test('classic: every step image but the FROM steps’, in order, also in a multi-stage build', (t) => {
  const log = [
    'Sending build context to Docker daemon  3.072kB',
    'Step 1/6 : FROM testbase/busybox:latest AS builder',
    ' ---> 06023bf1d195',
    'Step 2/6 : WORKDIR /src',
    ' ---> Running in 5c1b0e0f8b8a',
    'Removing intermediate container 5c1b0e0f8b8a',
    ' ---> 2b1f3c4d5e6f',
    'Step 3/6 : RUN echo hi > app',
    ' ---> Running in 7d8e9f0a1b2c',
    ' ---> 3c4d5e6f7a8b',
    'Step 4/6 : FROM testbase/busybox:latest',
    ' ---> 06023bf1d195',
    'Step 5/6 : COPY --from=builder /src/app /app',
    ' ---> 4d5e6f7a8b9c',
    'Step 6/6 : LABEL restage.session=x',
    ' ---> Running in 8e9f0a1b2c3d',
    ' ---> 5e6f7a8b9c0d',
    'Successfully built 5e6f7a8b9c0d',
  ].join('\n');
  t.deepEqual(stepImages(log), ['2b1f3c4d5e6f', '3c4d5e6f7a8b', '4d5e6f7a8b9c', '5e6f7a8b9c0d']);
});

test('podman: `--> id` after each step but the FROM', (t) => {
  const log = [
    '[1/2] STEP 1/2: FROM testbase/busybox:latest AS builder',
    '[1/2] STEP 2/2: RUN echo hi > /app',
    '--> 74d8a1b3e25',
    '[2/2] STEP 1/2: FROM testbase/busybox:latest',
    '[2/2] STEP 2/2: COPY --from=builder /app /app',
    '--> 9a8b7c6d5e4',
  ].join('\n');
  t.deepEqual(stepImages(log), ['74d8a1b3e25', '9a8b7c6d5e4']);
});

test('BuildKit logs and quiet output name no step image', (t) => {
  t.deepEqual(stepImages('#5 [2/3] COPY app /app\n#5 DONE 0.0s\nsha256:0123456789abcdef\n'), []);
  t.deepEqual(stepImages(''), []);
});
