/**
 * The migrate command: analyse, then write only what was asked for
 * (`out` or `write`), and only when the migration succeeded. `write` replaces the runtime
 * Dockerfile, writes the merged context's `.dockerignore` when the migration needs it, and rewrites
 * the orchestrator (its builder-pattern steps become the one build), and with `removeLegacy` removes
 * the legacy files made obsolete: all or nothing (src/write.ts). `out` writes the Dockerfile alone.
 * Returns the result and the exit code; never exits the process.
 */
import fs from 'node:fs';
import path from 'node:path';
import { diagnostic, sortDiagnostics, type Diagnostic } from '../model/diagnostic.js';
import type { MigrationResult } from '../model/result.js';
import { analyzeDirectory, type Migration } from '../migrate.js';
import { applyChanges, type FileChange } from '../write.js';
import { isMakefileName } from '../discover/discover.js';
import { patternSteps } from '../plan/orchestrator-steps.js';
import { buildCommand } from '../plan/command.js';
import { shellQuote } from '../shared/shell-quote.js';
import { rewriteFlow, rewriteRefusal, type FlowFile } from '../emit/orchestrator-rewrite.js';
import { isJsScriptName } from '../shared/js-runner.js';
import { EXIT } from './exit.js';
import { displayPath } from '../shared/display-path.js';

export interface MigrateCommandOptions {
  readonly out?: string;
  readonly write?: boolean;
  readonly force?: boolean;
  /** With `write`: also remove the legacy files the migration made obsolete that nothing else uses. */
  readonly removeLegacy?: boolean;
  readonly displayBase?: string;
  /** The build script to migrate, relative to the migrated directory (--script). */
  readonly script?: string;
  /** The target of a Makefile orchestrator to follow (--make-target). */
  readonly makeTarget?: string;
  /** `--script-arg` values, in order: the script's `$1`, `$2`… */
  readonly scriptArgs?: readonly string[];
  /** `--env NAME=VALUE`, already checked by parseEnvOptions. */
  readonly env?: Readonly<Record<string, string>>;
  /** Called before each file change of a write (tests fail one to see the others rolled back). */
  readonly beforeChange?: (file: string) => void;
  /**
   * With `write` or `out`: handed the changes the write would make, which are then not made (nor
   * checked against git); the result is the one a write would give, less what only writing tells
   * (`written`, `removed`, backups). `restage check` shows them as a diff.
   */
  readonly dryRun?: (changes: readonly FileChange[]) => void;
}

