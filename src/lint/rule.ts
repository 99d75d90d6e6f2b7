/**
 * The contract of a lint rule (one per file in src/lint, registered in src/lint/index.ts): it
 * reads one parsed Dockerfile and returns located diagnostics of its one code, at the line and
 * column of that file's text. Helpers the rules share live here.
 */
import type { DiagnosticCode, Diagnostic } from '../model/diagnostic.js';
import type { ParsedDockerfile, Stage } from '../model/dockerfile.js';

export interface LintRule {
  /** The rule's file name in src/lint (and its test's in test/lint), without `.ts`. */
  readonly name: string;
  readonly code: DiagnosticCode;
  readonly check: (file: ParsedDockerfile) => Diagnostic[];
}

/** The earlier stage a FROM names (`FROM builder`, case-insensitive, as Docker reads stage names), or null: an image. */
export function earlierStage(file: ParsedDockerfile, stage: Stage): Stage | null {
  const name = stage.image.toLowerCase();
  return file.stages.slice(0, stage.index).find((s) => s.name === name) ?? null;
}

/** The image a stage is built on, through the earlier stages it names (`FROM builder` → builder's image). */
export function rootImage(file: ParsedDockerfile, stage: Stage): string {
  for (let s: Stage | null = stage, seen = 0; s && seen <= file.stages.length; seen++) {
    const earlier = earlierStage(file, s);
    if (!earlier) return s.image;
    s = earlier;
  }
  return stage.image;
}

/** The `AS name` token of a stage's FROM, as written, or undefined. */
export function stageNameToken(stage: Stage) {
  const args = stage.from.args;
  return args.length >= 3 && args[args.length - 2]!.raw.toLowerCase() === 'as' ? args[args.length - 1] : undefined;
}

/**
 * The exec form that runs what `written` meant, or null when no mechanical one does: a shell-form
 * command with shell syntax (the shell would have removed quotes, expanded $, run operators), or an
 * array whose items are not each one quoted string.
 */
export function suggestExecForm(written: string): string | null {
  const trimmed = written.trim();
  let items: string[];
  if (trimmed.startsWith('[')) {
    const inner = quotedItems(trimmed);
    if (inner === null) return null;
    items = inner;
  } else {
    if (/[\\'"$`|&;<>(){}*?[\]~#\n]/.test(trimmed)) return null;
    items = trimmed.split(/\s+/);
  }
  return JSON.stringify(items).replace(/","/g, '", "');
}

/** `['a', "b"]` → [a, b]: an array of quoted strings (single or double, no escapes), or null. */
export function quotedItems(written: string): string[] | null {
  const trimmed = written.trim();
  const inner = trimmed.startsWith('[') && trimmed.endsWith(']') ? trimmed.slice(1, -1) : null;
  if (inner === null || !/^\s*(?:(?:'[^'\\]*'|"[^"\\]*")\s*(?:,\s*(?:'[^'\\]*'|"[^"\\]*")\s*)*)?$/.test(inner))
    return null;
  return [...inner.matchAll(/'([^']*)'|"([^"]*)"/g)].map((m) => m[1] ?? m[2]!);
}
