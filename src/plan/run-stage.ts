/**
 * Run stages: an artifact copied out of a container whose command ran (Artifact.run, a run-time
 * build) is copied from `FROM <builder> AS <builder>-run`, a stage that runs the same commands in
 * order, each as an exec-form `RUN ["argv0", …]` — the exact argv docker ran, no shell added —
 * in the run's working directory (`WORKDIR`), user (`USER`) and literal environment (`ENV`).
 *
 * Bind mounts of the run: a host directory that held files before the script ran is `COPY`ed
 * from the build context to the mount point before the commands (the merged context must hold
 * it, else RS332); one docker (or a `mkdir`) made empty becomes an empty directory at the mount
 * point (`WORKDIR` makes it, 0755 root-owned, as docker's bind of a directory it creates shows
 * it). What the image already held below a mount point was hidden from the command by the mount
 * but stays in the stage: restage keeps it (removing it would need a shell in the builder and
 * change what `COPY --from` of a directory gives), so a command that reads a mount point sees
 * the image's files besides the copied ones (test/plan/run-stage.test.ts shows the stage;
 * verify compares the result).
 *
 * A step whose output the script redirected into a host file (RunStep.stdoutTo) runs as
 * `RUN ["/bin/sh", "-c", "exec \"$0\" \"$@\" > PATH", argv…]`: the shell opens PATH, then
 * `exec` replaces it with the same argv, so the command runs as docker ran it, its standard output
 * in PATH and its standard error in the build log. PATH's directory is made first (by root, mode
 * 1777, when the step runs as another user restage knows).
 *
 * COPY from the context gives 0:0 files with the host's modes; the command saw them owned by
 * whoever ran the script. Modes stages (src/plan/modes.ts) start FROM the run stage.
 */
import path from 'node:path';
import { diagnostic, type Diagnostic } from '../model/diagnostic.js';
import type { ParsedDockerfile } from '../model/dockerfile.js';
import type { Consumption, ContainerRun } from '../model/analysis.js';
import type { PlannedStage, TextEdit } from '../model/plan.js';
import { isWithin } from '../shared/paths.js';
import { matchCase } from './copies.js';
import { insertStages, type ModeSource } from './modes.js';
import type { StageNames } from './names.js';

export interface RunStagePlan {
  /** Where a consumption's artifact is read: its run stage when its container ran, else its source. */
  readonly sourceOf: (c: Consumption) => ModeSource;
  readonly stages: PlannedStage[];
  readonly edits: TextEdit[];
  /** Index of the file's stage the run stages go before (its first stage that copies from one). */
  readonly before: number;
}

const SAFE = /^[\w@%+=:,./-]+$/;

