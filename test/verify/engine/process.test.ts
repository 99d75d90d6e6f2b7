/** The client-process layer, without an engine: `node -e` children stand in for the client. */
import { spawn } from 'node:child_process';
import test from 'ava';
import { AbortError, SpawnError } from '../../../src/verify/engine/engine.js';
import {
  BoundedBuffer,
  exec,
  killOnAbort,
  LineSplitter,
  streamStdout,
  Tail,
} from '../../../src/verify/engine/process.js';

const node = process.execPath;
const script = (code: string): string[] => ['-e', code];

test('exec resolves with the exit status, stdout and stderr, whatever the status', async (t) => {
  const ok = await exec(node, script('process.stdout.write("out"); process.stderr.write("err")'));
  t.like(ok, { exitCode: 0, signal: null, stdout: 'out', stderr: 'err', truncated: false });
  const failed = await exec(node, script('process.stderr.write("no such image"); process.exit(3)'));
  t.like(failed, { exitCode: 3, stderr: 'no such image' });
});

test('exec passes the argv as is, with no shell in between', async (t) => {
  const r = await exec(node, [...script('console.log(JSON.stringify(process.argv.slice(1)))'), '$HOME', 'a b', ';']);
  t.deepEqual(JSON.parse(r.stdout), ['$HOME', 'a b', ';']);
});

test('exec uses the environment it is given', async (t) => {
  const r = await exec(node, script('process.stdout.write(process.env.RESTAGE_PROBE ?? "unset")'), {
    env: { RESTAGE_PROBE: 'given' },
  });
  t.is(r.stdout, 'given');
});

test('output beyond the cap is dropped and marked truncated; lines still all reach onLine', async (t) => {
  const lines: string[] = [];
  const r = await exec(node, script('for (let i = 0; i < 100; i++) console.log("line " + i)'), {
    maxOutputBytes: 20,
    onLine: (line, stream) => lines.push(`${stream}:${line}`),
  });
  t.is(r.stdout, 'line 0\nline 1\nline 2');
  t.true(r.truncated);
  t.is(lines.length, 100);
  t.is(lines[99], 'stdout:line 99');
});

test('onLine gets both streams line by line, CRLF and an unterminated last line included', async (t) => {
  const lines: string[] = [];
  await exec(node, script('process.stdout.write("a\\r\\nb"); process.stderr.write("c\\n")'), {
    onLine: (line, stream) => lines.push(`${stream}:${line}`),
  });
  t.deepEqual(lines.sort(), ['stderr:c', 'stdout:a', 'stdout:b']);
});

test('a binary that cannot be started rejects with SpawnError saying so', async (t) => {
  const error = await t.throwsAsync(exec('/nonexistent/docker', ['version']), { instanceOf: SpawnError });
  t.is(error?.code, 'ENOENT');
  t.regex(error?.message ?? '', /\/nonexistent\/docker not found/);
});

test('an abort kills the child and rejects with AbortError once it has exited', async (t) => {
  const controller = new AbortController();
  const running = exec(node, script('console.log("up"); setInterval(() => {}, 1000)'), {
    signal: controller.signal,
    onLine: () => controller.abort(new Error('stop')),
  });
  const error = await t.throwsAsync(running, { instanceOf: AbortError });
  t.is(error?.code, 'ABORT_ERR');
  t.is((error?.cause as Error).message, 'stop');
});

test('a timeout signal ends a child that would run forever', async (t) => {
  const error = await t.throwsAsync(
    exec(node, script('setInterval(() => {}, 1000)'), { signal: AbortSignal.timeout(200) }),
  );
  t.true(error instanceof AbortError);
  t.is((error?.cause as Error).name, 'TimeoutError');
});

test('an already aborted signal starts nothing', async (t) => {
  const controller = new AbortController();
  controller.abort();
  await t.throwsAsync(exec('/nonexistent/docker', []), { instanceOf: SpawnError });
  await t.throwsAsync(exec('/nonexistent/docker', [], { signal: controller.signal }), { instanceOf: AbortError });
});

test('a child that ignores SIGTERM gets SIGKILL once the grace period is over', async (t) => {
  const child = spawn(
    node,
    script('process.on("SIGTERM", () => {}); console.log("ready"); setInterval(() => {}, 1000)'),
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  await new Promise((resolve) => child.stdout.once('data', resolve));
  const controller = new AbortController();
  const detach = killOnAbort(child, controller.signal, 100);
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  controller.abort();
  t.is(await exited, 'SIGKILL');
  detach();
});

test('streamStdout streams the output and ends when the child exits 0', async (t) => {
  const stream = await streamStdout(
    node,
    script('for (let i = 0; i < 5000; i++) process.stdout.write("x".repeat(100))'),
    {},
    () => new Error('unexpected'),
  );
  let bytes = 0;
  for await (const chunk of stream) bytes += (chunk as Buffer).length;
  t.is(bytes, 500_000);
});

test('streamStdout errors with the failure of a child that exits non-zero, after its output', async (t) => {
  const stream = await streamStdout(
    node,
    script('process.stdout.write("partial"); process.stderr.write("boom"); process.exit(2)'),
    {},
    (code, stderr) => new Error(`exit ${code}: ${stderr}`),
  );
  const chunks: Buffer[] = [];
  const error = await t.throwsAsync(async () => {
    for await (const chunk of stream) chunks.push(chunk as Buffer);
  });
  t.is(error?.message, 'exit 2: boom');
  t.is(Buffer.concat(chunks).toString(), 'partial');
});

test('destroying the stream stops the child; a missing binary rejects with SpawnError', async (t) => {
  const stream = await streamStdout(
    node,
    script('setInterval(() => process.stdout.write("x"), 10)'),
    {},
    () => new Error('failed'),
  );
  for await (const _chunk of stream) break;
  t.true(stream.destroyed);
  await t.throwsAsync(
    streamStdout('/nonexistent/docker', ['export'], {}, () => new Error('failed')),
    { instanceOf: SpawnError },
  );
});

test('streamStdout rejects an aborted signal and errors with AbortError when aborted midway', async (t) => {
  const done = new AbortController();
  done.abort();
  await t.throwsAsync(
    streamStdout(node, script(''), { signal: done.signal }, () => new Error('failed')),
    { instanceOf: AbortError },
  );
  const controller = new AbortController();
  const stream = await streamStdout(
    node,
    script('setInterval(() => process.stdout.write("x"), 10)'),
    { signal: controller.signal },
    () => new Error('failed'),
  );
  const error = await t.throwsAsync(async () => {
    for await (const _chunk of stream) controller.abort();
  });
  t.true(error instanceof AbortError);
});

test('BoundedBuffer keeps the first bytes, LineSplitter decodes UTF-8 split across chunks, Tail keeps the last', (t) => {
  const buffer = new BoundedBuffer(4);
  buffer.push(Buffer.from('ab'));
  buffer.push(Buffer.from('cdef'));
  t.is(buffer.text(), 'abcd');
  t.true(buffer.truncated);
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line));
  const euro = Buffer.from('€\n');
  splitter.push(euro.subarray(0, 1));
  splitter.push(euro.subarray(1));
  splitter.end();
  t.deepEqual(lines, ['€']);
  const tail = new Tail(2);
  for (const item of ['a', 'b', 'c']) tail.push(item);
  t.deepEqual(tail.lines(), ['b', 'c']);
});
