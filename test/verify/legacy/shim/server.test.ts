/**
 * The shim's server and its per-call sh script, end to end without an engine: the server runs a
 * shell command whose `docker` is the real sh shim (real FIFOs, in a temp directory), and the
 * "real client" is a sh script that records its words (NUL-separated, in FAKE_OUT.argv), copies
 * its stdin when a word is `-`, writes an image id into the --iidfile it gets, prints an id for
 * `create`, FAKE_PRINT on stdout and FAKE_PRINT_ERR on stderr when set (a tar stream, a build log), and
 * exits with FAKE_RC.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { shimFiles, type ShimConfig } from '../../../../src/verify/legacy/shim/calls.js';
import { clientScript } from '../../../../src/verify/legacy/shim/client-script.js';
import { serve } from '../../../../src/verify/legacy/shim/server.js';
import type { ShimState } from '../../../../src/verify/legacy/shim/rewrite.js';
import { readTrace } from '../../../../src/verify/legacy/trace.js';

const ID = '0123456789abcdef0123456789abcdef';
const FAKE = `#!/bin/sh
[ $# -eq 0 ] || printf '%s\\0' "$@" >"$FAKE_DIR/\${FAKE_OUT:-call}.argv"
[ $# -gt 0 ] || : >"$FAKE_DIR/\${FAKE_OUT:-call}.argv"
for w; do
  case $w in
    --iidfile=*) echo sha256:abc >"\${w#--iidfile=}" ;;
    -) cat >"$FAKE_DIR/\${FAKE_OUT:-call}.stdin" ;;
  esac
done
[ "$1" != create ] || echo ${ID}
[ -z "$FAKE_PRINT" ] || printf '%s' "$FAKE_PRINT"
[ -z "$FAKE_PRINT_ERR" ] || printf '%s' "$FAKE_PRINT_ERR" >&2
exit \${FAKE_RC:-0}
`;

function setup(t: ExecutionContext) {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'restage-shim-test-')));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const fake = path.join(dir, 'fake-docker');
  fs.writeFileSync(fake, FAKE, { mode: 0o755 });
  const config: ShimConfig = {
    runId: 'restage-test1',
    label: 'restage.session',
    repo: dir,
    copy: dir,
    network: 'none',
    imageMap: [],
    scratchDir: path.join(dir, 'dockerfiles'),
    clients: { docker: [fake], podman: [fake] },
    env: { DOCKER_BUILDKIT: '0' },
  };
  fs.writeFileSync(shimFiles(dir).config, JSON.stringify(config));
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.writeFileSync(path.join(dir, 'bin', 'docker'), clientScript(dir, 'docker'), { mode: 0o755 });
  /** Runs `script` (sh) under the server, with the shim first on PATH, in `dir`. */
  const run = (script: string) =>
    serve(dir, ['sh', '-c', `cd "$FAKE_DIR" || exit 99\nPATH="$FAKE_DIR/bin:$PATH"\n${script}`]);
  process.env.FAKE_DIR = dir;
  const words = (name: string) =>
    fs
      .readFileSync(path.join(dir, `${name}.argv`), 'utf8')
      .split('\0')
      .slice(0, -1);
  const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
  const trace = () => readTrace(shimFiles(dir).trace);
  const state = () => JSON.parse(read('state.json')) as ShimState;
  /** The call directories left: each is removed once its call is done. */
  const callsLeft = () => fs.readdirSync(path.join(dir, 'calls'));
  return { dir, fake, run, words, read, trace, state, callsLeft };
}

test.serial('words with spaces, quotes, newlines, $ and empty words reach the real client unchanged', async (t) => {
  const s = setup(t);
  const odd = ['a b', "it's", 'say "hi"', 'x\ny', '$HOME', '', '\\', '*'];
  const quoted = odd.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
  t.is(await s.run(`docker version ${quoted}`), 0);
  t.deepEqual(s.words('call'), ['version', ...odd]);
  const [call] = s.trace();
  t.deepEqual(call!.argv, ['version', ...odd]);
  t.deepEqual(call!.ran, [s.fake, 'version', ...odd]);
  t.is(call!.cwd, s.dir);
  t.is(call!.outcome, 'run');
  t.is(typeof call!.ms, 'number');
  t.deepEqual(s.callsLeft(), []);
});

