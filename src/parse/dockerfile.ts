/**
 * Dockerfile text → ParsedDockerfile (plain data) + diagnostics. Never throws.
 *
 * dockerfile-ast gives ranges for every instruction, flag and argument, so edits can keep the
 * user's formatting; dockerfile-utils' validator supplies the syntax errors Docker would refuse
 * (`FROM golang: 1.7.3`, unknown instructions such as `WORKDIR:`).
 */
import { DockerfileParser, type Instruction as AstInstruction } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import './argument-memo.js';
import { diagnostic, type Diagnostic } from '../model/diagnostic.js';
import { lineStarts, offsetAt, positionAt, type LinePosition } from '../shared/text-position.js';
import type { Instruction, InstructionFlag, ParsedDockerfile, Stage, TextSpan, Token } from '../model/dockerfile.js';
import { dockerWord } from './dockerfile-word.js';

interface Range {
  start: LinePosition;
  end: LinePosition;
}

/** Severity 1 in dockerfile-utils is an error Docker would also refuse. */
const VALIDATOR_ERROR = 1;

export interface DockerfileParse {
  readonly dockerfile: ParsedDockerfile;
  readonly diagnostics: Diagnostic[];
}

export function parseDockerfile(file: string, text: string, displayFile = file): DockerfileParse {
  const starts = lineStarts(text, true);
  const span = (range: Range): TextSpan => {
    const start = offsetAt(starts, range.start);
    return {
      start,
      end: offsetAt(starts, range.end),
      line: range.start.line + 1,
      column: range.start.character + 1,
    };
  };
  const ast = DockerfileParser.parse(text);
  const diagnostics: Diagnostic[] = [];
  const loneCr = /\r(?!\n)/.exec(text);
  if (loneCr) {
    const at = span({ start: positionAt(starts, loneCr.index), end: positionAt(starts, loneCr.index) });
    diagnostics.push(
      diagnostic(
        'RS205',
        { file: displayFile, line: at.line, column: at.column },
        'a carriage return (\\r) that does not end a line: Docker reads it as part of the line, editors show a line break, so the file does not say what it seems to; remove it, or put in its place the line break it looks like (`mac2unix` does that; `dos2unix` leaves a lone \\r as it is), and run restage again',
      ),
    );
  }
  const findings = validated(text);
  if (!findings)
    diagnostics.push(
      diagnostic(
        'RS206',
        { file: displayFile, line: 1, column: 1 },
        'the Dockerfile validator failed on this file, so restage cannot tell whether Docker accepts it; check it with `docker build` and report it to restage',
      ),
    );
  for (const found of findings ?? []) {
    if (found.severity !== VALIDATOR_ERROR) continue;
    const at = span(found.range);
    diagnostics.push(
      diagnostic(
        'RS201',
        { file: displayFile, line: at.line, column: at.column },
        `${typeof found.message === 'string' ? found.message : found.message.value}; Docker refuses this Dockerfile`,
      ),
    );
  }

  const reportWord = (token: Token, error: string) => {
    if (diagnostics.some((d) => d.code === 'RS201' && d.line === token.line)) return;
    diagnostics.push(
      diagnostic(
        'RS201',
        { file: displayFile, line: token.line, column: token.column },
        `${error} in \`${token.raw}\`: Docker reads each COPY/ADD path as a shell word (quotes and escapes, in the JSON form too), and both builders fail here; write the quote escaped (${ast.getEscapeCharacter()}${error.includes('single') ? "'" : '"'}) or inside the other kind of quotes`,
      ),
    );
  };
  let stage = -1;
  const instructions: Instruction[] = [];
  const escapeChar = ast.getEscapeCharacter();
  for (const node of ast.getInstructions()) {
    const keyword = node.getKeyword().toUpperCase();
    if (keyword === 'FROM') stage += 1;
    const inst = toInstruction(node, keyword, stage, span, text);
    instructions.push(keyword === 'COPY' || keyword === 'ADD' ? pathWords(inst, escapeChar, reportWord) : inst);
  }
  const stages: Stage[] = [];
  for (const inst of instructions) {
    if (inst.keyword === 'FROM') {
      const from = ast.getFROMs()[stages.length];
      stages.push({
        index: stages.length,
        name: from?.getBuildStage()?.toLowerCase() ?? null,
        image: from?.getImage() ?? inst.args[0]?.raw ?? '',
        from: inst,
        instructions: [],
      });
    } else if (inst.stage >= 0) {
      (stages[inst.stage]!.instructions as Instruction[]).push(inst);
    }
  }
  const directives = ast.getDirectives().map((d) => ({
    name: d.getName().toLowerCase(),
    value: d.getValue(),
    span: span(d.getRange()),
  }));
  return {
    dockerfile: {
      file,
      text,
      escapeChar,
      directives,
      instructions,
      stages,
      globalArgs: instructions.filter((i) => i.stage < 0 && i.keyword === 'ARG'),
    },
    diagnostics,
  };
}

