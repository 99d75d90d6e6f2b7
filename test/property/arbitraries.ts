/**
 * fast-check generators for directories shaped like builder-pattern repositories: grammar-aware
 * shell scripts (docker build/create/cp/rm/run with random options, quoting, variables, cd,
 * if/case/for, functions, heredocs), Dockerfiles and Makefiles, then raw-byte damage (truncation,
 * random bytes, NUL, invalid UTF-8, CRLF, BOM).
 */
import fc from 'fast-check';

/** A case: file name → content (bytes). Names never contain `/` or NUL (the file system refuses them). */
export type Tree = Record<string, Uint8Array>;

const enc = new TextEncoder();

/** Awkward names: spaces, quotes, unicode, leading dashes, dots. */
export const awkwardName = fc.constantFrom(
  'app',
  'bin/app',
  'my app',
  "it's",
  'q"uote',
  'ünïcødé',
  '-rf',
  '--help',
  '-',
  '.',
  '..',
  'a b/c d',
  '名前',
  'x$y',
  'x`y`',
  'tab\there',
  'new\nline',
  '*.jar',
  'dir/.',
  '~',
  '/',
  '',
);
const plainName = fc.constantFrom(
  'app',
  'hello',
  'out',
  'dist',
  'bin',
  'server',
  'lib.so',
  'static',
  'conf/app.conf',
  'build',
);
const name = fc.oneof({ weight: 3, arbitrary: plainName }, { weight: 1, arbitrary: awkwardName });

/** Quoting of a word the way scripts do it. */
function quoted(word: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(word, fc.nat(9)).map(([w, q]) => {
    switch (q) {
      case 0:
        return `'${w.replace(/'/g, `'\\''`)}'`;
      case 1:
        return `"${w.replace(/["\\$`]/g, '\\$&')}"`;
      case 2:
        return `$'${w.replace(/['\\]/g, '\\$&')}'`;
      case 3:
        return w.replace(/[^\w./:-]/g, '\\$&');
      default:
        return /^[\w./:@=-]+$/.test(w) ? w : `"${w.replace(/["\\$`]/g, '\\$&')}"`;
    }
  });
}

const variable = fc.constantFrom(
  'X',
  'DIR',
  'OUT',
  'HOME',
  'TAG',
  'VERSION',
  '1',
  '0',
  '@',
  '?',
  'UNSET_VAR',
  'PWD',
  'c',
  'id',
);
const expansion = fc.oneof(
  variable.map((v) => `$${v}`),
  variable.map((v) => `\${${v}}`),
  fc.tuple(variable, plainName).map(([v, d]) => `\${${v}:-${d}}`),
  fc.tuple(variable, plainName).map(([v, d]) => `\${${v}:=${d}}`),
  variable.map((v) => `\${${v}:?missing}`),
  variable.map((v) => `\${${v}##*/}`),
  variable.map((v) => `"$${v}"`),
  fc.constant('$(dirname "$0")'),
  fc.constant('$(pwd)'),
  fc.constant('`pwd`'),
  fc.constant('$(git rev-parse --short HEAD)'),
  fc.constant('$((1+2))'),
);

/** One shell word: a name, a path, an expansion or a mix. */
const word = fc.oneof(
  { weight: 4, arbitrary: quoted(name) },
  { weight: 2, arbitrary: expansion },
  { weight: 1, arbitrary: fc.tuple(expansion, quoted(name)).map(([e, n]) => `${e}/${n}`) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }).map((s) => `'${s.replace(/'/g, '')}'`) },
);
const image = fc.oneof(
  fc.constantFrom(
    'builder',
    'app:build',
    'alexellis2/href-counter:build',
    'golang:1.7.3',
    'testbase/busybox:latest',
    'x:latest',
    'UPPER:tag',
    'a b',
    '',
  ),
  expansion.map((e) => `app:${e}`),
);
const containerPath = fc.oneof(
  fc.constantFrom(
    '/app',
    '/go/src/app/app',
    '/out/.',
    '/',
    '/bin/',
    'relative',
    '/a b/c',
    '/app/../etc/passwd',
    '/usr/local/bin/hello',
  ),
  expansion.map((e) => `/src/${e}`),
);
const container = fc.oneof(fc.constantFrom('extract', 'c', 'tmp', '"$id"', '$c', '$(cat cid)', 'gone'), word);

const buildOption = fc.oneof(
  image.map((i) => `-t ${i}`),
  image.map((i) => `--tag=${i}`),
  image.map((i) => `--tag ${i}`),
  fc
    .constantFrom(
      'Dockerfile.build',
      'Dockerfile',
      'missing.Dockerfile',
      '../Dockerfile',
      '/etc/passwd',
      'sub/Dockerfile',
      '-',
    )
    .map((f) => `-f ${f}`),
  word.map((w) => `--file=${w}`),
  fc.tuple(variable, word).map(([k, v]) => `--build-arg ${k}=${v}`),
  variable.map((k) => `--build-arg ${k}`),
  fc.constantFrom(
    '--no-cache',
    '--pull',
    '-q',
    '--rm',
    '--load',
    '--squash',
    '--target builder',
    '--target',
    '--platform linux/amd64',
    '--network host',
    '--label a=b',
    '--frobnicate',
    '--build-context x=.',
    '-o type=local,dest=out',
    '--iidfile id',
    '--',
    '-',
  ),
);
const context = fc.oneof(
  { weight: 4, arbitrary: fc.constant('.') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '..',
      'sub',
      '-',
      'https://github.com/x/y.git',
      'git@github.com:x/y',
      '/',
      '/tmp',
      '~',
      '',
    ),
  },
  { weight: 1, arbitrary: word },
);

const args = <T>(arb: fc.Arbitrary<T>, max = 4) => fc.array(arb, { maxLength: max }).map((a) => a.join(' '));

/** Members a `tar -x` of a `docker export` names: paths of the image, and the near misses restage declines. */
const exportMember = fc.constantFrom(
  'app/bin/app',
  'app/dist/',
  'usr/local/bin/tool',
  '/app/bin/app',
  './app',
  '.',
  'etc',
  'etc/hosts',
  '.dockerenv',
  'proc',
  "'app/*'",
  'a/../b',
  '-C out app',
);

