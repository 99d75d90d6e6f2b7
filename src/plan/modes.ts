/**
 * What the host did to artifacts between extraction and the runtime build (Artifact.modes: host
 * `chmod`s, the 0644 a shell redirection gives the file it creates, src/analyze/stdout.ts, and the
 * post-processing steps of src/analyze/placement.ts: `rm` of a part of an extracted directory,
 * `mkdir`/`mv`/`cp` inside it, `ln -s` of a link inside it, `strip`, the unpack of an archive
 * artifact into a scratch directory), carried into the image. The
 * artifacts are copied from an intermediate stage `FROM <builder> AS <builder>-modes` (only mode
 * changes) or `<builder>-post` that runs the same commands on the container paths, as root, so
 * the image gets what the host round trip gave. A RUN, not `COPY --chmod`: the classic builder
 * has no --chmod, and --chmod takes numeric modes only. A RUN's shell has umask 022, as the shared
 * model (src/shared/host-ops.ts) assumes for the host. A builder stage `FROM scratch` has no shell
 * to run them in, and a tool the builder image may lack (src/plan/tools.ts) is not assumed: the
 * change is then reported (RS308, RS351) and not carried. RS350 says which image runs each step
 * that is not a mode change. An unpack is carried whenever the image is not known to lack its tool
 * (RS356 when restage knows it has it, RS357 when it cannot tell: a missing tool fails the build,
 * it changes nothing silently); a known lack or `FROM scratch` is declined (RS358).
 */
import { diagnostic, type Diagnostic } from '../model/diagnostic.js';
import type { ParsedDockerfile } from '../model/dockerfile.js';
import type { Consumption, HostChange } from '../model/analysis.js';
import type { PlannedStage, TextEdit } from '../model/plan.js';
import { matchCase, type CopySource } from './copies.js';
import type { StageNames } from './names.js';

export interface ModeSource {
  readonly source: CopySource;
  /** The stage's name, when the artifact comes from a builder stage of the migration. */
  readonly stageName: string | null;
  /** The builder stage has no shell (`FROM scratch`). */
  readonly noShell: boolean;
  /** The image the stage starts from, as its FROM names it (for the report). */
  readonly image?: string;
  /** Why the stage has the tool, or null when restage cannot tell (src/plan/tools.ts). */
  readonly tool?: (name: string) => string | null;
  /** Why the stage lacks the tool, or null when restage cannot tell (src/plan/tools.ts). */
  readonly lacks?: (name: string) => string | null;
}

export interface ModePlan {
  /** Where a consumption copies from: the mode stage when its artifact had host changes, else its source. */
  readonly sourceOf: (c: Consumption) => CopySource;
  readonly stages: PlannedStage[];
  readonly edits: TextEdit[];
  /** Index of the file's stage the new stages go before (its first stage that copies from one). */
  readonly before: number;
}

