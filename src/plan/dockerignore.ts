/**
 * The `.dockerignore` of the merged build context. Each legacy build saw its own context through
 * that context's `.dockerignore`; the one build sees the merged context through one file. So that
 * every stage copies what its legacy build copied:
 * - the merged context's own `.dockerignore` stays, byte for byte, at the top;
 * - each other context's patterns follow, re-rooted below it (`docker/` + pattern,
 *   src/analyze/dockerignore.ts `rerootRule`), ancestors first; when a rule above them would leave
 *   out a file a stage built from that context copies, they start with `!docker` (an exception
 *   naming a directory keeps everything below it; the re-rooted rules then decide as they did);
 * - a tree file a staging step copied into a context (src/analyze/staging.ts), now copied from
 *   the tree, gets an exception of its own when a rule above would leave it out; so does a file a
 *   stage copies whose legacy build read another ignore file than the one its context's part of
 *   the merged file comes from (a `<Dockerfile>.dockerignore` under BuildKit, src/analyze/build-ignore.ts).
 * The file the one build reads is `target`: the merged context's `.dockerignore`, or the merged
 * Dockerfile's own ignore file when BuildKit reads that instead (src/plan/index.ts decides).
 * Then every context source of the merged file is checked against the result, file by file of
 * the tree as it is before the script runs: a file (or directory) a stage copies must be kept or
 * left out exactly as its legacy build's context did, and `.dockerignore` itself, when restage
 * writes it, must not be copied. A conflict declines the migration (RS508), at the COPY, naming
 * the rule. Pure: the tree is read through `ContextTree`.
 */
import path from 'node:path';
import { diagnostic, type Diagnostic, type Location } from '../model/diagnostic.js';
import type { DockerignoreRule } from '../model/analysis.js';
import type { ImageBuild } from '../model/flow.js';
import type { PlannedDockerignore } from '../model/plan.js';
import { decidingRule, dockerignoreLines, ignoredBy, rerootRule, ruleText } from '../analyze/dockerignore.js';
import { globCoverage } from '../shared/glob.js';

/** A COPY/ADD source of the merged Dockerfile that reads the build context. */
export interface ContextRead {
  /** The source as the legacy Dockerfile writes it. */
  readonly at: Location;
  /** The instruction's first line, as written. */
  readonly copy: string;
  /** The source as the merged build names it, relative to the merged context. */
  readonly source: string;
  /** The legacy build's context (absolute). */
  readonly context: string;
  /** The source as the legacy build named it, relative to that context. */
  readonly legacy: string;
  /**
   * The tree file whose rules filtered the legacy build's context (src/analyze/build-ignore.ts: its
   * Dockerfile's own under BuildKit, the tree file a staging step copied there); null: none;
   * absent: the context's `.dockerignore`.
   */
  readonly ignore?: string | null;
}

/** The tree before the script runs, as the plan asks about it. */
export interface ContextTree {
  /** The text of an ignore file, or null when there is none (or restage does not read it). */
  readonly text: (file: string) => string | null;
  /** Every path below DIR (files, directories, links, not followed), '/'-separated and relative to it. */
  readonly entries: (dir: string) => readonly string[];
  /**
   * The ignore file that filtered a legacy build's context (src/analyze/build-ignore.ts), null for
   * none; absent: its context's `.dockerignore`.
   */
  readonly ignoreOf?: (build: ImageBuild) => string | null;
}

interface Rule extends DockerignoreRule {
  /** Where the rule comes from, for a message. */
  readonly origin: string;
}

const GLOB = /[*?[\]\\]/;

/** A path as a .dockerignore pattern that matches it alone (the matcher's special characters escaped). */
const literal = (p: string) => p.replace(/[*?[\]\\]/g, (c) => `\\${c}`);

