/** RS103: a build's Dockerfile that may be read but could not be. */
import test from 'ava';
import { missingDockerfiles } from '../../src/discover/inputs.js';
import { analysisOf, BUILDER_PATTERN, display } from '../helpers/analysis.js';

const flowOf = (script: string) => analysisOf({ ...BUILDER_PATTERN, 'build.sh': script }).flow;
const SCRIPT = 'docker build -t a:build -f docker/Dockerfile.build .\ndocker build -t a .\n';

test('a readable Dockerfile that was parsed is no diagnostic', (t) => {
  const flow = flowOf(SCRIPT);
  const all = new Set(['/proj/docker/Dockerfile.build', '/proj/Dockerfile']);
  t.deepEqual(missingDockerfiles(flow, all, new Map([...all].map((f) => [f, {}])), display), []);
});

test('a readable Dockerfile that was not parsed is RS103 at the -f operand, saying -f is relative to the script', (t) => {
  const flow = flowOf(SCRIPT);
  const ds = missingDockerfiles(
    flow,
    new Set(['/proj/docker/Dockerfile.build', '/proj/Dockerfile']),
    new Map([['/proj/Dockerfile', {}]]),
    display,
  );
  t.deepEqual(
    ds.map((d) => [d.code, d.file, d.line, d.column]),
    [['RS103', 'build.sh', 1, 28]],
  );
  t.regex(
    ds[0]!.message,
    /^the Dockerfile docker\/Dockerfile\.build that this build uses does not exist \(named by -f/,
  );
});

test('the default Dockerfile missing is RS103 without the -f note; a refused one is not (the confinement reported it)', (t) => {
  const flow = flowOf(SCRIPT);
  const ds = missingDockerfiles(flow, new Set(['/proj/Dockerfile']), new Map(), display);
  t.deepEqual(
    ds.map((d) => [d.code, d.line]),
    [['RS103', 2]],
  );
  t.notRegex(ds[0]!.message, /named by -f/);
});

test('a Dockerfile a host cp put in a staging directory: RS103 names that cp and the tree file to give -f', (t) => {
  const flow = flowOf(
    'docker build -t a:build -f docker/Dockerfile.build .\nmkdir stage\ncp deploy/Dockerfile stage/\ndocker build -t a stage\n',
  );
  const ds = missingDockerfiles(flow, new Set(['/proj/stage/Dockerfile']), new Map(), display);
  t.deepEqual(
    ds.map((d) => [d.code, d.line]),
    [['RS103', 4]],
  );
  t.regex(
    ds[0]!.message,
    /^the Dockerfile stage\/Dockerfile that this build uses is put there by the script \(`cp deploy\/Dockerfile stage\/`, build\.sh:3\).*name the tree's own, deploy\/Dockerfile, with -f/,
  );
});