export const shellQuote = (p: string) => (/^[\w@%+=:,./-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`);

const isMode = (c: HostChange): c is Extract<HostChange, { mode: string }> =>
  c.origin === 'chmod' || c.origin === 'redirect';

/** The change as a shell command on container paths. */
export function changeCommand(c: HostChange): string {
  if (isMode(c)) return `chmod ${c.recursive ? '-R ' : ''}${c.mode} ${shellQuote(c.containerPath)}`;
  return [...(c.before ?? []), c.argv].map((argv) => argv.map(shellQuote).join(' ')).join(' && ');
}

const written = (c: HostChange) =>
  c.origin === 'redirect'
    ? `the redirection that writes it gives the artifact ${c.containerPath} mode ${c.mode} on the host`
    : isMode(c)
      ? `\`chmod ${c.mode}\` changes the artifact ${c.containerPath} on the host`
      : `\`${c.command}\` changes the extracted artifact on the host`;

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
  const once = (c: HostChange, make: () => Diagnostic) => {
    const at = `${c.at.file}:${c.at.line}:${c.at.column}`;
    if (warned.has(at)) return;
    warned.add(at);
    diagnostics.push(make());
  };
  const carried: { change: HostChange; stage: string; base: ModeSource; why: string | null }[] = [];
  for (const u of uses) {
    const all = u.artifact.changes;
    if (all.length === 0) continue;
    const base = sourceOf(u);
    if (base.noShell) {
      for (const m of all)
        once(m, () =>
          !isMode(m) && m.origin === 'unpack'
            ? diagnostic(
                'RS358',
                m.at,
                `\`${m.command}\` unpacks an extracted archive on the host, and restage replays that in the builder stage (${base.source.ref}), which is FROM scratch and has no shell to run ${m.argv[0]} in: unpack the archive in the builder's Dockerfile (or build it FROM an image with ${m.argv[0]}) and copy the result out instead, and run restage again`,
              )
            : diagnostic(
                'RS308',
                m.at,
                `${written(m)}, but its builder stage (${base.source.ref}) is FROM scratch and has no shell to run ${isMode(m) ? 'chmod' : m.argv[0]} in: the migrated image keeps the artifact as the builder left it; make the change where the artifact is made (or COPY --chmod with BuildKit for a mode) and run restage again`,
              ),
        );
      continue;
    }
    const changes: { change: HostChange; why: string | null }[] = [];
    let unpackable = true;
    for (const m of all) {
      if (m.origin === 'unpack') {
        const tool = m.argv[0]!;
        const lacks = base.lacks?.(tool) ?? null;
        if (lacks !== null) {
          unpackable = false;
          once(m, () =>
            diagnostic(
              'RS358',
              m.at,
              `\`${m.command}\` unpacks an extracted archive on the host, and restage replays that in the builder stage (${base.source.ref}, FROM ${base.image ?? 'an image the script does not build'}), which has no ${tool}: ${lacks}; install it in the builder's Dockerfile (restage then replays the unpack there) or unpack the archive in the builder's RUN and copy the result out, and run restage again`,
            ),
          );
          continue;
        }
        changes.push({ change: m, why: base.tool?.(tool) ?? null });
        continue;
      }
      if (m.origin !== 'strip') {
        changes.push({ change: m, why: null });
        continue;
      }
      const why = base.tool?.(m.argv[0]!) ?? null;
      if (why === null) {
        once(m, () =>
          diagnostic(
            'RS351',
            m.at,
            `\`${m.command}\` runs ${m.argv[0]} on the host; restage cannot tell whether the builder stage (${base.source.ref}, FROM ${base.image ?? 'an image the script does not build'}) has ${m.argv[0]}, so the migrated image keeps the artifact as the builder left it (not stripped): decide where to strip it — install binutils in the builder's Dockerfile (restage then replays the step there) or strip it in the builder's RUN — and run restage again`,
          ),
        );
        continue;
      }
      changes.push({ change: m, why });
    }
    if (changes.length === 0 || !unpackable) continue;
    const onlyModes = changes.every((c) => isMode(c.change));
    const lines = changes.map((c) => changeCommand(c.change));
    const key = `${base.source.ref}\n${lines.join('\n')}`;
    if (!byKey.has(key)) {
      const name = names.claim(`${base.stageName ?? 'artifact'}-${onlyModes ? 'modes' : 'post'}`);
      const keyword = (w: string) => matchCase(runtimeFile.stages[0]!.from.keywordSpan, runtimeFile.text, w);
      const text = [`${keyword('FROM')} ${base.source.ref} ${keyword('AS')} ${name}`];
      // The builder may run as another user; changing files it does not own needs root.
      if (base.source.chown || !onlyModes) text.push(`${keyword('USER')} 0`);
      text.push(`${keyword('RUN')} ${lines.join(' && ')}`);
      byKey.set(key, { name, base, lines: text });
      for (const c of changes) carried.push({ ...c, stage: name, base });
    }
    keyOf.set(u, key);
  }
  for (const c of carried) {
    if (isMode(c.change)) continue;
    const { change } = c;
    if (change.origin === 'unpack') {
      const tool = change.argv[0]!;
      const where = `the stage ${c.stage}, FROM ${c.base.source.ref}${c.base.image ? ` (image ${c.base.image})` : ''}`;
      once(change, () =>
        c.why !== null
          ? diagnostic(
              'RS356',
              change.at,
              `\`${change.command}\` unpacks an extracted archive on the host, whose members restage cannot know; restage replays it as \`RUN ${changeCommand(change)}\` in ${where}, as root (${c.why}), and copies the result from the scratch directory ${change.scratch}, a path restage names so that it is new in the image (the mkdir fails the build if the builder image has it)`,
            )
          : diagnostic(
              'RS357',
              change.at,
              `\`${change.command}\` unpacks an extracted archive on the host; restage replays it as \`RUN ${changeCommand(change)}\` in ${where}, as root, and copies the result from the scratch directory ${change.scratch}, but cannot tell whether that image has ${tool}: the build fails there if it does not; install it in the builder's Dockerfile (then restage knows), and check that the image's ${tool} unpacks as the host's did`,
            ),
      );
      continue;
    }
    once(change, () =>
      diagnostic(
        'RS350',
        change.at,
        `\`${change.command}\` changed the extracted artifact on the host; restage replays it as \`RUN ${changeCommand(change)}\` in the stage ${c.stage}, FROM ${c.base.source.ref}${c.base.image ? ` (image ${c.base.image})` : ''}, as root${c.why ? `: ${c.why}` : ''}${change.origin === 'strip' ? `; the image's ${change.argv[0]} runs it, not the host's, so check that both are the same version` : ''}`,
      ),
    );
  }
  if (byKey.size === 0) return { sourceOf: (c) => sourceOf(c).source, stages: [], edits: [], before: 0 };
  return {
    sourceOf: (c) => {
      const key = keyOf.get(c);
      return key ? { ...sourceOf(c).source, ref: byKey.get(key)!.name } : sourceOf(c).source;
    },
    ...insertStages(runtimeFile, [...keyOf.keys()], [...byKey.values()]),
  };
}

/** An intermediate stage of the plan: its name, where it starts FROM, its Dockerfile lines. */
export interface StageText {
  readonly name: string;
  readonly base: ModeSource;
  readonly lines: readonly string[];
}

/**
 * Intermediate stages written into `file` before its first stage that copies from one (`users`
 * are the consumptions that do), one blank line apart: the planned stages, the edit, and the index
 * of the stage they go before.
 */
export function insertStages(
  file: ParsedDockerfile,
  users: readonly Consumption[],
  groups: readonly StageText[],
): { stages: PlannedStage[]; edits: TextEdit[]; before: number } {
  const before = Math.min(...users.map((u) => u.instruction.stage));
  const at = file.stages[before]!.from.start;
  return {
    stages: groups.map((g) => ({ name: g.name, from: g.base.source.ref, source: file.file, role: 'other' as const })),
    edits: [{ start: at, end: at, text: `${groups.map((g) => g.lines.join('\n')).join('\n\n')}\n\n` }],
    before,
  };
}
