/**
 * The shim's process around the rewriting: the real client runs with the rewritten words and the
 * script sees its exit status; each call lands in the trace; a build's image id is read from the
 * --iidfile the shim adds; a skipped call runs nothing and succeeds. The "real client" here is a
 * shell script that records its arguments.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { shimFiles, shimMain, type ShimConfig } from '../../../../src/verify/legacy/shim/entry.js';
import { readTrace } from '../../../../src/verify/legacy/trace.js';

function setup(exitCode: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-shim-test-'));
  const client = path.join(dir, 'fake-docker');
  // Records its words; for a build, writes an image id into the --iidfile it was given.
  fs.writeFileSync(
    client,
    `#!/bin/sh\nprintf '%s\\n' "$@" > ${dir}/argv\nwhile [ $# -gt 0 ]; do case "$1" in --iidfile=*) echo sha256:abc > "\${1#--iidfile=}" ;; esac; shift; done\nexit ${exitCode}\n`,
    { mode: 0o755 },
  );
  const config: ShimConfig = {
    runId: 'restage-test1',
    label: 'restage.session',
    repo: dir,
    copy: dir,
    network: 'none',
    imageMap: [],
    scratchDir: path.join(dir, 'dockerfiles'),
    clients: { docker: [client], podman: [client] },
    env: {},
  };
  fs.writeFileSync(shimFiles(dir).config, JSON.stringify(config));
  const argv = () => fs.readFileSync(path.join(dir, 'argv'), 'utf8').trim().split('\n');
  return { dir, argv, env: { ...process.env, RESTAGE_SHIM_DIR: dir } };
}

test.serial(
  'a build runs the real client with an --iidfile after the verb; the trace holds the call and its image',
  async (t) => {
    const { dir, argv, env } = setup(0);
    t.is(await shimMain(['docker', 'build', '-t', 'app:1', '.'], env), 0);
    const ran = argv();
    t.is(ran[0], 'build');
    t.true(ran.some((w) => w.startsWith(`--iidfile=${dir}/iid-`)));
    const [call] = readTrace(shimFiles(dir).trace);
    t.deepEqual(call!.argv, ['build', '-t', 'app:1', '.']);
    t.is(call!.outcome, 'run');
    t.is(call!.exitCode, 0);
    t.is(call!.image, 'sha256:abc');
    t.is(call!.ran![0], path.join(dir, 'fake-docker'));
    fs.rmSync(dir, { recursive: true });
  },
);

test.serial("the client's exit status is the script's", async (t) => {
  const { dir, env } = setup(3);
  t.is(await shimMain(['docker', 'version'], env), 3);
  t.is(readTrace(shimFiles(dir).trace)[0]!.exitCode, 3);
  fs.rmSync(dir, { recursive: true });
});

test.serial('a skipped call (push) runs nothing, succeeds, and is traced with its note', async (t) => {
  const { dir, env } = setup(0);
  t.is(await shimMain(['docker', 'push', 'app:1'], env), 0);
  t.false(fs.existsSync(path.join(dir, 'argv')));
  const [call] = readTrace(shimFiles(dir).trace);
  t.is(call!.outcome, 'skip');
  t.is(call!.ran, null);
  t.true(call!.notes.length > 0);
  fs.rmSync(dir, { recursive: true });
});

test.serial('outside a verify run (no RESTAGE_SHIM_DIR) the shim refuses with 125', async (t) => {
  const env = { ...process.env };
  delete env.RESTAGE_SHIM_DIR;
  t.is(await shimMain(['docker', 'version'], env), 125);
});

test.serial('a call that is not a build gets no --iidfile and traces no image', async (t) => {
  const { dir, argv, env } = setup(0);
  t.is(await shimMain(['docker', 'version'], env), 0);
  t.false(argv().some((w) => w.startsWith('--iidfile')));
  t.is(readTrace(shimFiles(dir).trace)[0]!.image, undefined);
  fs.rmSync(dir, { recursive: true });
});
