/**
 * `restage verify --engine podman` end to end (issue 7: the confinement, interrupt and run-output
 * cases on each real engine; test/e2e/confinement.test.ts, interrupts.test.ts and verdicts.test.ts
 * run them on docker). Set podman up with `bash scripts/engine.sh start && bash scripts/test-images.sh
 * && bash scripts/engine.sh podman`, and build dist/ (bin/restage.js runs it). Without podman or its
 * images these tests are skipped with the reason, unless RESTAGE_E2E_PODMAN=1, where they fail.
 * Every run gets its own TMPDIR (runWatched), whose scratch directories name its sessions; after
 * each one, nothing of those sessions may be left on podman (by name or by the session label:
 * containers, Buildah's working containers, images with the untagged intermediates, volumes) nor in
 * that TMPDIR.
 *
 * The `docker export | tar -x` route (test/e2e/routes-export.test.ts proves it on docker): the
 * real script run in the sandbox against podman (`--legacy=run`) is equivalent to the migration,
 * a mutant without `--chown=0:0` is different, and podman's images and containers are as before;
 * the replay pass refuses the route (RS310).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ExecutionContext } from 'ava';
import { PodmanEngine } from '../../src/verify/engine/podman.js';
import { BIN, ROOT } from '../helpers/fixtures.js';
import { e2eTest, unavailable } from './helpers/engine.js';
import { POINTS, runWatched, SLOW_FIXTURE, type Point, type WatchedRun } from './helpers/interrupt.js';
import type { VerifyJson } from './helpers/verify-run.js';
import { tmpOut, UNRESOLVED_RM, rmFirst, workspace } from './helpers/workspace.js';
import { caseFiles, migrateRoute } from './helpers/routes.js';

const BASE = 'testbase/busybox:latest';
const SETUP = 'bash scripts/engine.sh start && bash scripts/test-images.sh && bash scripts/engine.sh podman';
const engine = new PodmanEngine();
const reason = await unavailable([BASE], engine, {
  unreachable: (client, message) => `podman unusable through ${client} (${message}); set it up with: ${SETUP}`,
  missingImage: (image) => `podman has no ${image}; copy it from docker with: ${SETUP}`,
});
const e2e = e2eTest(
  reason || (fs.existsSync(path.join(ROOT, 'dist', 'cli.cjs')) ? '' : 'dist/ is missing: run npm run build'),
  'RESTAGE_E2E_PODMAN',
);

/** podman stores `testbase/busybox:latest` as localhost/testbase/busybox:latest, which `FROM testbase/busybox:latest` finds. */
const IMAGE_MAP = ['--image-map', `busybox=${BASE}`];
const verifyArgv = (dir: string, ...more: string[]) => [
  process.execPath,
  BIN,
  'verify',
  dir,
  '--engine',
  'podman',
  ...IMAGE_MAP,
  ...more,
];

