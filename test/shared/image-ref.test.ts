import test from 'ava';
import { canonicalImage, imageKey, namesVersion, parseImageRef, repositoryKey } from '../../src/shared/image-ref.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

// [written, canonical reference or null when Docker refuses it ("invalid reference format")]
const GRAMMAR: ReadonlyArray<readonly [string, string | null]> = [
  ['busybox', 'docker.io/library/busybox:latest'],
  ['busybox:1.36', 'docker.io/library/busybox:1.36'],
  ['library/busybox', 'docker.io/library/busybox:latest'],
  ['docker.io/busybox', 'docker.io/library/busybox:latest'],
  ['index.docker.io/library/busybox:1', 'docker.io/library/busybox:1'],
  ['alexellis2/href-counter:latest', 'docker.io/alexellis2/href-counter:latest'],
  ['localhost/app', 'localhost/app:latest'],
  ['localhost:5000/a/b:1', 'localhost:5000/a/b:1'],
  ['registry.example.com/team/app', 'registry.example.com/team/app:latest'],
  ['registry.example.com:443/app:v1.2-rc_3', 'registry.example.com:443/app:v1.2-rc_3'],
  ['[::1]:5000/app:1', '[::1]:5000/app:1'],
  ['Registry.Example.com/app', 'Registry.Example.com/app:latest'],
  ['UPPER/app', 'UPPER/app:latest'],
  [`a@${DIGEST}`, `docker.io/library/a@${DIGEST}`],
  [`a:1@${DIGEST}`, `docker.io/library/a:1@${DIGEST}`],
  ['team/a__b.c-d---e', 'docker.io/team/a__b.c-d---e:latest'],
  ['Busybox', null],
  ['busybox:Latest', 'docker.io/library/busybox:Latest'],
  ['team/App', null],
  ['a:', null],
  ['a:-x', null],
  [`a:${'t'.repeat(129)}`, null],
  ['a@sha256:abc', null],
  ['-a', null],
  ['a_', null],
  ['a___b', null],
  ['a//b', null],
  ['a/', null],
  ['', null],
  ['a:1:2', null],
  ['${IMAGE}', null],
  ['a'.repeat(64).replace(/a/g, 'f'), null],
];

for (const [written, expected] of GRAMMAR) {
  test(`${JSON.stringify(written)} reads as ${expected ?? 'invalid'}`, (t) => {
    const ref = parseImageRef(written);
    t.is(ref === null ? null : canonicalImage(ref), expected);
  });
}

test('a registry port is not a tag, a tag after a path is', (t) => {
  t.like(parseImageRef('host:5000/app'), { domain: 'host:5000', path: 'app', tag: null });
  t.like(parseImageRef('host/app:5000'), { domain: 'docker.io', path: 'host/app', tag: '5000' });
  t.like(parseImageRef('app:5000'), { domain: 'docker.io', path: 'library/app', tag: '5000' });
});

test('imageKey makes spellings of one image equal, and leaves invalid text as it is', (t) => {
  t.is(imageKey('busybox'), imageKey('docker.io/library/busybox:latest'));
  t.not(imageKey('busybox'), imageKey('busybox:1'));
  t.not(imageKey('a/busybox'), imageKey('busybox'));
  t.is(imageKey('app:${TAG}'), 'app:${TAG}');
});

test('namesVersion tells a tag or digest from a bare repository', (t) => {
  t.false(namesVersion('busybox'));
  t.false(namesVersion('localhost:5000/app'));
  t.true(namesVersion('localhost:5000/app:1'));
  t.true(namesVersion(`app@${DIGEST}`));
  t.true(namesVersion('app:${TAG}'));
  t.false(namesVersion('${IMAGE}'));
});

test('repositoryKey leaves out the tag and digest, not a registry port', (t) => {
  t.is(repositoryKey('busybox:1.36'), 'docker.io/library/busybox');
  t.is(repositoryKey(`docker.io/library/busybox@${DIGEST}`), 'docker.io/library/busybox');
  t.is(repositoryKey('localhost:5000/app'), 'localhost:5000/app');
  t.is(repositoryKey('app:${TAG}'), 'app');
});
