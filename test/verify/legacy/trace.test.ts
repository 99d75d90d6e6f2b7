/** The trace file: one JSON line per call; a line cut short by a killed shim is left out. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { callText, readTrace, type TraceCall } from '../../../src/verify/legacy/trace.js';

const call: TraceCall = {
  client: 'docker',
  argv: ['build', '-t', 'my app', '.'],
  ran: ['/usr/bin/docker', 'build', '-t', 'restage-1/my-app', '.'],
  cwd: '/p',
  outcome: 'run',
  exitCode: 0,
  ms: 12,
  notes: [],
};

test('records are read back in order, and a partial last line is dropped', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-trace-test-'));
  const file = path.join(dir, 'trace.jsonl');
  fs.writeFileSync(file, `${JSON.stringify(call)}\n${JSON.stringify({ ...call, exitCode: 1 })}\n{"client":"dock`);
  t.deepEqual(
    readTrace(file).map((c) => c.exitCode),
    [0, 1],
  );
  t.deepEqual(readTrace(path.join(dir, 'missing')), []);
  fs.rmSync(dir, { recursive: true });
});

test('a call is shown as the script wrote it, quoted for a shell', (t) => {
  t.is(callText(call), "docker build -t 'my app' .");
});
