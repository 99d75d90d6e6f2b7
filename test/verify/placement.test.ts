/** Where a rewritten Dockerfile leaves the build context the user's: a name .dockerignore excludes, else outside. */
import test from 'ava';
import { excludedName } from '../../src/verify/placement.js';

const TAG = '0123456789abcdef';

test('a pattern with a wildcard gives a name at the top of the context that it excludes', (t) => {
  t.is(excludedName('*.md\nbuild.sh\n', false, TAG), `restage-${TAG}.md`);
  t.is(excludedName('**/*.tmp\n', false, TAG), `restage-${TAG}.tmp`);
  t.is(excludedName('build.sh\n*\n!src\n!.dockerignore\n', false, TAG), `restage-${TAG}`);
  t.is(excludedName('cache-?*\n', false, TAG), `cache-rrestage-${TAG}`);
});

test('a name an exception after it brings back is not taken', (t) => {
  t.is(excludedName('*.md\n!*.md\n', false, TAG), null);
  t.is(excludedName('*.md\n!restage-*\n*.log\n', false, TAG), `restage-${TAG}.log`);
});

test('outside the context: no .dockerignore, one that excludes itself, a <Dockerfile>.dockerignore, no usable pattern', (t) => {
  t.is(excludedName(null, false, TAG), null, 'the classic client then makes one that excludes itself');
  t.is(excludedName('*.md\n.dockerignore\n', false, TAG), null, 'the classic daemon drops it from the context');
  t.is(
    excludedName('*.md\n', true, TAG),
    null,
    'BuildKit reads <Dockerfile>.dockerignore only beside the file it is given',
  );
  t.is(excludedName('build.sh\nsecret\n', false, TAG), null, 'a literal name could be the user’s');
  t.is(excludedName('docs/*.md\n[ab]*\n', false, TAG), null, 'below a directory, or a class');
  t.is(excludedName('# comment\n\n', false, TAG), null);
});