/** The Dockerfile lines of one run stage; null with diagnostics when a bind source is outside the context. */
export function runStageLines(
  run: ContainerRun,
  from: string,
  name: string,
  context: string,
  keyword: (w: string) => string,
  escapeChar: string,
  display: (p: string) => string,
  diagnostics: Diagnostic[],
): string[] | null {
  const lines = [`${keyword('FROM')} ${from} ${keyword('AS')} ${name}`];
  let ok = true;
  let workdir: string | null = null;
  let user: string | null = null;
  const env = new Map<string, string>();
  for (const step of run.steps) {
    for (const b of step.binds) {
      if (b.source === null) {
        lines.push(`${keyword('WORKDIR')} ${quoted(b.target, escapeChar)}`);
        workdir = b.target;
        continue;
      }
      if (!isWithin(b.source, context)) {
        ok = false;
        diagnostics.push(
          diagnostic(
            'RS332',
            b.at,
            `the bind-mounted directory ${display(b.source)} is outside the build context of the migrated Dockerfile (${display(context) || '.'}), so the run stage cannot COPY it; mount a directory inside the context (or build from a context that holds it) and run restage again`,
          ),
        );
        continue;
      }
      const rel = path.relative(context, b.source) || '.';
      const src = rel === '.' ? '.' : `${rel}/`;
      lines.push(
        SAFE.test(src) && SAFE.test(b.target)
          ? `${keyword('COPY')} ${src} ${b.target}`
          : `${keyword('COPY')} ${JSON.stringify([src, b.target])}`,
      );
    }
    if (step.workdir !== null && step.workdir !== workdir) {
      lines.push(`${keyword('WORKDIR')} ${quoted(step.workdir, escapeChar)}`);
      workdir = step.workdir;
    }
    const output = step.stdoutTo;
    const dir = output === undefined ? '' : path.posix.dirname(output);
    const asRoot = (u: string | null) => u === null || ROOT.test(u);
    let runAs = step.user;
    if (output !== undefined && !asRoot(step.user ?? user)) {
      // A user other than root cannot make a directory in /: root makes it, writable by all.
      if (user !== '0') lines.push(`${keyword('USER')} 0`);
      lines.push(`${keyword('RUN')} ${execForm(['/bin/sh', '-c', `mkdir -p ${dir} && chmod 1777 ${dir}`])}`);
      runAs = step.user ?? user;
      user = '0';
    }
    if (runAs !== null && runAs !== user) {
      lines.push(`${keyword('USER')} ${quoted(runAs, escapeChar)}`);
      user = runAs;
    }
    const fresh = step.env.filter(([k, v]) => env.get(k) !== v);
    if (fresh.length > 0) {
      lines.push(`${keyword('ENV')} ${fresh.map(([k, v]) => `${k}=${quoted(v, escapeChar)}`).join(' ')}`);
      for (const [k, v] of fresh) env.set(k, v);
    }
    if (output === undefined) lines.push(`${keyword('RUN')} ${execForm(step.argv)}`);
    else {
      // `$0` and `$@` are the argv as exec form gives it, with no word of it read by the shell.
      const mkdir = asRoot(user) ? `mkdir -p ${dir} && ` : '';
      lines.push(
        `${keyword('RUN')} ${execForm(['/bin/sh', '-c', `${mkdir}exec "$0" "$@" > ${output}`, ...step.argv])}`,
      );
    }
  }
  return ok ? lines : null;
}

const ROOT = /^(0|root)(:(0|root))?$/;

const execForm = (argv: readonly string[]) => `[${argv.map((a) => JSON.stringify(a)).join(', ')}]`;

/**
 * A word of WORKDIR/USER/ENV as the Dockerfile reads it: those instructions expand `$VAR`, and
 * ENV takes quotes and the escape character, so anything but plain characters is written in
 * double quotes with `"`, `$` and the escape character escaped.
 */
function quoted(value: string, escapeChar: string): string {
  if (SAFE.test(value)) return value;
  const e = escapeChar;
  return `"${value.replace(new RegExp(`[${e === '\\' ? '\\\\' : e}"$]`, 'g'), (c) => `${e}${c}`)}"`;
}

export function planRunStages(
  uses: readonly Consumption[],
  sourceOf: (c: Consumption) => ModeSource,
  runtimeFile: ParsedDockerfile,
  names: StageNames,
  context: string,
  display: (p: string) => string,
  diagnostics: Diagnostic[],
): RunStagePlan {
  const byKey = new Map<string, { name: string; base: ModeSource; lines: string[] }>();
  const keyOf = new Map<Consumption, string>();
  const keyword = (w: string) => matchCase(runtimeFile.stages[0]!.from.keywordSpan, runtimeFile.text, w);
  for (const u of uses) {
    const run = u.artifact.run;
    if (!run || run.steps.length === 0) continue;
    const base = sourceOf(u);
    const key = `${base.source.ref}\n${JSON.stringify(run.steps)}`;
    if (!byKey.has(key)) {
      const name = names.claim(`${base.stageName ?? 'artifact'}-run`);
      const lines = runStageLines(
        run,
        base.source.ref,
        name,
        context,
        keyword,
        runtimeFile.escapeChar,
        display,
        diagnostics,
      );
      if (lines === null) continue;
      byKey.set(key, { name, base, lines });
    }
    keyOf.set(u, key);
  }
  if (byKey.size === 0) return { sourceOf, stages: [], edits: [], before: 0 };
  return {
    sourceOf: (c) => {
      const key = keyOf.get(c);
      if (!key) return sourceOf(c);
      const g = byKey.get(key)!;
      return { ...g.base, source: { ...g.base.source, ref: g.name }, stageName: g.name };
    },
    ...insertStages(runtimeFile, [...keyOf.keys()], [...byKey.values()]),
  };
}
