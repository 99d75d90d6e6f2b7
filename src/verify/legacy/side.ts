/**
 * verify's legacy side in `run` mode: which mode applies (bubblewrap usable or not), what
 * command is the legacy pipeline, and the two images built — the pipeline's own, run in the
 * sandbox, and the migrated Dockerfile's, built on a scratch copy as in replay mode.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Migration } from '../../migrate.js';
import { LegacyRunFailed } from '../failure.js';
import type { VerifyOptions } from '../options.js';
import { buildImage, type BuildSettings } from '../replay.js';
import { repositoryOf, scratchArea, ScratchTree } from '../scratch.js';
import { migratedBuildArgs, placeDockerignore, placeMigrated, type Sides } from '../sides.js';
import { legacyImage, runLegacyPipeline, type LegacyRun } from './run.js';
import { EngineError } from '../engine/engine.js';

/** The first executable called `name` on PATH, or null. */
export function findExecutable(name: string, pathVar = process.env.PATH ?? ''): string | null {
  if (name.includes('/')) return path.resolve(name);
  for (const dir of pathVar.split(':')) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      /* not here */
    }
  }
  return null;
}

/** bubblewrap's path when it can make the namespaces verify needs here, else why not. */
export function probeBubblewrap(): { ok: true; bwrap: string } | { ok: false; reason: string } {
  const bwrap = process.env.RESTAGE_BWRAP ?? findExecutable('bwrap');
  if (!bwrap || !fs.existsSync(bwrap))
    return {
      ok: false,
      reason: `bubblewrap (${bwrap ?? 'bwrap'}) is not installed; install it (Debian/Ubuntu: \`apt-get install bubblewrap\`, Fedora: \`dnf install bubblewrap\`)`,
    };
  const probe = spawnSync(
    bwrap,
    ['--ro-bind', '/', '/', '--dev', '/dev', '--unshare-pid', '--unshare-net', '--die-with-parent', '--', 'true'],
    { encoding: 'utf8', timeout: 10_000 },
  );
  if (probe.status === 0) return { ok: true, bwrap };
  const why = (probe.stderr || probe.error?.message || `exit ${probe.status}`).trim().split('\n')[0];
  return {
    ok: false,
    reason: `bubblewrap (${bwrap}) cannot create namespaces here (${why}); on a host with user namespaces disabled, enable them (sysctl kernel.unprivileged_userns_clone=1) or run verify as root`,
  };
}

/** The legacy pipeline's command and working directory: --legacy-cmd, else the script through its interpreter. */
export function legacyCommand(
  migration: Pick<Migration, 'root' | 'script' | 'make'> & Partial<Pick<Migration, 'scriptArgs' | 'npm'>>,
  options: Pick<VerifyOptions, 'legacyCmd' | 'legacyCwd' | 'scriptArgs'>,
): { command: string[]; cwd: string } | null {
  const cwd = path.resolve(options.legacyCwd ?? migration.root);
  if (options.legacyCmd !== undefined) return { command: ['sh', '-c', options.legacyCmd], cwd };
  if (!migration.script) return null;
  // make runs its recipes in its working directory, the Makefile's own here, as the analysis read them.
  if (migration.make)
    return { command: ['make', '-f', migration.script, ...migration.make.args, migration.make.goal], cwd };
  // npm runs a package's scripts in the package's directory, whatever the working directory.
  if (migration.npm)
    return {
      command: ['npm', 'run', migration.npm.script],
      cwd: options.legacyCwd !== undefined ? cwd : path.dirname(migration.script),
    };
  // A JS build script runs with node; a TS one with tsx, as the project's own scripts would.
  if (/\.(m|c)?js$/.test(migration.script))
    return { command: ['node', migration.script, ...(options.scriptArgs ?? [])], cwd };
  if (/\.(m|c)?ts$/.test(migration.script))
    return { command: ['npx', '--no-install', 'tsx', migration.script, ...(options.scriptArgs ?? [])], cwd };
  let first = '';
  try {
    first = fs.readFileSync(migration.script, 'utf8').split('\n', 1)[0] ?? '';
  } catch {
    return null;
  }
  const shebang = /^#!\s*(\S+)(?:\s+(.*\S))?\s*$/.exec(first);
  const interpreter = shebang ? [shebang[1]!, ...(shebang[2] ? [shebang[2]] : [])] : ['sh'];
  return {
    command: [...interpreter, migration.script, ...(options.scriptArgs ?? migration.scriptArgs ?? [])],
    cwd,
  };
}

