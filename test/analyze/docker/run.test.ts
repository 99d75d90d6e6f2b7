/**
 * `docker run` as the script's analyzer reads it: a single-file reader with its output redirected
 * into a file is a copy out through stdout (with the container it makes, removed again by --rm);
 * every other way a run writes to the host stays an unsupported extraction (RS307).
 */
import test from 'ava';
import { parseShell } from '../../../src/parse/shell.js';
import { analyzeScript } from '../../../src/analyze/script.js';
import type { FlowEvent } from '../../../src/model/flow.js';

function analyze(text: string) {
  const parsed = parseShell('build.sh', text);
  const { flow, diagnostics } = analyzeScript(parsed.script!, '/proj', '/proj/build.sh');
  return { events: flow.events, diagnostics };
}

function summarize(events: readonly FlowEvent[]): string[] {
  return events.map((e) => {
    switch (e.kind) {
      case 'create':
        return `create ${e.image} started:${e.started?.how ?? 'no'}`;
      case 'copy-out':
        return `${e.via} ${e.containerPath} ${e.hostPath}${e.reader ? ` [${e.reader.command}${e.reader.entrypointOverridden ? ' entrypoint' : ''}${e.reader.relativePath !== null ? ` relative:${e.reader.relativePath}` : ''} > ${e.reader.target}]` : ''}`;
      case 'remove':
        return 'rm';
      default:
        return e.kind;
    }
  });
}

const run = test.macro({
  exec(t, script: string, expected: string[], codes: string[] = []) {
    const { events, diagnostics } = analyze(script);
    t.deepEqual(summarize(events), expected);
    t.deepEqual(
      diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`),
      codes,
      JSON.stringify(diagnostics, null, 1),
    );
  },
  title: (provided) => `run: ${provided}`,
});

test(
  'cat PATH > FILE is a copy out through stdout; --rm removes the container',
  run,
  'docker run --rm img cat /app/bin > ./bin\n',
  ['create img started:run', 'stdout /app/bin /proj/bin [cat /app/bin > ./bin]', 'rm'],
);
test('without --rm the container stays', run, 'docker run -i --name x img cat /app/bin > bin\n', [
  'create img started:run',
  'stdout /app/bin /proj/bin [cat /app/bin > bin]',
]);
test('--entrypoint cat IMG PATH, and >|', run, 'docker container run --rm --entrypoint cat img /a/b >| out/b\n', [
  'create img started:run',
  'stdout /a/b /proj/out/b [cat /a/b entrypoint > out/b]',
  'rm',
]);
test('/bin/cat; 1> is stdout', run, 'docker run --rm img /bin/cat /a 1> a\n', [
  'create img started:run',
  'stdout /a /proj/a [cat /a > a]',
  'rm',
]);
test('a relative path without -w waits for the image\u2019s WORKDIR', run, 'docker run --rm img cat bin/app > app\n', [
  'create img started:run',
  'stdout /bin/app /proj/app [cat bin/app relative:bin/app > app]',
  'rm',
]);
test('a relative path is resolved against -w', run, 'docker run --rm -w /src img cat ./bin/../app > app\n', [
  'create img started:run',
  'stdout /src/app /proj/app [cat ./bin/../app > app]',
  'rm',
]);
test('the target is relative to the current directory', run, 'cd sub\ndocker run --rm img cat /a > a\n', [
  'create img started:run',
  'stdout /a /proj/sub/a [cat /a > a]',
  'rm',
]);
test('stderr into a file does not count; a quoted target', run, 'docker run --rm img cat /a 2>/dev/null > "my app"\n', [
  'create img started:run',
  'stdout /a /proj/my app [cat /a > "my app"]',
  'rm',
]);
test('>> is declined at the redirection', run, 'docker run --rm img cat /a >> a\n', [], ['RS307 1:31']);
test(
  '-u, -e, --tmpfs, -t and -d are declined at the option (a volume is a bind mount to the first check)',
  run,
  'docker run --rm -u 1000 img cat /a > a\ndocker run --rm -e X=1 img cat /a > a\ndocker run --rm -v vol:/a img cat /a > a\ndocker run --rm --tmpfs /a img cat /a > a\ndocker run --rm -t img cat /a > a\ndocker run -d img cat /a > a\n',
  [],
  ['RS307 1:17', 'RS307 2:17', 'RS333 3:17', 'RS307 4:17', 'RS307 5:17', 'RS307 6:12'],
);
test(
  'a relative -w fails in docker: declined at -w',
  run,
  'docker run --rm -w src img cat a > a\n',
  [],
  ['RS307 1:20'],
);
test(
  'a target that expands a variable is not guessed',
  run,
  'OUT=x\ndocker run --rm img cat /a > "$OUT/a"\n',
  [],
  ['RS304 2:30'],
);
test(
  'a pipe stays RS307; &> and a bind mount are declined as output a build step cannot reproduce (RS333)',
  run,
  'docker run --rm img cat /a &> a\ndocker run --rm img cat /a | gzip > a.gz\ndocker run --rm -v "$PWD:/o" img cat /a > a\n',
  ['host'],
  ['RS333 1:31', 'RS307 2:1', 'RS333 3:17'],
);
test(
  "any other command's output into a file is a copy out of a fresh path that the command's run writes",
  run,
  'docker run --rm img tar -tv > a.lst\ndocker run --rm img cat /a /b > ab\ndocker run --rm img cat -n /a > a\ndocker run --rm --entrypoint sh img -c \'cat /a\' > "my a" 2>/dev/null\n',
  [
    'create img started:run',
    'stdout /restage/stdout/1-a.lst /proj/a.lst [tar -tv > a.lst]',
    'rm',
    'create img started:run',
    'stdout /restage/stdout/2-ab /proj/ab [cat /a /b > ab]',
    'rm',
    'create img started:run',
    'stdout /restage/stdout/3-a /proj/a [cat -n /a > a]',
    'rm',
    'create img started:run',
    'stdout /restage/stdout/4-my_a /proj/my a [sh -c \'cat /a\' entrypoint > "my a"]',
    'rm',
  ],
);
test(
  'output of the host or the moment, stderr into the file, -i and host namespaces are declined where they are said (RS333)',
  run,
  [
    'docker run --rm img date > d',
    "docker run --rm img sh -c 'uname -a; cat /a' > d",
    'docker run --rm img cat /a /proc/cpuinfo > d',
    'docker run --rm img cat /a /b > d 2>&1',
    'docker run --rm img cat /a /b >> d',
    'docker run --rm -i img cat > d',
    'docker run --rm --network host img cat /a /b > d',
    'docker run --rm --net=bridge img cat /a /b > d',
    'docker run --rm img > d',
    'docker run --rm img env > d',
    "docker run --rm img sh -c 'env | sort' > d",
    '',
  ].join('\n'),
  ['create img started:run', 'stdout /restage/stdout/8-d /proj/d [cat /a /b > d]', 'rm'],
  [
    'RS333 1:21',
    'RS333 2:27',
    'RS333 3:28',
    'RS333 4:38',
    'RS333 5:34',
    'RS333 6:17',
    'RS333 7:17',
    'RS333 9:1',
    'RS333 10:21',
    'RS333 11:27',
  ],
);
test(
  'docker exec CMD > FILE: the exec, then the copy out of its output',
  run,
  'docker run -d --name c img sleep infinity\ndocker exec -w /s c ls -1 > l.txt\n',
  ['create img started:run', 'container', 'stdout /restage/stdout/2-l.txt /proj/l.txt [ls -1 > l.txt]'],
);
