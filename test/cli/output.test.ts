/**
 * print() writes to the descriptor directly; on a non-blocking pipe that is full it hands the rest to
 * the stream, keeping the order, and a reader that went away drops the rest without an error.
 */
import test from 'ava';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, tempCopy } from '../helpers/fixtures.js';

const OUTPUT = path.join(ROOT, 'src', 'cli', 'output.ts');
const BIG = 1 << 20;

/** A node process that prints `chunks` through print(1, …), its stdout given as `stdout`. */
function printer(chunks: string, stdout: number | 'pipe') {
  const code = `const { print } = await import(${JSON.stringify(OUTPUT)}); for (const c of ${chunks}) print(1, c);`;
  return spawn(process.execPath, ['--import=tsx', '--input-type=module', '-e', code], {
    cwd: ROOT,
    stdio: ['ignore', stdout, 'pipe'],
  });
}

test('a full non-blocking pipe: the rest goes through the stream, all of it, in order', async (t) => {
  const dir = tempCopy();
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const fifo = path.join(dir, 'out');
  execFileSync('mkfifo', [fifo]);
  // Both ends non-blocking; the child shares the write end's description, so its writes can fail with EAGAIN.
  const reader = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const writer = fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
  const child = printer(`['a'.repeat(${BIG}), 'b'.repeat(10), 'c'.repeat(${BIG})]`, writer);
  fs.closeSync(writer);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const chunks: Buffer[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  // The pipe holds far less than a megabyte: read only once the child has had to wait.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  for (let done = false; !done;) {
    const buffer = Buffer.alloc(1 << 16);
    try {
      const n = fs.readSync(reader, buffer);
      if (n === 0) done = true;
      else chunks.push(buffer.subarray(0, n));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  fs.closeSync(reader);
  t.is(await exited, 0, stderr);
  const text = Buffer.concat(chunks).toString();
  t.is(text.length, 2 * BIG + 10);
  t.is(text, `${'a'.repeat(BIG)}${'b'.repeat(10)}${'c'.repeat(BIG)}`);
});

/** Runs `pipeline` in bash, `PRINT` standing for a node process that runs `body` with print() in scope. */
function shell(body: string, pipeline: string) {
  const node = `"${process.execPath}" --import=tsx --input-type=module -e 'const { print } = await import(${JSON.stringify(OUTPUT)}); ${body}'`;
  return spawnSync('bash', ['-c', `${pipeline.replace('PRINT', node)}; echo "exit \${PIPESTATUS[0]}"`], {
    cwd: ROOT,
    encoding: 'utf8',
  });
}

for (const [what, pipeline] of <const>[
  ['while printing (`| head -c 1`)', 'PRINT | head -c 1 >/dev/null'],
  ['before the first write', '{ sleep 1; PRINT; } | true'],
]) {
  test(`a reader that went away ${what}: the rest is dropped, exit 0, stderr still written`, (t) => {
    const r = shell('for (let i = 0; i < 64; i++) print(1, "x".repeat(65536) + "\\n"); print(2, "done\\n");', pipeline);
    t.is(r.stdout, 'exit 0\n', r.stderr);
    t.is(r.stderr, 'done\n');
  });
}
