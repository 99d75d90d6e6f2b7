/**
 * What `make GOAL` runs, in order, as one shell script restage's shell analysis can read.
 *
 * Make facts followed: a target's prerequisites are made first, in order, each once; a target
 * with no rule is a file the tree has (made by nothing); every target is taken as out of date (a
 * fresh checkout, where nothing was built yet); each recipe line runs in a shell of its own (so a
 * `cd` or a variable does not outlive its line) unless `.ONESHELL`; a failing line stops make
 * unless it starts with `-`; `$@`, `$<`, `$^`, `$+`, `$?`, `$*` are the automatic variables;
 * target-specific variables hold for the target and what it needs; `$(MAKE) [VAR=value…] TARGET…`
 * alone on a line runs make again on the same Makefile, read anew with those variables.
 *
 * The script: `set -e`, an `export` for each exported variable, then each recipe line as a
 * subshell `(LINE` + newline + `)` (`|| true` after it for `-`), so that the analysis sees a
 * shell's semantics of make's process per line. `origin` maps a line of the script back to the
 * Makefile: diagnostics are located there. test/analyze/make/recipes.test.ts holds the cases.
 */
import { diagnostic, type Diagnostic, type Location } from '../../model/diagnostic.js';
import { expandMake, type MakeHost, type MakeVariable } from './expand.js';
import type { Makefile, MakeRule, RecipeLine } from './read.js';

