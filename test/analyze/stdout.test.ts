/**
 * A copy out through stdout read against its image (src/analyze/stdout.ts): the container path
 * (a relative one from the image's WORKDIR), the ENTRYPOINT that would take `cat PATH` as its
 * arguments, the 0644 a redirection gives a new file, and the host path it lands on.
 */
import test from 'ava';
import { analysisOf } from '../helpers/analysis.js';

const RUNTIME = 'FROM busybox\nCOPY app /app\n';
const script = (run: string, after = '') =>
  `docker build -t b -f Dockerfile.build .\n${run}\n${after}docker build -t r .\n`;

interface Expected {
  readonly path?: string;
  readonly modes?: string[];
  readonly codes: string[];
  readonly message?: RegExp;
}

const read = test.macro({
  exec(t, builder: string, run: string, expected: Expected, extra: Record<string, string> = {}) {
    const a = analysisOf({ 'Dockerfile.build': builder, Dockerfile: RUNTIME, 'build.sh': script(run), ...extra });
    const codes = a.diagnostics.map((d) => `${d.code} ${d.line}`);
    t.deepEqual(codes, expected.codes, JSON.stringify(a.diagnostics, null, 1));
    if (expected.path !== undefined) t.is(a.artifacts[0]?.containerPath, expected.path);
    if (expected.modes !== undefined)
      t.deepEqual(
        a.artifacts[0]?.modes.map((m) => `${m.origin} ${m.mode} ${m.containerPath} @${m.at.line}`),
        expected.modes,
      );
    if (expected.message) t.regex(a.diagnostics.map((d) => d.message).join('\n'), expected.message);
  },
  title: (provided) => `stdout: ${provided}`,
});