test.serial('a call with no words is no call with one empty word', async (t) => {
  const s = setup(t);
  t.is(await s.run('docker'), 0);
  t.deepEqual(s.words('call'), []);
  t.deepEqual(s.trace()[0]!.argv, []);
});

test.serial("the real client's exit status is the call's; the command's is the server's", async (t) => {
  const s = setup(t);
  t.is(await s.run('FAKE_RC=3 docker version; echo $? > rc; exit 4'), 4);
  t.is(s.read('rc'), '3\n');
  t.is(s.trace()[0]!.exitCode, 3);
});

test.serial('a command killed by a signal is status 128+N', async (t) => {
  const s = setup(t);
  t.is(await s.run('kill -TERM $$'), 143);
});

test.serial("the client's environment gets the config's variables where the script gives none", async (t) => {
  const s = setup(t);
  fs.writeFileSync(s.fake, `#!/bin/sh\necho "$DOCKER_BUILDKIT" >> "$FAKE_DIR/env"\n`);
  t.is(await s.run('docker version'), 0);
  t.is(s.read('env'), '0\n');
});

// The script's own DOCKER_BUILDKIT=1 (a COPY --chmod needs BuildKit) reaches the real client, as on
// the user's machine: forcing the session's builder failed golden chown-chmod-kept's legacy run.
test.serial("the script's own value (a prefix, an export) wins over the config's", async (t) => {
  const s = setup(t);
  fs.writeFileSync(s.fake, `#!/bin/sh\necho "$DOCKER_BUILDKIT" >> "$FAKE_DIR/env"\n`);
  t.is(await s.run('DOCKER_BUILDKIT=1 docker version && export DOCKER_BUILDKIT=true && docker version'), 0);
  t.is(s.read('env'), '1\ntrue\n');
});

test.serial('a skipped call (push) runs nothing, succeeds, and is traced with its note', async (t) => {
  const s = setup(t);
  t.is(await s.run('docker push app:1 > out; echo $? > rc'), 0);
  t.is(s.read('rc'), '0\n');
  t.false(fs.existsSync(path.join(s.dir, 'call.argv')));
  const [call] = s.trace();
  t.is(call!.outcome, 'skip');
  t.is(call!.ran, null);
  t.is(call!.exitCode, 0);
  t.true(call!.notes.length > 0);
  t.deepEqual(s.callsLeft(), []);
});

test.serial('a refused call runs nothing, exits 125 and says why on stderr', async (t) => {
  const s = setup(t);
  t.is(await s.run('docker -H tcp://elsewhere:2375 version 2> err; echo $? > rc'), 0);
  t.is(s.read('rc'), '125\n');
  t.regex(s.read('err'), /^restage verify: refused `docker -H tcp:\/\/elsewhere:2375 version`: .*another one/);
  t.false(fs.existsSync(path.join(s.dir, 'call.argv')));
  const [call] = s.trace();
  t.is(call!.outcome, 'refuse');
  t.is(call!.exitCode, 125);
  t.deepEqual(s.callsLeft(), []);
});

test.serial('two calls side by side are both run and traced', async (t) => {
  const s = setup(t);
  t.is(await s.run('FAKE_OUT=a docker version a & FAKE_OUT=b docker version b & wait'), 0);
  t.deepEqual(s.words('a'), ['version', 'a']);
  t.deepEqual(s.words('b'), ['version', 'b']);
  t.deepEqual(
    s
      .trace()
      .map((c) => c.argv[1])
      .sort(),
    ['a', 'b'],
  );
  t.deepEqual(s.callsLeft(), []);
});

test.serial('a build records its tag in the state and its image id (from --iidfile) in the trace', async (t) => {
  const s = setup(t);
  t.is(await s.run('docker build -t app:1 .'), 0);
  const ran = s.words('call');
  t.is(ran[0], 'build');
  t.true(ran.some((w) => w.startsWith('--iidfile=')));
  t.is(s.trace()[0]!.image, 'sha256:abc');
  t.deepEqual(Object.keys(s.state().images), ['docker.io/library/app:1']);
});

