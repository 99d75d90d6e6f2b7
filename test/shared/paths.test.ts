/** `isWithin`: the one "is this path the directory or below it" of analysis, confinement and the replay. */
import test from 'ava';
import { isWithin } from '../../src/shared/paths.js';

const within = test.macro((t, p: string, dir: string, expected: boolean) => {
  t.is(isWithin(p, dir), expected);
});

test('the directory itself', within, '/repo', '/repo', true);
test('a path below it', within, '/repo/ci/build.sh', '/repo', true);
test('a sibling sharing its name as a prefix is not within', within, '/repo2/x', '/repo', false);
test('the parent is not within', within, '/', '/repo', false);
test('everything is within the root', within, '/etc/passwd', '/', true);
test('a trailing slash on the directory names the same directory', within, '/repo/x', '/repo/', true);
test('a trailing slash on the path (path.join keeps it)', within, '/repo/dir/', '/repo/dir', true);