export interface MakeScript {
  /** The goal made (the one given, else the Makefile's default goal). */
  readonly goal: string | null;
  readonly text: string;
  /** For each line of `text` (index 0 is line 1): where it comes from, and by how many columns it is shifted. */
  readonly origins: readonly ({ readonly at: Location; readonly shift: number } | null)[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface MakeRunOptions {
  /** The Makefile read with these command-line variables (a sub-make re-reads it with its own). */
  readonly read: (commandLine: Readonly<Record<string, string>>) => Makefile;
  readonly goal?: string | null;
  readonly commandLine?: Readonly<Record<string, string>>;
  /** Where the Makefile's line 1 is, for a diagnostic about the goal. */
  readonly file: string;
  /** A tree file's text (from make's directory), for `$(shell cat FILE)` in a recipe's expansion; null: none. */
  readonly readFile?: (name: string) => string | null;
}

const MAX_SUB_MAKES = 8;

export function makeScript(options: MakeRunOptions): MakeScript {
  const lines: string[] = ['set -e'];
  const origins: MakeScript['origins'][number][] = [null];
  const diagnostics: Diagnostic[] = [];
  const hosts = new Map<Makefile, MakeHost>();
  const top = options.read(options.commandLine ?? {});
  diagnostics.push(...top.diagnostics);
  const goal = options.goal ?? top.defaultGoal;
  if (goal === null) {
    diagnostics.push(
      diagnostic(
        'RS362',
        { file: options.file, line: 1, column: 1 },
        `${options.file} has no target: make alone would stop ("No targets"); name the target that builds the runtime image with --make-target`,
      ),
    );
    return { goal, text: '', origins: [], diagnostics };
  }
  for (const name of [...top.exported].sort()) {
    const v = top.variables.get(name);
    if (!v || v.origin === 'environment') continue;
    const value = expandMake(v.flavor === 'simple' ? v.value.replace(/\$/g, '$$$$') : v.value, (n) =>
      top.variables.get(n),
    );
    if ('unknown' in value) continue;
    lines.push(`export ${name}=${shellWord(value.text)}`);
    origins.push(null);
  }
  run(top, [goal], options.commandLine ?? {}, 0, { file: options.file, line: 1, column: 1 });
  return { goal, text: lines.join('\n') + '\n', origins, diagnostics };

  function run(makefile: Makefile, goals: string[], commandLine: Record<string, string>, depth: number, at: Location) {
    const done = new Set<string>();
    const visiting = new Set<string>();
    for (const g of goals) {
      if (!makefile.rules.has(g)) {
        diagnostics.push(
          diagnostic(
            'RS362',
            at,
            `make has no rule to make target \`${g}\` in ${options.file}; name the target that builds the runtime image with --make-target`,
          ),
        );
        continue;
      }
      visit(g, new Map());
    }

    function visit(target: string, inherited: ReadonlyMap<string, MakeVariable>) {
      if (done.has(target) || visiting.has(target)) return;
      const explicit = makefile.rules.get(target);
      const implicit =
        (explicit?.recipe.length ?? 0) > 0 || makefile.phony.has(target) ? null : patternRule(target, explicit);
      const rule = implicit?.rule ?? explicit;
      if (!rule) return;
      visiting.add(target);
      const vars = new Map([...inherited, ...(explicit?.variables ?? []), ...rule.variables]);
      for (const p of rule.prerequisites) visit(p, vars);
      const recipe = rule.recipe
        .map((line) => expandLine(rule, line, vars, implicit?.stem ?? ''))
        .filter((l) => l !== null);
      if (makefile.oneshell && recipe.length > 0) emit(recipe, recipe[0]!.line.ignoreErrors);
      else for (const l of recipe) if (!subMake(l)) emit([l], l.line.ignoreErrors);
      visiting.delete(target);
      done.add(target);
    }

    /** The pattern rule that makes `target`, as a rule for it (prerequisites with the stem in), or null. */
    function patternRule(target: string, explicit: MakeRule | undefined): { rule: MakeRule; stem: string } | null {
      const matches = makefile.patternRules
        .map((rule) => ({ rule, match: matchPattern(rule.target, target) }))
        .filter((m): m is { rule: Makefile['patternRules'][number]; match: PatternMatch } => m.match !== null)
        .sort((a, b) => a.match.stem.length - b.match.stem.length);
      const chosen = matches[0];
      if (!chosen) return null;
      const reason = chosen.rule.grouped
        ? `its pattern rule \`${chosen.rule.target}\` names several targets, which make makes with one run of the recipe; restage does not follow such a rule`
        : matches.length > 1 && !chosen.rule.prerequisites.every((p) => !p.includes('%') && makefile.rules.has(p))
          ? `${matches.length} pattern rules match it (${matches.map((m) => `\`${m.rule.target}\` at line ${m.rule.at.line}`).join(', ')}), and make takes the first whose prerequisites exist or can be made, which depends on the files at hand`
          : null;
      if (reason !== null) {
        diagnostics.push(
          diagnostic(
            'RS360',
            chosen.rule.at,
            `the target \`${target}\`: ${reason}; restage does not guess what make would run here — give the target a rule of its own, or migrate this step by hand`,
          ),
        );
        return null;
      }
      const { stem, dir } = chosen.match;
      const own = chosen.rule.prerequisites.map((p) => (p.includes('%') ? dir + p.replace('%', stem) : p));
      return {
        rule: {
          ...chosen.rule,
          target,
          prerequisites: [...own, ...(explicit?.prerequisites ?? []).filter((p) => !own.includes(p))],
        },
        stem: dir + stem,
      };
    }

    function expandLine(rule: MakeRule, line: RecipeLine, vars: ReadonlyMap<string, MakeVariable>, stem: string) {
      const prerequisites = rule.prerequisites;
      const automatic: Record<string, string> = {
        '@': rule.target,
        '<': prerequisites[0] ?? '',
        '^': [...new Set(prerequisites)].join(' '),
        '+': prerequisites.join(' '),
        '?': [...new Set(prerequisites)].join(' '),
        '*': stem,
      };
      const scope = (name: string): MakeVariable | undefined =>
        name in automatic
          ? { value: automatic[name]!, flavor: 'simple' }
          : (vars.get(name) ??
            makefile.variables.get(name) ??
            (name === 'MAKE' ? { value: 'make', flavor: 'simple' } : undefined));
      const expanded = expandMake(line.text, scope, host(makefile));
      if ('unknown' in expanded) {
        diagnostics.push(
          diagnostic(
            'RS360',
            line.at,
            `the recipe line of ${rule.target}: ${expanded.unknown}; restage does not guess what make would run here — write it with values restage can read, or migrate this step by hand`,
          ),
        );
        return null;
      }
      return { line, text: expanded.text };
    }

    /** A line that is a sub-make of this Makefile: its goals are run in place. Other sub-makes are reported. */
    function subMake(l: { line: RecipeLine; text: string }): boolean {
      const words = l.text.trim().split(/\s+/);
      const raw = l.line.text.trim();
      if (!/^(\$\(MAKE\)|\$\{MAKE\}|make)(\s|$)/.test(raw)) {
        // Quoted text (an `echo "make image"`) runs no make.
        const unquoted = raw.replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, "''");
        if (/\$\(MAKE\)|\$\{MAKE\}|(^|[;&|(]\s*)make\s/.test(unquoted))
          diagnostics.push(
            diagnostic(
              'RS360',
              l.line.at,
              `\`${raw}\` runs make inside a longer command; restage follows a sub-make only on a line of its own (\`$(MAKE) [VAR=value…] TARGET…\`): put it on its own line, or migrate this step by hand`,
            ),
          );
        return false;
      }
      const vars: Record<string, string> = { ...commandLine };
      const goals: string[] = [];
      for (const w of words.slice(1)) {
        const eq = /^([A-Za-z_][A-Za-z0-9_.]*)=(.*)$/.exec(w);
        if (eq) vars[eq[1]!] = eq[2]!;
        else if (w === '-s' || w === '--silent' || w === '--no-print-directory') continue;
        else if (w.startsWith('-')) {
          diagnostics.push(
            diagnostic(
              'RS360',
              l.line.at,
              `\`${raw}\`: restage does not follow a sub-make with \`${w}\` (another directory or Makefile, or make's own modes); migrate this step by hand`,
            ),
          );
          return true;
        } else goals.push(w);
      }
      if (depth >= MAX_SUB_MAKES) {
        diagnostics.push(
          diagnostic(
            'RS360',
            l.line.at,
            `sub-makes nest more than ${MAX_SUB_MAKES} deep here; restage stops following them`,
          ),
        );
        return true;
      }
      const again = options.read(vars);
      diagnostics.push(
        ...again.diagnostics.filter((d) => !diagnostics.some((e) => e.message === d.message && e.line === d.line)),
      );
      const subGoals = goals.length > 0 ? goals : again.defaultGoal ? [again.defaultGoal] : [];
      run(again, subGoals, vars, depth + 1, l.line.at);
      return true;
    }
  }

  /**
   * `$(shell cat FILE)` while recipes run: the tree's file, unless a recipe line of the Makefile names
   * it as written, outside make references (a recipe that ran before may have written it; restage
   * does not tell which ran).
   */
  function host(makefile: Makefile): MakeHost | undefined {
    const readFile = options.readFile;
    if (!readFile) return undefined;
    const known = hosts.get(makefile);
    if (known) return known;
    // A make reference (`$(CHANNEL)`) names a variable, not the file.
    const recipes = [...makefile.rules.values(), ...makefile.patternRules].flatMap((r) =>
      r.recipe.map((l) => l.text.replace(/\$[({][^)}]*[)}]/g, ' ')),
    );
    const made: MakeHost = {
      readFile,
      mayChange: (name) => {
        const word = new RegExp(
          `(^|[\\s'"=:;<>|&(])(\\./)?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[\\s'";<>|&)])`,
        );
        return recipes.some((r) => word.test(r));
      },
    };
    hosts.set(makefile, made);
    return made;
  }

  function emit(recipe: { line: RecipeLine; text: string }[], ignoreErrors: boolean) {
    recipe.forEach((l, i) => {
      const exact = l.text === l.line.text;
      l.text.split('\n').forEach((part, j) => {
        // `((` opens an arithmetic command: a recipe line that is a subshell (`(cd web; make)`) gets a space.
        const open = i === 0 && j === 0 ? (part.startsWith('(') ? '( ' : '(') : '';
        lines.push(`${open}${part}`);
        origins.push(
          // Columns map one to one on a line make passed on as written; a continuation line (its
          // recipe prefix removed) and an expanded line map to where they start.
          exact && j === 0
            ? { at: l.line.at, shift: open.length }
            : { at: exact ? { ...l.line.at, line: l.line.at.line + j, column: 1 } : l.line.at, shift: Number.NaN },
        );
      });
    });
    lines.push(ignoreErrors ? ') || true' : ')');
    origins.push({ at: recipe.at(-1)!.line.at, shift: Number.NaN });
  }
}

