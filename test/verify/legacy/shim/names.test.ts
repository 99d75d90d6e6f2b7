/** The run's names: valid references for docker and podman, one per image whatever its spelling, none on a registry. */
import test from 'ava';
import { imageKey, parseImageRef } from '../../../../src/shared/image-ref.js';
import { ownId, prefixedName, prefixedRepository, prefixedTag } from '../../../../src/verify/legacy/shim/names.js';
import { RUN } from '../../helpers/shim.js';

const tags = test.macro({
  exec(t, written: string, expected: string | null) {
    const tag = prefixedTag(RUN, written);
    t.is(tag, expected);
    if (tag !== null) {
      const ref = parseImageRef(tag);
      t.not(ref, null, 'a valid reference');
      t.is(ref?.domain, 'docker.io', 'its first segment is no registry: nothing is ever pushed or pulled there');
      t.true(ref!.path.startsWith(`${RUN}/`));
    }
  },
  title: (_p, written: string, expected: string | null) => `${written} → ${expected}`,
});
test(tags, 'builder', `${RUN}/docker.io/library/builder:latest`);
test(tags, 'builder:1.0', `${RUN}/docker.io/library/builder:1.0`);
test(tags, 'acme/app:v2', `${RUN}/docker.io/acme/app:v2`);
test(tags, 'localhost:5000/team/app:1', `${RUN}/localhost-5000/team/app:1`);
test(tags, 'ghcr.io/acme/app', `${RUN}/ghcr.io/acme/app:latest`);
test(tags, 'MyRegistry:5000/app', `${RUN}/myregistry-5000/app:latest`);
test(tags, 'Upper', null);
test(tags, 'app@sha256:' + 'a'.repeat(64), null);
test(tags, '$TAG', null);

test('two spellings of one image get one prefixed tag; different images different ones', (t) => {
  const spellings = [
    'busybox',
    'busybox:latest',
    'library/busybox',
    'docker.io/library/busybox:latest',
    'index.docker.io/busybox',
  ];
  t.deepEqual(new Set(spellings.map((s) => prefixedTag(RUN, s))).size, 1);
  const images = ['app', 'acme/app', 'localhost/app', 'localhost:5000/app', 'ghcr.io/app', 'app:1'];
  t.is(new Set(images.map((s) => prefixedTag(RUN, s))).size, images.length);
  t.is(new Set(images.map((s) => imageKey(s))).size, images.length, 'they were different images');
});

test('the prefixed repository is the prefixed tag without its tag', (t) => {
  t.is(prefixedRepository(RUN, 'acme/app:v2'), `${RUN}/docker.io/acme/app`);
  t.is(prefixedRepository(RUN, 'No Such'), null);
});

const names = test.macro({
  exec(t, written: string, expected: string | null) {
    t.is(prefixedName(RUN, written), expected);
  },
  title: (_p, written: string, expected: string | null) => `container/volume name ${written} → ${expected}`,
});
test(names, 'extract', `${RUN}_extract`);
test(names, '/extract', `${RUN}_extract`);
test(names, 'go.cache-1_x', `${RUN}_go.cache-1_x`);
test(names, 'bad name', null);
test(names, '-x', null);

const ID = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const ids = test.macro({
  exec(t, text: string, expected: string | null) {
    t.is(ownId([ID, 'f'.repeat(64)], text), expected);
  },
  title: (_p, text: string, expected: string | null) =>
    `id ${text.slice(0, 16)} → ${expected === null ? 'not the run’s' : 'the run’s'}`,
});
test(ids, ID, ID);
test(ids, ID.slice(0, 12), ID);
test(ids, ID.slice(0, 11), null);
test(ids, 'abcdef012345', null);
test(ids, 'extract', null);