export interface RunSides extends Sides {
  readonly run: LegacyRun;
}

/** The legacy pipeline run in the sandbox, and the migrated (or --dockerfile) image built beside it. */
export async function runBoth(
  migration: Migration,
  migrated: string,
  command: { command: string[]; cwd: string },
  bwrap: string,
  engine: { readonly kind: string; readonly client: string },
  settings: BuildSettings,
  options: VerifyOptions,
): Promise<RunSides> {
  const { analysis, plan, root } = migration;
  const run = await runLegacyPipeline({
    repo: repositoryOf(root),
    command: command.command,
    cwd: command.cwd,
    env: options.env ?? {},
    timeoutSeconds: options.legacyTimeoutSeconds ?? 1800,
    bwrap,
    engine,
    network: settings.network === 'default' ? null : settings.network,
    imageMap: settings.imageMap,
    backend: settings.backend,
    session: settings.session,
    progress: settings.progress,
    signal: settings.signal,
    shim: options.shim ?? defaultShim(),
  });
  if (run.timedOut || run.exitCode !== 0)
    throw new LegacyRunFailed(
      command.command,
      run.timedOut
        ? `did not finish within ${options.legacyTimeoutSeconds ?? 1800} s (--timeout) and was stopped`
        : `exited ${run.exitCode}`,
      run,
    );
  const runtimeTag = analysis?.runtime?.tags[0] ?? null;
  const named = options.legacyImage ?? runtimeTag;
  const image = legacyImage(run, named);
  if (!image)
    throw new LegacyRunFailed(
      command.command,
      named !== null
        ? `built no image tagged ${named}${options.legacyImage ? ' (--legacy-image)' : ' (the runtime image the analysis names)'}`
        : 'built no image',
      run,
    );
  let builderImageSize = 0;
  // The legacy image is known by its shim tag; the trace records the ids the builds made.
  const runtimeId = (await settings.engine.inspectImage(image, { signal: settings.signal })).Id;
  const builderIds = new Set(run.trace.flatMap((call) => (call.image && call.image !== runtimeId ? [call.image] : [])));
  // A builder image the script removed (`docker rmi app:build`) is not left behind.
  for (const id of builderIds)
    builderImageSize += await settings.engine.inspectImage(id, { signal: settings.signal }).then(
      (inspect) => inspect.Size ?? 0,
      (e: unknown) => {
        if (e instanceof EngineError && e.notFound) return 0;
        throw e;
      },
    );

  const context = path.resolve(
    options.context ?? (analysis?.runtime && plan && !options.dockerfile ? plan.context : root),
  );
  const tree = ScratchTree.copy(scratchArea(root, [context]), settings.session.scratch('migrated'));
  const runtimeFile = analysis?.runtime?.dockerfile;
  const target = tree.writable(
    runtimeFile && !options.dockerfile ? tree.map(runtimeFile) : path.join(tree.root, 'Dockerfile.migrated'),
    'write the migrated Dockerfile',
  );
  const buildArgs = migratedBuildArgs(analysis ?? null, plan ?? null, settings);
  if (plan && !options.dockerfile && context === plan.context) placeDockerignore(tree, plan);
  const dockerfile = placeMigrated(tree, target, tree.map(context), migrated, settings, buildArgs);
  const tag = settings.session.image('migrated');
  const seconds = await buildImage(settings, 'migrated: docker build', {
    context: tree.map(context),
    dockerfile,
    tag,
    buildArgs,
    ...(analysis?.runtime ? { verb: analysis.runtime.invocation.verb } : {}),
    backend: settings.migratedBackend,
    // The replacement command keeps the runtime build's --label (src/plan/command.ts): so does this build.
    ...(analysis?.runtime?.labels ? { labels: analysis.runtime.labels } : {}),
  });
  return {
    run,
    legacy: { image, buildSeconds: run.seconds, builderImageSize },
    migrated: { image: tag, buildSeconds: seconds },
  };
}

/** dist/shim.cjs beside this bundle, or the repository's dist/ when running from src/ (tests). */
function defaultShim(): string {
  for (let dir = path.dirname(new URL(import.meta.url).pathname); ; dir = path.dirname(dir)) {
    for (const candidate of [path.join(dir, 'shim.cjs'), path.join(dir, 'dist', 'shim.cjs')])
      if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error('restage: dist/shim.cjs is missing: run `npm run build`');
  }
}
