/**
 * verify runs the real legacy pipeline in bubblewrap (issue 9), on the real engine: a Makefile
 * pipeline judged against a hand-written multi-stage file and a mutant of it; a bind-mount
 * extraction; a runtime Dockerfile FROM ${BASE} naming the script's own builder; a script that
 * pushes, logs in and prunes (none executed); a script that writes above the repository, to /tmp
 * and to $HOME (nothing of the user's changes); a script the analysis
 * misreads on purpose (the trace check says where); SIGINT during the run (nothing left). Every
 * case also checks that the repository, a directory beside it and sentinels under the temp dir and
 * $HOME hash the same before and after.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, ROOT } from '../helpers/fixtures.js';
import { client, e2eTest, unavailable } from './helpers/engine.js';
import { BUILDER, RUNTIME, script, workspace } from './helpers/workspace.js';
import { runLeftovers as leftovers } from './helpers/verify-run.js';

const IMAGE_MAP = ['--image-map', 'busybox=testbase/busybox:latest'];
const e2e = e2eTest(await unavailable(['testbase/busybox:latest']));
const env = { ...process.env, ...(client ? { RESTAGE_DOCKER: client } : {}) };
const docker = client ?? 'docker';

interface TraceCall {
  argv: string[];
  outcome: 'run' | 'skip' | 'refuse';
  notes: string[];
}
interface Verdict {
  code: number | null;
  status: string;
  session: string | null;
  legacy: { mode: string; trace: TraceCall[]; reason: string | null } | null;
  diagnostics: { code: string; file: string; line: number; message: string }[];
  differences: { aspect: string; message: string }[];
  failure: { step: string; message: string; logTail: string[] } | null;
}

function verify(dir: string, args: string[]): Verdict {
  const r = spawnSync(process.execPath, [BIN, 'verify', dir, ...IMAGE_MAP, '--json', '--legacy=run', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env,
  });
  try {
    return { code: r.status, ...(JSON.parse(r.stdout) as Omit<Verdict, 'code'>) };
  } catch {
    throw new Error(`verify printed no JSON (exit ${r.status}): ${r.stdout}\n${r.stderr}`);
  }
}

const MULTI = (marker: string) =>
  `FROM busybox:latest AS builder\nWORKDIR /src\nRUN printf '#!/bin/sh\\necho tool ${marker}\\n' > app && chmod 644 app\n\nFROM busybox:latest\nCOPY --from=builder /src/app /usr/local/bin/app\nCMD ["cat", "/usr/local/bin/app"]\n`;

const makefile = () => ({
  Dockerfile: RUNTIME,
  'Dockerfile.build': BUILDER,
  'Dockerfile.multi': MULTI('ok'),
  'Dockerfile.mutant': MULTI('changed'),
  Makefile: [
    'image:',
    '\tdocker build -t mk:build -f Dockerfile.build .',
    '\tdocker create --name mk-x mk:build',
    '\tdocker cp mk-x:/src/app ./app',
    '\tdocker rm -f mk-x',
    '\tdocker build -t mk:1 .',
    '',
  ].join('\n'),
});

e2e(
  'a Makefile pipeline, run for real: its hand-written multi-stage file is equivalent, a mutant is not',
  async (t) => {
    const w = workspace(t, makefile);
    const before = w.snapshot();
    const same = verify(w.repo, ['--legacy-cmd', 'make image', '--dockerfile', path.join(w.repo, 'Dockerfile.multi')]);
    t.is(same.status, 'equivalent', JSON.stringify(same));
    t.is(same.code, 0);
    t.is(same.legacy?.mode, 'run');
    t.deepEqual(
      same.legacy?.trace.map((c) => c.argv[0]),
      ['build', 'create', 'cp', 'rm', 'build'],
    );
    t.deepEqual(leftovers(same.session!), []);
    const mutant = verify(w.repo, [
      '--legacy-cmd',
      'make image',
      '--dockerfile',
      path.join(w.repo, 'Dockerfile.mutant'),
    ]);
    t.is(mutant.status, 'different', JSON.stringify(mutant));
    t.is(mutant.code, 1);
    t.true(mutant.differences.some((d) => d.aspect === 'files'));
    t.deepEqual(w.snapshot(), before);
  },
);

e2e(
  'a Makefile pipeline restage declines (RS360), whose runtime is FROM an image it builds first, is run, not refused; a Dockerfile it never builds naming an absent image is a warning',
  async (t) => {
    const w = workspace(t, () => ({
      'Dockerfile.base': 'FROM busybox:latest\nLABEL tier=base\n',
      'Dockerfile.build': BUILDER,
      Dockerfile: RUNTIME.replace('FROM busybox:latest', 'FROM mkc:base'),
      'Dockerfile.old': 'FROM restage-test/no-such-old:1\n',
      'Dockerfile.multi': MULTI('ok').replace(/\nFROM busybox:latest\n/, '\nFROM busybox:latest\nLABEL tier=base\n'),
      Makefile: [
        // restage does not evaluate $(shell …) (RS360): verify runs the pipeline without an analysis.
        'VERSION := $(shell echo dev)',
        'image:',
        '\t@echo building $(VERSION)',
        '\tdocker build -t mkc:base -f Dockerfile.base .',
        '\tdocker build -t mkc:build -f Dockerfile.build .',
        '\tdocker create --name mkc-x mkc:build',
        '\tdocker cp mkc-x:/src/app ./app',
        '\tdocker rm -f mkc-x',
        '\tdocker build -t mkc:1 .',
        '',
      ].join('\n'),
    }));
    const r = verify(w.repo, ['--legacy-cmd', 'make image', '--dockerfile', path.join(w.repo, 'Dockerfile.multi')]);
    t.is(r.status, 'equivalent', JSON.stringify(r));
    t.deepEqual(
      r.diagnostics.filter((d) => d.code === 'RS701' || d.code === 'RS709').map((d) => [d.code, path.basename(d.file)]),
      [['RS709', 'Dockerfile.old']],
    );
    t.deepEqual(leftovers(r.session!), []);
  },
);

e2e(
  'a bind-mount extraction (docker run -v "$PWD/out:/out") writes into the copy, never the user\'s tree; its named volume is removed',
  async (t) => {
    const w = workspace(t, () => ({
      Dockerfile: RUNTIME,
      'Dockerfile.build': BUILDER,
      'Dockerfile.multi': MULTI('ok'),
      'build.sh': script(
        'docker build -t bm:build -f Dockerfile.build .',
        'mkdir -p out',
        'docker run --rm -v "$PWD/out:/out" -v bmcache:/cache bm:build cp /src/app /out/app',
        'cp out/app ./app',
        'docker build -t bm:1 .',
      ),
    }));
    const before = w.snapshot();
    const r = verify(w.repo, ['--dockerfile', path.join(w.repo, 'Dockerfile.multi')]);
    t.is(r.status, 'equivalent', JSON.stringify(r));
    t.false(fs.existsSync(path.join(w.repo, 'out')));
    t.deepEqual(w.snapshot(), before);
    t.deepEqual(leftovers(r.session!), []);
  },
);

e2e(
  'a runtime Dockerfile FROM ${BASE} (ARG BASE=myorg/builder) builds on the image the script built, not a pulled one',
  async (t) => {
    const w = workspace(t, () => ({
      Dockerfile: 'ARG BASE=myorg/builder\nFROM ${BASE}\nCMD ["cat", "/src/app"]\n',
      'Dockerfile.build': BUILDER,
      'Dockerfile.multi': `${BUILDER}CMD ["cat", "/src/app"]\n`,
      'build.sh': script('docker build -t myorg/builder -f Dockerfile.build .', 'docker build -t fb:1 .'),
    }));
    const r = verify(w.repo, ['--dockerfile', path.join(w.repo, 'Dockerfile.multi')]);
    t.is(r.status, 'equivalent', JSON.stringify(r));
    t.deepEqual(leftovers(r.session!), []);
  },
);

for (const backend of ['classic', 'buildkit'] as const) {
  e2e(`a legacy build that fails half-way leaves none of its step images (${backend})`, async (t) => {
    // The classic builder keeps an image per step, unlabelled and untagged once the build fails: the
    // LABEL step's image carries the marker, so whether it outlives verify can be seen.
    const marker = `restage-test-failed-steps-${backend}-${process.pid}`;
    const w = workspace(t, () => ({
      Dockerfile: `FROM busybox:latest\nCOPY app /app\nLABEL marker=${marker}\nRUN false\n`,
      'Dockerfile.build': BUILDER,
      'build.sh': script(
        'docker build -t fb:build -f Dockerfile.build .',
        'docker create --name fb-x fb:build',
        'docker cp fb-x:/src/app ./app',
        'docker rm fb-x',
        'docker build -t fb:1 .',
      ),
    }));
    t.teardown(() => {
      const left = spawnSync(docker, ['images', '-a', '-q', '--filter', `label=marker=${marker}`], {
        encoding: 'utf8',
      });
      for (const id of left.stdout.split('\n').filter(Boolean)) spawnSync(docker, ['rmi', '-f', id]);
    });
    const r = verify(w.repo, ['--backend', backend]);
    t.is(r.status, 'legacy-not-reproduced', JSON.stringify(r));
    t.true(r.diagnostics.some((d) => d.code === 'RS705'));
    t.deepEqual(leftovers(r.session!), []);
    const left = spawnSync(docker, ['images', '-a', '-q', '--filter', `label=marker=${marker}`], { encoding: 'utf8' });
    t.is(left.stdout.trim(), '', 'no step image of the failed build is left on the engine');
  });
}

e2e('push, login, logout and prunes are not executed; the script sees success and verify still judges', async (t) => {
  const w = workspace(t, () => ({
    Dockerfile: RUNTIME,
    'Dockerfile.build': BUILDER,
    'Dockerfile.multi': MULTI('ok'),
    'build.sh': script(
      'docker login -u someone -p secret registry.example.com',
      'docker build -t pp:build -f Dockerfile.build .',
      'docker create --name pp-x pp:build',
      'docker cp pp-x:/src/app ./app',
      'docker rm -f pp-x',
      'docker build -t registry.example.com/team/pp:1 .',
      'docker push registry.example.com/team/pp:1',
      'docker rmi testbase/busybox:latest',
      'docker image prune --all --force',
      'docker system prune --all --force',
      'docker logout registry.example.com',
    ),
  }));
  const r = verify(w.repo, ['--dockerfile', path.join(w.repo, 'Dockerfile.multi')]);
  t.is(r.status, 'equivalent', JSON.stringify(r));
  const skipped = r.legacy!.trace.filter((c) => c.outcome === 'skip').map((c) => c.argv.slice(0, 2).join(' '));
  t.deepEqual(skipped, [
    'login -u',
    'push registry.example.com/team/pp:1',
    'rmi testbase/busybox:latest',
    'image prune',
    'system prune',
    'logout registry.example.com',
  ]);
  // The prunes and the rmi did not run: the base image is still on the engine.
  t.is(spawnSync(docker, ['image', 'inspect', 'testbase/busybox:latest'], { stdio: 'ignore' }).status, 0);
  t.deepEqual(leftovers(r.session!), []);
});

e2e("a script that writes above the repository, to /tmp and to $HOME changes none of the user's files", async (t) => {
  const w = workspace(t, (s) => ({
    Dockerfile: RUNTIME,
    'Dockerfile.build': BUILDER,
    'Dockerfile.multi': MULTI('ok'),
    'build.sh': script(
      'echo changed > ../sibling/keep.txt || true',
      `echo changed > ${s.tmpSentinel}/out/keep.txt || true`,
      `rm -rf "$HOME/${path.basename(s.homeSentinel)}" || true`,
      'echo made > /tmp/restage-test-sandbox-tmp.txt',
      'docker build -t wa:build -f Dockerfile.build .',
      'docker create --name wa-x wa:build',
      'docker cp wa-x:/src/app ./app',
      'docker rm -f wa-x',
      'docker build -t wa:1 .',
    ),
  }));
  const before = w.snapshot();
  const r = verify(w.repo, ['--dockerfile', path.join(w.repo, 'Dockerfile.multi')]);
  t.is(r.status, 'equivalent', JSON.stringify(r));
  t.deepEqual(w.snapshot(), before);
  t.false(fs.existsSync('/tmp/restage-test-sandbox-tmp.txt'));
  t.deepEqual(leftovers(r.session!), []);
});

e2e(
  'a script the analysis misreads (a file sourced by a name only the run knows changes the Dockerfile): different, and RS706 names the line and both files',
  async (t) => {
    const w = workspace(t, () => ({
      Dockerfile: RUNTIME,
      'Dockerfile.build': BUILDER,
      'Dockerfile.other': BUILDER.replace('tool ok', 'tool other'),
      'settings-Linux.sh': 'BUILDER=Dockerfile.other\n',
      'build.sh': script(
        'BUILDER=Dockerfile.build',
        // restage follows a sourced file whose name it knows; this one's name is the output of uname.
        '. "./settings-$(uname -s).sh"',
        'docker build -t mr:build -f "$BUILDER" .',
        'docker create --name mr-x mr:build',
        'docker cp mr-x:/src/app ./app',
        'docker rm -f mr-x',
        'docker build -t mr:1 .',
      ),
    }));
    const r = verify(w.repo, []);
    t.is(r.status, 'different', JSON.stringify(r));
    const rs706 = r.diagnostics.filter((d) => d.code === 'RS706');
    t.is(rs706.length, 1, JSON.stringify(rs706));
    t.like(rs706[0], { file: path.join(w.repo, 'build.sh'), line: 5 });
    t.regex(rs706[0]!.message, /Dockerfile\.other where the analysis assumed .*Dockerfile\.build/);
    t.deepEqual(leftovers(r.session!), []);
  },
);

e2e(
  'SIGINT during the legacy run: exit 130, and no process, container, image or scratch directory is left',
  async (t) => {
    const w = workspace(t, () => ({
      Dockerfile: RUNTIME,
      'Dockerfile.build': `${BUILDER}RUN sleep 60\n`,
      'Dockerfile.multi': MULTI('ok'),
      'build.sh': script(
        'docker run -d --name si-bg busybox:latest sleep 300',
        'docker build -t si:build -f Dockerfile.build .',
        'docker create --name si-x si:build',
        'docker cp si-x:/src/app ./app',
        'docker build -t si:1 .',
      ),
    }));
    const before = w.snapshot();
    // Every image of the engine, intermediate ones included: the build cut short committed some.
    const images = () =>
      spawnSync(docker, ['images', '--all', '--quiet', '--no-trunc'], { encoding: 'utf8' })
        .stdout.split('\n')
        .filter(Boolean);
    const imagesBefore = new Set(images());
    const child = spawn(
      process.execPath,
      [
        BIN,
        'verify',
        w.repo,
        ...IMAGE_MAP,
        '--json',
        '--legacy=run',
        '--dockerfile',
        path.join(w.repo, 'Dockerfile.multi'),
      ],
      {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    // Wait until the script's background container runs: the legacy run is under way.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const ps = spawnSync(docker, ['ps', '--quiet', '--filter', 'label=restage.session'], { encoding: 'utf8' });
      if (ps.stdout.trim() !== '') break;
      if (Date.now() > deadline) t.fail('the legacy run never started its container');
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 2000));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    t.is(code, 130);
    const result = JSON.parse(stdout) as Verdict;
    t.is(result.status, 'interrupted');
    t.deepEqual(leftovers(result.session!), []);
    const sandboxes = spawnSync('pgrep', ['-f', `restage-shim|${result.session!}`], { encoding: 'utf8' }).stdout.trim();
    t.is(sandboxes, '');
    t.deepEqual(w.snapshot(), before);
    t.deepEqual(
      images().filter((id) => !imagesBefore.has(id)),
      [],
      'no image of the builds left, not even a step image of the one cut short',
    );
  },
);

e2e('--legacy=run where bubblewrap is missing: exit 3 with the install hint, nothing built', async (t) => {
  const r = spawnSync(process.execPath, [BIN, 'verify', 'samples/hello-c', ...IMAGE_MAP, '--json', '--legacy=run'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...env, RESTAGE_BWRAP: '/nonexistent/bwrap' },
  });
  t.is(r.status, 3, r.stdout + r.stderr);
  const json = JSON.parse(r.stdout) as Verdict;
  t.is(json.status, 'engine-failure');
  t.regex(json.failure!.message, /--legacy=run needs bubblewrap: .*apt-get install bubblewrap/);
  t.is(json.session, null);
});