/** Argument lists of `tar -c`: knowable ones, and the near misses restage declines. */
const tarCreate = fc
  .tuple(
    fc.constantFrom(
      '-c',
      '-cz',
      '-czf -',
      'czf -',
      '-cf -',
      '--create --file=-',
      '-cj',
      '-cv',
      '-ch',
      '-c --exclude=x',
      '-cf out.tar',
      '-t',
      '',
    ),
    fc.constantFrom('', '-C /app', '-C app', '--directory=/app/dist', '-C', '-C $D'),
    args(fc.oneof(containerPath, fc.constantFrom('.', './', '*.so', '..', 'bin', '/', '-')), 3),
  )
  .map(([o, d, m]) => `${o} ${d} ${m}`);

const client = fc.constantFrom('docker', 'docker', 'docker', 'sudo docker', 'podman', '/usr/bin/docker');

const dockerCommand = fc.oneof(
  fc
    .tuple(client, fc.constantFrom('build', 'image build', 'buildx build', 'builder build'), args(buildOption), context)
    .map(([c, v, o, x]) => `${c} ${v} ${o} ${x}`),
  fc
    .tuple(client, fc.constantFrom('create', 'container create'), fc.option(container), image, args(word, 2))
    .map(([c, v, n, i, a]) => `${c} ${v}${n ? ` --name ${n}` : ''} ${i} ${a}`),
  fc.tuple(fc.constantFrom('id', 'c', 'cid'), client, image).map(([v, c, i]) => `${v}=$(${c} create ${i})`),
  fc
    .tuple(
      client,
      fc.constantFrom('cp', 'container cp'),
      fc.constantFrom('', '-L', '-a', '-aL', '--follow-link', '-q'),
      container,
      containerPath,
      word,
    )
    .map(([c, v, o, n, p, h]) => `${c} ${v} ${o} ${n}:${p} ${h}`),
  fc.tuple(client, word, container, containerPath).map(([c, h, n, p]) => `${c} cp ${h} ${n}:${p}`),
  fc.tuple(client, container, containerPath).map(([c, n, p]) => `${c} cp ${n}:${p} -`),
  fc
    .tuple(client, fc.constantFrom('rm', 'rm -f', 'rm -v', 'container rm', 'rm -fv'), args(container, 3))
    .map(([c, v, n]) => `${c} ${v} ${n}`),
  fc
    .tuple(
      client,
      fc.constantFrom('run', 'run --rm', 'run -d', 'run -v "$PWD":/out', 'run --name c', 'container run'),
      image,
      args(word, 3),
    )
    .map(([c, v, i, a]) => `${c} ${v} ${i} ${a}`),
  fc.tuple(client, image, word).map(([c, i, f]) => `${c} run --rm ${i} cat /app > ${f}`),
  // Run-time builds: run options a run stage reads (mounts, env, -w/-u), and the calls that start,
  // wait for, stop or exec in a container, with near misses (relative -w, bare -e, missing targets).
  fc
    .tuple(
      client,
      fc.constantFrom('run', 'run --rm', 'run -d', 'run --name c', 'run -d --name c', 'create --name c'),
      fc.constantFrom(
        '',
        '-v "$PWD/out:/out"',
        '-v "$(pwd)":/src -w /src',
        '-v ./out:/out:ro,z',
        '--mount type=bind,source="$PWD",target=/src',
        '--mount type=tmpfs,target=/t',
        '--mount type=bind,src=rel',
        '-v cache:/root/.cache',
        '-v /anon',
        '--tmpfs /scratch',
        '--env-file build.env',
        '--env-file $F',
        '-e A=1 -e B',
        '-w rel',
        '-u 1000:1000',
        '--entrypoint /bin/sh',
      ),
      image,
      fc.constantFrom('', 'sleep infinity', 'tail -f /dev/null', 'make', "sh -c 'make out'"),
    )
    .map(([c, v, o, i, a]) => `${c} ${v} ${o} ${i} ${a}`),
  fc
    .tuple(
      client,
      fc.constantFrom(
        'start',
        'start -a',
        'wait',
        'stop',
        'kill',
        'exec',
        'exec -d',
        'exec -w /x -u 0 -e K=v',
        'restart',
      ),
      container,
      fc.constantFrom('', 'make', 'sh -c true'),
    )
    .map(([c, v, n, a]) => `${c} ${v} ${n} ${v.startsWith('exec') ? a : ''}`),
  // The stdout route: a single-file reader, its options and redirections, and near misses.
  fc
    .tuple(
      client,
      fc.constantFrom(
        'run',
        'run --rm',
        'run --rm -i',
        'run --name c',
        'container run --rm',
        'run -w /src',
        'run -w src',
      ),
      fc.constantFrom(
        '',
        '-u 1000',
        '-e X=1',
        '-t',
        '-d',
        '-v v:/x',
        '--tmpfs /x',
        '--entrypoint cat',
        '--entrypoint $E',
      ),
      image,
      fc.constantFrom('cat', '/bin/cat', 'cat -n', 'cat --', '', 'tar -c'),
      fc.oneof(containerPath, word),
      fc.constantFrom('>', '>>', '>|', '1>', '&>', '2>', '| tar -x >'),
      word,
    )
    .map(([c, v, o, i, r, p, op, f]) => `${c} ${v} ${o} ${i} ${r} ${p} ${op} ${f}`),
  // Tar streams: `tar -c` in a run or `docker cp C:/p -`, into a pipe or a file, unpacked (or not) by `tar -x`.
  fc
    .tuple(
      client,
      fc.constantFrom('run --rm', 'run', 'run --rm -w /src', 'run --rm --entrypoint tar', 'run --rm -u 1', 'run -t'),
      image,
      fc.constantFrom('tar', '/bin/tar', 'tar --', ''),
      tarCreate,
      fc.constantFrom(
        '| tar -x',
        '| tar -xz',
        '| tar -x -C',
        '| tar xf - -C',
        '| gzip >',
        '>',
        '>>',
        '&>',
        '| tar -t',
        '',
      ),
      fc.oneof(word, fc.constant('')),
    )
    .map(([c, v, i, t, o, op, f]) => `${c} ${v} ${i} ${t} ${o} ${op} ${f}`),
  fc
    .tuple(
      client,
      fc.constantFrom('cp', 'container cp', 'cp -L', 'cp -a'),
      container,
      fc.oneof(containerPath, fc.constantFrom('/', '/.', '/app/.', 'app', '')),
      fc.constantFrom(
        '- | tar -x',
        '- | tar -x -C',
        '- >',
        '- | tar -xz',
        '- | cat >',
        '-',
        '- | tar -x --strip-components=1',
      ),
      fc.oneof(word, fc.constant('')),
    )
    .map(([c, v, n, p, op, f]) => `${c} ${v} ${n}:${p} ${op} ${f}`),
  // docker export: into a pipe or a file (`>`, `-o`), unpacked (or not) by tar -x with members, patterns, options.
  fc
    .tuple(
      client,
      fc.constantFrom('export', 'container export', 'export -o out.tar', 'export --output=out.tar', 'export -q'),
      fc.oneof(container, word, fc.constant('')),
      fc.constantFrom(
        '| tar -x',
        '| tar -xv -C out',
        '| tar -x -C',
        '| tar xf -',
        '| tar -x --exclude=etc',
        '| tar -x --strip-components=1',
        '| tar -t',
        '| gzip >',
        '>',
        '>>',
        '',
      ),
      fc.oneof(exportMember, word, fc.constant('')),
    )
    .map(([c, v, n, op, m]) => `${c} ${v} ${n} ${op} ${m}`),
  fc
    .tuple(
      fc.constantFrom('tar -xf', 'tar -xzf', 'tar xf', 'tar -x -f', 'tar --extract --file', 'tar -tf', 'tar -xvf'),
      word,
      fc.constantFrom('', '-C', '-C out', '--directory=out', 'app/bin', '--strip-components 1'),
    )
    .map(([t, f, rest]) => `${t} ${f} ${rest}`),
  fc
    .tuple(
      client,
      fc.constantFrom(
        'start',
        'stop',
        'export',
        'commit',
        'tag',
        'push',
        'pull',
        'images',
        'ps -a',
        'login',
        'volume create v',
        'image rm',
        'rmi',
      ),
      args(word, 2),
    )
    .map(([c, v, a]) => `${c} ${v} ${a}`),
  fc.tuple(client, args(word, 5)).map(([c, a]) => `${c} ${a}`),
);

