/**
 * `verify(dir)`: builds the legacy pipeline and the multi-stage Dockerfile on a real engine and
 * compares the two images, aspect by aspect. The user's tree is never touched: each side is built
 * in its own scratch copy, with unique names, and everything is removed at the end (unless kept),
 * whatever happens.
 */
import fs from 'node:fs';
import path from 'node:path';
import { analyzeDirectory, type Migration } from '../migrate.js';
import { diagnostic, hasErrors, type Diagnostic } from '../model/diagnostic.js';
import { EngineError, SpawnError, type Backend } from './engine/engine.js';
import { compareImages } from './differs/index.js';
import { nondeterministic, stderrHead } from './differs/run.js';
import { gatherFacts } from './facts.js';
import { EngineFailure, LegacyNotReproduced, LegacyRunFailed } from './failure.js';
import { chooseLegacy, type LegacyReport } from './legacy/choose.js';
import { runBoth, type RunSides } from './legacy/side.js';
import type { BuildSettings } from './replay.js';
import { replayRefusals } from './refusals.js';
import type { VerifyResult } from './result.js';
import { scratchArea } from './scratch.js';
import { buildBoth, checkBases, buildSame, flowPaths, type Sides } from './sides.js';
import { Session } from './session.js';
import { explainSelfCopy, type ReplacedDockerfile } from './self-copy.js';
import type { VerifyOptions } from './options.js';

