/** `images` patterns: mapped to the run's spelling when that names a tag the run made, else as written. */
import test from 'ava';
import { runPattern } from '../../../../src/verify/legacy/shim/references.js';
import { RUN } from '../../helpers/shim.js';

const MADE = [
  `${RUN}/docker.io/myorg/builder:latest`,
  `${RUN}/docker.io/myorg/app:1.2`,
  `${RUN}/docker.io/library/tool:dev`,
  `${RUN}/localhost-5000/team/svc:latest`,
];

const patterns = test.macro({
  exec(t, pattern: string, expected: string) {
    t.is(runPattern(RUN, MADE, pattern), expected);
  },
  title: (_p, pattern: string, expected: string) => `${pattern} → ${expected}`,
});
test(patterns, 'myorg/builder', `${RUN}/docker.io/myorg/builder`);
test(patterns, 'myorg/builder:latest', `${RUN}/docker.io/myorg/builder:latest`);
test(patterns, 'docker.io/myorg/app:1.2', `${RUN}/docker.io/myorg/app:1.2`);
test(patterns, 'tool', `${RUN}/docker.io/library/tool`);
test(patterns, 'localhost:5000/team/svc', `${RUN}/localhost-5000/team/svc`);
test(patterns, 'myorg/*', `${RUN}/docker.io/myorg/*`);
test(patterns, 'myorg/app:1.*', `${RUN}/docker.io/myorg/app:1.*`);
test(patterns, 'myorg/b?ilder', `${RUN}/docker.io/myorg/b?ilder`);
test(patterns, 'myorg/[ab]pp', `${RUN}/docker.io/myorg/[ab]pp`);
test(patterns, 'myorg/[^a]pp', 'myorg/[^a]pp');
test(patterns, 't*', `${RUN}/docker.io/library/t*`);
test(patterns, '*:dev', `${RUN}/docker.io/library/*:dev`);
test(patterns, 'localhost:5000/*/svc', `${RUN}/localhost-5000/*/svc`);
test(patterns, 'myorg/builder:v2', 'myorg/builder:v2');
test(patterns, 'myorg/app:2.*', 'myorg/app:2.*');
test(patterns, 'alpine', 'alpine');
test(patterns, 'alp*', 'alp*');
test(patterns, 'other/*', 'other/*');
test(patterns, 'myorg', 'myorg');
test(patterns, '*/builder', '*/builder');
test(patterns, 'myorg/*/x', 'myorg/*/x');
test(patterns, `myorg/app@sha256:${'a'.repeat(64)}`, `myorg/app@sha256:${'a'.repeat(64)}`);
test(patterns, 'MyOrg/app', 'MyOrg/app');
