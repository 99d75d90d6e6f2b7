/**
 * Whether there is anything to migrate once the analysis is done, and what to report when there
 * is not: a Dockerfile that is already multi-stage and does what the script does (RS504, the
 * script and builder Dockerfiles obsolete), one that does not yet (RS504, keep the script), or
 * artifacts no build consumes (RS106). Pure.
 */
import path from 'node:path';
import { diagnostic, hasErrors, type Diagnostic } from '../model/diagnostic.js';
import type { Analysis, Consumption } from '../model/analysis.js';
import type { Instruction, ParsedDockerfile } from '../model/dockerfile.js';
import type { ImageBuild } from '../model/flow.js';

export interface NothingToMigrate {
  /** The diagnostics to report, replacing those given. */
  readonly diagnostics: Diagnostic[];
  /** Legacy files the directory no longer needs (never deleted). */
  readonly obsolete: string[];
}

/**
 * null when the analysis has a runtime build to migrate. Otherwise the final diagnostics and
 * obsolete files. `script` is the analysed script as displayed; a script that `stays` (a Makefile,
 * whose other targets still serve) is never obsolete, only the steps of it that extract.
 */
export function nothingToMigrate(
  analysis: Analysis,
  diagnostics: readonly Diagnostic[],
  script: string,
  display: (absolutePath: string) => string,
  stays = false,
): NothingToMigrate | null {
  // A chained builder's Dockerfile still takes an earlier builder's artifact from its context after
  // the runtime file was migrated: that build is only extracted from, and is no runtime to migrate.
  const chainDone =
    analysis.runtime !== null &&
    extractedFrom(analysis).includes(analysis.runtime) &&
    alreadyMigrated(analysis)?.stillNeeded === null;
  if (analysis.runtime && !copiedAlready(analysis.consumptions) && !chainDone) return null;
  const already = alreadyMigrated(analysis);
  if (already?.stillNeeded === null) {
    const obsolete = [...new Set([...(stays ? [] : [script]), ...already.replaced.map(display)])];
    // The script is stale: its extraction and its context COPYs no longer describe the build.
    const kept = diagnostics.filter((d) => d.code !== 'RS402' && d.code !== 'RS403');
    return {
      diagnostics: [
        ...kept,
        diagnostic(
          'RS504',
          { file: display(already.dockerfile), line: 1, column: 1 },
          `this Dockerfile is already multi-stage and copies from its own stages everything the script extracts; the script's extraction is no longer used: ${[...(stays ? [`the steps of ${script} that build the builder and extract from it`] : []), ...obsolete].join(', ')} can go`,
        ),
      ],
      obsolete,
    };
  }
  if (already) {
    return {
      diagnostics: [
        ...diagnostics,
        diagnostic(
          'RS504',
          { file: display(already.dockerfile), line: 1, column: 1 },
          `this Dockerfile is already multi-stage, so restage has nothing to merge; but ${script} still does what it does not: ${already.stillNeeded}, so keep the script until this Dockerfile does that too`,
        ),
      ],
      obsolete: [],
    };
  }
  if (analysis.artifacts.length === 0 || hasErrors(diagnostics)) return { diagnostics: [...diagnostics], obsolete: [] };
  return {
    diagnostics: [
      ...diagnostics,
      diagnostic(
        'RS106',
        { file: script, line: 1, column: 1 },
        'the script extracts artifacts, but no later `docker build` in it copies them from its context; there is nothing restage can turn into COPY --from',
      ),
    ],
    obsolete: [],
  };
}

/**
 * Every artifact the runtime build still takes from its context is also copied, by the same stage,
 * from one of the file's own stages (`COPY . /app` next to restage's `COPY --from=builder /app/bin …`):
 * the file is migrated and the script is stale.
 */
export function copiedAlready(consumptions: readonly Consumption[]): boolean {
  return consumptions.length > 0 && consumptions.every(overwrittenFromStage);
}

/** A later COPY of the same stage copies the consumed path from one of the file's own stages, so what the context gave is replaced. */
function overwrittenFromStage(c: Consumption): boolean {
  if (runStageSource(c)) return true;
  const stage = c.dockerfile.stages[c.instruction.stage];
  const internal = internalStages(c.dockerfile);
  return (
    stage?.instructions.some(
      (i) =>
        i.line > c.instruction.line &&
        copiesFromStage(i, internal) &&
        i.args.slice(0, -1).some((a) => a.raw === c.containerPath),
    ) ?? false
  );
}

