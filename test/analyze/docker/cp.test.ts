/**
 * `docker cp` arguments: the CLI takes `CONTAINER:PATH` as the container side unless the argument starts
 * with `/` or `.`; a container path is absolute from `/`, and a trailing `/.` copies a directory's content.
 */
import test from 'ava';
import { containerSide, normalizeContainerPath } from '../../../src/analyze/docker/cp.js';

const side = test.macro({
  exec(t, text: string, expected: ReturnType<typeof containerSide>) {
    t.deepEqual(containerSide(text), expected);
  },
  title: (provided, text: string) => provided ?? `containerSide(${JSON.stringify(text)})`,
});

test(side, 'c:/app', { container: 'c', path: '/app' });
test('a path without a leading slash', side, 'c:app', { container: 'c', path: 'app' });
test('the first colon ends the container name', side, 'c:/a:b', { container: 'c', path: '/a:b' });
test('an empty path', side, 'c:', { container: 'c', path: '' });
test('an absolute host path with a colon is a host path', side, '/host/a:b', null);
test('a relative host path with a colon is a host path', side, './a:b', null);
test('no container name', side, ':/app', null);
test('no colon', side, 'app', null);

const normal = test.macro({
  exec(t, p: string, expected: string) {
    t.is(normalizeContainerPath(p), expected);
  },
  title: (provided, p: string, expected: string) =>
    provided ?? `normalizeContainerPath(${JSON.stringify(p)}) is ${expected}`,
});

test(normal, '/app', '/app');
test('relative paths start at /', normal, 'app/bin', '/app/bin');
test('a trailing slash is dropped', normal, '/app/', '/app');
test(normal, '/a//b/../c', '/a/c');
test(normal, '/a/b/..', '/a');
test('the empty path is the root', normal, '', '/');
test(normal, '/', '/');
test('a trailing /. is kept: it copies the content', normal, '/app/.', '/app/.');
test('the content of a relative directory', normal, 'app/.', '/app/.');
test('the content of the root', normal, '.', '/.');
test(normal, '/./', '/');
