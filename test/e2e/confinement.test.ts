/**
 * verify writes only inside its own scratch area (issue 7 §1), on the real engine: for each shape
 * of script that reaches outside the analysed directory, the trees of the repository, a sibling
 * directory, a sentinel under the temp dir and one under $HOME hash the same (every file's
 * content and mode, every directory's listing, every link's target) before and after
 * `restage verify` — whatever the verdict, after a failed build and after SIGINT mid-build too.
 * And a host `chmod` before the runtime build is carried on both sides (§2).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, ROOT } from '../helpers/fixtures.js';
import { client, e2eTest, unavailable } from './helpers/engine.js';
import { BUILDER, EXTRACT, RUNTIME, rmFirst, script, tmpOut, UNRESOLVED_RM, workspace } from './helpers/workspace.js';

const IMAGE_MAP = ['--image-map', 'busybox=testbase/busybox:latest'];
const e2e = e2eTest(await unavailable(['testbase/busybox:latest']));
const env = { ...process.env, ...(client ? { RESTAGE_DOCKER: client } : {}) };

interface Verdict {
  code: number | null;
  status: string;
  diagnostics: { code: string; line: number; message: string }[];
  differences: { aspect: string; message: string }[];
}

function verify(dir: string, args: string[] = [], extraEnv: Record<string, string> = {}): Verdict {
  const r = spawnSync(process.execPath, [BIN, 'verify', dir, ...IMAGE_MAP, '--json', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...env, ...extraEnv },
  });
  try {
    const json = JSON.parse(r.stdout) as Omit<Verdict, 'code'>;
    return { code: r.status, status: json.status, diagnostics: json.diagnostics, differences: json.differences };
  } catch {
    throw new Error(`verify printed no JSON (exit ${r.status}): ${r.stdout}\n${r.stderr}`);
  }
}

/** A script in ci/ that cds to the repository root and writes there (its tracked root Dockerfile is rewritten by a careless replay). */
const subdir = () => ({
  Dockerfile: RUNTIME,
  'ci/Dockerfile.build': BUILDER,
  'ci/build.sh': script(
    'cd "$(dirname "$0")/.."',
    'docker build -t confine:build -f ci/Dockerfile.build .',
    ...EXTRACT('./app'),
    'docker build -t confine:1 .',
    'rm -f app',
  ),
});

e2e(
  'a script in ci/ that cds above itself and builds there: refused, located (RS120, exit 2), and the tracked root Dockerfile and every other tree unchanged',
  async (t) => {
    const w = workspace(t, subdir);
    const before = w.snapshot();
    const r = verify(path.join(w.repo, 'ci'));
    t.is(r.code, 2, JSON.stringify(r));
    t.is(r.status, 'bad-input');
    t.like(
      r.diagnostics.find((d) => d.code === 'RS120'),
      { line: 4 },
    );
    t.deepEqual(w.snapshot(), before);
  },
);

e2e('an output directory under the temp dir emptied with rm -rf: the real one is never touched', async (t) => {
  const w = workspace(t, tmpOut);
  const before = w.snapshot();
  const r = verify(w.repo);
  t.is(r.status, 'equivalent', JSON.stringify(r));
  t.deepEqual(w.snapshot(), before);
});

for (const [name, line] of UNRESOLVED_RM) {
  e2e(`rm -rf through ${name} is refused before anything runs (exit 2, located), and nothing changes`, async (t) => {
    const w = workspace(t, (x) => rmFirst(line(x)));
    const before = w.snapshot();
    const r = verify(w.repo, ['--legacy=replay']);
    t.is(r.code, 2, JSON.stringify(r));
    t.is(r.status, 'bad-input');
    t.like(
      r.diagnostics.find((d) => d.code === 'RS310'),
      { line: 3 },
    );
    t.deepEqual(w.snapshot(), before);
    // Run for real, the rm reaches only the sandbox's empty $HOME and private /tmp: verify judges.
    const run = verify(w.repo, ['--legacy=run']);
    t.is(run.status, 'equivalent', JSON.stringify(run));
    t.deepEqual(w.snapshot(), before);
  });
}