/** A COPY source as a context path: quotes, a leading '/', './' and a trailing '/' gone; '' for the whole context. */
function contextPath(raw: string): string {
  const unquoted = /^(["']).*\1$/.test(raw) && raw.length > 1 ? raw.slice(1, -1) : raw;
  const clean = path.posix.normalize(unquoted.replace(/^\/+/, '') || '.').replace(/\/+$/, '');
  return clean === '.' ? '' : clean;
}

export function planDockerignore(
  merged: string,
  builds: readonly (string | { readonly context: string; readonly ignore: string | null })[],
  reads: readonly ContextRead[],
  tree: ContextTree,
  display: (absolutePath: string) => string,
  target: string = path.join(merged, '.dockerignore'),
): { file: PlannedDockerignore | null; diagnostics: Diagnostic[] } {
  const none = { file: null, diagnostics: [] };
  const shown = (dir: string) => display(dir) || '.';
  const fileOf = (r: ContextRead): string | null =>
    r.ignore === undefined ? path.join(r.context, '.dockerignore') : r.ignore;
  const contexts = builds.map((b) => (typeof b === 'string' ? b : b.context));
  /**
   * The ignore file a context's part of the merged file comes from: the target's, else its first
   * read's, else its first build's (a context given as a string: its `.dockerignore`).
   */
  const contextFile = (c: string): string | null => {
    if (c === merged) return target;
    const first = reads.find((r) => r.context === c);
    if (first) return fileOf(first);
    const build = builds.find((b) => (typeof b === 'string' ? b : b.context) === c)!;
    return typeof build === 'string' ? path.join(c, '.dockerignore') : build.ignore;
  };
  const files = [
    ...new Set([target, ...contexts.map(contextFile), ...reads.map(fileOf)].filter((f): f is string => f !== null)),
  ];
  const texts = new Map(files.map((f) => [f, tree.text(f)]));
  const rulesIn = (file: string | null): Rule[] =>
    file === null
      ? []
      : dockerignoreLines(texts.get(file) ?? '').map((r) => ({ ...r, origin: `${display(file)}:${r.line}` }));
  const legacyRules = (r: ContextRead) => rulesIn(fileOf(r));
  if ([...texts.values()].every((t) => t === null || dockerignoreLines(t).length === 0)) return none;
  const sameRules = (a: readonly DockerignoreRule[], b: readonly DockerignoreRule[]) =>
    a.map(ruleText).join('\n') === b.map(ruleText).join('\n');

  const others = [...new Set(contexts)]
    .filter((c) => c !== merged)
    .sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : 1));
  /** A source a staging step made: the merged build names the tree file, not the legacy context's path. */
  const staging = (r: ContextRead) =>
    contextPath(r.source) !==
    contextPath(path.posix.join(path.relative(merged, r.context), contextPath(r.legacy) || '.'));
  /** A source whose legacy build read other rules than its context's part of the merged file. */
  const otherFile = (r: ContextRead) => !sameRules(legacyRules(r), rulesIn(contextFile(r.context)));
  // One context, no staged file, one ignore file: every stage reads the context through the same rules as before.
  if (others.length === 0 && !reads.some((r) => staging(r) || otherFile(r))) return none;
  const entries = tree.entries(merged);
  const coveredCache = new Map<ContextRead, { path: string; legacy: string }[]>();
  /** The tree paths a source copies, each with the path its legacy build named (`extra`: paths to add to the tree). */
  const covered = (r: ContextRead, extra: readonly string[] = []) => {
    const cached = extra.length === 0 ? coveredCache.get(r) : undefined;
    if (cached) return cached;
    const source = contextPath(r.source);
    const legacy = contextPath(r.legacy);
    const prefix = path.relative(merged, r.context);
    const out: { path: string; legacy: string }[] = [];
    // A pattern is only ever a re-rooted one (a staged source names one file).
    const covers =
      GLOB.test(source) && source === contextPath(path.posix.join(prefix, legacy || '.'))
        ? globCoverage(`/${source}`)
        : null;
    for (const e of [...entries, ...extra]) {
      if (GLOB.test(source)) {
        if (!covers?.(`/${e}`)) continue;
        out.push({ path: e, legacy: prefix === '' ? e : e.slice(prefix.length + 1) });
      } else if (source === '' || e === source || e.startsWith(`${source}/`)) {
        const rest = e.slice(source.length).replace(/^\//, '');
        out.push({ path: e, legacy: [legacy, rest].filter((x) => x !== '').join('/') });
      }
    }
    if (extra.length === 0) coveredCache.set(r, out);
    return out;
  };
  /** Whether the rules keep or leave out a path of the read as its legacy build's context did. */
  const agrees = (rules: readonly DockerignoreRule[], r: ContextRead, p: { path: string; legacy: string }) =>
    ignoredBy(rules, p.path) === ignoredBy(legacyRules(r), p.legacy);

  const mergedText = texts.get(target) ?? null;
  let rules: Rule[] = rulesIn(target);
  const blocks: string[][] = [];
  const reasons: string[] = [];
  for (const c of others) {
    const prefix = path.relative(merged, c);
    const own = rulesIn(contextFile(c)).flatMap((r) => {
      const re = rerootRule(r, prefix);
      return re ? [{ ...re, origin: `${r.origin}, re-rooted below ${prefix}/` }] : [];
    });
    const below = reads.filter((r) => r.context === c);
    // Re-rooted rules only decide paths below the context: with no read of it left, they would only take files from other stages.
    if (below.length === 0) continue;
    const inside = (p: { path: string }) => p.path === prefix || p.path.startsWith(`${prefix}/`);
    const needsReset = below.some((r) => covered(r).some((p) => inside(p) && !agrees([...rules, ...own], r, p)));
    const block: Rule[] = needsReset
      ? [
          {
            exception: true,
            pattern: literal(prefix),
            origin: `added by restage for the stages built from ${shown(c)}`,
          },
          ...own,
        ]
      : own;
    if (block.length === 0) continue;
    blocks.push([
      `# restage: the build context ${prefix}/ is now part of this one; its .dockerignore, re-rooted below it${needsReset ? ', after an exception that undoes the rules above for it' : ''}`,
      ...block.map(ruleText),
    ]);
    reasons.push(
      `${own.length > 0 ? `the rules of ${display(contextFile(c) ?? path.join(c, '.dockerignore'))} re-rooted below ${prefix}/` : ''}${own.length > 0 && needsReset ? ' after ' : ''}${needsReset ? `\`!${literal(prefix)}\`, so that the files the build from ${shown(c)} copied are not left out by the rules above` : ''}`,
    );
    rules = [...rules, ...block];
  }
  /**
   * Exceptions for the files these reads copy that their legacy rules kept and the rules so far
   * leave out; `again`: after an exception, the legacy rule that left out a path below it, re-rooted
   * into the merged context (`!src` then `src/*.md`), so that the read copies what it did.
   */
  const exceptions = (which: (r: ContextRead) => boolean, origin: string, again: boolean): Rule[] => {
    const added: Rule[] = [];
    const add = (rule: Rule) => {
      if (!added.some((a) => a.exception === rule.exception && a.pattern === rule.pattern)) added.push(rule);
    };
    for (const r of reads.filter(which)) {
      const legacy = legacyRules(r);
      const prefix = path.relative(merged, r.context);
      for (const p of covered(r)) {
        if (agrees([...rules, ...added], r, p)) continue;
        if (!ignoredBy(legacy, p.legacy)) add({ exception: true, pattern: literal(p.path), origin });
        else if (again) {
          const rule = legacy[decidingRule(legacy, p.legacy)]!;
          const re = prefix === '' ? rule : rerootRule(rule, prefix);
          if (re) add({ ...re, origin: rule.origin });
        }
      }
    }
    return added;
  };
  const staged = exceptions(staging, 'added by restage for a staged tree file', false);
  if (staged.length > 0) {
    blocks.push([
      '# restage: files a staging step copied into a build context, which the one build copies from here',
      ...staged.map(ruleText),
    ]);
    reasons.push(
      `${staged.map((s) => `\`${ruleText(s)}\``).join(', ')}: the tree file${staged.length === 1 ? '' : 's'} a staging step copied into a build context, which the one build copies from the tree`,
    );
    rules = [...rules, ...staged];
  }
  const kept = exceptions(
    (r) => !staging(r) && otherFile(r),
    'added by restage for a build that read another ignore file',
    true,
  );
  if (kept.length > 0) {
    blocks.push([
      "# restage: what a build that read another ignore file (its Dockerfile's own, or a copied one) kept, and left out, of what it copies",
      ...kept.map(ruleText),
    ]);
    reasons.push(
      `${kept.map((s) => `\`${ruleText(s)}\``).join(', ')}: what a build that read another ignore file (its Dockerfile's own, or a copied one) kept, and left out, of what it copies`,
    );
    rules = [...rules, ...kept];
  }

  const diagnostics: Diagnostic[] = [];
  // The ignore file itself, when it lies in the context: a COPY of it would copy the new text.
  const self = path.relative(merged, target);
  const selfInside = !self.startsWith('../') && self !== '..';
  for (const r of reads) {
    const shownCopy = `\`${r.copy}\``;
    const legacyContext = shown(r.context);
    const paths = covered(r, blocks.length > 0 && selfInside && !entries.includes(self) ? [self] : []);
    const differs = paths.find((p) => p.path !== self && !agrees(rules, r, p));
    if (differs) {
      const now = decidingRule(rules, differs.path);
      const then = decidingRule(legacyRules(r), differs.legacy);
      diagnostics.push(
        diagnostic(
          'RS508',
          r.at,
          ignoredBy(rules, differs.path)
            ? `one build context cannot serve every stage: the merged context's .dockerignore (${display(target)}) needs \`${ruleText(rules[now]!)}\` (${rules[now]!.origin}), which leaves out ${display(path.join(merged, differs.path))}, and this COPY (${shownCopy}) of the build with the context ${legacyContext} copied it; rename or move the file, narrow that rule, or give the stages one context, and run restage again`
            : `one build context cannot serve every stage: ${then >= 0 ? `\`${ruleText(legacyRules(r)[then]!)}\` (${legacyRules(r)[then]!.origin}) left ${display(path.join(r.context, differs.legacy))} out of the context ${legacyContext}` : `the context ${legacyContext} left ${display(path.join(r.context, differs.legacy))} out`}, but the merged context's .dockerignore (${display(target)}) keeps it${now >= 0 ? ` (\`${ruleText(rules[now]!)}\`, ${rules[now]!.origin})` : ''}, so this COPY (${shownCopy}) would copy it; narrow the COPY sources, or give the stages one context, and run restage again`,
        ),
      );
      continue;
    }
    const copiesSelf = selfInside && paths.some((p) => p.path === self);
    if (blocks.length > 0 && copiesSelf && !ignoredBy(rules, self))
      diagnostics.push(
        diagnostic(
          'RS508',
          r.at,
          `this COPY (${shownCopy}) copies ${display(target)} itself, which the merged build needs ${mergedText === null ? 'as a new file' : 'with lines added'} (${reasons.join('; ')}): the image would hold ${mergedText === null ? 'a file the legacy build never had' : 'its new text where the legacy build copied the old one'}; add a line \`${literal(self)}\` to ${display(target)}${mergedText === null ? ' (a new file)' : ''} or copy named files, and run restage again`,
        ),
      );
  }
  if (diagnostics.length > 0 || blocks.length === 0) return { file: null, diagnostics };
  const top =
    mergedText === null ? '' : mergedText.endsWith('\n') || mergedText === '' ? mergedText : `${mergedText}\n`;
  const added = blocks.map((b) => `${b.join('\n')}\n`).join('');
  const text = top === '' ? added : `${top}${top.endsWith('\n\n') ? '' : '\n'}${added}`;
  const line = text.slice(0, text.length - added.length).split('\n').length;
  diagnostics.push(
    diagnostic(
      'RS505',
      { file: display(target), line, column: 1 },
      `the merged build's context ${shown(merged)} needs ${mergedText === null ? 'this new' : 'these lines in its'} ${self === '.dockerignore' ? '.dockerignore' : `ignore file ${display(target)} (the one Dockerfile's own, which BuildKit reads instead of the context's .dockerignore)`}: ${reasons.join('; ')}; \`restage migrate --write\` writes it with the Dockerfile (--out writes the Dockerfile alone: add it as the report shows)`,
    ),
  );
  return { file: { path: target, text, previous: mergedText }, diagnostics };
}