const hostCommand = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(
        'mkdir',
        'mkdir -p',
        'rm',
        'rm -rf',
        'rm -f',
        'mv',
        'cp',
        'cp -r',
        'chmod 755',
        'chmod +x',
        'chmod u+x,go-w',
        'chown 0:0',
        'chown -R 1000',
        'touch',
        'ln -s',
        'ln -sf',
        'ln',
        'strip',
        'strip --strip-unneeded -g',
        'strip -o small',
        'tar -xf',
        'tar -C',
        'tar -xzf',
        'tar xJf',
        'tar -xjf',
        'tar -xf --strip-components=1',
        'unzip',
        'unzip -q -o',
        'unzip -d',
        'unzip -j',
        'gunzip',
        'gzip -d',
        'gzip -dc',
        'xz -d',
        'unxz',
        'bunzip2 -k',
        'curl -fsSL -o',
        'curl -O',
        'wget -O',
        'wget -P',
        'gsutil cp gs://b/x',
        'aws s3 cp s3://b/x',
        'buildkite-agent artifact download',
        'gh run download -D',
        'gh release download -O',
        'cat',
        'echo',
        'printf %s',
        'test -f',
        'ls',
        'install -m 755',
      ),
      args(word, 3),
    )
    .map(([c, a]) => `${c} ${a}`),
  word.map((w) => `cd ${w}`),
  fc.constantFrom('cd "$(dirname "$0")"', 'cd "$(dirname "$0")/.."', 'cd -', 'cd', 'cd ~', 'pushd sub', 'popd'),
  fc.tuple(variable, word).map(([v, w]) => `${v}=${w}`),
  fc.tuple(variable, word).map(([v, w]) => `export ${v}=${w}`),
  fc.tuple(variable, word).map(([v, w]) => `readonly ${v}=${w}`),
  variable.map((v) => `unset ${v}`),
  variable.map((v) => `local ${v}=1`),
  fc.constantFrom(
    'set -e',
    'set -euo pipefail',
    'set -x',
    'set +e',
    'shift',
    'shift 2',
    'exit 0',
    'exit 1',
    'return',
    'true',
    'false',
    ':',
    'trap "docker rm -f extract" EXIT',
    'wait',
    'exec 3>&1',
  ),
  fc.constantFrom(
    'source ./env.sh',
    '. ./env.sh',
    'eval "$CMD"',
    'eval docker build -t x .',
    'curl -fsSL https://example.invalid/x | sh',
    'rm -rf ~',
    'rm -rf /',
    'rm -rf "$UNSET_VAR"/',
  ),
  word.map((w) => `echo ${w} > ${w}`),
  word.map((w) => `cat >> ${w}`),
);

const simple = fc.oneof({ weight: 3, arbitrary: dockerCommand }, { weight: 2, arbitrary: hostCommand });

/** A shell statement list, `depth` levels of compound commands deep at most. */
function statements(depth: number): fc.Arbitrary<string> {
  if (depth <= 0) return fc.array(simple, { minLength: 1, maxLength: 4 }).map((s) => s.join('\n'));
  const inner = statements(depth - 1);
  const cond = fc.oneof(
    fc.constantFrom(
      '[ $? != 0 ]',
      '[ -f app ]',
      '[ "$1" = arm ]',
      'true',
      '! docker build .',
      'test -n "$X"',
      '[[ $X == y* ]]',
      '$(false)',
    ),
    dockerCommand,
  );
  const compound = fc.oneof(
    fc.tuple(cond, inner, fc.option(inner)).map(([c, a, b]) => `if ${c}; then\n${a}\n${b ? `else\n${b}\n` : ''}fi`),
    fc
      .tuple(word, inner, inner)
      .map(([w, a, b]) => `case ${w} in\n  a|b) ${a.replace(/\n/g, '; ')} ;;\n  *)\n${b}\n  ;;\nesac`),
    fc.tuple(variable, args(word, 3), inner).map(([v, l, b]) => `for ${v} in ${l}; do\n${b}\ndone`),
    fc.tuple(cond, inner).map(([c, b]) => `while ${c}; do\n${b}\nbreak\ndone`),
    fc
      .tuple(fc.constantFrom('build', 'extract', 'f', 'cleanup'), inner, args(word, 2))
      .map(([n, b, a]) => `${n}() {\n${b}\n}\n${n} ${a}`),
    inner.map((b) => `(\n${b}\n)`),
    inner.map((b) => `{ ${b.replace(/\n/g, '; ')}; }`),
    fc.tuple(simple, simple).map(([a, b]) => `${a} && ${b}`),
    fc.tuple(simple, fc.constantFrom('exit 1', 'true', 'echo failed; exit 1')).map(([a, b]) => `${a} || ${b}`),
    fc.tuple(simple, simple).map(([a, b]) => `${a} | ${b}`),
    fc
      .tuple(
        fc.constantFrom('EOF', "'EOF'", '-EOF', '"END"'),
        fc.array(fc.oneof(word, dockerCommand), { maxLength: 3 }),
      )
      .map(([d, body]) => `cat <<${d} > Dockerfile.gen\n${body.join('\n')}\n${d.replace(/['"-]/g, '')}`),
    fc.tuple(simple, fc.constantFrom('&', ';', '2>&1 | tee log', '> /dev/null', '>&2')).map(([a, s]) => `${a} ${s}`),
    simple.map((s) => `x=$(${s})`),
    simple.map((s) => `x=\`${s}\``),
  );
  return fc
    .array(fc.oneof({ weight: 2, arbitrary: simple }, { weight: 1, arbitrary: compound }), {
      minLength: 1,
      maxLength: 5,
    })
    .map((s) => s.join('\n'));
}