export async function verify(dir: string, options: VerifyOptions): Promise<VerifyResult> {
  const started = performance.now();
  const { signal } = options;
  const migration = analyzeDirectory(dir, {
    ...(options.displayBase ? { displayBase: options.displayBase } : {}),
    ...(options.scriptArgs ? { scriptArgs: options.scriptArgs } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.script !== undefined ? { script: options.script } : {}),
    ...(options.makeTarget !== undefined ? { makeTarget: options.makeTarget } : {}),
  });
  const diagnostics: Diagnostic[] = [...migration.result.diagnostics];
  let base: VerifyResult = {
    status: 'bad-input',
    directory: dir,
    migratedFrom: options.dockerfile ?? 'restage migrate',
    engine: null,
    differences: [],
    info: [],
    sizes: null,
    times: null,
    diagnostics,
    failure: null,
    kept: [],
    leftovers: [],
    runs: null,
    session: null,
    legacy: null,
  };
  if (options.dockerfile && !fs.existsSync(options.dockerfile)) {
    diagnostics.push(
      diagnostic(
        'RS103',
        { file: options.dockerfile, line: 1, column: 1 },
        'the Dockerfile given with --dockerfile does not exist; --dockerfile is a path relative to the current directory (not to the directory verified, unlike --script)',
      ),
    );
    return base;
  }
  const { analysis, plan, result } = migration;
  const invocation = analysis?.runtime?.invocation;
  const engine = typeof options.engine === 'function' ? options.engine(invocation?.client ?? 'docker') : options.engine;
  const choice = chooseLegacy(migration, options);
  if ('refused' in choice)
    return { ...base, status: 'engine-failure', failure: { step: 'sandbox', message: choice.refused, logTail: [] } };
  const { mode } = choice;
  diagnostics.push(...choice.diagnostics);
  if (mode.kind === 'run' && mode.withoutAnalysis) {
    // The run needs no analysis: what restage's own migration declined is not verify's input.
    diagnostics.splice(0, diagnostics.length, ...diagnostics.filter((d) => d.severity !== 'error'));
  }
  const area = scratchArea(migration.root, analysis ? flowPaths(analysis) : []);
  if (mode.kind === 'replay' && analysis?.runtime && plan) diagnostics.push(...replayRefusals(analysis, area));
  if ((result.status === 'error' && !(mode.kind === 'run' && mode.withoutAnalysis)) || hasErrors(diagnostics))
    return base;
  let legacy: LegacyReport = {
    mode: mode.kind,
    reason: mode.kind === 'replay' ? mode.reason : null,
    command: mode.kind === 'run' ? mode.command : null,
    cwd: mode.kind === 'run' ? mode.cwd : null,
    exitCode: null,
    seconds: null,
    trace: [],
  };
  base = { ...base, legacy };

  const ping = await engine.ping({ signal });
  if (!ping.ok) {
    return {
      ...base,
      status: 'engine-failure',
      failure: {
        step: 'connect',
        message: `no container engine answers (${ping.message}). Start one — on Debian: \`apt-get install docker.io && dockerd &\`, or \`bash scripts/engine.sh start\` in restage's repository — or point DOCKER_HOST / a docker context at one`,
        logTail: [],
      },
    };
  }
  const backend: Backend = options.backend ?? defaultBackend(ping.version ?? '');
  // The migration's build command may ask for a builder (DOCKER_BUILDKIT=1: a build it replaces asked for BuildKit).
  const migratedBackend: Backend = options.backend ?? plan?.builder ?? backend;
  // Podman has one builder (buildah): DOCKER_BUILDKIT does not apply there.
  const engineInfo = {
    kind: engine.kind,
    client: engine.client,
    version: ping.version ?? '',
    backend: engine.kind === 'podman' ? 'buildah' : migratedBackend,
  };
  const session = options.session ?? new Session();
  const settings: BuildSettings = {
    engine: session.labelled(engine),
    session,
    backend,
    migratedBackend,
    network: options.network,
    imageMap: options.imageMap,
    buildArgs: options.buildArgs,
    progress: options.progress,
    signal,
  };
  /** An engine failure found before anything is built. */
  const refused = (step: string, message: string): VerifyResult => ({
    ...base,
    session: session.id,
    status: 'engine-failure',
    engine: engineInfo,
    failure: { step, message, logTail: [] },
  });
  if (invocation?.sudo && process.getuid?.() !== 0) {
    diagnostics.push(
      diagnostic(
        'RS704',
        analysis!.runtime!.at,
        `the script runs ${invocation.client} under sudo; verify never runs sudo: it drives ${engine.client} as you (uid ${process.getuid?.()}), which reaches the same engine when your user may use it`,
      ),
    );
  }

  try {
    const bases = await checkBases(
      engine,
      migration,
      mode.kind === 'run' && mode.withoutAnalysis ? mode : null,
      options,
    );
    diagnostics.push(...bases.diagnostics);
    if (bases.refusal) return refused('base images', bases.refusal);
    const buildx = analysis?.flow.events.find((e) => e.kind === 'build' && e.invocation.verb[0] === 'buildx');
    if (buildx && buildx.kind === 'build' && !(await engine.hasBuildx({ signal }))) {
      return refused(
        'buildx',
        `the script builds with \`${buildx.invocation.client} ${buildx.invocation.verb.join(' ')}\` (${buildx.at.file}:${buildx.at.line}), but the client ${engine.client} has no buildx plugin: install it (Debian: \`apt-get install docker-buildx\`) or point RESTAGE_DOCKER at a client that has it`,
      );
    }
    const sides: Sides | RunSides =
      mode.kind === 'run'
        ? await runBoth(
            migration,
            mode.migrated,
            mode,
            mode.bwrap,
            { kind: engine.kind, client: mode.client(engine.client) },
            settings,
            options,
          )
        : analysis?.runtime && plan
          ? await buildBoth(area, analysis, plan, result.dockerfile!, settings, options)
          : await buildSame(migration.root, area, settings, options);
    const legacyRun = 'run' in sides ? (sides as RunSides).run : null;
    if (legacyRun) {
      legacy = { ...legacy, exitCode: legacyRun.exitCode, seconds: legacyRun.seconds, trace: legacyRun.trace };
      diagnostics.push(...choice.agreement(legacyRun.trace));
    }
    const factOptions = { ignore: options.ignore, run: options.run, signal };
    const legacyFacts = await options.progress.step('legacy: read the image', () =>
      gatherFacts(engine, session, sides.legacy, factOptions),
    );
    const migratedFacts = await options.progress.step('migrated: read the image', () =>
      gatherFacts(engine, session, sides.migrated, { ...factOptions, fold: legacyFacts.manifest }),
    );
    const compared = compareImages(legacyFacts, migratedFacts, {
      strictMtime: options.strictMtime,
      ignore: options.ignore,
    });
    const replaced = replacedDockerfile(migration, mode.kind === 'run' ? mode.migrated : result.dockerfile, options);
    const comparison = replaced
      ? {
          ...compared,
          differences: explainSelfCopy(compared.differences, legacyFacts.manifest, migratedFacts.manifest, replaced),
        }
      : compared;
    const total = (performance.now() - started) / 1000;
    const builds = sides.legacy.buildSeconds + sides.migrated.buildSeconds;
    const run = legacyFacts.runSeconds + migratedFacts.runSeconds;
    const cleanup = await session.cleanup(engine, options.keep);
    diagnostics.push(...leftoverDiagnostics(cleanup.failed, dir));
    const summary = (run: NonNullable<typeof legacyFacts.run>) => ({
      exitCode: run.exitCode,
      timedOut: run.timedOut,
      stderrHead: stderrHead(run),
      nondeterministic: nondeterministic(run),
    });
    return {
      ...base,
      legacy,
      session: session.id,
      runs:
        legacyFacts.run && migratedFacts.run
          ? { legacy: summary(legacyFacts.run), migrated: summary(migratedFacts.run) }
          : null,
      leftovers: cleanup.failed,
      status: comparison.verdict === 'equivalent' ? 'equivalent' : 'different',
      engine: engineInfo,
      differences: comparison.differences,
      info: comparison.info,
      sizes: {
        legacy: legacyFacts.image.size,
        migrated: migratedFacts.image.size,
        legacyBuilder: sides.legacy.builderImageSize ?? 0,
        ratio: legacyFacts.image.size > 0 ? migratedFacts.image.size / legacyFacts.image.size : 0,
      },
      times: {
        legacyBuild: sides.legacy.buildSeconds,
        migratedBuild: sides.migrated.buildSeconds,
        run,
        total,
        overhead: Math.max(0, total - builds - run),
        overheadShare: total > 0 ? Math.max(0, total - builds - run) / total : 0,
      },
      kept: cleanup.kept,
    };
  } catch (error) {
    // Cleanup runs whatever failed; then only what the engine did wrong is an engine failure, and
    // anything else (a bug in restage) is thrown on, for the CLI to report as an internal error.
    const cleanup = await session.cleanup(engine, options.keep);
    diagnostics.push(...leftoverDiagnostics(cleanup.failed, dir));
    const after = { ...base, session: session.id, engine: engineInfo, kept: cleanup.kept, leftovers: cleanup.failed };
    if (signal.aborted) return { ...after, status: 'interrupted' };
    if (error instanceof LegacyRunFailed) {
      diagnostics.push(...choice.failed(error));
      return {
        ...after,
        legacy: { ...legacy, exitCode: error.run.exitCode, seconds: error.run.seconds, trace: error.run.trace },
        status: 'legacy-not-reproduced',
        failure: { step: 'legacy run', message: error.message, logTail: error.run.logTail },
      };
    }
    if (error instanceof LegacyNotReproduced) {
      diagnostics.push(
        diagnostic(
          'RS702',
          error.at,
          `verify could not reproduce the legacy flow here: ${error.message}. restage misread this step of the script, or the script fails here as written; nothing was compared`,
        ),
      );
      return {
        ...after,
        status: 'legacy-not-reproduced',
        failure: { step: error.step, message: `${error.message} (${error.at.file}:${error.at.line})`, logTail: [] },
      };
    }
    if (error instanceof EngineFailure)
      return {
        ...after,
        status: 'engine-failure',
        failure: { step: error.step, message: error.message, logTail: error.logTail },
      };
    if (error instanceof EngineError || error instanceof SpawnError)
      return { ...after, status: 'engine-failure', failure: { step: 'engine', message: error.message, logTail: [] } };
    throw error;
  }
}

