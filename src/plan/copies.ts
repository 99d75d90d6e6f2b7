/**
 * COPY/ADD edits: a source that names an extracted artifact becomes the artifact's absolute
 * container path in a `COPY --from=<stage>` (COPY --from reads from the stage root, not its
 * WORKDIR). Flags the user wrote (--chown, --chmod, --link) stay; `--chown=0:0` is added where
 * ownership would otherwise change. Sources that stay in the context keep their own COPY line.
 *
 * `docker cp -L` (CopyOut.followLink) needs no flag: COPY --from follows a symlink named as the
 * source and copies what it points to, under BuildKit and the classic builder alike, as
 * test/e2e/confinement.test.ts ("docker cp -L is replayed as such") shows against the replay.
 */
import path from 'node:path';
import { diagnostic, type Diagnostic } from '../model/diagnostic.js';
import type { Instruction, ParsedDockerfile, Token } from '../model/dockerfile.js';
import type { Consumption } from '../model/analysis.js';
import type { TextEdit } from '../model/plan.js';
import { writeDockerWord } from '../parse/dockerfile-word.js';

export interface CopySource {
  /** What goes after `--from=`: a stage name or an image reference. */
  readonly ref: string;
  /** Add `--chown=0:0` (the builder may have written the files as another user). */
  readonly chown: boolean;
}

export function copyEdits(
  file: ParsedDockerfile,
  inst: Instruction,
  all: readonly Consumption[],
  sourceOf: (c: Consumption) => CopySource,
  diagnostics: Diagnostic[],
): TextEdit[] {
  const unpacked = all.filter((u) => u.artifact.unpackedAs !== undefined);
  if (unpacked.length > 0) return [unpackedCopies(file, inst, unpacked, sourceOf)];
  const uses = all.filter((u) => u.within === null);
  const covered = all.filter((u) => u.within !== null);
  const edits = uses.length > 0 ? namedEdits(file, inst, uses, sourceOf, diagnostics) : [];
  if (covered.length > 0) edits.push(coveredCopies(file, inst, covered, sourceOf));
  return edits;
}

/**
 * `COPY . /app` (or `COPY out/ /srv/`) where the directory also held extracted artifacts: the COPY
 * stays for the context files, and each artifact is copied from its stage to where the directory
 * copy put it (`./bin` → `/app/bin`). Later layers win, as the host copy overwrote context files.
 */
function coveredCopies(
  file: ParsedDockerfile,
  inst: Instruction,
  covered: readonly Consumption[],
  sourceOf: (c: Consumption) => CopySource,
): TextEdit {
  const text = file.text;
  const dest = written(inst.args[inst.args.length - 1]!);
  const first = inst.args[0]!;
  const argsStart = inst.jsonForm ? text.lastIndexOf('[', first.start) : first.start;
  const flagsText = text.slice(inst.keywordSpan.end, argsStart).trim();
  const keyword = matchCase(inst.keywordSpan, text, 'COPY');
  const lines = covered.map((u) => {
    const s = sourceOf(u);
    const chown = s.chown && !inst.flags.some((f) => f.name === 'chown') ? '--chown=0:0 ' : '';
    const target = u.within ? { ...dest, value: path.posix.join(dest.value, u.within) } : dest;
    return `${keyword} --from=${s.ref} ${chown}${flagsText ? `${flagsText} ` : ''}${pathArgs([{ value: u.containerPath }, target], file.escapeChar)}`;
  });
  // A directory the script made and filled with artifacts only: nothing of it is in the context.
  if (inst.args.length === 2 && covered.every((u) => u.onlyArtifacts))
    return { start: inst.start, end: inst.end, text: lines.join('\n') };
  return { start: inst.end, end: inst.end, text: `\n${lines.join('\n')}` };
}

/**
 * `ADD ARCHIVE DEST` of a tar archive streamed out of a builder: one `COPY --from` per member, to
 * where ADD unpacked it (DEST/name; DEST itself for `.`), without `--chown`: ADD kept the owners
 * and modes the archive recorded, which are the builder's, and COPY --from keeps them too
 * (test/e2e/routes-tar.test.ts measures both under BuildKit and the classic builder).
 */
function unpackedCopies(
  file: ParsedDockerfile,
  inst: Instruction,
  unpacked: readonly Consumption[],
  sourceOf: (c: Consumption) => CopySource,
): TextEdit {
  const dest = written(inst.args[inst.args.length - 1]!);
  const keyword = matchCase(inst.keywordSpan, file.text, 'COPY');
  const lines = unpacked.map((u) => {
    const name = u.artifact.unpackedAs!;
    const target = name === '.' ? dest : { ...dest, value: path.posix.join(dest.value, name) };
    return `${keyword} --from=${sourceOf(u).ref} ${pathArgs([{ value: u.containerPath }, target], file.escapeChar)}`;
  });
  return { start: inst.start, end: inst.end, text: lines.join('\n') };
}

/** A path restage writes: a container or tree path (literal), or one the user wrote (its variables expand). */
export interface PathValue {
  readonly value: string;
  readonly variables?: boolean;
}

/** The shell form of COPY/ADD splits its words at whitespace, so a path holding some needs the JSON form. */
const splitByShellForm = (p: PathValue): boolean => /\s/.test(p.value);

/** A path the user wrote in `inst`, as Docker reads it. */
export const written = (token: Token): PathValue => ({ value: token.value ?? token.raw, variables: true });

/**
 * The path words of a COPY line, each read back by Docker as its value (src/parse/dockerfile-word.ts):
 * the shell form, or the JSON form when asked or when a path holds whitespace, which the shell
 * form splits its words at (`COPY --from=b "/o/a b" /x` fails under both builders).
 */
