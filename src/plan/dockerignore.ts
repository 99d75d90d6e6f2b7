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
 *   the tree, gets an exception of its own when a rule above would leave it out.
 * Then every context source of the merged file is checked against the result, file by file of
 * the tree as it is before the script runs: a file (or directory) a stage copies must be kept or
 * left out exactly as its legacy build's context did, and `.dockerignore` itself, when restage
 * writes it, must not be copied. A conflict declines the migration (RS508), at the COPY, naming
 * the rule. Pure: the tree is read through `ContextTree`.
 */
import path from 'node:path';
import { diagnostic, type Diagnostic, type Location } from '../model/diagnostic.js';
import type { DockerignoreRule } from '../model/analysis.js';
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
}

/** The tree before the script runs, as the plan asks about it. */
export interface ContextTree {
  /** The text of DIR/.dockerignore, or null when there is none (or restage does not read it). */
  readonly dockerignore: (dir: string) => string | null;
  /** Every path below DIR (files, directories, links, not followed), '/'-separated and relative to it. */
  readonly entries: (dir: string) => readonly string[];
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
  contexts: readonly string[],
  reads: readonly ContextRead[],
  tree: ContextTree,
  display: (absolutePath: string) => string,
): { file: PlannedDockerignore | null; diagnostics: Diagnostic[] } {
  const none = { file: null, diagnostics: [] };
  const shown = (dir: string) => display(dir) || '.';
  const texts = new Map([merged, ...contexts].map((c) => [c, tree.dockerignore(c)]));
  const rulesOf = (c: string): Rule[] =>
    dockerignoreLines(texts.get(c) ?? '').map((r) => ({
      ...r,
      origin: `${display(path.join(c, '.dockerignore'))}:${r.line}`,
    }));
  if ([...texts.values()].every((t) => t === null || dockerignoreLines(t).length === 0)) return none;

  const others = [...new Set(contexts)]
    .filter((c) => c !== merged)
    .sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : 1));
  /** A source a staging step made: the merged build names the tree file, not the legacy context's path. */
  const staging = (r: ContextRead) =>
    contextPath(r.source) !==
    contextPath(path.posix.join(path.relative(merged, r.context), contextPath(r.legacy) || '.'));
  // One context and no staged file: every stage reads the context through the same file as before.
  if (others.length === 0 && !reads.some(staging)) return none;
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
    ignoredBy(rules, p.path) === ignoredBy(rulesOf(r.context), p.legacy);

  const mergedText = texts.get(merged) ?? null;
  let rules: Rule[] = rulesOf(merged);
  const blocks: string[][] = [];
  const reasons: string[] = [];
  for (const c of others) {
    const prefix = path.relative(merged, c);
    const own = rulesOf(c).flatMap((r) => {
      const re = rerootRule(r, prefix);
      return re ? [{ ...re, origin: `${r.origin}, re-rooted below ${prefix}/` }] : [];
    });
    const below = reads.filter((r) => r.context === c);
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
      `${own.length > 0 ? `the rules of ${display(path.join(c, '.dockerignore'))} re-rooted below ${prefix}/` : ''}${own.length > 0 && needsReset ? ' after ' : ''}${needsReset ? `\`!${literal(prefix)}\`, so that the files the build from ${shown(c)} copied are not left out by the rules above` : ''}`,
    );
    rules = [...rules, ...block];
  }
  const staged: Rule[] = [];
  for (const r of reads.filter(staging)) {
    for (const p of covered(r))
      if (!agrees([...rules, ...staged], r, p) && !ignoredBy(rulesOf(r.context), p.legacy))
        staged.push({
          exception: true,
          pattern: literal(p.path),
          origin: 'added by restage for a staged tree file',
        });
  }
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

  const diagnostics: Diagnostic[] = [];
  const target = path.join(merged, '.dockerignore');
  for (const r of reads) {
    const shownCopy = `\`${r.copy}\``;
    const legacyContext = shown(r.context);
    const paths = covered(r, blocks.length > 0 && !entries.includes('.dockerignore') ? ['.dockerignore'] : []);
    const differs = paths.find((p) => p.path !== '.dockerignore' && !agrees(rules, r, p));
    if (differs) {
      const now = decidingRule(rules, differs.path);
      const then = decidingRule(rulesOf(r.context), differs.legacy);
      diagnostics.push(
        diagnostic(
          'RS508',
          r.at,
          ignoredBy(rules, differs.path)
            ? `one build context cannot serve every stage: the merged context's .dockerignore (${display(target)}) needs \`${ruleText(rules[now]!)}\` (${rules[now]!.origin}), which leaves out ${display(path.join(merged, differs.path))}, and this COPY (${shownCopy}) of the build with the context ${legacyContext} copied it; rename or move the file, narrow that rule, or give the stages one context, and run restage again`
            : `one build context cannot serve every stage: ${then >= 0 ? `\`${ruleText(rulesOf(r.context)[then]!)}\` (${rulesOf(r.context)[then]!.origin}) left ${display(path.join(r.context, differs.legacy))} out of the context ${legacyContext}` : `the context ${legacyContext} left ${display(path.join(r.context, differs.legacy))} out`}, but the merged context's .dockerignore (${display(target)}) keeps it${now >= 0 ? ` (\`${ruleText(rules[now]!)}\`, ${rules[now]!.origin})` : ''}, so this COPY (${shownCopy}) would copy it; narrow the COPY sources, or give the stages one context, and run restage again`,
        ),
      );
      continue;
    }
    const self = paths.find((p) => p.path === '.dockerignore');
    if (blocks.length > 0 && self && !ignoredBy(rules, '.dockerignore'))
      diagnostics.push(
        diagnostic(
          'RS508',
          r.at,
          `this COPY (${shownCopy}) copies ${display(target)} itself, which the merged build needs ${mergedText === null ? 'as a new file' : 'with lines added'} (${reasons.join('; ')}): the image would hold ${mergedText === null ? 'a file the legacy build never had' : 'its new text where the legacy build copied the old one'}; add a line \`.dockerignore\` to ${display(target)}${mergedText === null ? ' (a new file)' : ''} or copy named files, and run restage again`,
        ),
      );
  }
  if (diagnostics.length > 0 || blocks.length === 0) return { file: null, diagnostics };
  const kept =
    mergedText === null ? '' : mergedText.endsWith('\n') || mergedText === '' ? mergedText : `${mergedText}\n`;
  const added = blocks.map((b) => `${b.join('\n')}\n`).join('');
  const text = kept === '' ? added : `${kept}${kept.endsWith('\n\n') ? '' : '\n'}${added}`;
  const line = text.slice(0, text.length - added.length).split('\n').length;
  diagnostics.push(
    diagnostic(
      'RS505',
      { file: display(target), line, column: 1 },
      `the merged build's context ${shown(merged)} needs ${mergedText === null ? 'this new' : 'these lines in its'} .dockerignore: ${reasons.join('; ')}; \`restage migrate --write\` writes it with the Dockerfile (--out writes the Dockerfile alone: add it as the report shows)`,
    ),
  );
  return { file: { path: target, text, previous: mergedText }, diagnostics };
}
