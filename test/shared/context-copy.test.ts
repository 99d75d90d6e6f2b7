import test from 'ava';
import { parseDockerfile } from '../../src/parse/dockerfile.js';
import { isContextSource, readsContext } from '../../src/shared/context-copy.js';

const TEXT = `FROM busybox AS build
COPY a /a
ADD b.tar /b
COPY --from=build /a /c
ADD --from=build /a /d
RUN cp a b
COPY --chown=1:1 e /e
`;

test('COPY and ADD without --from read the context; --from and other instructions do not', (t) => {
  const { dockerfile } = parseDockerfile('Dockerfile', TEXT);
  const reading = dockerfile.instructions.filter(readsContext).map((i) => i.args[0]?.raw);
  t.deepEqual(reading, ['a', 'b.tar', 'e']);
});

test('URLs, git and heredoc sources are not context files', (t) => {
  t.true(isContextSource('app'));
  t.true(isContextSource('./dir/'));
  t.true(isContextSource('http.conf'));
  t.false(isContextSource('https://example.com/x.tgz'));
  t.false(isContextSource('HTTP://example.com/x'));
  t.false(isContextSource('git@github.com:o/r.git'));
  t.false(isContextSource('<<EOF'));
});