test.serial('`build -` gets its Dockerfile from the call, rewritten to the run’s own base image', async (t) => {
  const s = setup(t);
  const script = `docker build -t base:1 . && printf 'FROM base:1\\nRUN true\\n' | FAKE_OUT=b docker build -t app:1 -`;
  t.is(await s.run(script), 0);
  t.is(s.read('b.stdin'), 'FROM restage-test1/docker.io/library/base:1\nRUN true\n');
  t.true(s.words('b').includes('-'));
  t.is(s.trace().length, 2);
  t.deepEqual(s.callsLeft(), []);
});

test.serial("a call whose rewriting reads no stdin leaves the script's stdin alone", async (t) => {
  const s = setup(t);
  t.is(await s.run(`printf hello | { docker version; cat > rest; }`), 0);
  t.is(s.read('rest'), 'hello');
});

test.serial('a tar stream on the client output reaches the pipe: docker cp C:/p - and a run of tar -c', async (t) => {
  const s = setup(t);
  const script = [
    'docker create --name extract busybox > /dev/null',
    'FAKE_OUT=cp FAKE_PRINT=cp-stream docker cp extract:/app/dist - < /dev/null | cat > from-cp',
    'FAKE_OUT=run FAKE_PRINT=run-stream docker run --rm busybox tar -c -C /app . | cat > from-run',
  ].join('\n');
  t.is(await s.run(script), 0);
  t.is(s.read('from-cp'), 'cp-stream');
  t.is(s.read('from-run'), 'run-stream');
  t.deepEqual(s.words('cp'), ['cp', 'restage-test1_extract:/app/dist', '-']);
  t.deepEqual(s.words('run').slice(-5), ['tar', '-c', '-C', '/app', '.']);
  t.deepEqual(s.callsLeft(), []);
});

test.serial('create: the printed id reaches the script and is recorded in the state', async (t) => {
  const s = setup(t);
  t.is(await s.run('docker create busybox > id'), 0);
  t.is(s.read('id'), `${ID}\n`);
  t.deepEqual(s.state().ids, [ID]);
  t.deepEqual(s.callsLeft(), []);
});

test.serial('a malformed request is dropped; the calls after it are answered', async (t) => {
  const s = setup(t);
  t.is(await s.run(`echo 'call docker /etc' > requests && echo nonsense > requests && docker version`), 0);
  t.is(s.trace().length, 1);
});

test.serial("a script's `kill 0` reaches its own process group, not the server", async (t) => {
  const s = setup(t);
  // The server in a process (and group) of its own: were it in the script's group, `kill 0` would end it.
  const cli = path.resolve('src/cli/shim.ts');
  const script = `cd "$FAKE_DIR"; PATH="$FAKE_DIR/bin:$PATH"; trap '' TERM; docker version; kill -TERM 0; exit 3`;
  const server = spawn(process.execPath, ['--import=tsx', cli, 'serve', s.dir, '--', 'sh', '-c', script], {
    stdio: 'ignore',
    detached: true,
  });
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
    server.on('exit', (c, sig) => resolve([c, sig])),
  );
  t.deepEqual([code, signal], [3, null]);
  t.is(s.trace().length, 1);
});

test.serial(
  'a failed classic build: its output reaches the script unchanged, and its step images are kept for cleanup',
  async (t) => {
    const s = setup(t);
    // What the classic builder printed for a build that failed at its third step (docker 20.10).
    const log =
      'Sending build context to Docker daemon  2.048kB\r\r\nStep 1/3 : FROM testbase/busybox:latest\n ---> 06023bf1d195\nStep 2/3 : COPY app /app\n ---> aeb39d40ee2c\nStep 3/3 : RUN false\n ---> Running in 9f8863f1baf5\n';
    const error = "The command '/bin/sh -c false' returned a non-zero code: 1\n";
    process.env.FAKE_PRINT = log;
    process.env.FAKE_PRINT_ERR = error;
    process.env.FAKE_RC = '1';
    t.teardown(() => {
      delete process.env.FAKE_PRINT;
      delete process.env.FAKE_PRINT_ERR;
      delete process.env.FAKE_RC;
    });
    t.is(await s.run('docker build -t app . >out.txt 2>err.txt; echo $? >rc'), 0);
    t.is(s.read('out.txt'), log);
    t.is(s.read('err.txt'), error);
    t.is(s.read('rc'), '1\n');
    // The FROM step's id is the base image, never the run's to remove.
    t.deepEqual(s.state().intermediates, ['aeb39d40ee2c']);
    t.deepEqual(s.callsLeft(), []);
  },
);