e2e('a failed build leaves every tree as it was (replayed: an engine failure; run: the pipeline failed)', async (t) => {
  const w = workspace(t, (x) => ({ ...tmpOut(x), 'Dockerfile.build': 'FROM busybox:latest\nRUN false\n' }));
  const before = w.snapshot();
  const replayed = verify(w.repo, ['--legacy=replay']);
  t.is(replayed.code, 3, JSON.stringify(replayed));
  t.deepEqual(w.snapshot(), before);
  const run = verify(w.repo, ['--legacy=run']);
  t.is(run.code, 2, JSON.stringify(run));
  t.is(run.status, 'legacy-not-reproduced');
  t.truthy(run.diagnostics.find((d) => d.code === 'RS705'));
  t.deepEqual(w.snapshot(), before);
});

e2e('SIGINT mid-build leaves every tree as it was', async (t) => {
  const w = workspace(t, (x) => ({
    ...tmpOut(x),
    Dockerfile: 'FROM busybox:latest\nRUN sleep 5\nCOPY app /usr/local/bin/app\n',
  }));
  const before = w.snapshot();
  // The replay's steps are the points of interest here; test/e2e/legacy-run.test.ts interrupts a real run.
  const child = spawn(process.execPath, [BIN, 'verify', w.repo, ...IMAGE_MAP, '--legacy=replay'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const interrupted = new Promise<void>((resolve) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      // The builder is built and the artifact copied out: the runtime build (RUN sleep) is under way.
      if (/legacy: docker cp .*: done/.test(stderr) && !child.killed) {
        setTimeout(() => child.kill('SIGINT'), 1500);
        resolve();
      }
    });
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  await interrupted;
  t.is(await exited, 130, stderr);
  t.deepEqual(w.snapshot(), before);
});

const chmodMv = () => ({
  Dockerfile: 'FROM busybox:latest\nCOPY bin/tool /usr/local/bin/tool\nCMD ["/usr/local/bin/tool"]\n',
  'Dockerfile.build': BUILDER,
  'build.sh': script(
    'docker build -t confine:build -f Dockerfile.build .',
    ...EXTRACT('./app'),
    'chmod 750 app && mkdir -p bin && mv app bin/tool',
    'docker build -t confine:1 .',
    'rm -rf bin',
  ),
});

for (const backend of ['buildkit', 'classic'] as const) {
  e2e(`chmod 750 + mv before the runtime build verifies equivalent (${backend})`, async (t) => {
    const w = workspace(t, chmodMv);
    const before = w.snapshot();
    const r = verify(w.repo, ['--backend', backend]);
    t.is(r.status, 'equivalent', JSON.stringify(r));
    t.deepEqual(w.snapshot(), before);
  });
}

e2e('a hand migration that drops the chmod is different: 0644 against 0750', async (t) => {
  const w = workspace(t, chmodMv);
  const wrong = path.join(w.sibling, 'Dockerfile.wrong');
  fs.writeFileSync(
    wrong,
    `${BUILDER.replace('FROM busybox:latest', 'FROM busybox:latest AS builder')}\nFROM busybox:latest\nCOPY --from=builder /src/app /usr/local/bin/tool\nCMD ["/usr/local/bin/tool"]\n`,
  );
  const before = w.snapshot();
  const r = verify(w.repo, ['--dockerfile', wrong]);
  t.is(r.status, 'different', JSON.stringify(r));
  t.true(
    r.differences.some(
      (d) => /usr\/local\/bin\/tool/.test(d.message) && /0?644/.test(d.message) && /0?750/.test(d.message),
    ),
    JSON.stringify(r.differences),
  );
  t.deepEqual(w.snapshot(), before);
});

for (const backend of ['buildkit', 'classic'] as const) {
  e2e(
    `docker cp -L is replayed as such: the legacy image gets the link's target, as COPY --from does (${backend})`,
    async (t) => {
      const w = workspace(t, () => ({
        Dockerfile: RUNTIME,
        'Dockerfile.build': 'FROM busybox:latest\nWORKDIR /src\nRUN echo tool-1.0 > app-1.0 && ln -s app-1.0 app\n',
        'build.sh': script(
          'docker build -t confine:build -f Dockerfile.build .',
          'docker create --name confine-x confine:build',
          'docker cp -L confine-x:/src/app ./app',
          'docker rm -f confine-x',
          'docker build -t confine:1 .',
          'rm -f app',
        ),
      }));
      const before = w.snapshot();
      const r = verify(w.repo, ['--backend', backend]);
      t.is(r.status, 'equivalent', JSON.stringify(r));
      t.deepEqual(w.snapshot(), before);
    },
  );
}
