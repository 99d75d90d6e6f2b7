/**
 * After a migration: whether the legacy script is still needed (RS507), and which legacy files the
 * report lists as obsolete. Pure.
 */
import { diagnostic, type Diagnostic, type Location } from '../model/diagnostic.js';
import type { Analysis, Artifact } from '../model/analysis.js';
import type { ImageBuild } from '../model/flow.js';
import { isWithin } from '../shared/paths.js';
import { otherBuild } from './already.js';

/**
 * What the script does that the migrated Dockerfile (replacing the build of `runtime` and the
 * builds it extracts from) does not, or null when the script is obsolete: an extracted artifact no
 * build consumes (something outside the script may use it), or a build of another image.
 */
export function scriptStillNeeded(
  analysis: Analysis,
  runtime: string,
  display: (p: string) => string,
  replaced: ReadonlySet<ImageBuild> = new Set(),
): { reason: string; at: Location } | null {
  const unused = unusedArtifact(analysis);
  if (unused)
    return {
      at: unused.copyOut.at,
      reason: `it extracts ${unused.containerPath} to ${display(unused.hostPath)}, which no build in it consumes, so something outside the script may use it`,
    };
  const other = otherBuild(analysis, runtime, replaced);
  if (other)
    return {
      at: other.at,
      reason: `it also builds ${other.tags[0] ?? 'an image'} from ${display(other.dockerfile)}, which the migrated Dockerfile does not replace`,
    };
  return null;
}

/**
 * An extracted artifact no build consumes and the script does not remove afterwards (something
 * outside the script may use it), or null.
 */
export function unusedArtifact(analysis: Analysis): Artifact | null {
  const consumed = new Set(analysis.consumptions.map((c) => c.artifact.id));
  const events = analysis.flow.events;
  // An artifact the script itself removes afterwards is used by nothing outside it.
  const removedLater = (a: Artifact) =>
    events
      .slice(events.indexOf(a.copyOut) + 1)
      .some((e) => e.kind === 'host' && e.op === 'rm' && e.paths.some((p) => isWithin(a.hostPath, p)));
  return analysis.artifacts.find((a) => !consumed.has(a.id) && !removedLater(a)) ?? null;
}

/**
 * RS507 when the script is still needed after migrating the build of `runtime`, unless RS108
 * (another build also consumes artifacts) already says the script stays.
 */
export function stillNeededDiagnostics(
  analysis: Analysis,
  runtime: string,
  diagnostics: readonly Diagnostic[],
  script: string,
  display: (p: string) => string,
  replaced: ReadonlySet<ImageBuild> = new Set(),
): Diagnostic[] {
  const needed = scriptStillNeeded(analysis, runtime, display, replaced);
  if (!needed || diagnostics.some((d) => d.code === 'RS108')) return [];
  return [
    diagnostic(
      'RS507',
      needed.at,
      `${script} is still needed after the migration: ${needed.reason}; restage lists no legacy file as obsolete`,
    ),
  ];
}

/**
 * The plan's obsolete files, or none when the legacy files stay needed: another build still takes
 * artifacts from the script (RS108), or the script does more (RS507). (A copy from a container
 * whose command ran, once RS320, is now a run stage that replaces the script's run.)
 */
export function obsoleteFiles(planned: readonly string[], diagnostics: readonly Diagnostic[]): readonly string[] {
  return diagnostics.some((d) => d.code === 'RS108' || d.code === 'RS507') ? [] : planned;
}