/** `analysed`: the directory's analysis already made with these options (and no --out), not made again. */
export function runMigrate(
  dir: string,
  options: MigrateCommandOptions = {},
  analysed?: Migration,
): { result: MigrationResult; exitCode: number } {
  const base = path.resolve(options.displayBase ?? process.cwd());
  const out = options.out ? path.resolve(base, options.out) : undefined;
  const migration =
    analysed ??
    analyzeDirectory(dir, {
      displayBase: base,
      ...(out ? { output: out } : {}),
      ...(options.scriptArgs ? { scriptArgs: options.scriptArgs } : {}),
      ...(options.env ? { env: options.env } : {}),
      ...(options.script !== undefined ? { script: options.script } : {}),
      ...(options.makeTarget !== undefined ? { makeTarget: options.makeTarget } : {}),
    });
  const result = migration.result;
  if (result.status === 'error') return { result, exitCode: EXIT.badInput };
  const target = out ?? (options.write && result.target ? path.resolve(base, result.target) : undefined);
  if (!target || result.dockerfile === null) return { result, exitCode: EXIT.ok };
  const shown = displayPath(target, base);
  const refuse = (d: Diagnostic) => ({
    result: { ...result, status: 'error' as const, diagnostics: sortDiagnostics([...result.diagnostics, d]) },
    exitCode: EXIT.badInput,
  });
  const legacy = legacyInput(result, base, target);
  if (legacy)
    return refuse(
      diagnostic(
        'RS603',
        { file: shown, line: 1, column: 1 },
        `not writing to ${shown}: ${legacy}; give --out a new file name, or --write to replace the runtime Dockerfile`,
      ),
    );
  const changes: FileChange[] = [{ path: target, text: result.dockerfile }];
  const notes: Diagnostic[] = [];
  // The merged context's .dockerignore changes with the Dockerfile, under the same rules (src/write.ts).
  const ignore = result.dockerignore;
  if (ignore && out)
    notes.push(
      diagnostic(
        'RS614',
        { file: ignore.path, line: 1, column: 1 },
        `not written: --out writes the Dockerfile alone, and the one build needs ${ignore.path} ${ignore.exists ? 'with the lines the report shows added' : 'as the report shows it'} (JSON: dockerignore.text); write it before building, or use --write`,
      ),
    );
  if (ignore && !out) changes.push({ path: path.resolve(base, ignore.path), text: ignore.text });
  if (!out) {
    const rewritten = orchestratorChange(migration, base, target);
    if ('refusal' in rewritten) return refuse(rewritten.refusal);
    // A script the rewrite left running nothing, and no longer run, goes with --remove-legacy
    // when no other file of the tree names it (a CI file may still run it: then it stays).
    const texts = new Map(rewritten.files.map((w) => [w.path, w.text]));
    const unrun = new Set(
      options.removeLegacy
        ? rewritten.files
            .filter((f) => f.unrun && firstUse(migration.root, f.path, new Set([f.path]), texts) === null)
            .map((f) => f.path)
        : [],
    );
    for (const f of rewritten.files) {
      if (unrun.has(f.path)) continue;
      changes.push({ path: f.path, text: f.text });
      notes.push(f.note);
    }
    if (options.removeLegacy) {
      const removals = legacyRemovals(migration, base, changes, unrun);
      if ('refusal' in removals) return refuse(removals.refusal);
      changes.push(...[...removals.files, ...unrun].map((f) => ({ path: f, remove: true as const })));
    }
  }
  if (options.dryRun) {
    options.dryRun(changes);
    // Nothing was written: the notes say what the write would do.
    const would = notes.map((n) =>
      n.code === 'RS612' ? { ...n, message: n.message.replace(/^rewrote /, 'would rewrite ') } : n,
    );
    return {
      result: { ...result, diagnostics: sortDiagnostics([...result.diagnostics, ...would]) },
      exitCode: EXIT.ok,
    };
  }
  const applied = applyChanges(changes, {
    force: options.force ?? false,
    ...(options.beforeChange ? { beforeChange: options.beforeChange } : {}),
  });
  if (!applied.ok) {
    const file = displayPath(applied.path, base);
    const at = { file, line: 1, column: 1 };
    const what = changes.find((c) => c.path === applied.path && 'remove' in c) ? 'removing' : 'overwriting';
    const others =
      changes.length > 1
        ? applied.rolledBack === false
          ? '; restage could not put back every file it had already changed: check them with git status'
          : '; nothing was written (the files already changed were put back)'
        : '';
    return refuse(
      applied.reason === 'unrestorable'
        ? diagnostic(
            'RS601',
            at,
            `not ${what} ${file}: ${applied.message}; ${applied.commitHelps ? 'commit it first (then git can give it back), or ' : ''}pass --force to keep the original as ${path.basename(file)}.orig${changes.length > 1 ? '; nothing was written' : ''}`,
          )
        : applied.reason === 'backup-exists'
          ? diagnostic(
              'RS604',
              at,
              `not ${what} ${file}: ${applied.message}, and restage never replaces an earlier backup; move ${path.basename(file)}.orig away and run restage again${changes.length > 1 ? '; nothing was written' : ''}`,
            )
          : diagnostic(
              'RS602',
              at,
              `could not ${what === 'removing' ? 'remove' : 'write'} ${file}: ${applied.message}${others}`,
            ),
    );
  }
  for (const [file, backup] of applied.backups) {
    const at = { file: displayPath(file, base), line: 1, column: 1 };
    const gone = changes.some((c) => c.path === file && 'remove' in c);
    notes.push(
      diagnostic(
        'RS605',
        at,
        `git could not restore ${at.file}, so restage kept the original as ${path.relative(base, backup) || backup} before ${gone ? 'removing' : 'replacing'} it`,
      ),
    );
  }
  const removed = changes.filter((c) => 'remove' in c).map((c) => displayPath(c.path, base));
  for (const file of removed)
    notes.push(
      diagnostic(
        'RS613',
        { file, line: 1, column: 1 },
        `removed ${file}: the migration made it obsolete and no other file of the tree names it (--remove-legacy)`,
      ),
    );
  return {
    result: {
      ...result,
      written: changes.filter((c) => !('remove' in c)).map((c) => displayPath(c.path, base)),
      ...(out ? {} : { removed }),
      diagnostics: sortDiagnostics([...result.diagnostics, ...notes]),
    },
    exitCode: EXIT.ok,
  };
}