/**
 * A run stage's COPY of a bind-mounted directory to its mount point (`COPY . /src`, src/plan/run-stage.ts):
 * it gives the command its sources, it does not take what the command wrote.
 */
function runStageSource(c: Consumption): boolean {
  if (c.artifact.copyOut.via !== 'bind' || c.within !== '') return false;
  const dest = c.instruction.args[c.instruction.args.length - 1]?.raw.replace(/^["']|["']$/g, '');
  return dest !== undefined && path.posix.normalize(dest).replace(/(.)\/+$/, '$1') === c.artifact.containerPath;
}

function internalStages(f: ParsedDockerfile): Set<string> {
  return new Set(f.stages.map((s) => s.name).filter((n) => n !== null));
}

/** `COPY --from=<one of the file's own stages>`. */
function copiesFromStage(i: Instruction, internal: ReadonlySet<string>): boolean {
  return i.keyword === 'COPY' && i.flags.some((f) => f.name === 'from' && internal.has((f.value ?? '').toLowerCase()));
}

/**
 * A multi-stage Dockerfile the script builds, which copies from its own stages. `stillNeeded` is
 * null when that file does all the script did (the script and the builder Dockerfiles it
 * `replaced` are obsolete): it copies from its own stages every path the script extracted, no
 * build takes an extracted artifact from its context, and every other build the script runs only
 * made an image to extract from. Otherwise it says what the script still does.
 */
export function alreadyMigrated(
  analysis: Analysis,
): { dockerfile: string; stillNeeded: string | null; replaced: string[] } | null {
  if (analysis.artifacts.length === 0) return null;
  for (const e of analysis.flow.events) {
    if (e.kind !== 'build') continue;
    const f = analysis.dockerfiles.get(e.dockerfile);
    if (!f || f.stages.length < 2) continue;
    const internal = internalStages(f);
    const copies = f.instructions.filter((i) => copiesFromStage(i, internal));
    if (copies.length === 0) continue;
    const sources = new Set(
      copies.flatMap((i) => i.args.slice(0, -1).map((a) => (a.value ?? a.raw).replace(/\/+$/, '') || '/')),
    );
    // A bind-mounted directory is an artifact by what the build copies out of it.
    const missing = analysis.artifacts.find(
      (a) =>
        !sources.has(a.containerPath) &&
        !(a.copyOut.via === 'bind' && [...sources].some((p) => p.startsWith(`${a.containerPath}/`))),
    );
    // A build that is only extracted from (a chained builder) may take another builder's artifact from its context.
    const extractFrom = extractedFrom(analysis);
    const consumed = analysis.consumptions.find((c) => !overwrittenFromStage(c) && !extractFrom.includes(c.build));
    const other = otherBuild(analysis, e.dockerfile);
    const stillNeeded = missing
      ? `it extracts ${missing.containerPath}, which this Dockerfile does not copy from its own stages`
      : consumed
        ? `a build takes the extracted ${consumed.artifact.containerPath} from its context (${consumed.dockerfile.file}:${consumed.instruction.line})`
        : other
          ? `it also builds ${other.tags[0] ?? 'an image'} from ${path.basename(other.dockerfile)}, which this Dockerfile does not replace`
          : null;
    return {
      dockerfile: e.dockerfile,
      stillNeeded,
      replaced: extractedFrom(analysis)
        .map((b) => b.dockerfile)
        .filter((d) => d !== e.dockerfile),
    };
  }
  return null;
}

/** The builds the script extracts artifacts from, each once. */
function extractedFrom(analysis: Analysis): ImageBuild[] {
  return [...new Set(analysis.artifacts.flatMap((a) => (a.source.kind === 'build' ? [a.source.build] : [])))];
}

/** A build the script runs that is neither of `dockerfile` nor only an image to extract artifacts from, nor a stage of the migration (`replaced`). */
export function otherBuild(
  analysis: Analysis,
  dockerfile: string,
  replaced: ReadonlySet<ImageBuild> = new Set(),
): ImageBuild | null {
  const extractFrom = new Set(extractedFrom(analysis));
  for (const b of analysis.flow.events)
    if (b.kind === 'build' && b.dockerfile !== dockerfile && !extractFrom.has(b) && !replaced.has(b)) return b;
  return null;
}
