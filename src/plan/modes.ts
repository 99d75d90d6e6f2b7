/**
 * Modes the host gave artifacts (Artifact.modes: host `chmod`s, and the 0644 a shell redirection
 * gives the file it creates, src/analyze/stdout.ts) carried into the image. The artifacts are copied
 * from an intermediate stage `FROM <builder> AS <builder>-modes` that runs the same chmods, so the
 * image gets the mode the host round trip gave. A RUN, not `COPY --chmod`: the classic builder
 * has no --chmod, and --chmod takes numeric modes only. A RUN's shell has umask 022, as the
 * shared model (src/shared/host-ops.ts) assumes for the host. A builder stage `FROM scratch`
 * has no shell to run chmod in: the change is then reported (RS308) and not carried.
 */
import { diagnostic, type Diagnostic } from '../model/diagnostic.js';
import type { ParsedDockerfile } from '../model/dockerfile.js';
import type { Consumption } from '../model/analysis.js';
import type { PlannedStage, TextEdit } from '../model/plan.js';
import { matchCase, type CopySource } from './copies.js';
import type { StageNames } from './names.js';

export interface ModeSource {
  readonly source: CopySource;
  /** The stage's name, when the artifact comes from a builder stage of the migration. */
  readonly stageName: string | null;
  /** The builder stage has no shell (`FROM scratch`). */
  readonly noShell: boolean;
}

export interface ModePlan {
  /** Where a consumption copies from: the mode stage when its artifact had chmods, else its source. */
  readonly sourceOf: (c: Consumption) => CopySource;
  readonly stages: PlannedStage[];
  readonly edits: TextEdit[];
}

const shellQuote = (p: string) => (/^[\w@%+=:,./-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`);

export function planModes(
  uses: readonly Consumption[],
  sourceOf: (c: Consumption) => ModeSource,
  runtimeFile: ParsedDockerfile,
  names: StageNames,
  diagnostics: Diagnostic[],
): ModePlan {
  const byKey = new Map<string, { name: string; base: ModeSource; lines: string[] }>();
  const keyOf = new Map<Consumption, string>();
  const warned = new Set<string>();
  for (const u of uses) {
    const modes = u.artifact.modes;
    if (modes.length === 0) continue;
    const base = sourceOf(u);
    if (base.noShell) {
      for (const m of modes) {
        const at = `${m.at.line}:${m.at.column}`;
        if (warned.has(at)) continue;
        warned.add(at);
        diagnostics.push(
          diagnostic(
            'RS308',
            m.at,
            `${m.origin === 'redirect' ? `the redirection that writes it gives the artifact ${m.containerPath} mode ${m.mode} on the host` : `\`chmod ${m.mode}\` changes the artifact ${m.containerPath} on the host`}, but its builder stage (${base.source.ref}) is FROM scratch and has no shell to run chmod in: the migrated image keeps the builder's mode; set the mode where the artifact is made (or COPY --chmod with BuildKit) and run restage again`,
          ),
        );
      }
      continue;
    }
    const key = `${base.source.ref}\n${modes.map((m) => `${m.recursive}:${m.mode}:${m.containerPath}`).join('\n')}`;
    if (!byKey.has(key)) {
      const name = names.claim(`${base.stageName ?? 'artifact'}-modes`);
      const keyword = (w: string) => matchCase(runtimeFile.stages[0]!.from.keywordSpan, runtimeFile.text, w);
      const lines = [`${keyword('FROM')} ${base.source.ref} ${keyword('AS')} ${name}`];
      // The builder may run as another user; chmod of files it does not own needs root.
      if (base.source.chown) lines.push(`${keyword('USER')} 0`);
      lines.push(
        `${keyword('RUN')} ${modes.map((m) => `chmod ${m.recursive ? '-R ' : ''}${m.mode} ${shellQuote(m.containerPath)}`).join(' && ')}`,
      );
      byKey.set(key, { name, base, lines });
    }
    keyOf.set(u, key);
  }
  if (byKey.size === 0) return { sourceOf: (c) => sourceOf(c).source, stages: [], edits: [] };
  const firstStage = Math.min(...[...keyOf.keys()].map((u) => u.instruction.stage));
  const at = runtimeFile.stages[firstStage]!.from.start;
  const groups = [...byKey.values()];
  return {
    sourceOf: (c) => {
      const key = keyOf.get(c);
      return key ? { ...sourceOf(c).source, ref: byKey.get(key)!.name } : sourceOf(c).source;
    },
    stages: groups.map((g) => ({
      name: g.name,
      from: g.base.source.ref,
      source: runtimeFile.file,
      role: 'other' as const,
    })),
    edits: [{ start: at, end: at, text: `${groups.map((g) => g.lines.join('\n')).join('\n\n')}\n\n` }],
  };
}