/** The canonical builder-pattern script, as a skeleton the generator varies around. */
const skeleton = fc
  .tuple(image, image, fc.constantFrom('extract', 'c'), containerPath, word)
  .map(([b, r, c, p, h]) =>
    [
      `docker build -t ${b} . -f Dockerfile.build`,
      `docker create --name ${c} ${b}`,
      `docker cp ${c}:${p} ${h}`,
      `docker rm -f ${c}`,
      `docker build --no-cache -t ${r} .`,
    ].join('\n'),
  );

/** The builder-pattern script with a tar stream out: piped or in a file, unpacked by tar -x or ADDed by the runtime. */
const tarSkeleton = fc
  .tuple(
    image,
    image,
    fc.constantFrom('run --rm $B tar -c -C /app .', 'run --rm $B tar -czf - -C /app bin lib', 'cp c:/app/dist -'),
    fc.constantFrom('| tar -x -C out', '> out.tar', '> out.tgz'),
    fc.constantFrom('', 'tar -xf out.tar -C out', 'tar -xzf out.tgz', 'rm out.tar'),
  )
  .map(([b, r, producer, into, after]) =>
    [
      `docker build -t ${b} . -f Dockerfile.build`,
      'mkdir -p out',
      'docker create --name c ' + b,
      `docker ${producer.replace('$B', b)} ${into}`,
      after,
      'docker rm c',
      `docker build --no-cache -t ${r} .`,
    ].join('\n'),
  );

/** The builder-pattern script with `docker export` of a created or run container, piped or in a file, unpacked by tar -x. */
const exportSkeleton = fc
  .tuple(
    image,
    image,
    fc.constantFrom('create --name c', 'run --name c', 'run -d --name c', 'run --rm --name c'),
    fc.constantFrom('export c | tar -x -C out', 'export c > out.tar', 'export -o out.tar c', 'export c | tar -x'),
    fc.array(exportMember, { maxLength: 3 }),
    fc.constantFrom('', 'tar -xf out.tar -C out', 'tar -xf out.tar', 'rm out.tar'),
  )
  .map(([b, r, make, producer, members, after]) =>
    [
      `docker build -t ${b} . -f Dockerfile.build`,
      'mkdir -p out',
      `docker ${make} ${b}`,
      `docker ${producer}${producer.includes('tar -x') ? ` ${members.join(' ')}` : ''}`,
      after.startsWith('tar') ? `${after} ${members.join(' ')}` : after,
      'docker rm c',
      `docker build --no-cache -t ${r} .`,
    ].join('\n'),
  );

/** The builder-pattern script with an archive out, unpacked (or not) on the host, or a file fetched beside it. */
const archiveSkeleton = fc
  .tuple(
    image,
    image,
    fc.constantFrom('cp c:/out/app.tar.gz ./app.tar.gz', 'cp c:/out/app.zip app.zip', 'cp c:/out/tool.gz .'),
    fc.constantFrom('', 'mkdir -p dist', 'mkdir dist/x'),
    fc.constantFrom(
      'tar -xzf app.tar.gz -C dist',
      'tar -xzf app.tar.gz',
      'tar xf app.tar.gz -C dist bin',
      'unzip -q -o app.zip -d dist',
      'unzip app.zip',
      'gunzip tool.gz',
      'gzip -dk tool.gz',
      'xz -d tool.gz',
      'curl -fsSL -o dist/plugin.so https://example.invalid/p.so',
      'curl -o app.tar.gz https://example.invalid/a.tgz && tar -xzf app.tar.gz -C dist',
      'curl -fsSL https://example.invalid/a.tgz | tar -xz -C dist',
      'wget -qO- https://example.invalid/a.tar | tar x',
      'curl -fsSL https://example.invalid/a.tgz | tar -tz',
      'buildkite-agent artifact download "dist/*" .',
      'gh run download -D dist',
    ),
  )
  .map(([b, r, copy, prepare, unpack]) =>
    [
      `docker build -t ${b} . -f Dockerfile.build`,
      `docker create --name c ${b}`,
      `docker ${copy}`,
      'docker rm c',
      prepare,
      unpack,
      `docker build --no-cache -t ${r} .`,
    ].join('\n'),
  );

/** The builder-pattern script with the artifact read to stdout (`docker run IMG cat PATH > FILE`). */
const stdoutSkeleton = fc
  .tuple(image, image, fc.constantFrom('--rm', '--rm --entrypoint cat', '-i'), containerPath, word)
  .map(([b, r, o, p, h]) =>
    [
      `docker build -t ${b} . -f Dockerfile.build`,
      `docker run ${o} ${b}${o.includes('entrypoint') ? '' : ' cat'} ${p} > ${h}`,
      `chmod +x ${h}`,
      `docker build --no-cache -t ${r} .`,
    ].join('\n'),
  );

/**
 * The builder-pattern script with a command's output into a host file (`docker run IMG CMD > FILE`,
 * `docker exec C CMD > FILE`), its near misses (host namespaces, `2>&1`, `date`), and a build whose
 * context is standard input.
 */