export function pathArgs(paths: readonly PathValue[], escapeChar: string, json = false): string {
  const words = paths.map((p) => writeDockerWord(p.value, escapeChar, p.variables));
  return json || paths.some(splitByShellForm) ? `[${words.map((w) => JSON.stringify(w)).join(', ')}]` : words.join(' ');
}

/** One path word written in place of a word of `inst`; null when its shell form cannot hold it (whitespace). */
export function pathInPlace(inst: Instruction, p: PathValue, escapeChar: string): string | null {
  if (!inst.jsonForm && splitByShellForm(p)) return null;
  const word = writeDockerWord(p.value, escapeChar, p.variables);
  return inst.jsonForm ? JSON.stringify(word) : word;
}

function namedEdits(
  file: ParsedDockerfile,
  inst: Instruction,
  uses: readonly Consumption[],
  sourceOf: (c: Consumption) => CopySource,
  diagnostics: Diagnostic[],
): TextEdit[] {
  const text = file.text;
  const sources = inst.args.slice(0, -1);
  const dest = inst.args[inst.args.length - 1]!;
  const hasChown = inst.flags.some((f) => f.name === 'chown');
  const byIndex = new Map(uses.map((u) => [u.sourceIndex, u]));
  const refs = new Set(uses.map((u) => sourceOf(u).ref));
  const keyword = matchCase(inst.keywordSpan, text, 'COPY');
  const flagsFor = (s: CopySource) => `--from=${s.ref} ${s.chown && !hasChown ? '--chown=0:0 ' : ''}`;
  const argsStart = inst.jsonForm ? text.lastIndexOf('[', sources[0]!.start) : sources[0]!.start;

  if (byIndex.size === sources.length && refs.size === 1) {
    const source = sourceOf(uses[0]!);
    const edits: TextEdit[] = [];
    if (inst.keyword === 'ADD') edits.push({ start: inst.keywordSpan.start, end: inst.keywordSpan.end, text: keyword });
    const renamed = sources.length === 1 ? renamedDest(uses[0]!, dest.raw) : null;
    const paths = [
      ...sources.map((_, index) => ({ value: byIndex.get(index)!.containerPath })),
      renamed !== null ? { value: renamed, variables: true } : written(dest),
    ];
    if (!inst.jsonForm && paths.some(splitByShellForm)) {
      // A path with whitespace: the whole instruction in the JSON form.
      edits.push({ start: argsStart, end: dest.end, text: flagsFor(source) + pathArgs(paths, file.escapeChar, true) });
    } else {
      // Each word in place: the spacing and comments the user wrote stay.
      edits.push({ start: argsStart, end: argsStart, text: flagsFor(source) });
      sources.forEach((token, index) =>
        edits.push({ start: token.start, end: token.end, text: pathInPlace(inst, paths[index]!, file.escapeChar)! }),
      );
      if (renamed !== null)
        edits.push({
          start: dest.start,
          end: dest.end,
          text: pathInPlace(inst, paths[sources.length]!, file.escapeChar)!,
        });
    }
    if (renamed) {
      diagnostics.push(
        diagnostic(
          'RS406',
          { file: file.file, line: dest.line, column: dest.column },
          `the artifact was renamed on the host (${path.posix.basename(uses[0]!.containerPath)} → ${path.basename(uses[0]!.artifact.hostPath)}); restage wrote the destination as ${renamed} so the name stays, assuming ${uses[0]!.containerPath} is a file — if it is a directory, write the destination as ${dest.raw} instead`,
        ),
      );
    }
    return edits;
  }

  // Mixed: the context sources keep this instruction; each artifact stage gets a COPY of its own after it.
  const edits: TextEdit[] = [];
  for (const index of byIndex.keys()) {
    const token = sources[index]!;
    let end = token.end;
    while (end < text.length && (text[end] === ' ' || text[end] === '\t' || (inst.jsonForm && text[end] === ',')))
      end++;
    edits.push({ start: token.start, end, text: '' });
  }
  const flagsText = text.slice(inst.keywordSpan.end, argsStart).trim();
  const lines: string[] = [];
  for (const ref of refs) {
    const mine = uses.filter((u) => sourceOf(u).ref === ref);
    const s = sourceOf(mine[0]!);
    const paths = mine.map((u) => u.containerPath);
    const body = pathArgs([...paths.map((value) => ({ value })), written(dest)], file.escapeChar, inst.jsonForm);
    lines.push(`${keyword} ${flagsFor(s)}${flagsText ? `${flagsText} ` : ''}${body}`);
  }
  edits.push({ start: inst.end, end: inst.end, text: `\n${lines.join('\n')}` });
  return edits;
}

/**
 * `docker cp c:/go/bin/server ./app-linux` then `COPY app-linux /usr/bin/`: the legacy image has
 * /usr/bin/app-linux, COPY --from=… /go/bin/server /usr/bin/ would make /usr/bin/server. A
 * directory-form destination (ending in `/`, or `.`) gets the host name appended.
 */
function renamedDest(use: Consumption, dest: string): string | null {
  if (use.artifact.contentOnly || use.containerPath !== use.artifact.containerPath) return null;
  const hostName = path.basename(use.artifact.hostPath);
  if (hostName === path.posix.basename(use.containerPath)) return null;
  if (dest === '.' || dest === './') return `./${hostName}`;
  if (dest.endsWith('/')) return `${dest}${hostName}`;
  return null;
}

/** The replacement keyword in the case the user wrote the original one in. */
export function matchCase(span: { start: number; end: number }, text: string, word: string): string {
  const written = text.slice(span.start, span.end);
  return written === written.toLowerCase() ? word.toLowerCase() : word.toUpperCase();
}
