/**
 * Dockerfile text → ParsedDockerfile (plain data) + diagnostics. Never throws.
 *
 * dockerfile-ast gives ranges for every instruction, flag and argument, so edits can keep the
 * user's formatting; dockerfile-utils' validator supplies the syntax errors Docker would refuse
 * (`FROM golang: 1.7.3`, unknown instructions such as `WORKDIR:`).
 */
import { DockerfileParser, type Instruction as AstInstruction } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { diagnostic, type Diagnostic } from '../model/diagnostic.js';
import type { Instruction, InstructionFlag, ParsedDockerfile, Stage, TextSpan, Token } from '../model/dockerfile.js';

interface Position { line: number; character: number }
interface Range { start: Position; end: Position }

/** Severity 1 in dockerfile-utils is an error Docker would also refuse. */
const VALIDATOR_ERROR = 1;

export interface DockerfileParse {
  readonly dockerfile: ParsedDockerfile;
  readonly diagnostics: Diagnostic[];
}

export function parseDockerfile(file: string, text: string, displayFile = file): DockerfileParse {
  const lineStarts = computeLineStarts(text);
  const span = (range: Range): TextSpan => {
    const start = offsetOf(lineStarts, range.start);
    return { start, end: offsetOf(lineStarts, range.end), line: range.start.line + 1, column: range.start.character + 1 };
  };
  const ast = DockerfileParser.parse(text);
  const diagnostics: Diagnostic[] = [];
  for (const found of validate(text)) {
    if (found.severity !== VALIDATOR_ERROR) continue;
    const at = span(found.range);
    diagnostics.push(diagnostic('RS201', { file: displayFile, line: at.line, column: at.column }, `${found.message}; Docker refuses this Dockerfile`));
  }

  let stage = -1;
  const instructions: Instruction[] = [];
  for (const node of ast.getInstructions()) {
    const keyword = node.getKeyword().toUpperCase();
    if (keyword === 'FROM') stage += 1;
    instructions.push(toInstruction(node, keyword, stage, span, text));
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
      escapeChar: ast.getEscapeCharacter(),
      directives,
      instructions,
      stages,
      globalArgs: instructions.filter((i) => i.stage < 0 && i.keyword === 'ARG'),
    },
    diagnostics,
  };
}

function toInstruction(node: AstInstruction, keyword: string, stage: number, span: (r: Range) => TextSpan, text: string): Instruction {
  const flagged = node as AstInstruction & { getFlags?: () => { getRange(): Range; getName(): string; getValue(): string | null }[] };
  const flags: InstructionFlag[] = (flagged.getFlags?.() ?? []).map((f) => ({ ...span(f.getRange()), name: f.getName(), value: f.getValue() }));
  const json = jsonArgs(node, span);
  const args: Token[] = json ?? node.getArguments().map((a) => {
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

/** Exec-form arguments (`["a", "b"]`) decoded, or null when the instruction is in shell form. */
function jsonArgs(node: AstInstruction, span: (r: Range) => TextSpan): Token[] | null {
  const withJson = node as AstInstruction & { getJSONStrings?: () => { getRange(): Range; getJSONValue(): string }[]; getOpeningBracket?: () => unknown; getClosingBracket?: () => unknown };
  if (!withJson.getJSONStrings || !withJson.getOpeningBracket?.() || !withJson.getClosingBracket?.()) return null;
  return withJson.getJSONStrings().map((s) => ({ ...span(s.getRange()), raw: s.getJSONValue() }));
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function offsetOf(lineStarts: number[], p: Position): number {
  return (lineStarts[p.line] ?? 0) + p.character;
}
