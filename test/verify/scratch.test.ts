/** Image mapping on both sides: FROM lines and COPY --from=<image>, never stage names or scratch. */
import test from 'ava';
import { mapImage, parseImageMap, rewriteImages } from '../../src/verify/scratch.js';

const map = parseImageMap(['gcc=testbase/gcc:latest', 'debian:bookworm-slim=testbase/debian-slim:bookworm']);

const maps = test.macro({
  exec(t, image: string, expected: string) { t.is(mapImage(image, map), expected); },
  title: (_p, image: string, expected: string) => `${image} → ${expected}`,
});
test(maps, 'gcc', 'testbase/gcc:latest');
test(maps, 'gcc:12', 'testbase/gcc:latest');
test(maps, 'docker.io/library/gcc:12', 'testbase/gcc:latest');
test(maps, 'debian:bookworm-slim', 'testbase/debian-slim:bookworm');
test(maps, 'debian:bullseye', 'debian:bullseye');
test(maps, 'gccx', 'gccx');

test('FROM images and COPY --from=<image> are rewritten; stage names, scratch and text around them are not', (t) => {
  const text = 'FROM gcc AS builder\n# gcc stays in comments\nRUN make\n\nFROM scratch\nCOPY --from=builder /a /a\nCOPY --from=gcc:12 /usr/lib/x /x\nFROM builder AS again\n';
  t.is(rewriteImages(text, (i) => mapImage(i, map)),
    'FROM testbase/gcc:latest AS builder\n# gcc stays in comments\nRUN make\n\nFROM scratch\nCOPY --from=builder /a /a\nCOPY --from=testbase/gcc:latest /usr/lib/x /x\nFROM builder AS again\n');
});

test('a malformed --image-map entry is refused with the entry named', (t) => {
  t.throws(() => parseImageMap(['gcc']), { message: /--image-map takes FROM=TO, got "gcc"/ });
  t.throws(() => parseImageMap(['=x']), { message: /got "=x"/ });
});