const commandSkeleton = fc
  .tuple(
    image,
    image,
    fc.constantFrom('--rm', '--rm --entrypoint sh', '--rm -u 1000', '--rm --network host', '--rm -i', '-d --name c'),
    fc.constantFrom(
      '/bin/app --version',
      "-c 'cat /a /b'",
      'cat /a /b',
      'date -u',
      'sh -c "cat /proc/cpuinfo"',
      'ls -1 /out',
      '',
    ),
    fc.constantFrom('>', '>>', '&>', '> $F', '2>&1 >', '2>/dev/null >'),
    word,
    fc.constantFrom(
      '',
      'docker exec c ls /out > list',
      'docker exec -w /out c sh -c "cat *" > all',
      'docker run --rm $B tar -c -C /out . | docker build -t x -',
      'docker build -t x - < Dockerfile',
      'docker build -t x -f out/Dockerfile - < ctx.tar',
      'tar -C out -c Dockerfile app | docker build -t x -',
      '(cd out && tar c .) | docker build -t x -',
      'tar -c --exclude=.git . | docker build -t x -f out/Dockerfile -',
      'curl -fsSL https://example.invalid/ctx.tar | docker build -t x -',
    ),
  )
  .map(([b, r, o, cmd, op, h, after]) =>
    [
      `docker build -t ${b} . -f Dockerfile.build`,
      `docker run ${o} ${b} ${cmd} ${op} ${h}`,
      after.replace('$B', b),
      `docker build --no-cache -t ${r} .`,
    ].join('\n'),
  );

/** The builder-pattern script whose runtime build reads a tar stream as its context (`… | docker build -`), with near misses. */
const stdinSkeleton = fc
  .tuple(
    image,
    image,
    fc.constantFrom(
      'docker run --rm $B tar -c -C /out . |',
      'docker run --rm $B tar -cz -C /out app etc |',
      'docker run --rm $B tar -c -C /out Dockerfile app |',
      'docker run --rm $B tar -c app |',
      'docker cp c:/out - |',
      'docker cp c:/out/. - > ctx.tar;',
      'docker run --rm $B tar -c -C /out . > ctx.tar;',
      'tar -C build -c Dockerfile app |',
      'tar -c . |',
      '(cd build && tar -cz .) |',
      'tar -c --exclude=x . |',
      'curl -s http://h/x.tar |',
      'cat Dockerfile |',
      '',
    ),
    fc.constantFrom(
      '',
      '-f out/Dockerfile',
      '-f etc/Dockerfile',
      '-f Dockerfile.runtime',
      '-f "$F"',
      '-f ../x',
      '-f -',
    ),
    fc.constantFrom('-', '- < ctx.tar', '- < Dockerfile', '-'),
  )
  .map(([b, r, producer, f, ctx]) =>
    [
      `docker build -t ${b} . -f Dockerfile.build`,
      `docker create --name c ${b}`,
      `${producer.replace('$B', b)} docker build -t ${r} ${f} ${ctx}`,
      'docker rm c',
    ].join('\n'),
  );

export const shellScript = fc
  .tuple(
    fc.constantFrom('#!/bin/sh\n', '#!/bin/bash\n', '#!/usr/bin/env bash\n', '', '#!/bin/zsh\n'),
    fc.oneof(
      statements(3),
      fc.tuple(skeleton, statements(1), skeleton).map((p) => p.join('\n')),
      skeleton,
      stdoutSkeleton,
      fc.tuple(stdoutSkeleton, statements(1)).map((p) => p.join('\n')),
      tarSkeleton,
      fc.tuple(tarSkeleton, statements(1)).map((p) => p.join('\n')),
      exportSkeleton,
      fc.tuple(exportSkeleton, statements(1)).map((p) => p.join('\n')),
      archiveSkeleton,
      fc.tuple(archiveSkeleton, statements(1)).map((p) => p.join('\n')),
      commandSkeleton,
      fc.tuple(commandSkeleton, statements(1)).map((p) => p.join('\n')),
      stdinSkeleton,
    ),
  )
  .map(([shebang, body]) => `${shebang}${body}\n`);

const flag = fc.oneof(
  fc.constantFrom(
    '--from=builder',
    '--from=0',
    '--from=missing',
    '--from=golang:1.7',
    '--chown=1000:1000',
    '--chmod=755',
    '--link',
    '--from',
    '--unknown=x',
    '--chown=$UID',
  ),
);
const dfPath = fc.oneof(
  quoted(name).map((n) => n),
  fc.constantFrom(
    '.',
    './',
    '/app/',
    '../secret',
    '/etc/passwd',
    '*.go',
    'app*',
    '$DIR/app',
    '["app", "/bin/"]',
    '["a"',
    '<<EOF',
  ),
);
const dockerfileLine = fc.oneof(
  fc
    .tuple(image, fc.option(fc.constantFrom('builder', 'runtime', 'BUILD', 'scratch', 'context', '0', 'a b')))
    .map(([i, n]) => `FROM ${i}${n ? ` AS ${n}` : ''}`),
  fc.constantFrom(
    'FROM scratch',
    'FROM golang: 1.7.3',
    'FROM',
    'FROM --platform=$BUILDPLATFORM golang AS b',
    'FROM ${BASE:-alpine}',
    'WORKDIR:',
    'WORKDIR /go/src/app/',
    'WORKDIR',
    'USER 1000',
    'USER root',
    'CMD ["./app"]',
    "CMD ['./hello']",
    'CMD ./app',
    'ENTRYPOINT ["/app"',
    'ENTRYPOINT []',
    'EXPOSE 80',
    'ARG VERSION=1.0',
    'ARG',
    'ENV A=1 B=2',
    'LABEL a=b',
    'RUN go build -o app .',
    'RUN ["make"]',
    'RUN apk add --no-cache ca-certificates \\\n  && echo ok',
    'RUN <<EOF\necho hi\nEOF',
    'ONBUILD COPY . /x',
    'HEALTHCHECK NONE',
    'SHELL ["/bin/sh","-c"]',
    'STOPSIGNAL',
    'VOLUME /data',
    'MAINTAINER me',
    'FROBNICATE x',
    '# comment',
    '',
    '\\',
    'RUN echo \\',
  ),
  fc
    .tuple(fc.constantFrom('COPY', 'ADD', 'copy'), args(flag, 2), fc.array(dfPath, { minLength: 1, maxLength: 3 }))
    .map(([k, f, p]) => `${k} ${f} ${p.join(' ')}`.replace(/ +/g, ' ')),
  fc.tuple(fc.constantFrom('WORKDIR', 'USER', 'ENV X', 'ARG', 'EXPOSE'), word).map(([k, w]) => `${k} ${w}`),
);
export const dockerfile = fc
  .tuple(
    fc.constantFrom('', '# syntax=docker/dockerfile:1\n', '# escape=`\n', '# escape=\\\n', '# syntax=x\n# escape=`\n'),
    fc.option(image),
    fc.array(dockerfileLine, { maxLength: 12 }),
  )
  .map(([d, f, lines]) => `${d}${f !== null ? `FROM ${f}\n` : ''}${lines.join('\n')}\n`);

