/**
 * Which script a migration analyses. Pure: the shapes of the scripts and the confinement's verdict
 * on `--script` come in as data; the runner reads and analyses the scripts.
 */
import path from 'node:path';
import { diagnostic, type Diagnostic } from '../model/diagnostic.js';
import { refusalText, type Checked } from './confine.js';

/**
 * How far a script is a builder pattern: `pipeline` builds an image, extracts from a container and
 * builds an image that consumes the extracted artifact; `builds` builds without that; `none` builds
 * nothing (a launcher, a deploy script); `unknown` could not be analysed.
 */
export type ScriptShape = 'pipeline' | 'builds' | 'none' | 'unknown';

/** The shape of a script from its analysis: null when it could not be parsed. */
export function scriptShape(analysed: { readonly builds: number; readonly consumptions: number } | null): ScriptShape {
  if (!analysed) return 'unknown';
  if (analysed.builds === 0) return 'none';
  return analysed.consumptions > 0 ? 'pipeline' : 'builds';
}

export interface ScriptChoice {
  readonly script: string | null;
  readonly diagnostics: Diagnostic[];
}

/**
 * The script to migrate: the only one, or the only candidate pipeline. Several candidates are never
 * chosen between (RS110): `--script` picks one. Without a pipeline, the only script that builds (or
 * could not be analysed) is analysed, so that its diagnostics say why it is no pipeline.
 * `shapeOf` is called only when there are several scripts.
 */
export function chooseScript(
  scripts: readonly string[],
  shapeOf: (name: string) => ScriptShape,
  shown: (name: string) => string,
): ScriptChoice {
  if (scripts.length <= 1) return { script: scripts[0] ?? null, diagnostics: [] };
  const shapes = new Map(scripts.map((s) => [s, shapeOf(s)]));
  const pipelines = scripts.filter((s) => shapes.get(s) === 'pipeline');
  const candidates =
    pipelines.length > 0 ? pipelines : scripts.filter((s) => shapes.get(s) === 'builds' || shapes.get(s) === 'unknown');
  if (candidates.length <= 1) return { script: candidates[0] ?? null, diagnostics: [] };
  return {
    script: null,
    diagnostics: [
      diagnostic(
        'RS110',
        { file: shown(candidates[0]!), line: 1, column: 1 },
        `${candidates.length} scripts ${pipelines.length > 0 ? 'each build a builder pattern (build, extract, build the runtime)' : 'build images'}: ${candidates.map(shown).join(', ')}; one migration makes one Dockerfile, and restage does not choose between them: pick one with --script FILE (relative to the directory), e.g. --script ${candidates[0]}`,
      ),
    ],
  };
}

/**
 * The script `--script` names (`given`, relative to `root`), which the confinement `checked` at
 * `abs`: it must be a regular file inside the directory (links inside it included), else RS111.
 */
export function namedScript(
  given: string,
  root: string,
  abs: string,
  checked: Checked,
  display: (absolutePath: string) => string,
): ScriptChoice {
  if (checked.ok && checked.kind === 'file') return { script: path.relative(root, abs), diagnostics: [] };
  const why = checked.ok
    ? 'it is a directory'
    : checked.reason === 'missing'
      ? `there is no file ${display(abs)}`
      : `it ${refusalText(checked.reason)}`;
  return {
    script: null,
    diagnostics: [
      diagnostic(
        'RS111',
        { file: display(root), line: 1, column: 1 },
        `--script ${given}: ${why}; --script takes the path of a build script inside the directory, relative to it (e.g. --script build.sh)`,
      ),
    ],
  };
}

export interface GoalChoice {
  /** The goal to make, or null when the Makefile has none. */
  readonly goal: string | null;
  /** Why this one, for the report: the default goal, or the target that builds the runtime image. */
  readonly why: string;
}

/** Make at most this many targets' scripts when looking for the one that builds the runtime image. */
const MAX_GOALS = 40;

/**
 * The target `make` is asked for when the user names none (`--make-target`): the default goal when
 * it is a builder pattern; else, of the targets that are, the one whose recipe walk is shortest
 * (`release: image push` needs `image`, whose walk is shorter), ties in the Makefile's order; else
 * the default goal, whose analysis says why it is no pipeline. `walk(goal)` is the goal's shape
 * and how much it does (lines of its script, or events). The same choice picks the argument of a
 * `case "$1"` dispatch (no default goal there: `defaultGoal` null), and the script of a package.json
 * (`noun` says what the report calls a target: a package.json has scripts).
 */
export function chooseGoal(
  defaultGoal: string | null,
  targets: readonly string[],
  walk: (goal: string) => { readonly shape: ScriptShape; readonly lines: number },
  noun: 'target' | 'script' = 'target',
): GoalChoice {
  if (defaultGoal !== null && walk(defaultGoal).shape === 'pipeline')
    return { goal: defaultGoal, why: 'the default goal, which builds the runtime image' };
  const walked = targets
    .filter((t) => t !== defaultGoal)
    .slice(0, MAX_GOALS)
    .map((goal, order) => ({ goal, order, ...walk(goal) }))
    .sort((a, b) => a.lines - b.lines || a.order - b.order);
  const pipelines = walked.filter((t) => t.shape === 'pipeline');
  const first = pipelines[0];
  if (!first) {
    // No builder pattern (an already migrated Makefile): the default goal, unless it builds
    // nothing and another target builds images; then the one that does most, whose analysis
    // then says what it does.
    const builds = [...walked].reverse().find((t) => t.shape === 'builds');
    if (builds && (defaultGoal === null || walk(defaultGoal).shape === 'none'))
      return {
        goal: builds.goal,
        why: `the ${noun} that builds an image${defaultGoal !== null ? `, which the default goal ${defaultGoal} does not` : ''}`,
      };
    return { goal: defaultGoal, why: 'the default goal' };
  }
  const others = pipelines.slice(1).map((p) => p.goal);
  return {
    goal: first.goal,
    why: `the ${noun} that builds the runtime image${defaultGoal !== null ? `, which the default goal ${defaultGoal} does not` : ''}${others.length > 0 ? `; ${others.join(', ')} ${others.length === 1 ? 'does' : 'do'} too, with more steps` : ''}`,
  };
}
