/**
 * Make's read phase, as GNU make does it, over a Makefile's text: logical lines (a backslash-newline
 * joins lines; outside recipes it and the white space around it become one space), comments,
 * variable assignments (`=`, `:=`, `::=`, `:::=`, `?=`, `+=`, `!=`, with `override` and `export`),
 * `define`/`endef`, conditionals (`ifeq`/`ifneq`/`ifdef`/`ifndef`/`else`/`endif`, evaluated with
 * the variables as they are at that line), `include`/`-include`/`sinclude` (through `readFile`),
 * rules (`targets: prerequisites [; recipe]`, `::`, order-only `|`), target-specific assignments,
 * recipe lines (a tab, or `.RECIPEPREFIX`), `.PHONY`, `.ONESHELL`, `.DEFAULT_GOAL`.
 *
 * Precedence (GNU make's): a command-line variable wins over the Makefile's assignments unless
 * `override`; the Makefile's win over the environment's; `?=` sets only an undefined variable. Pure:
 * the caller reads files. What restage cannot evaluate (a condition on `$(shell …)`, an included
 * file name it cannot know) is an error located on the Makefile's line. Pattern rules (`bin/%: src/%.c`) are
 * kept apart, in file order, for the recipe walk to match a target against.
 * test/analyze/make/read.test.ts holds the cases.
 */
import { diagnostic, type Diagnostic, type Location } from '../../model/diagnostic.js';
import { expandMake, topLevelIndex, type MakeHost, type MakeVariable } from './expand.js';

export interface RecipeLine {
  /** The command text as make hands it to the shell after its prefixes (`@`, `-`, `+`), unexpanded. */
  readonly text: string;
  /** Where the text starts in the Makefile. */
  readonly at: Location;
  readonly ignoreErrors: boolean;
}

export interface MakeRule {
  readonly target: string;
  readonly prerequisites: readonly string[];
  readonly recipe: readonly RecipeLine[];
  readonly at: Location;
  /** Assignments that hold while this target (and what it needs) is made. */
  readonly variables: ReadonlyMap<string, MakeVariable>;
}

export interface Makefile {
  readonly rules: ReadonlyMap<string, MakeRule>;
  /**
   * The pattern rules, in file order: `target` holds the `%`; `grouped` when the rule names several
   * targets (make runs such a recipe once for all of them).
   */
  readonly patternRules: readonly (MakeRule & { readonly grouped: boolean })[];
  /** The first target that does not start with `.` (or `.DEFAULT_GOAL`): what `make` alone makes. */
  readonly defaultGoal: string | null;
  readonly variables: ReadonlyMap<string, MakeVariable & { readonly origin: 'file' | 'command' | 'environment' }>;
  readonly exported: ReadonlySet<string>;
  readonly phony: ReadonlySet<string>;
  readonly oneshell: boolean;
  readonly diagnostics: readonly Diagnostic[];
}

export interface ReadOptions {
  /** `make VAR=value`: wins over the Makefile's own assignments unless `override`. */
  readonly commandLine?: Readonly<Record<string, string>>;
  /** The environment make starts in: the Makefile's assignments win over it. */
  readonly environment?: Readonly<Record<string, string>>;
  /** An included file's text (the name as the Makefile gives it, resolved by the caller), or null when missing. */
  readonly readFile?: (name: string) => { readonly display: string; readonly text: string } | null;
}

type Variable = MakeVariable & { origin: 'file' | 'command' | 'environment' };

