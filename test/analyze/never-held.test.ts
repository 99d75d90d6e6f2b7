/**
 * A path the builder image provably never holds (src/analyze/never-held.ts): proven only for an
 * image built FROM scratch, through the COPY, ADD and WORKDIR of its stages; a RUN, a variable or
 * a path docker itself fills leaves it unproven.
 */
import test from 'ava';
import { neverHeld } from '../../src/analyze/never-held.js';
import { parseDockerfile } from '../../src/parse/dockerfile.js';
import type { ImageBuild } from '../../src/model/flow.js';

const AT = { file: 'build.sh', line: 3, column: 1 };
const build = (target: string | null = null): ImageBuild => ({
  kind: 'build',
  at: AT,
  tags: ['b'],
  dockerfile: '/p/Dockerfile.build',
  dockerfileGiven: true,
  dockerfileAt: AT,
  context: '/p',
  buildArgs: [],
  target,
  noCache: false,
  pull: false,
  platform: null,
  passThrough: [],
  invocation: { client: 'docker', sudo: false, verb: ['build'] },
  builder: null,
});

const held = test.macro({
  exec(t, text: string, path: string, proven: boolean, target: string | null = null) {
    const { dockerfile } = parseDockerfile('/p/Dockerfile.build', text);
    const why = neverHeld(dockerfile, build(target), path);
    t.is(why !== null, proven, why ?? 'unproven');
    if (why !== null) t.regex(why, /FROM scratch, which starts empty/);
  },
  title: (what = '') => `never held: ${what}`,
});

const SCRATCH = 'FROM busybox AS c\nRUN mkdir /o && echo x > /o/t\nFROM scratch\nCOPY --from=c /o/ /app/\n';
test('a path no COPY of a scratch image reaches', held, SCRATCH, '/o/t', true);
test('a path below a COPY destination may be there', held, SCRATCH, '/app/t', false);
test('a parent of a destination is there', held, SCRATCH, '/app', false);
test('a relative destination is read against WORKDIR', held, 'FROM scratch\nWORKDIR /w\nCOPY t .\n', '/w/t', false);
test('a WORKDIR makes its directory', held, 'FROM scratch\nWORKDIR /w/x\n', '/w', false);
test('a RUN may write anything', held, 'FROM scratch\nCOPY sh /sh\nRUN ["/sh", "-c", "x"]\n', '/o/t', false);
test('a variable destination is not read', held, 'FROM scratch\nARG D=/o\nCOPY t $D/\n', '/o/t', false);
test('docker fills /etc and /dev itself', held, 'FROM scratch\nCOPY t /t\n', '/etc/hosts', false);
test('an image FROM a base restage does not read', held, 'FROM busybox\nCOPY t /t\n', '/o/t', false);
test('--target picks the stage', held, SCRATCH, '/o/t', false, 'c');