interface PatternMatch {
  /** What `%` matched. */
  readonly stem: string;
  /** The target's directory (with its `/`) when the pattern has no `/`, else empty. */
  readonly dir: string;
}

/** How `target` matches the pattern `pattern` (one `%`, a non-empty stem), or null. */
export function matchPattern(pattern: string, target: string): PatternMatch | null {
  const percent = pattern.indexOf('%');
  const [before, after] = [pattern.slice(0, percent), pattern.slice(percent + 1)];
  const slash = pattern.includes('/') ? 0 : target.lastIndexOf('/') + 1;
  const [dir, name] = [target.slice(0, slash), target.slice(slash)];
  if (name.length <= before.length + after.length || !name.startsWith(before) || !name.endsWith(after)) return null;
  return { stem: name.slice(before.length, name.length - after.length), dir };
}

/** Where a location in the generated script lies in the Makefile (its recipe line's start when the line was expanded). */
export function makefileLocation(script: MakeScript, at: { line: number; column: number }): Location | null {
  const origin = script.origins[at.line - 1];
  if (!origin) return null;
  if (Number.isNaN(origin.shift)) return origin.at;
  return { ...origin.at, column: Math.max(origin.at.column, origin.at.column + at.column - 1 - origin.shift) };
}

/** A value as one shell word, single-quoted when it holds anything the shell would read. */
function shellWord(value: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]*$/.test(value) && value !== '' ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