type Found = ReturnType<typeof validate>[number];

/**
 * dockerfile-utils' findings. Its validator recurses forever on an instruction indented (or after
 * a byte-order mark) before the first FROM (`␠USER $x`); such a file is validated again with the
 * leading white space of each line removed, and the columns put back. null: it failed anyway.
 */
function validated(text: string): Found[] | null {
  try {
    return validate(text);
  } catch {
    /* retried below */
  }
  const removed: number[] = [];
  const flush = text
    .split('\n')
    .map((line) => {
      const m = /^[\s\uFEFF]*/.exec(line)![0];
      removed.push(m.length);
      return line.slice(m.length);
    })
    .join('\n');
  try {
    return validate(flush).map((f) => ({
      ...f,
      range: {
        start: { ...f.range.start, character: f.range.start.character + (removed[f.range.start.line] ?? 0) },
        end: { ...f.range.end, character: f.range.end.character + (removed[f.range.end.line] ?? 0) },
      },
    }));
  } catch {
    return null;
  }
}

function toInstruction(
  node: AstInstruction,
  keyword: string,
  stage: number,
  span: (r: Range) => TextSpan,
  text: string,
): Instruction {
  const flagged = node as AstInstruction & {
    getFlags?: () => { getRange(): Range; getName(): string; getValue(): string | null }[];
  };
  const flags: InstructionFlag[] = (flagged.getFlags?.() ?? []).map((f) => ({
    ...span(f.getRange()),
    name: f.getName(),
    value: f.getValue(),
  }));
  const json = jsonArgs(node, span, text);
  const args: Token[] =
    json ??
    node.getArguments().map((a) => {
      const s = span(a.getRange());
      return { ...s, raw: text.slice(s.start, s.end) };
    });
  return {
    ...span(node.getRange()),
    keyword,
    keywordSpan: span(node.getInstructionRange()),
    flags,
    args,
    jsonForm: json !== null,
    stage,
  };
}

/** A COPY/ADD with each path word's value as Docker reads it; a word Docker fails on is reported and keeps none. */
function pathWords(inst: Instruction, escapeChar: string, report: (token: Token, error: string) => void): Instruction {
  const args = inst.args.map((token) => {
    const word = dockerWord(token.raw, escapeChar);
    if (word.error === undefined) return { ...token, value: word.value };
    report(token, word.error);
    return token;
  });
  return { ...inst, args };
}

/** Exec-form arguments (`["a", "b"]`) decoded, or null when the instruction is in shell form. */
function jsonArgs(node: AstInstruction, span: (r: Range) => TextSpan, text: string): Token[] | null {
  const withJson = node as AstInstruction & {
    getJSONStrings?: () => { getRange(): Range }[];
    getOpeningBracket?: () => unknown;
    getClosingBracket?: () => unknown;
  };
  if (!withJson.getJSONStrings || !withJson.getOpeningBracket?.() || !withJson.getClosingBracket?.()) return null;
  // dockerfile-ast's own value drops spaces and backslashes (`"my app"` gives `myapp`); Docker decodes each
  // string as JSON, and an exec form that is not valid JSON is shell form (test/parse/dockerfile.test.ts).
  const tokens: Token[] = [];
  for (const s of withJson.getJSONStrings()) {
    const at = span(s.getRange());
    const quoted = text.slice(at.start, at.end);
    let value: unknown;
    try {
      value = JSON.parse(quoted);
    } catch {
      return null;
    }
    if (typeof value !== 'string') return null;
    tokens.push({ ...at, raw: value });
  }
  return tokens;
}
