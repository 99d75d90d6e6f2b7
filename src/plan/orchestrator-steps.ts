/**
 * Which events of the analysed flow are the builder pattern that the migrated Dockerfile replaces
 * (what `--write` removes from the orchestrator), and which words name what the pattern made. Pure.
 *
 * The pattern: the builds merged into the migrated Dockerfile (the runtime build among them), the
 * containers made from a builder image or copied from, every call on them, their copies out and
 * their removal, and the host commands on the extracted artifacts (`mkdir` of their directory,
 * `mv`/`chmod`/`strip`/`tar -x` on them, their removal after the runtime build). Anything else the
 * orchestrator does is kept; a flow whose extraction something outside the migration may still use
 * is refused.
 */
import type { Diagnostic, Location } from '../model/diagnostic.js';
import type { Analysis } from '../model/analysis.js';
import path from 'node:path';
import type { FlowEvent, HostOperation, ImageBuild } from '../model/flow.js';
import type { StagePlan } from '../model/plan.js';
import type { RewriteStep } from '../emit/orchestrator-rewrite.js';
import { isWithin } from '../shared/paths.js';
import { unusedArtifact } from './still-needed.js';

export interface PatternSteps {
  readonly steps: readonly RewriteStep[];
  /** The runtime build the one build replaces. */
  readonly runtime: ImageBuild;
  /** Builder images, containers and volumes, as expanded; the caller adds the words as written. */
  readonly builderNames: readonly string[];
  /** Absolute host paths the pattern put its artifacts at, which the rewritten orchestrator no longer makes. */
  readonly extracted: readonly string[];
}

/** Host operations that only move, shape or clean up an extracted artifact. */
const ARTIFACT_OPS = new Set(['mkdir', 'rm', 'mv', 'cp', 'chmod', 'chown', 'strip', 'ln', 'unpack']);

export function patternSteps(
  analysis: Analysis,
  plan: StagePlan,
  root: string,
  display: (p: string) => string,
  refuse: (at: Location, why: string) => Diagnostic,
): PatternSteps | { readonly refusal: Diagnostic } {
  const runtime = analysis.runtime;
  const replaced = new Set(plan.replacedBuilds ?? []);
  if (!runtime || !replaced.has(runtime))
    return { refusal: refuse(analysis.flow.events[0]?.at ?? at0(analysis), 'restage found no runtime build in it') };
  const several = analysis.diagnostics.find((d) => d.code === 'RS108');
  if (several)
    return {
      refusal: refuse(
        several,
        'another build also takes artifacts from the builder (RS108), so the extraction stays for it',
      ),
    };
  const unused = unusedArtifact(analysis);
  if (unused)
    return {
      refusal: refuse(
        unused.copyOut.at,
        `it extracts ${unused.containerPath} to ${display(unused.hostPath)}, which the migrated Dockerfile does not use and something outside the script may`,
      ),
    };
  // Every artifact is consumed, or removed by the script itself after its extraction.
  const artifacts = analysis.artifacts;
  const builderTags = new Set([...replaced].filter((b) => b !== runtime).flatMap((b) => b.tags));
  const events = analysis.flow.events;
  const containers = new Set<string>();
  const volumes = new Set<string>();
  for (const e of events)
    if (e.kind === 'create' && (builderTags.has(e.image) || artifacts.some((a) => a.copyOut.container === e.handle))) {
      containers.add(e.handle);
      for (const m of e.run?.mounts ?? []) if (m.kind === 'volume' && m.source !== '') volumes.add(m.source);
    }
  // Host paths that hold what the pattern extracted: the copies' destinations, and what a host
  // command made of them (`mv`, `cp`, `ln`, `tar -x`), in the script's order.
  const extracted = new Set(artifacts.flatMap((a) => [a.copyOut.hostPath, a.hostPath]));
  for (const e of events) if (e.kind === 'copy-out' && containers.has(e.container)) extracted.add(e.hostPath);
  const related = (p: string, op: string) =>
    [...extracted].some((h) => isWithin(p, h) || (p !== root && (op === 'mkdir' || op === 'rm') && isWithin(h, p)));
  const derives = (e: HostOperation): readonly string[] => {
    if (e.op === 'ln') {
      // `ln [-s] TARGET LINK`: the link is derived from its target, read from the link's directory.
      const target = e.written?.[e.written.length - 1];
      const link = e.paths[e.paths.length - 1];
      return target && link && related(path.resolve(path.dirname(link), target), 'ln') ? e.paths : [];
    }
    if (e.op !== 'mv' && e.op !== 'cp' && e.op !== 'unpack') return [];
    return e.paths.some((p) => related(p, e.op)) ? [...e.paths, ...(e.unpack ? [e.unpack.into] : [])] : [];
  };
  // What a later command makes of them counts from the start (`mkdir -p bin` before `mv app bin/tool`).
  for (let size = -1; size !== extracted.size;) {
    size = extracted.size;
    for (const e of events) if (e.kind === 'host') for (const p of derives(e)) extracted.add(p);
  }
  const steps: RewriteStep[] = [];
  const add = (e: FlowEvent, what: string) =>
    steps.push({ at: e.at, what, ...(e === runtime ? { runtime: true } : {}) });
  for (const e of events) {
    switch (e.kind) {
      case 'build':
        if (replaced.has(e)) add(e, e === runtime ? 'the runtime build' : 'the builder build');
        break;
      case 'create':
        if (containers.has(e.handle))
          add(e, `the builder container (${e.started?.how === 'run' ? 'docker run' : 'docker create'})`);
        break;
      case 'container':
        if (containers.has(e.container)) add(e, `docker ${e.verb} of the builder container`);
        break;
      case 'copy-out':
        if (containers.has(e.container)) add(e, 'the extraction of an artifact');
        break;
      case 'remove': {
        const ours = e.containers.filter((c) => containers.has(c));
        if (ours.length === 0) break;
        if (ours.length !== e.containers.length)
          return { refusal: refuse(e.at, 'it removes the builder container together with another container') };
        add(e, 'the removal of the builder container');
        break;
      }
      case 'host': {
        const ours = e.paths.filter((p) => related(p, e.op));
        if (ours.length === 0) break;
        const outside = e.paths.find((p) => !isWithin(p, root));
        if (!ARTIFACT_OPS.has(e.op) || ours.length !== e.paths.length || outside || e.undecidable.length > 0)
          return {
            refusal: refuse(
              e.at,
              `\`${e.command}\` uses the extracted ${display(ours[0]!)}${outside ? ` and ${display(outside)} outside the directory` : ''}, which the rewritten script no longer puts on the host`,
            ),
          };
        add(e, `\`${e.command}\``);
        break;
      }
    }
  }
  return {
    steps,
    runtime,
    builderNames: [...builderTags, ...[...containers].filter((c) => !c.startsWith('$')), ...volumes],
    extracted: [...extracted].filter((p) => p !== root),
  };
}

function at0(analysis: Analysis): Location {
  return { file: analysis.flow.script, line: 1, column: 1 };
}
