/**
 * Tar streams out of a container (src/analyze/tar-stream.ts) on small scripts: where the members of
 * `docker run IMG tar -c …` and `docker cp C:/p -` land once `tar -x` unpacks them, as flow events,
 * and which forms are declined on which line.
 */
import test from 'ava';
import { parseShell } from '../../src/parse/shell.js';
import { analyzeScript } from '../../src/analyze/script.js';
import type { FlowEvent } from '../../src/model/flow.js';

const ROOT = '/proj';

function summarize(events: readonly FlowEvent[]): string[] {
  return events.map((e) => {
    switch (e.kind) {
      case 'create':
        return `create ${e.handle} ${e.image}`;
      case 'copy-out':
        return `${e.via} ${e.container}:${e.containerPath} ${e.hostPath}`;
      case 'remove':
        return `rm ${e.containers.join(',')}`;
      case 'host':
        return `host ${e.op} ${e.paths.join(',')}`;
      default:
        return e.kind;
    }
  });
}

const flows = test.macro({
  exec(t, script: string, expected: string[], codes: string[] = []) {
    const parsed = parseShell('build.sh', script);
    const { flow, diagnostics } = analyzeScript(parsed.script!, ROOT, `${ROOT}/build.sh`);
    t.deepEqual(summarize(flow.events), expected);
    t.deepEqual(
      diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`),
      codes,
      JSON.stringify(diagnostics, null, 1),
    );
  },
  title: (given) => `tar streams: ${given ?? ''}`,
});

test(
  'a run piped into tar -x -C: the content lands in the directory, --rm removes the container after',
  flows,
  'docker run --rm img tar -c -C /app/dist . | tar -x -C out\n',
  ['create @container#1 img', 'tar @container#1:/app/dist/. /proj/out', 'rm @container#1'],
  ['RS341 1:45'],
);

test(
  'a run into a gzip file: the archive holds the members; unpacked later, below -C, relative to the cwd; the container stays',
  flows,
  'docker run --rm img tar -czf - -C /src tool lib/x > out.tgz\ncd sub\ntar -xzf ../out.tgz\n',
  [
    'create @container#1 img',
    'tar @container#1:/src/tool /proj/out.tgz',
    'tar @container#1:/src/lib/x /proj/out.tgz',
    'tar @container#1:/src/tool /proj/sub/tool',
    'tar @container#1:/src/lib/x /proj/sub/lib/x',
  ],
  ['RS341 3:1'],
);

test(
  'an absolute member is named without its leading /; -w resolves a relative one; --entrypoint tar',
  flows,
  'docker run --rm -w /w --entrypoint tar img -c /etc/conf out | tar x\n',
  [
    'create @container#1 img',
    'tar @container#1:/etc/conf /proj/etc/conf',
    'tar @container#1:/w/out /proj/out',
    'rm @container#1',
  ],
  ['RS341 1:63'],
);

test(
  'docker cp C:/p - piped into tar -x; and into a file unpacked after docker rm',
  flows,
  'docker cp c:/app/dist - | tar -x -C www\ndocker cp c:/app/bin/. - > bin.tar\ndocker rm c\ntar -xf bin.tar -C bin\n',
  ['tar c:/app/dist /proj/www/dist', 'tar c:/app/bin/. /proj/bin.tar', 'rm c', 'tar c:/app/bin/. /proj/bin'],
  ['RS341 1:27', 'RS341 4:1'],
);

test(
  'declined at the line: a pattern, an unknown option, .., an empty archive',
  flows,
  'docker run --rm img tar -c -C /a *.so | tar -x\ndocker run --rm img tar -c --exclude=x -C /a . | tar -x\ndocker run --rm img tar -c ../out | tar -x\ndocker run --rm img tar -c | tar -x\n',
  [],
  ['RS340 1:1', 'RS340 2:28', 'RS340 3:1', 'RS340 4:1'],
);

test(
  'declined: options of the run that change what tar reads, >> and &>',
  flows,
  'docker run --rm -u 1000 img tar -c -C /a . | tar -x\ndocker run --rm img tar -c -C /a . >> a.tar\ndocker run --rm img tar -c -C /a . &> a.tar\n',
  [],
  ['RS340 1:17', 'RS340 2:1', 'RS340 3:1'],
);

test(
  'a stream piped into something else, a docker cp - to the terminal: RS342 at the producer',
  flows,
  'docker run --rm img tar -c -C /a . | gzip\ndocker cp c:/a -\n',
  ['create @container#1 img'],
  ['RS342 1:1', 'RS342 2:1'],
);

test(
  'tar -x that selects members, strips components, or reads a gzip stream without -z (or a plain one with -z): RS342 on the tar -x',
  flows,
  'docker cp c:/a - | tar -x a/b\ndocker cp c:/a - | tar -x --strip-components=1\ndocker run img tar -cz -C /a . | tar -x\ndocker cp c:/a - | tar -xz\n',
  ['create @container#1 img'],
  ['RS342 1:20', 'RS342 2:20', 'RS342 3:34', 'RS342 4:20'],
);

test(
  'a tar -x of an archive the script did not stream is an unpack of a file (src/analyze/unpack.ts), or of a pipe a host command that may change what it names',
  flows,
  'tar -xf vendor.tar -C out\ncat x | tar -x -C out2\n',
  ['host unpack /proj/vendor.tar,/proj/out', 'host other /proj/out2'],
  [],
);

test(
  'a tar -x of what a download writes into the pipe is a fetch of its directory (src/analyze/fetch.ts)',
  flows,
  'curl -s https://h/x | tar -x -C out2\n',
  ['host fetch /proj/out2'],
  [],
);

test('a member relative to the image WORKDIR (no -C, no -w) waits for the analysis to read the WORKDIR', (t) => {
  const parsed = parseShell('build.sh', 'docker run --rm img tar -c out | tar -x\n');
  const { flow } = analyzeScript(parsed.script!, ROOT, `${ROOT}/build.sh`);
  const copy = flow.events.find((e) => e.kind === 'copy-out');
  t.like(copy, { containerPath: '/out', hostPath: '/proj/out', via: 'tar', reader: { relativePath: 'out' } });
});