export const makefile = fc
  .array(
    fc.tuple(
      fc.constantFrom('all', 'build', 'image', '.PHONY', 'clean'),
      fc.array(fc.oneof(dockerCommand, hostCommand), { maxLength: 3 }),
    ),
    { maxLength: 4 },
  )
  .map((rules) => rules.map(([t, cmds]) => `${t}:\n${cmds.map((c) => `\t${c}`).join('\n')}`).join('\n\n') + '\n');

/** Make's own syntax around the rules: variables of every flavor, references, conditionals, sub-makes, odd prefixes. */
const makeLine = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('IMAGE', 'TAG', 'ARCH', 'X', '$(ARCH)_CC', 'override A', 'export B', ''),
      fc.constantFrom('=', ':=', '::=', ':::=', '?=', '+=', '!=', ''),
      fc.constantFrom(
        'acme/app',
        '$(TAG)',
        '$(IMAGE):$(TAG)',
        '$(shell git rev-parse HEAD)',
        '$(shell cat config.mk)',
        '$(shell cat VERSION)',
        '$(shell cat)',
        '$$HOME',
        '$(',
        '$(X:.c=.o)',
        '\\',
      ),
    )
    .map(([n, op, v]) => `${n} ${op} ${v}`),
  fc.constantFrom(
    'ifeq ($(ARCH),arm64)',
    'ifneq "$(TAG)" ""',
    'ifdef IMAGE',
    'ifndef X',
    'else',
    'else ifeq (a,b)',
    'endif',
    'define D',
    'endef',
    'include config.mk',
    '-include local.mk',
    '.ONESHELL:',
    '.RECIPEPREFIX = >',
    '.DEFAULT_GOAL := image',
    'image: TAG = v2',
    '%.o: %.c',
    'bin/%: image',
    '%: ; docker build -t $* .',
    'out/%.bin: %.src build',
    '%.a %.b: %.c',
    'image: bin/app out/x.bin',
    '\tdocker cp x:/src/$* $@ && rm -f $^',
    'all: image | out',
    'image: ; docker build -t $(IMAGE) .',
    '\t$(MAKE) image ARCH=arm64',
    '\t-@docker rm -f x',
    '\tcd sub && $(MAKE) x',
    '\t$(MAKE) -C sub',
    '\tdocker build -t $@ $<',
    '\techo $$PATH \\',
    'export',
    'vpath %.c src',
    '',
  ),
);
export const makefileText = fc
  .tuple(makefile, fc.array(makeLine, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 12 }))
  .map(([base, extra, at]) => {
    const lines = base.split('\n');
    extra.forEach((l, i) => lines.splice((at[i] ?? 0) % (lines.length + 1), 0, l));
    return lines.join('\n');
  });

const fileName = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      'Dockerfile',
      'Dockerfile.build',
      'build.sh',
      'Makefile',
      'app.go',
      '.dockerignore',
      'env.sh',
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'Dockerfile.armhf',
      'build.armhf.sh',
      'Containerfile',
      'x.Dockerfile',
      'deploy.sh',
      'run',
      'package.json',
      'GNUmakefile',
      'my app',
      '-rf',
      'ünï.sh',
      "it's.sh",
      ' ',
      '.hidden',
      'Dockerfile-prod',
      'ci/build.sh',
      'scripts/env.sh',
      'scripts/builder.sh',
      'docker/Dockerfile.build',
      'docker/Dockerfile',
    ),
  },
);

/** Raw-byte damage to one file's text. */
export const damage = fc.oneof(
  fc.constant((b: Uint8Array) => b),
  fc.nat().map((n) => (b: Uint8Array) => b.slice(0, b.length ? n % b.length : 0)),
  fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 16 })).map(
    ([n, r]) =>
      (b: Uint8Array) =>
        splice(b, n, r),
  ),
  fc.nat().map((n) => (b: Uint8Array) => splice(b, n, Uint8Array.of(0))),
  fc
    .tuple(
      fc.nat(),
      fc.constantFrom(
        Uint8Array.of(0xff, 0xfe),
        Uint8Array.of(0xc3),
        Uint8Array.of(0x80),
        Uint8Array.of(0xed, 0xa0, 0x80),
        Uint8Array.of(0xf4, 0x90, 0x80, 0x80),
      ),
    )
    .map(
      ([n, r]) =>
        (b: Uint8Array) =>
          splice(b, n, r),
    ),
  fc.constant((b: Uint8Array) => enc.encode(new TextDecoder().decode(b).replace(/\n/g, '\r\n'))),
  fc.constant((b: Uint8Array) => concat(Uint8Array.of(0xef, 0xbb, 0xbf), b)),
  fc.constant((b: Uint8Array) => Uint8Array.from(b).reverse()),
  fc.uint8Array({ maxLength: 256 }).map((r) => () => r),
);