test(
  'an absolute path: the artifact, 0644 from the redirection, RS323 names the assumptions',
  read,
  'FROM busybox\nRUN echo x > /app\n',
  'docker run --rm b cat /app > app',
  {
    path: '/app',
    modes: ['redirect 644 /app @2'],
    codes: ['RS323 2'],
    message: /assumes umask 022: .* 0644 .* base image busybox sets no ENTRYPOINT/,
  },
);
test(
  'a relative path is read from the WORKDIR, relative WORKDIRs joined',
  read,
  'FROM busybox\nWORKDIR /src\nWORKDIR sub\nRUN echo x > app\n',
  'docker run --rm b cat ./app > app',
  { path: '/src/sub/app', modes: ['redirect 644 /src/sub/app @2'], codes: ['RS323 2'] },
);
test(
  'the WORKDIR of the stage the target derives from; --target picks the stage',
  read,
  'FROM busybox AS base\nWORKDIR /w\nFROM base AS mid\nRUN echo x > app\nFROM busybox\nWORKDIR /other\n',
  'docker build --target mid -t b -f Dockerfile.build .\ndocker run --rm b cat app > app',
  { path: '/w/app', codes: ['RS323 3'] },
);
test(
  'FROM scratch starts at /',
  read,
  'FROM scratch\nCOPY src /app\n',
  'docker run --rm --entrypoint cat b app > app',
  { path: '/app', codes: ['RS323 2'] },
  { src: 'x' },
);
test(
  'a relative path on an unknown base WORKDIR is declined',
  read,
  'FROM busybox\nRUN echo x > /app\n',
  'docker run --rm b cat app > app',
  {
    codes: ['RS307 2', 'RS402 2'].slice(0, 1),
    message: /base image busybox, which restage does not read; write the absolute path/,
  },
);
test(
  'a WORKDIR with a variable is declined',
  read,
  'FROM busybox\nARG D=/src\nWORKDIR $D\n',
  'docker run --rm b cat app > app',
  { codes: ['RS307 2'], message: /WORKDIR at line 3 \(\$D\) depends on a variable/ },
);
test(
  'an ENTRYPOINT, also one of the stage derived from, takes the words: declined',
  read,
  'FROM busybox AS base\nENTRYPOINT ["/bin/tool"]\nFROM base\nCMD ["x"]\n',
  'docker run --rm b cat /app > app',
  { codes: ['RS307 2'], message: /b has an ENTRYPOINT \(`ENTRYPOINT \["\/bin\/tool"\]`, Dockerfile\.build:2\)/ },
);
test(
  '--entrypoint cat overrides it; ENTRYPOINT [] clears it',
  read,
  'FROM busybox AS base\nENTRYPOINT ["/bin/tool"]\nFROM base\nENTRYPOINT []\n',
  'docker run --rm --entrypoint cat b /app > app\ndocker run --rm b cat /app > app2',
  { path: '/app', codes: ['RS323 2', 'RS323 3', 'RS402 3'] },
);
test(
  'an image the script does not build: only --entrypoint cat with an absolute path',
  read,
  'FROM busybox\n',
  'docker run --rm other/img cat /app > app\ndocker run --rm --entrypoint cat other/img /app > app2',
  { codes: ['RS307 2', 'RS323 3', 'RS402 3'], message: /runs in other\/img, which the script does not build/ },
);
test(
  'a file that exists already keeps its mode: a warning',
  read,
  'FROM busybox\nRUN echo x > /app\n',
  'docker run --rm b cat /app > app',
  { codes: ['RS308 2', 'RS323 2'], message: /already exists .* keeps an existing file's mode/ },
  { app: 'old' },
);
test(
  'into a directory the shell cannot write: declined',
  read,
  'FROM busybox\nRUN echo x > /app\n',
  'docker run --rm b cat /app > app',
  { codes: ['RS307 2'], message: /which is a directory at this point/ },
  { 'app/keep': '' },
);

test('a later host chmod applies after the redirection\u2019s mode', (t) => {
  const a = analysisOf({
    'Dockerfile.build': 'FROM busybox\nRUN echo x > /app\n',
    Dockerfile: RUNTIME,
    'build.sh': script('docker run --rm b cat /app > app', 'chmod +x app\n'),
  });
  // The consumption holds the artifact as it lies when the runtime build reads it.
  t.deepEqual(
    a.consumptions[0]!.artifact.modes.map((m) => `${m.origin} ${m.mode}`),
    ['redirect 644', 'chmod +x'],
  );
});

test('a copy through stdout is not a copy from a started container (no RS320)', (t) => {
  const a = analysisOf({
    'Dockerfile.build': 'FROM busybox\nRUN echo x > /app\n',
    Dockerfile: RUNTIME,
    'build.sh': script('docker run --name keep b cat /app > app'),
  });
  t.false(
    a.diagnostics.some((d) => d.code === 'RS320'),
    JSON.stringify(a.diagnostics),
  );
  t.is(a.artifacts.length, 1);
});

test(
  "a command's output: read from its fresh path, 0644 from the redirection, RS335 names the assumptions",
  read,
  'FROM busybox\nRUN echo x > /a\n',
  'docker run --rm b cat /a /a > app',
  {
    path: '/restage/stdout/2-app',
    modes: ['redirect 644 /restage/stdout/2-app @2'],
    codes: ['RS335 2', 'RS327 2'],
    message: /assumes umask 022: .* 0644 holding what `cat \/a \/a` prints \(its standard error is not in it\)/,
  },
);
test(
  "a command's output needs /bin/sh: a distroless base, an image the script does not build (RS334; FROM scratch is the golden stdout-cmd-declined-no-shell)",
  read,
  'FROM gcr.io/distroless/static\nCOPY a /a\n',
  'docker run --rm b /a x > app\ndocker run --rm other/img x y > app2',
  {
    codes: ['RS334 2', 'RS327 2', 'RS334 3', 'RS327 3', 'RS402 3'],
    message: /FROM gcr\.io\/distroless\/static, a base image without a shell/,
  },
  { a: '' },
);
test(
  "a command's output into a directory, or a builder that names the output's directory: declined (RS333)",
  read,
  'FROM busybox\nRUN mkdir -p /restage/stdout\n',
  'docker run --rm b cat /a /a > app',
  { codes: ['RS333 2', 'RS333 2', 'RS327 2'], message: /names \/restage\/stdout itself: the path may not be fresh/ },
  { 'app/keep': '' },
);

// `a | b > f` gives `> f` to b alone: the run's output goes into the pipe, never to app.
for (const run of [
  'docker run --rm b cat /app | sed s/x/y/ > app',
  'docker run --rm b cat /app | gzip > app',
  '{ docker run --rm b cat /app | cat; } > app',
])
  test(
    `the output piped into another command is not the redirection's file: ${run}`,
    read,
    'FROM busybox\nRUN echo x > /app\n',
    run,
    { codes: ['RS307 2'], message: /output piped into another command/ },
  );
test(
  'the redirection of a pipeline still reaches its last command',
  read,
  'FROM busybox\nRUN echo x > /app\n',
  'true | docker run --rm b cat /app > app',
  { path: '/app', codes: ['RS323 2'] },
);