/** The lines `podman <args>` prints (throws when it fails: a listing that fails proves nothing). */
function podman(args: readonly string[]): string[] {
  const r = spawnSync(engine.client, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${engine.client} ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

const allImages = () => podman(['images', '--all', '--quiet', '--no-trunc']);

/**
 * What the sessions `ids` left on podman, and every entry of `tmp`; plus the images made since
 * `imagesBefore` whose history mentions one of `markers` (a RUN or CMD line of the fixture): what
 * a build left whether or not it carries the session's label.
 */
function leftovers(run: WatchedRun, imagesBefore: readonly string[], markers: readonly string[]): string[] {
  const found = fs.readdirSync(run.tmp).map((n) => `directory ${n}`);
  for (const id of run.ids) {
    const label = ['--filter', `label=restage.session=${id}`];
    const named = (n: string) => n.replace(/^localhost\//, '').startsWith(`${id}-`);
    found.push(
      ...podman(['ps', '--all', '--external', '--format', '{{.Names}}'])
        .filter(named)
        .map((n) => `container ${n}`),
      ...podman(['ps', '--all', '--external', '--quiet', ...label]).map((c) => `labelled container ${c}`),
      ...podman(['images', '--all', '--format', '{{.Repository}}:{{.Tag}}'])
        .filter(named)
        .map((i) => `image ${i}`),
      ...podman(['images', '--all', '--quiet', '--no-trunc', ...label]).map((i) => `labelled image ${i}`),
      ...podman(['volume', 'ls', '--format', '{{.Name}}'])
        .filter(named)
        .map((v) => `volume ${v}`),
      ...podman(['volume', 'ls', '--quiet', ...label]).map((v) => `labelled volume ${v}`),
    );
  }
  for (const image of allImages().filter((i) => !imagesBefore.includes(i))) {
    const history = spawnSync(engine.client, ['image', 'history', '--no-trunc', '--format', '{{.CreatedBy}}', image], {
      encoding: 'utf8',
    }).stdout;
    if (markers.some((m) => history.includes(m))) found.push(`image ${image} (new, its history mentions the fixture)`);
  }
  return found;
}

interface Verified extends WatchedRun {
  readonly json: VerifyJson & { session: string | null };
  readonly left: string[];
}

/** `restage verify DIR --engine podman --json [MORE…]`, with what it left. */
async function verify(
  t: ExecutionContext,
  dir: string,
  markers: readonly string[],
  more: readonly string[] = [],
): Promise<Verified> {
  const before = allImages();
  const r = await runWatched(t, verifyArgv(dir, '--json', ...more), process.env, () => {});
  let json: Verified['json'];
  try {
    json = JSON.parse(r.stdout) as Verified['json'];
  } catch {
    throw new Error(`verify printed no JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
  // A refusal before anything runs makes no scratch directory: its session is known only from the report.
  const ids = new Set([...r.ids, ...(json.session === null ? [] : [json.session])]);
  t.true(
    r.ids.size === 0 || (json.session !== null && r.ids.has(json.session)),
    `the report's session ${json.session} is the run's (${[...r.ids].join(', ')})`,
  );
  const run = { ...r, ids };
  return { ...run, json, left: leftovers(run, before, markers) };
}

/** Lines of test/e2e/helpers/workspace.ts's builder and runtime Dockerfiles. */
const CONFINE_MARKERS = ['echo tool ok', '/usr/local/bin/app'];
/** This pass judges the replayed legacy side (RESTAGE_LEGACY=replay, scripts/test.mjs), else the sandboxed run. */
const REPLAY = process.env.RESTAGE_LEGACY === 'replay';

e2e(
  'podman: an output directory under the temp dir emptied with rm -rf: equivalent, and every tree unchanged',
  async (t) => {
    const w = workspace(t, tmpOut);
    const before = w.snapshot();
    const r = await verify(t, w.repo, CONFINE_MARKERS);
    t.is(
      r.json.status,
      'equivalent',
      JSON.stringify({ failure: r.json.failure, differences: r.json.differences, stderr: r.stderr }),
    );
    t.is(r.code, 0);
    t.is((r.json.engine as { kind?: string } | null)?.kind, 'podman');
    t.deepEqual(w.snapshot(), before);
    t.deepEqual(r.left, []);
  },
);

const [unsetName, unsetLine] = UNRESOLVED_RM.find(([name]) => name === 'an unset variable')!;
e2e(
  `podman: rm -rf through ${unsetName} is refused before anything runs (RS310, exit 2), and nothing changes`,
  async (t) => {
    const w = workspace(t, (x) => rmFirst(unsetLine(x)));
    const before = w.snapshot();
    const r = await verify(t, w.repo, CONFINE_MARKERS);
    if (REPLAY) {
      t.is(r.code, 2, JSON.stringify(r.json));
      t.is(r.json.status, 'bad-input');
      t.like(
        r.json.diagnostics.find((d) => d.code === 'RS310'),
        { line: 3 },
      );
    } else {
      // Run for real, the rm reaches only the sandbox's private /tmp: verify judges.
      t.is(r.json.status, 'equivalent', JSON.stringify(r.json));
    }
    t.deepEqual(w.snapshot(), before);
    t.deepEqual(r.left, []);
  },
);

e2e(
  'podman: a failed build is an engine failure (replayed, exit 3) or a failed pipeline (run, exit 2, RS705) and leaves every tree as it was',
  async (t) => {
    const w = workspace(t, (x) => ({
      ...tmpOut(x),
      'Dockerfile.build': 'FROM busybox:latest\nRUN echo confine-fails && false\n',
    }));
    const before = w.snapshot();
    const r = await verify(t, w.repo, [...CONFINE_MARKERS, 'echo confine-fails']);
    t.is(r.code, REPLAY ? 3 : 2, JSON.stringify(r.json));
    t.is(r.json.status, REPLAY ? 'engine-failure' : 'legacy-not-reproduced');
    t.deepEqual(w.snapshot(), before);
    t.deepEqual(r.left, []);
  },
);

async function interrupt(t: ExecutionContext, point: Point): Promise<void> {
  const before = allImages();
  let armed = false;
  const r = await runWatched(t, verifyArgv(SLOW_FIXTURE), process.env, (stderr, child) => {
    if (armed || !point.after.test(stderr)) return;
    armed = true;
    setTimeout(() => child.kill('SIGINT'), point.delayMs);
  });
  t.is(r.code, 130, r.stdout + r.stderr);
  t.regex(r.stdout, /interrupted/, r.stderr);
  t.deepEqual(leftovers(r, before, ['slow-fixture']), []);
}

for (const where of ['the legacy build', 'the run step']) {
  e2e(`podman: SIGINT during ${where} leaves nothing behind (exit 130)`, (t) => interrupt(t, POINTS[where]!));
}

e2e(
  'podman: output that changes from run to run (find | shuf, $RANDOM) is nondeterministic, not a difference',
  async (t) => {
    const r = await verify(t, 'test/fixtures/e2e/run-output', ['shuf', 'for n in 1 2 3', ' /srv']);
    t.is(r.json.status, 'equivalent', JSON.stringify({ failure: r.json.failure, differences: r.json.differences }));
    t.is(r.code, 0);
    t.false(
      r.json.differences.some((d) => d.aspect === 'run'),
      JSON.stringify(r.json.differences),
    );
    t.deepEqual(r.json.runs?.legacy.nondeterministic, ['stdout', 'stderr']);
    t.deepEqual(r.json.runs?.migrated.nondeterministic, ['stdout', 'stderr']);
    t.true(
      r.json.info.some(
        (i) =>
          i.aspect === 'run' &&
          /stdout changes from one run of the legacy image to the next \(nondeterministic\)/.test(i.message),
      ),
      JSON.stringify(r.json.info),
    );
    t.deepEqual(r.left, []);
  },
);

/** podman's images and containers (all of them, with Buildah's working containers): what a verify must leave as it found. */
const podmanState = () => ({
  images: allImages().sort(),
  containers: podman(['ps', '--all', '--external', '--quiet', '--no-trunc']).sort(),
});

const EXPORT_MARKERS = ['echo site ok', '/srv/www/run.sh'];

e2e(
  REPLAY
    ? 'podman: the replay refuses a docker export stream (RS310 on the tar -x line), and nothing changes'
    : 'podman: docker export | tar -x: the migration is equivalent to the real script, the mutant without --chown=0:0 is not, and podman is as before',
  async (t) => {
    const w = workspace(t, () => caseFiles('export-pipe-dir'));
    const before = w.snapshot();
    const state = podmanState();
    if (REPLAY) {
      const r = await verify(t, w.repo, EXPORT_MARKERS);
      t.not(r.json.status, 'equivalent');
      t.true(
        r.json.diagnostics.some((d) => d.code === 'RS310' && d.line === 6),
        JSON.stringify(r.json.diagnostics),
      );
      t.deepEqual(r.left, []);
    } else {
      const m = migrateRoute(w.repo);
      t.is(m.code, 0, JSON.stringify(m.diagnostics));
      t.regex(m.dockerfile ?? '', /COPY --from=builder --chown=0:0 \/app\/dist \/srv\/www\//);
      const same = await verify(t, w.repo, EXPORT_MARKERS, ['--legacy=run']);
      t.is(
        same.json.status,
        'equivalent',
        JSON.stringify({ failure: same.json.failure, differences: same.json.differences, stderr: same.stderr }),
      );
      t.is((same.json.engine as { kind?: string } | null)?.kind, 'podman');
      t.deepEqual(
        same.json.diagnostics.filter((d) => d.code === 'RS706'),
        [],
        'the run and the analysis agree on the export',
      );
      t.deepEqual(same.left, []);
      const mutantFile = path.join(w.repo, 'Dockerfile.mutant');
      fs.writeFileSync(mutantFile, m.dockerfile!.replace(/--chown=0:0 /g, ''));
      const other = await verify(t, w.repo, EXPORT_MARKERS, ['--legacy=run', '--dockerfile', mutantFile]);
      fs.rmSync(mutantFile);
      t.is(other.json.status, 'different', JSON.stringify({ failure: other.json.failure, stderr: other.stderr }));
      t.true(
        other.json.differences.some((d) => /owner|uid|gid|1000/i.test(d.message)),
        JSON.stringify(other.json.differences),
      );
      t.deepEqual(other.left, []);
    }
    t.deepEqual(podmanState(), state);
    t.deepEqual(w.snapshot(), before);
  },
);
