/**
 * The pieces of a `MigrationResult` that summarise the analysis and the plan: the roles of the
 * Dockerfiles, the artifacts with their consumers, the status. Pure.
 */
import { hasErrors, type Diagnostic } from '../model/diagnostic.js';
import type { Analysis } from '../model/analysis.js';
import type { PlannedStage } from '../model/plan.js';
import type { ArtifactSummary, FoundFile, MigrationStatus } from '../model/result.js';

/**
 * The Dockerfiles the script builds, each once, with its role: the runtime build's file, a file an
 * artifact is extracted from, or another Dockerfile. `known` are the files already reported
 * (a path among them is not repeated).
 */
export function dockerfileRoles(
  analysis: Analysis,
  known: readonly FoundFile[],
  display: (absolutePath: string) => string,
): FoundFile[] {
  const builders = new Set(
    analysis.artifacts.flatMap((a) => (a.source.kind === 'build' ? [a.source.build.dockerfile] : [])),
  );
  const files: FoundFile[] = [];
  for (const e of analysis.flow.events) {
    if (e.kind !== 'build' || !analysis.dockerfiles.has(e.dockerfile)) continue;
    const role =
      e === analysis.runtime ? 'runtime-dockerfile' : builders.has(e.dockerfile) ? 'builder-dockerfile' : 'dockerfile';
    const shown = display(e.dockerfile);
    if (!known.some((f) => f.path === shown) && !files.some((f) => f.path === shown)) files.push({ path: shown, role });
  }
  return files;
}

/** Each artifact with the stage (or image) it is copied from in the migrated Dockerfile, and the instructions that consumed it. */
export function summarizeArtifacts(
  analysis: Analysis,
  stages: readonly PlannedStage[],
  display: (absolutePath: string) => string,
  copiedFrom: ReadonlyMap<number, string> = new Map(),
): ArtifactSummary[] {
  return analysis.artifacts.map((a) => {
    const builderFile =
      a.source.kind === 'build' ? analysis.dockerfiles.get(a.source.build.dockerfile)?.file : undefined;
    const stage =
      copiedFrom.get(a.id) ??
      (a.source.kind === 'image'
        ? a.source.image
        : (stages.find((s) => s.role === 'builder' && s.source === builderFile)?.name ?? ''));
    return {
      stage,
      path: a.containerPath,
      hostPath: display(a.hostPath),
      ...(a.unpackedAs !== undefined
        ? { via: 'archive' as const }
        : a.copyOut.via !== 'cp'
          ? { via: a.copyOut.via }
          : {}),
      consumers: analysis.consumptions
        .filter((c) => c.artifact.id === a.id)
        .map((c) => ({
          file: c.dockerfile.file,
          line: c.instruction.line,
          instruction: c.dockerfile.text.slice(c.instruction.start, c.instruction.end),
          dest: c.instruction.args[c.instruction.args.length - 1]?.raw ?? '',
        })),
    };
  });
}

/** The status of a result: `produced` when a Dockerfile was emitted. An error always wins; a warning asks for attention. */
export function migrationStatus(diagnostics: readonly Diagnostic[], produced: boolean): MigrationStatus {
  if (hasErrors(diagnostics)) return 'error';
  if (!produced) return 'nothing-to-migrate';
  return diagnostics.some((d) => d.severity === 'warning') ? 'needs-attention' : 'migrated';
}
