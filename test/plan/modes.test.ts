/** planModes (src/plan/modes.ts) for an archive unpacked on the host: the post-processing stage, and what is declined there. */
import test from 'ava';
import { planMigration } from '../../src/plan/index.js';
import { analysisOf, display, PROJ } from '../helpers/analysis.js';

const options = { root: PROJ, output: `${PROJ}/Dockerfile`, display };

const planOf = (builder: string, unpack: string, copy = 'COPY dist /opt/app') =>
  planMigration(
    analysisOf({
      'build.sh': `docker build -t b -f Dockerfile.build .\ndocker create --name x b\ndocker cp x:/out/app.tar.gz app.tar.gz\nmkdir -p dist\n${unpack}\ndocker build -t app .\n`,
      'Dockerfile.build': builder,
      Dockerfile: `FROM busybox\n${copy}\n`,
    }),
    options,
  )!;

const codes = (plan: ReturnType<typeof planOf>) =>
  plan.diagnostics.filter((d) => d.code !== 'RS501').map((d) => `${d.code}:${d.line}`);

test('a builder FROM scratch has no shell to unpack in: RS358, no stage', (t) => {
  const plan = planOf('FROM scratch\nCOPY app.tar.gz /out/app.tar.gz\n', 'tar -xzf app.tar.gz -C dist');
  t.deepEqual(codes(plan), ['RS358:5']);
  t.false(plan.stages.some((s) => s.name === 'builder-post'));
});

test('a Debian builder has tar: RS356 says why, and the stage replays it', (t) => {
  const plan = planOf(
    'FROM debian:bookworm-slim\nRUN apt-get install -y xz-utils\nRUN mkdir /out\n',
    'tar -xJf app.tar.gz -C dist',
  );
  t.deepEqual(codes(plan), ['RS356:5']);
  t.regex(
    plan.diagnostics.find((d) => d.code === 'RS356')!.message,
    /RUN mkdir \/\.restage-unpack-1 && tar -x -J -f \/out\/app\.tar\.gz -C \/\.restage-unpack-1` .*its base image debian:bookworm-slim ships tar/,
  );
  t.deepEqual(
    plan.stages.map((s) => [s.name, s.from]),
    [
      ['builder', 'debian:bookworm-slim'],
      ['builder-post', 'builder'],
      ['runtime', 'busybox'],
    ],
  );
});

test('an unknown image: RS357, still replayed', (t) => {
  const plan = planOf('FROM alpine:3.20\nRUN mkdir /out\n', 'unzip -q app.tar.gz -d dist');
  t.deepEqual(codes(plan), ['RS357:5']);
  t.true(plan.stages.some((s) => s.name === 'builder-post'));
});

test('a Debian slim builder without unzip: RS358 names the image', (t) => {
  const plan = planOf('FROM debian:bookworm-slim\nRUN mkdir /out\n', 'unzip -q app.tar.gz -d dist');
  t.deepEqual(codes(plan), ['RS358:5']);
  t.regex(plan.diagnostics.find((d) => d.code === 'RS358')!.message, /debian:bookworm-slim is a Debian slim image/);
});