/**
 * The orchestrator and the scripts its run ran or sourced, with the builder-pattern steps replaced by
 * the one build where they are (src/emit/orchestrator-rewrite.ts): every file that holds steps
 * changes, together, or a refusal; no change for a file the rewrite leaves as it was.
 */
function orchestratorChange(
  migration: Migration,
  base: string,
  target: string,
):
  | {
      readonly files: readonly {
        readonly path: string;
        readonly text: string;
        readonly note: Diagnostic;
        /** It runs nothing now, and its caller no longer runs it. */
        readonly unrun: boolean;
      }[];
    }
  | { refusal: Diagnostic } {
  const { analysis, plan, script } = migration;
  if (!analysis || !plan || !script) return { files: [] };
  const file = displayPath(script, base);
  const display = (p: string) => displayPath(p, base);
  const found = patternSteps(analysis, plan, migration.root, display, (at, why) => rewriteRefusal(at, why, file));
  if ('refusal' in found) return found;
  // The orchestrator, then each script the run ran or sourced, by the name locations give it.
  const calls = analysis.flow.calls ?? [];
  const paths = new Map<string, string>([[file, script]]);
  for (const c of calls) if (!paths.has(display(c.script))) paths.set(display(c.script), c.script);
  const texts = new Map<string, string>();
  for (const [shown, abs] of paths) {
    try {
      texts.set(shown, fs.readFileSync(abs, 'utf8'));
    } catch (e) {
      return {
        refusal: diagnostic(
          'RS602',
          { file: shown, line: 1, column: 1 },
          `could not read ${shown}: ${(e as Error).message}`,
        ),
      };
    }
  }
  const orchestratorKind = orchestratorKindOf(script);
  const lineOf = (at: { file: string; line: number }) => texts.get(at.file)?.split('\n')[at.line - 1] ?? '';
  const written = (line: string, flags: RegExp) => [...line.matchAll(flags)].map((m) => m[1]!);
  const TAG = /(?:^|\s)(?:-t|--tag)(?:=|\s+)(\S+)/g;
  const NAME = /(?:^|\s)--name(?:=|\s+)(\S+)/g;
  // A container id captured in a variable (`id=$(docker create …)`) is named by that variable.
  const CAPTURED = /(?:^|[\s;])(?:local\s+|export\s+|readonly\s+)?([A-Za-z_][A-Za-z0-9_]*)=["']?\$\(/g;
  const builderWords = [
    ...found.builderNames,
    ...found.steps
      .filter((s) => !s.runtime)
      .flatMap((s) => [
        ...written(lineOf(s.at), TAG),
        ...written(lineOf(s.at), NAME),
        ...written(lineOf(s.at), CAPTURED).flatMap((v) => [`$${v}`, `\${${v}}`]),
      ]),
  ];
  // Where each file runs: a script as the analysis has it (the migrated directory), make in the
  // Makefile's directory, a script it ran in the directory it was run from.
  const runsIn = (shown: string): string => {
    if (shown === file) return orchestratorKind === 'makefile' ? path.dirname(script) : migration.root;
    return calls.find((c) => display(c.script) === shown)!.cwd;
  };
  const elsewhere = (shown: string): string | null => {
    const dir = runsIn(shown);
    if (dir === migration.root) return null;
    if (shown === file) return `make runs the recipes of ${file} in ${display(dir)}`;
    const call = calls.find((c) => display(c.script) === shown)!;
    return `${shown} runs in ${display(dir)}, where ${call.at.file}:${call.at.line} ${call.sourced ? 'sources' : 'runs'} it`;
  };
  const runtime = found.runtime;
  const runtimeFile = runtime.at.file;
  const makefile = (texts.has(runtimeFile) ? kindOf(runtimeFile) : null) === 'makefile';
  function kindOf(shown: string): FlowFile['kind'] {
    return shown === file ? orchestratorKind : 'script';
  }
  const alone = buildCommand({
    root: migration.root,
    runtime,
    builders: [],
    dockerfile: runtime.dockerfile,
    context: runtime.context,
  });
  const keep = alone === plan.buildCommand && runtime.target === null && runtime.dockerfile === target;
  let command: string | null = null;
  if (!keep) {
    const inv = runtime.invocation;
    const client = `${inv.client} ${inv.verb.join(' ')}`;
    command = plan.buildCommand.replace(/^(DOCKER_BUILDKIT=\d )?docker build/, (_, env: string | undefined) =>
      inv.sudo ? `sudo ${env ?? ''}${client}` : `${env ?? ''}${client}`,
    );
    if (makefile) command = command.replace(/\$/g, '$$$$');
    // The tags as the orchestrator wrote them (`"$IMAGE:$TAG"`, `$(IMAGE)`), when each can be told.
    const asWritten = written(lineOf(runtime.at), TAG);
    if (asWritten.length === runtime.tags.length)
      runtime.tags.forEach((tag, i) => {
        const quoted = shellQuote(tag);
        command = command!.replace(` -t ${makefile ? quoted.replace(/\$/g, '$$$$') : quoted}`, ` -t ${asWritten[i]}`);
      });
  }
  const files: FlowFile[] = [...texts].map(([shown, text]) => ({
    file: shown,
    text,
    kind: kindOf(shown),
    calledAt: calls.filter((c) => display(c.script) === shown).map((c) => c.at),
    elsewhere: elsewhere(shown),
    extractedPaths: found.extracted.map((p) => path.relative(runsIn(shown), p)).filter((p) => !p.startsWith('..')),
  }));
  const outcome = rewriteFlow({
    files,
    steps: found.steps,
    buildCommand: command,
    builderWords,
    buildDir: display(migration.root),
  });
  if (!outcome.ok) return { refusal: outcome.diagnostic };
  return {
    files: outcome.rewritten.map((r) => ({
      path: paths.get(r.file)!,
      text: r.text,
      unrun: r.runRemoved !== null,
      note: diagnostic(
        'RS612',
        { file: r.file, line: r.buildLine ?? r.firstRemoved, column: 1 },
        `rewrote ${r.file}: ${r.removedLines} line${r.removedLines === 1 ? '' : 's'} of the builder pattern removed; ${
          r.runRemoved
            ? `it runs nothing else, so ${r.runRemoved.file}:${r.runRemoved.line} no longer runs it (--remove-legacy removes it when no other file names it); `
            : ''
        }${
          r.buildLine === null
            ? `the one build of the migrated Dockerfile is at ${outcome.runtimeAt.file}:${outcome.runtimeAt.line}`
            : command === null
              ? 'the runtime build, kept as written, is the one build of the migrated Dockerfile'
              : 'this line is the one build of the migrated Dockerfile'
        }; every other line is as it was`,
      ),
    })),
  };
}

/** How --write treats the orchestrator file: a Makefile or shell script it rewrites, or why it does not. */
function orchestratorKindOf(script: string): FlowFile['kind'] {
  if (isMakefileName(path.basename(script))) return 'makefile';
  if (path.basename(script) === 'package.json')
    return { declined: 'whose npm scripts restage does not rewrite (a JSON string holds each)' };
  if (isJsScriptName(path.basename(script)))
    return { declined: 'a JavaScript build script, which restage does not rewrite' };
  return 'script';
}

/**
 * The legacy files `--remove-legacy` removes: those the migration lists obsolete, other than the
 * orchestrator (rewritten, it stays) and the written Dockerfile, that no other file of the tree
 * names (a second script, a CI file, a compose file would break); a refusal (RS611) naming the
 * first such use otherwise.
 */
function legacyRemovals(
  migration: Migration,
  base: string,
  changes: readonly FileChange[],
  /** Files removed with them (scripts the rewrite left unrun), whose text uses nothing. */
  alsoRemoved: ReadonlySet<string>,
): { files: readonly string[] } | { refusal: Diagnostic } {
  const written = new Map(changes.flatMap((c) => ('text' in c ? [[c.path, c.text] as const] : [])));
  const files = migration.result.obsolete
    .filter((o) => !o.startsWith('image '))
    .map((o) => path.resolve(base, o))
    .filter((f) => f !== migration.script && !written.has(f) && isFile(f));
  for (const file of files) {
    const use = firstUse(migration.root, file, new Set([...files, ...alsoRemoved]), written);
    if (use) {
      const shown = displayPath(file, base);
      return {
        refusal: diagnostic(
          'RS611',
          { file: displayPath(use.file, base), line: use.line, column: use.column },
          `not removing ${shown}: ${displayPath(use.file, base)} still names it (\`${use.text}\`); nothing was written. Remove that use first, or run --write without --remove-legacy`,
        ),
      };
    }
  }
  return { files };
}

function isFile(file: string): boolean {
  try {
    return fs.lstatSync(file).isFile();
  } catch {
    return false;
  }
}

/** Files whose mention of a name uses nothing: documentation and ignore lists. */
const NOT_USES = /(\.md|\.txt|\.orig|^\.gitignore|^\.dockerignore|^LICENSE.*|^CHANGELOG.*)$/;
const MAX_SCANNED = 1 << 20;

/**
 * The first place in the tree below root (as written after the changes) that names the file by its
 * name, or null. A name is its base name as a whole word (`Dockerfile.build`, not `Dockerfile.builder`).
 */
function firstUse(
  root: string,
  file: string,
  removed: ReadonlySet<string>,
  written: ReadonlyMap<string, string>,
): { file: string; line: number; column: number; text: string } | null {
  const name = path.basename(file);
  const word = new RegExp(`(^|[^A-Za-z0-9_.-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_.-])`);
  const visit = (dir: string): ReturnType<typeof firstUse> => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return null;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name === '.git' || e.name === 'node_modules') continue;
        const found = visit(p);
        if (found) return found;
        continue;
      }
      if (!e.isFile() || removed.has(p) || NOT_USES.test(e.name)) continue;
      let text = written.get(p);
      if (text === undefined) {
        try {
          if (fs.statSync(p).size > MAX_SCANNED) continue;
          text = fs.readFileSync(p, 'utf8');
        } catch {
          continue;
        }
      }
      if (text.includes('\0')) continue;
      // A mention in a comment line uses nothing.
      const m = [...text.matchAll(new RegExp(word.source, 'g'))].find(
        (x) => !/^\s*#/.test(text.slice(text.lastIndexOf('\n', x.index) + 1)),
      );
      if (!m) continue;
      const index = m.index + m[1]!.length;
      const before = text.slice(0, index);
      const line = before.split('\n').length;
      const lineText = text.split('\n')[line - 1]!.trim();
      return {
        file: p,
        line,
        column: index - before.lastIndexOf('\n'),
        text: lineText.length > 60 ? `${lineText.slice(0, 57)}…` : lineText,
      };
    }
    return null;
  };
  return visit(root);
}

/** Why the target is a file the legacy flow still reads (a script, a Dockerfile it builds, a file listed obsolete), or null. */
function legacyInput(result: MigrationResult, base: string, target: string): string | null {
  const file = result.files.find((f) => path.resolve(base, f.path) === target);
  if (file?.role === 'runtime-dockerfile') return null;
  if (file)
    return `it is the ${file.role.replace(/-/g, ' ')} of the legacy flow, which the migration reads and never replaces`;
  if (result.obsolete.some((o) => path.resolve(base, o) === target))
    return 'it is a legacy file the migration lists as no longer needed; writing there would destroy the legacy flow before the migration is verified';
  return null;
}
