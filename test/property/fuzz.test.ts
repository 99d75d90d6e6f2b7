/**
 * Property: no input crashes restage. Generated directories (grammar-aware scripts, Dockerfiles
 * and Makefiles, then damaged bytes; and big inputs) go through migrate and verify's planning
 * step: always a structured result, exit 0 or 2, never an exception, each case under a time bound.
 *
 * RESTAGE_FUZZ_RUNS sets the number of generated cases (default 10,000, the CI count);
 * RESTAGE_FUZZ_SEED replays one run. A failing seed becomes a fixture in fixtures.test.ts.
 */
import test, { type ExecutionContext } from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { bigTree, multiScript, tree, type Tree } from './arbitraries.js';
import { check, writeTree } from './harness.js';

const RUNS = Number(process.env.RESTAGE_FUZZ_RUNS ?? 10_000);
/** Share of the runs given to big inputs (each takes far longer than a small one). */
const BIG_RUNS = Math.max(8, Math.round(RUNS / 1000));
const SEED = process.env.RESTAGE_FUZZ_SEED ? Number(process.env.RESTAGE_FUZZ_SEED) : undefined;
/**
 * Hang guards per case (migrate + verify planning), not speed targets (speed is `npm run bench`'s):
 * ten times what a loaded 2-core machine takes (a small case well under 1 s; a 1 MB line about 5 s
 * since the argument memo, src/parse/argument-memo.ts), so only a runaway (a quadratic walk, a
 * backtracking pattern) fails here, not a busy CI machine.
 */
const SMALL_MS = 10_000;
const BIG_MS = 120_000;

function property(
  arb: fc.Arbitrary<Tree>,
  runs: number,
  boundMs: number,
  stats: { cases: number; max: number; total: number; statuses: Record<string, number> },
) {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-prop-'));
  return {
    parent,
    run: async (): Promise<string | null> => {
      const details = await fc.check(
        fc.asyncProperty(arb, async (files) => {
          const dir = writeTree(files, parent);
          try {
            const outcome = await check(dir);
            const ms = outcome.ms + outcome.verifyMs;
            stats.cases++;
            stats.total += ms;
            stats.max = Math.max(stats.max, ms);
            stats.statuses[outcome.result.status] = (stats.statuses[outcome.result.status] ?? 0) + 1;
            if (ms > boundMs) throw new Error(`took ${ms.toFixed(0)} ms (bound ${boundMs} ms)`);
          } finally {
            fs.rmSync(dir, { recursive: true, force: true });
          }
        }),
        { numRuns: runs, ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: true },
      );
      if (!details.failed) return null;
      // The counterexample is kept as a directory, ready to become a fixture (fixtures.test.ts).
      const keep = writeTree(details.counterexample![0], os.tmpdir());
      const error =
        details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      return `seed ${details.seed} path ${details.counterexamplePath}: ${error.slice(0, 2000)}\ncounterexample kept in ${keep}`;
    },
  };
}

/** Runs `runs` cases of `arb` under `boundMs` each: no failure, every case counted; the statuses seen. */
async function holds(
  t: ExecutionContext,
  arb: fc.Arbitrary<Tree>,
  runs: number,
  boundMs: number,
): Promise<Record<string, number>> {
  const stats = { cases: 0, max: 0, total: 0, statuses: {} as Record<string, number> };
  const p = property(arb, runs, boundMs, stats);
  let failure: string | null;
  try {
    failure = await p.run();
  } finally {
    fs.rmSync(p.parent, { recursive: true, force: true });
  }
  t.is(failure, null);
  t.log(
    `${stats.cases} cases, mean ${(stats.total / stats.cases).toFixed(1)} ms, max ${stats.max.toFixed(0)} ms, ${JSON.stringify(stats.statuses)}`,
  );
  t.is(stats.cases, runs);
  return stats.statuses;
}

/**
 * The small cases run in chunks, each a test of its own with its own seed: ava's timeout counts
 * from the last finished test, and 10,000 cases in one test outlast it on a loaded machine.
 * RESTAGE_FUZZ_SEED runs one chunk with that seed.
 */
const CHUNK = 1000;
const SMALL_RUNS = RUNS - BIG_RUNS;
const chunks = SEED !== undefined ? 1 : Math.max(1, Math.ceil(SMALL_RUNS / CHUNK));
for (let c = 0; c < chunks; c++) {
  const runs = SEED !== undefined ? SMALL_RUNS : Math.min(CHUNK, SMALL_RUNS - c * CHUNK);
  test.serial(
    `generated directories (chunk ${c + 1} of ${chunks}, ${runs} cases): migrate and verify planning give a structured result, exit 0 or 2, in bounded time`,
    async (t) => {
      const statuses = await holds(t, tree, runs, SMALL_MS);
      // The generator reaches the deep code: some cases migrate, others fail with diagnostics.
      t.true((statuses['migrated'] ?? 0) + (statuses['needs-attention'] ?? 0) > 0);
      t.true((statuses['error'] ?? 0) > 0);
    },
  );
}

test.serial(
  'big inputs (10,000-line scripts, 1 MB lines, deep nesting): structured result in bounded time',
  async (t) => {
    await holds(t, bigTree, BIG_RUNS, BIG_MS);
  },
);

test.serial(
  'multi-script pipelines (sourced env, sub-scripts, functions with "$@", $1 dispatch, a Makefile running the script) migrate to their one build',
  async (t) => {
    const runs = Math.max(50, Math.round(RUNS / 20));
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-prop-'));
    t.teardown(() => fs.rmSync(parent, { recursive: true, force: true }));
    const details = await fc.check(
      fc.asyncProperty(multiScript, async ({ files, expected }) => {
        const dir = writeTree(files, parent);
        try {
          const { result } = await check(dir);
          const why = JSON.stringify(result.diagnostics.map((d) => `${d.code} ${d.message}`));
          if (result.status !== 'migrated') throw new Error(`status ${result.status}: ${why}`);
          const want = `docker build ${expected.buildArgs.map((a) => `--build-arg ${a} `).join('')}-t ${expected.tag} .`;
          if (result.buildCommand !== want) throw new Error(`build command ${result.buildCommand}, not ${want}`);
          const orchestrator = result.files.find((f) => f.role === 'orchestrator')?.path ?? '';
          if (expected.make !== orchestrator.endsWith('Makefile'))
            throw new Error(`orchestrator ${orchestrator}: ${why}`);
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: runs, ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: true },
    );
    const error =
      details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    const kept = details.failed ? writeTree(details.counterexample![0].files, os.tmpdir()) : '';
    t.false(
      details.failed,
      `seed ${details.seed} path ${details.counterexamplePath}: ${error}\ncounterexample kept in ${kept}`,
    );
  },
);