/** One RS703 per thing cleanup could not remove, with the command that removes it. */
function leftoverDiagnostics(failed: readonly { what: string; command: string }[], dir: string): Diagnostic[] {
  return failed.map((f) =>
    diagnostic(
      'RS703',
      { file: dir, line: 1, column: 1 },
      `verify could not remove ${f.what}; remove it with: ${f.command}`,
    ),
  );
}

/** Docker 23+ builds with BuildKit by default; older engines with the classic builder (DOCKER_BUILDKIT decides when set). */
export function defaultBackend(version: string): Backend {
  const env = process.env.DOCKER_BUILDKIT;
  if (env === '1') return 'buildkit';
  if (env === '0') return 'classic';
  const major = Number(/^(\d+)/.exec(version)?.[1] ?? '0');
  return major >= 23 ? 'buildkit' : 'classic';
}

/**
 * The runtime Dockerfile the migration replaces in its own build context, when both sides build
 * it there (not with --dockerfile, nor without analysis): what self-copy.ts recognises in the images.
 */
function replacedDockerfile(
  migration: Migration,
  migrated: string | null | undefined,
  options: VerifyOptions,
): ReplacedDockerfile | null {
  const runtime = migration.analysis?.runtime;
  if (!runtime || !migration.plan || options.dockerfile || migrated === null || migrated === undefined) return null;
  const inContext = path.relative(runtime.context, runtime.dockerfile);
  if (inContext.startsWith('..') || path.isAbsolute(inContext)) return null;
  try {
    return { inContext, legacy: fs.readFileSync(runtime.dockerfile, 'utf8'), migrated };
  } catch {
    return null;
  }
}