function splice(b: Uint8Array, at: number, insert: Uint8Array): Uint8Array {
  const i = b.length ? at % (b.length + 1) : 0;
  return concat(b.slice(0, i), insert, b.slice(i));
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A builder pattern that mostly migrates: plain names, a consuming runtime COPY, a few random lines around. */
const validCore = fc
  .tuple(
    fc.constantFrom('app', 'hello', 'bin', 'dist', 'out'),
    fc.constantFrom('/app', '/go/src/app/app', '/out/.', '/usr/local/bin/hello'),
    fc.constantFrom('', '-L ', '-a '),
    fc.constantFrom('extract', 'c'),
    fc.array(
      fc.oneof(
        hostCommand,
        fc.constantFrom(
          'set -e',
          'echo building',
          'mkdir -p out',
          'cd "$(dirname "$0")"',
          '. ./scripts/env.sh',
          'source scripts/env.sh',
          './scripts/builder.sh "$1"',
          'sh -e ci/build.sh',
          './build.sh',
          'case "$1" in build) true;; clean) rm -f app; exit 0;; esac',
        ),
        // Post-processing of the extracted artifact (a file or a directory, whichever it is here).
        fc.constantFrom(
          'rm -rf out/docs',
          'mkdir -p out/log',
          'mv out/a out/b',
          'cp -r out/a out/c',
          'ln -s app app-link',
          'ln -sf a out/link',
          'strip app',
          'strip --strip-unneeded hello',
          'chmod 700 out/a',
          'cp README out/',
          // An archive artifact unpacked on the host, or a file fetched from outside.
          'tar -xzf app -C out',
          'tar -xJf dist',
          'unzip -q bin -d dist',
          'gunzip hello',
          'xz -dk out',
          'curl -fsSL -o dist https://example.invalid/d',
          'wget -O app https://example.invalid/a',
          'curl -fsSL https://example.invalid/d.tgz | tar -xz -C out',
          'wget -O- https://example.invalid/d.tar | tar -x --strip-components=1',
        ),
      ),
      { maxLength: 2 },
    ),
    fc.array(dockerfileLine, { maxLength: 2 }),
    fc.constantFrom('', '--chown=1000:1000 ', '--chmod=755 '),
    fc.constantFrom('alpine:latest', 'scratch', 'testbase/busybox:latest'),
  )
  .map(([host, from, opt, c, extra, lines, flags, base]) => ({
    'build.sh': enc.encode(
      [
        '#!/bin/sh',
        ...extra.slice(0, 1),
        'docker build -t app:build . -f Dockerfile.build',
        `docker create --name ${c} app:build`,
        `docker cp ${opt}${c}:${from} ./${host}`,
        `docker rm -f ${c}`,
        ...extra.slice(1),
        'docker build --no-cache -t app:latest .',
        '',
      ].join('\n'),
    ),
    'Dockerfile.build': enc.encode(
      `FROM golang:1.7.3\nWORKDIR /go/src/app\nCOPY . .\nRUN go build -o app .\n${lines.slice(0, 1).join('\n')}\n`,
    ),
    Dockerfile: enc.encode(
      `FROM ${base}\nWORKDIR /srv\nCOPY ${flags}${host} /srv/${host}\n${lines.slice(1).join('\n')}\nCMD ["/srv/${host}"]\n`,
    ),
    'main.go': enc.encode('package main\nfunc main() {}\n'),
    'scripts/env.sh': enc.encode('IMAGE=app\nexport TAG=1\n'),
    'scripts/builder.sh': enc.encode(
      '#!/bin/sh\ndocker build -t "app:${1:-x}" -f Dockerfile.build .\n./scripts/builder.sh\n',
    ),
  }));

/** A directory: a builder-pattern core (mostly present) plus odd extra files, each possibly damaged. */
const wildTree: fc.Arbitrary<Tree> = fc
  .record({
    build: fc.option(dockerfile, { freq: 8 }),
    runtime: fc.option(dockerfile, { freq: 8 }),
    script: fc.option(shellScript, { freq: 8 }),
    make: fc.option(makefile, { freq: 2 }),
    extra: fc.array(fc.tuple(fileName, fc.oneof(shellScript, dockerfile, makefile, fc.string({ maxLength: 40 }))), {
      maxLength: 3,
    }),
    damaged: fc.array(fc.tuple(fc.constantFrom('Dockerfile', 'Dockerfile.build', 'build.sh', 'Makefile'), damage), {
      maxLength: 2,
    }),
  })
  .map(({ build, runtime, script, make, extra, damaged }) => {
    const files: Tree = {};
    for (const [n, text] of extra) files[n] = enc.encode(text);
    if (build !== null) files['Dockerfile.build'] = enc.encode(build);
    if (runtime !== null) files['Dockerfile'] = enc.encode(runtime);
    if (script !== null) files['build.sh'] = enc.encode(script);
    if (make !== null) files['Makefile'] = enc.encode(make);
    for (const [n, hurt] of damaged) if (files[n]) files[n] = hurt(files[n]);
    return files;
  });

/** Valid-looking directories (a third, some damaged) and wild ones. */
/** A tree whose builder copies the runtime Dockerfile into the directory a stream carries to `docker build -`. */
const stdinCore: fc.Arbitrary<Tree> = fc
  .tuple(
    stdinSkeleton,
    fc.constantFrom('/out/Dockerfile', '/out/', '/out/etc/Dockerfile', 'Dockerfile', '/elsewhere/Dockerfile'),
    fc.constantFrom('', 'app\n', 'conf\n', '*\n!Dockerfile\n'),
    fc.constantFrom(
      'COPY app /app\n',
      'COPY . /srv/\n',
      'COPY out/app /app\n',
      'COPY conf /etc/conf\n',
      'ADD app.tar /\n',
    ),
  )
  .map(([script, into, ignore, copy]) =>
    Object.fromEntries(
      Object.entries({
        'build.sh': `#!/bin/sh\nset -e\n${script}\n`,
        'Dockerfile.build': `FROM busybox:latest\nWORKDIR /out\nCOPY Dockerfile.runtime ${into}\nRUN mkdir -p etc && echo > app\n`,
        'Dockerfile.runtime': `FROM busybox:latest\n${copy}`,
        'build/Dockerfile': `FROM busybox:latest\n${copy}`,
        'build/conf': 'x\n',
        ...(ignore ? { 'build/.dockerignore': ignore } : {}),
      }).map(([k, v]) => [k, enc.encode(v)]),
    ),
  );

export const tree: fc.Arbitrary<Tree> = fc.oneof(
  { weight: 2, arbitrary: wildTree },
  { weight: 1, arbitrary: validCore },
  { weight: 1, arbitrary: stdinCore },
  {
    weight: 1,
    arbitrary: fc
      .tuple(validCore, fc.constantFrom('Dockerfile', 'Dockerfile.build', 'build.sh'), damage)
      .map(([files, n, hurt]) => ({ ...files, [n]: hurt(files[n]) })),
  },
);

/**
 * Big inputs: a 10,000-line script, a 1 MB line, deep nesting of compound commands, command
 * substitutions and parentheses, long Dockerfiles.
 */
export const bigTree: fc.Arbitrary<Tree> = fc
  .tuple(fc.nat(7), fc.integer({ min: 200, max: 2000 }), shellScript, dockerfile)
  .map(([kind, depth, script, df]) => {
    const sample =
      'docker build -t app:build . -f Dockerfile.build\ndocker create --name extract app:build\ndocker cp extract:/app ./app\ndocker rm -f extract\ndocker build -t app .\n';
    const runtime = 'FROM scratch\nCOPY app /app\nCMD ["/app"]\n';
    const builder = 'FROM golang:1.7.3\nWORKDIR /app\nRUN go build -o app .\n';
    let text: string;
    switch (kind) {
      case 0:
        text = `#!/bin/sh\n${Array.from({ length: 10_000 }, (_, i) => (i % 5 === 0 ? (script.split('\n')[1] ?? 'true') : `echo line ${i}`)).join('\n')}\n${sample}`;
        break;
      case 1:
        text = `#!/bin/sh\necho ${'a'.repeat(1 << 20)}\n${sample}`;
        break;
      case 2:
        text = `#!/bin/sh\n${'if true; then\n'.repeat(depth)}${sample}${'fi\n'.repeat(depth)}`;
        break;
      case 3:
        text = `#!/bin/sh\nx=${'$('.repeat(depth)}echo${')'.repeat(depth)}\n${sample}`;
        break;
      case 4:
        text = `#!/bin/sh\n${'('.repeat(depth)}${sample}${')'.repeat(depth)}\n`;
        break;
      case 5:
        text = `#!/bin/sh\n${Array.from({ length: depth }, (_, i) => `f${i}() { f${i + 1} "$@"; }`).join('\n')}\nf${depth}() {\n${sample}}\nf0\n`;
        break;
      case 6:
        text = `#!/bin/sh\n${sample.repeat((depth % 20) + 1)}`;
        break;
      default:
        text = `#!/bin/sh\ndocker build -t app . ${Array.from({ length: depth }, (_, i) => `--build-arg A${i}="\${V${i}:-${i}}"`).join(' ')}\n${sample}`;
    }
    const files: Tree = {
      'build.sh': enc.encode(text),
      'Dockerfile.build': enc.encode(builder),
      Dockerfile: enc.encode(runtime),
    };
    if (kind === 6) files['Dockerfile'] = enc.encode(`FROM scratch\n${'COPY app /app\n'.repeat(1_000)}${df}`);
    if (kind === 1) files['Dockerfile.build'] = enc.encode(`FROM golang\nRUN echo ${'b'.repeat(1 << 20)}\n`);
    return files;
  });

/**
 * A pipeline spread over several files the ways repositories spread it, valid by construction: the
 * entry script at the root or in `ci/` (moving to the root first), its names from a sourced env file
 * (or exported), each step (builder build, extraction, runtime build) inline, in a shell function
 * (`local`, `shift`, `"$@"`) or in a sub-script it runs, optionally under a `case "$1"` dispatch,
 * optionally run by a Makefile target (`./ci/build.sh release`). `expected` is the migration's tag
 * and build arguments (what `make -n`/`sh -x` of the tree would give).
 */
export const multiScript: fc.Arbitrary<{ files: Tree; expected: { tag: string; buildArgs: string[]; make: boolean } }> =
  fc
    .record({
      ci: fc.boolean(),
      env: fc.constantFrom('inline', 'scripts/env.sh', 'ci/env.sh'),
      image: fc.constantFrom('acme/app', 'registry.local/team/tool', 'x'),
      version: fc.constantFrom('1.0', '2.3.4', 'latest'),
      builder: fc.constantFrom('inline', 'function', 'sub-script'),
      extract: fc.constantFrom('inline', 'function', 'sub-script'),
      runtime: fc.constantFrom('inline', 'function'),
      buildArg: fc.option(fc.constantFrom('MODE=release', 'LEVEL=2'), { nil: undefined }),
      cid: fc.boolean(),
      dispatch: fc.boolean(),
      make: fc.boolean(),
    })
    .map((o) => {
      const entry = o.ci ? 'ci/build.sh' : 'build.sh';
      const source = o.env === 'inline' ? [] : [`. ./${o.env}`];
      const envText = `IMAGE=${o.image}\nVERSION=${o.version}\n`;
      const head = [
        '#!/bin/sh',
        'set -e',
        ...(o.ci ? ['cd "$(dirname "$0")/.."'] : []),
        ...(o.env === 'inline' ? [`export IMAGE=${o.image}`, `export VERSION=${o.version}`] : source),
      ];
      const args = o.buildArg ? ` --build-arg ${o.buildArg}` : '';
      const buildLine = (tagWord: string, rest: string) =>
        `docker build -t "$IMAGE:${tagWord}"${rest} -f Dockerfile.build .`;
      const extractLines = o.cid
        ? ['cid=$(docker create "$IMAGE:build")', 'docker cp "$cid:/src/app" ./app', 'docker rm "$cid"']
        : ['docker create --name app-x "$IMAGE:build"', 'docker cp app-x:/src/app ./app', 'docker rm app-x'];
      const files: Tree = {};
      const functions: string[] = [];
      const steps: string[] = [];
      if (o.builder === 'inline') steps.push(buildLine('build', args));
      else if (o.builder === 'function') {
        functions.push('build_builder() {', '  local tag="$1"', '  shift', `  ${buildLine('$tag', ' "$@"')}`, '}');
        steps.push(`build_builder build${args}`);
      } else {
        files['scripts/builder.sh'] = enc.encode(
          ['#!/bin/sh', 'set -e', ...source, buildLine('build', args), ''].join('\n'),
        );
        steps.push('./scripts/builder.sh');
      }
      if (o.extract === 'inline') steps.push(...extractLines);
      else if (o.extract === 'function') {
        functions.push(
          'extract() {',
          '  local to="$1"',
          ...extractLines.map((l) => `  ${l.replace('./app', '"$to"')}`),
          '}',
        );
        steps.push('extract ./app');
      } else {
        files['scripts/extract.sh'] = enc.encode(['#!/bin/sh', 'set -e', ...source, ...extractLines, ''].join('\n'));
        steps.push('sh ./scripts/extract.sh');
      }
      if (o.runtime === 'inline') steps.push('docker build -t "$IMAGE:$VERSION" .');
      else {
        functions.push('build_runtime() {', '  docker build -t "$IMAGE:$1" .', '}');
        steps.push('build_runtime "$VERSION"');
      }
      steps.push('rm -f app');
      const body = o.dispatch
        ? [
            'case "$1" in',
            '  release)',
            ...steps.map((s) => `    ${s}`),
            '    ;;',
            '  clean)',
            '    rm -f app',
            '    ;;',
            '  *)',
            '    echo "usage: $0 release|clean" >&2',
            '    exit 1',
            '    ;;',
            'esac',
          ]
        : steps;
      files[entry] = enc.encode([...head, ...functions, ...body, ''].join('\n'));
      if (o.env !== 'inline') files[o.env] = enc.encode(envText);
      if (o.make)
        files['Makefile'] = enc.encode(
          ['.PHONY: all release', 'all:', '\t@echo "make release"', 'release:', `\t./${entry} release`, ''].join('\n'),
        );
      files['Dockerfile.build'] = enc.encode('FROM busybox:latest\nWORKDIR /src\nRUN echo hi > app && chmod 755 app\n');
      files['Dockerfile'] = enc.encode('FROM busybox:latest\nCOPY app /usr/bin/app\n');
      return {
        files,
        expected: { tag: `${o.image}:${o.version}`, buildArgs: o.buildArg ? [o.buildArg] : [], make: o.make },
      };
    });