const ASSIGNMENT =
  /^((?:override|export|private)\s+)*([^\s:#=$]*(?:\$[({][^)}]*[)}][^\s:#=$]*)*)\s*(:::=|::=|:=|\?=|\+=|!=|=)\s*/;

interface Open {
  /** Whether lines are being kept at this level, and whether a branch was already taken. */
  active: boolean;
  taken: boolean;
  /** The line (0-based) of its `if…`. */
  line: number;
}

export function readMakefile(file: string, text: string, options: ReadOptions = {}): Makefile {
  const variables = new Map<string, Variable>();
  for (const [k, v] of Object.entries(options.environment ?? {}))
    variables.set(k, { value: v, flavor: 'simple', origin: 'environment' });
  for (const [k, v] of Object.entries(options.commandLine ?? {}))
    variables.set(k, { value: v, flavor: 'simple', origin: 'command' });
  const rules = new Map<
    string,
    {
      target: string;
      prerequisites: string[];
      recipe: RecipeLine[];
      at: Location;
      variables: Map<string, MakeVariable>;
    }
  >();
  const patternRules: (MakeRule & { recipe: RecipeLine[]; grouped: boolean })[] = [];
  const exported = new Set<string>(Object.keys(options.environment ?? {}));
  const phony = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  let defaultGoal: string | null = null;
  let oneshell = false;
  const scope = (name: string) => variables.get(name);
  const host: MakeHost | undefined = options.readFile && {
    readFile: (name: string) => options.readFile!(name)?.text ?? null,
  };

  const readOne = (name: string, body: string, depth: number): void => {
    const lines = body.split('\n');
    const conditions: Open[] = [];
    const active = () => conditions.every((c) => c.active);
    let current: { targets: string[]; patterns?: { recipe: RecipeLine[] }[] } | null = null;
    let define: { name: string; op: string; lines: string[]; at: Location; override: boolean; export: boolean } | null =
      null;
    const at = (line: number, column = 1): Location => ({ file: name, line: line + 1, column });
    const unknown = (line: number, column: number, what: string, why: string) =>
      diagnostics.push(
        diagnostic(
          'RS360',
          at(line, column),
          `${what}: ${why}; restage does not guess what make would do here — write it with values restage can read, or migrate this step by hand`,
        ),
      );
    for (let i = 0; i < lines.length; i++) {
      const start = i;
      let line = lines[i]!.replace(/\r$/, '');
      const prefix = (variables.get('.RECIPEPREFIX')?.value ?? '\t')[0] ?? '\t';
      // A recipe line: under a rule, starting with the recipe prefix.
      if (current && line.startsWith(prefix) && define === null) {
        let body = line.slice(1);
        while (body.endsWith('\\') && i + 1 < lines.length) {
          const next = lines[++i]!.replace(/\r$/, '');
          body += '\n' + (next.startsWith(prefix) ? next.slice(1) : next);
        }
        if (!active()) continue;
        const m = /^[ \t]*([@+-]*)[ \t]*/.exec(body)!;
        const recipe: RecipeLine = {
          text: body.slice(m[0].length),
          at: at(start, 2 + m[0].length),
          ignoreErrors: m[1]!.includes('-'),
        };
        for (const t of current.targets) rules.get(t)?.recipe.push(recipe);
        for (const p of current.patterns ?? []) p.recipe.push(recipe);
        continue;
      }
      while (line.endsWith('\\') && i + 1 < lines.length)
        line = line.slice(0, -1).replace(/[ \t]+$/, '') + ' ' + lines[++i]!.replace(/\r$/, '').replace(/^[ \t]+/, '');
      if (define) {
        if (/^\s*endef\b/.test(line)) {
          if (active())
            assign(define.name, define.op, define.lines.join('\n'), define.override, define.export, define.at);
          define = null;
        } else define.lines.push(lines[i]!.replace(/\r$/, ''));
        continue;
      }
      const stripped = stripComment(line);
      const trimmed = stripped.trim();
      if (trimmed === '') continue;
      const directive = /^(ifeq|ifneq|ifdef|ifndef|else|endif)\b\s*(.*)$/.exec(trimmed);
      if (directive) {
        const [, word, rest] = directive as unknown as [string, string, string];
        if (word === 'endif') {
          if (conditions.pop() === undefined)
            unknown(start, 1, '`endif` without a conditional', 'make stops with an error here');
        } else if (word === 'else') {
          const open = conditions.at(-1);
          if (!open) {
            unknown(start, 1, '`else` without a conditional', 'make stops with an error here');
            continue;
          }
          const chained = /^(ifeq|ifneq|ifdef|ifndef)\b\s*(.*)$/.exec(rest);
          const holds = chained ? condition(chained[1]!, chained[2]!, start) : true;
          open.active = !open.taken && holds === true;
          open.taken ||= open.active;
        } else {
          const holds = active() ? condition(word, rest, start) : false;
          conditions.push({ active: holds === true, taken: holds === true, line: start });
        }
        continue;
      }
      if (!active()) continue;
      const defineStart = /^((?:override|export)\s+)*define\s+(\S+)\s*(:::=|::=|:=|\?=|\+=|!=|=)?\s*$/.exec(trimmed);
      if (defineStart) {
        define = {
          name: defineStart[2]!,
          op: defineStart[3] ?? '=',
          lines: [],
          at: at(start),
          override: /override/.test(defineStart[1] ?? ''),
          export: /export/.test(defineStart[1] ?? ''),
        };
        continue;
      }
      const include = /^(-include|sinclude|include)\s+(.*)$/.exec(trimmed);
      if (include) {
        current = null;
        const names = expandMake(include[2]!, scope, host);
        if ('unknown' in names) {
          unknown(start, 1, `\`${trimmed}\``, names.unknown);
          continue;
        }
        for (const included of names.text.split(/\s+/).filter(Boolean)) {
          const got = options.readFile?.(included) ?? null;
          if (got === null) {
            if (include[1] === 'include')
              diagnostics.push(
                diagnostic(
                  'RS361',
                  at(start),
                  `\`include ${included}\`: no such file in the tree, so make stops here (unless a rule makes it, which restage does not follow); add the file, or write \`-include\` if it is optional`,
                ),
              );
          } else if (depth > 16) unknown(start, 1, `\`include ${included}\``, 'includes nest more than 16 deep');
          else readOne(got.display, got.text, depth + 1);
        }
        continue;
      }
      if (/^(export|unexport)(\s+[^=:]+)?$/.test(trimmed) && !ASSIGNMENT.test(trimmed)) {
        const [word, ...names] = trimmed.split(/\s+/);
        for (const n of names) {
          if (word === 'export') exported.add(n);
          else exported.delete(n);
        }
        continue;
      }
      if (/^(vpath|undefine|override undefine|load|-load)\b/.test(trimmed)) {
        unknown(start, 1, `\`${trimmed.split(/\s/)[0]}\``, 'restage does not evaluate this directive');
        continue;
      }
      const assignment = ASSIGNMENT.exec(stripped.replace(/^\s+/, ''));
      if (assignment && assignment[2] !== '') {
        current = null;
        const rawName = assignment[2]!;
        const expandedName = expandMake(rawName, scope, host);
        if ('unknown' in expandedName) {
          unknown(start, 1, `the variable name \`${rawName}\``, expandedName.unknown);
          continue;
        }
        const value = stripped
          .replace(/^\s+/, '')
          .slice(assignment[0].length)
          .replace(/[ \t]+$/, '');
        const mods = assignment[1] ?? '';
        assign(expandedName.text, assignment[3]!, value, /override/.test(mods), /export/.test(mods), at(start));
        continue;
      }
      const colon = ruleColon(stripped);
      if (colon < 0) {
        unknown(
          start,
          1,
          `\`${trimmed}\``,
          'make reads this line as neither a rule nor an assignment ("missing separator")',
        );
        continue;
      }
      const double = stripped[colon + 1] === ':';
      const targetsText = expandMake(stripped.slice(0, colon), scope, host);
      if ('unknown' in targetsText) {
        unknown(start, 1, `the targets \`${stripped.slice(0, colon).trim()}\``, targetsText.unknown);
        current = null;
        continue;
      }
      const targets = targetsText.text.split(/\s+/).filter(Boolean);
      let rest = stripped.slice(colon + (double ? 2 : 1));
      const specific = ASSIGNMENT.exec(rest.replace(/^\s+/, ''));
      if (specific && !rest.includes(';')) {
        const value = rest.replace(/^\s+/, '').slice(specific[0].length).trim();
        for (const t of targets) {
          const rule = ruleFor(t, at(start));
          const v = assignValue(
            rule.variables.get(specific[2]!) ?? variables.get(specific[2]!),
            specific[3]!,
            value,
            start,
          );
          if (v) rule.variables.set(specific[2]!, v);
        }
        current = null;
        continue;
      }
      let inlineRecipe: string | null = null;
      const semicolon = rest.indexOf(';');
      if (semicolon >= 0) {
        inlineRecipe = lines[start]!.slice(lines[start]!.indexOf(';', colon) + 1);
        rest = rest.slice(0, semicolon);
      }
      const prerequisitesText = expandMake(rest.replace('|', ' '), scope, host);
      if ('unknown' in prerequisitesText) {
        unknown(start, colon + 2, `the prerequisites \`${rest.trim()}\``, prerequisitesText.unknown);
        current = null;
        continue;
      }
      const prerequisites = prerequisitesText.text.split(/\s+/).filter(Boolean);
      if (targets.some((t) => t.includes('%'))) {
        const patterns = targets
          .filter((t) => t.includes('%'))
          .map((t) => ({
            target: t,
            prerequisites,
            recipe: [] as RecipeLine[],
            at: at(start),
            variables: new Map<string, MakeVariable>(),
            grouped: targets.length > 1,
          }));
        patternRules.push(...patterns);
        current = { targets: [], patterns };
        if (inlineRecipe !== null) {
          const m = /^[ \t]*([@+-]*)[ \t]*/.exec(inlineRecipe)!;
          const col = lines[start]!.indexOf(';', colon) + 2 + m[0].length;
          for (const p of patterns)
            p.recipe.push({
              text: inlineRecipe.slice(m[0].length),
              at: at(start, col),
              ignoreErrors: m[1]!.includes('-'),
            });
        }
        continue;
      }
      for (const t of targets) {
        if (t === '.PHONY') prerequisites.forEach((p) => phony.add(p));
        else if (t === '.ONESHELL') oneshell = true;
        else if (!t.startsWith('.') && defaultGoal === null && !variables.has('.DEFAULT_GOAL')) defaultGoal = t;
        if (t.startsWith('.')) continue;
        const rule = ruleFor(t, at(start));
        rule.prerequisites.push(...prerequisites.filter((p) => !rule.prerequisites.includes(p)));
        // A later recipe for the same target replaces the earlier one, as make does (with a warning).
        if (inlineRecipe !== null || rule.recipe.length > 0) rule.recipe.length = 0;
        if (inlineRecipe !== null) {
          const m = /^[ \t]*([@+-]*)[ \t]*/.exec(inlineRecipe)!;
          const col = lines[start]!.indexOf(';', colon) + 2 + m[0].length;
          rule.recipe.push({
            text: inlineRecipe.slice(m[0].length),
            at: at(start, col),
            ignoreErrors: m[1]!.includes('-'),
          });
        }
      }
      current = { targets: targets.filter((t) => !t.startsWith('.')) };
    }
    const unclosed = conditions.at(-1);
    if (unclosed)
      unknown(
        unclosed.line,
        1,
        'a conditional never closed with `endif`',
        'make stops with an error ("missing endif")',
      );
  };

  function ruleFor(target: string, at: Location) {
    let rule = rules.get(target);
    if (!rule) {
      rule = { target, prerequisites: [], recipe: [], at, variables: new Map() };
      rules.set(target, rule);
    }
    return rule;
  }

  function assignValue(old: MakeVariable | undefined, op: string, value: string, line: number): MakeVariable | null {
    void line;
    switch (op) {
      case '=':
        return { value, flavor: 'recursive' };
      case '?=':
        return old ?? { value, flavor: 'recursive' };
      case '+=':
        if (!old) return { value, flavor: 'recursive' };
        if (old.flavor === 'simple') {
          const e = expandMake(value, scope, host);
          return 'unknown' in e
            ? { value: e.unknown, flavor: 'unknown' }
            : { value: `${old.value} ${e.text}`, flavor: 'simple' };
        }
        return { value: old.value === '' ? value : `${old.value} ${value}`, flavor: old.flavor };
      case '!=':
        return { value: `is the output of a shell command (\`!=\`), which restage does not run`, flavor: 'unknown' };
      default: {
        const e = expandMake(value, scope, host);
        return 'unknown' in e
          ? { value: e.unknown, flavor: 'unknown' }
          : {
              value: op === ':::=' ? e.text.replace(/\$/g, '$$$$') : e.text,
              flavor: op === ':::=' ? 'recursive' : 'simple',
            };
      }
    }
  }

  function assign(name: string, op: string, value: string, override: boolean, isExport: boolean, at: Location): void {
    const old = variables.get(name);
    if (old?.origin === 'command' && !override) return;
    const v = assignValue(
      old?.origin === 'environment' && op !== '?=' && op !== '+=' ? undefined : old,
      op,
      value,
      at.line,
    );
    if (v) variables.set(name, { ...v, origin: old?.origin === 'command' ? 'command' : 'file' });
    if (isExport) exported.add(name);
    if (name === '.DEFAULT_GOAL') {
      const goal = expandMake(value, scope, host);
      if (!('unknown' in goal)) defaultGoal = goal.text.trim() || null;
    }
    if (name === '.ONESHELL') oneshell = true;
  }

  function condition(word: string, rest: string, line: number): boolean | null {
    if (word === 'ifdef' || word === 'ifndef') {
      const nameText = expandMake(rest.trim(), scope, host);
      if ('unknown' in nameText) return reportCondition(line, rest, nameText.unknown);
      const v = variables.get(nameText.text.trim());
      const defined = v !== undefined && v.value !== '';
      return word === 'ifdef' ? defined : !defined;
    }
    const args = conditionArgs(rest.trim());
    if (!args) return reportCondition(line, rest, 'make reads its arguments as malformed');
    const a = expandMake(args[0], scope, host);
    const b = expandMake(args[1], scope, host);
    if ('unknown' in a) return reportCondition(line, rest, a.unknown);
    if ('unknown' in b) return reportCondition(line, rest, b.unknown);
    const equal = a.text === b.text;
    return word === 'ifeq' ? equal : !equal;
  }

  function reportCondition(line: number, rest: string, why: string): null {
    diagnostics.push(
      diagnostic(
        'RS360',
        { file: currentFile, line: line + 1, column: 1 },
        `the condition \`${rest.trim()}\`: ${why}; restage cannot tell which branch make takes and does not guess — give the variable its value (make VAR=…, restage --env), or migrate this step by hand`,
      ),
    );
    return null;
  }

  let currentFile = file;
  const readTop = (name: string, body: string, depth: number) => {
    const outer = currentFile;
    currentFile = name;
    readOne(name, body, depth);
    currentFile = outer;
  };
  readTop(file, text, 0);

  return {
    rules: new Map([...rules].map(([k, r]) => [k, r])),
    patternRules,
    defaultGoal,
    variables,
    exported,
    phony,
    oneshell,
    diagnostics,
  };
}

/** `(a,b)`, `"a" "b"`, `'a' 'b'` (mixed quotes too): the two arguments, or null. */
function conditionArgs(text: string): [string, string] | null {
  if (text.startsWith('(') && text.endsWith(')')) {
    const inner = text.slice(1, -1);
    const comma = topLevelIndex(inner, (c) => c === ',');
    return comma < 0 ? null : [inner.slice(0, comma).trim(), inner.slice(comma + 1).trim()];
  }
  const m = /^(["'])(.*?)\1\s+(["'])(.*?)\3$/.exec(text);
  return m ? [m[2]!, m[4]!] : null;
}

/** The line without its comment: `#` outside a `\#` escape. */
function stripComment(line: string): string {
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\' && line[i + 1] === '#') {
      i++;
      continue;
    }
    if (line[i] === '#') return line.slice(0, i).replace(/\\#/g, '#');
  }
  return line.replace(/\\#/g, '#');
}

/** The index of the colon that separates targets from prerequisites (not one inside `$(…)`, nor `:=`), or -1. */
function ruleColon(line: string): number {
  return topLevelIndex(line, (c, i) => c === ':' && line[i + 1] !== '=');
}
