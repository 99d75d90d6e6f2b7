/**
 * Help text laid out as docker's is: a usage line, the summary, one line a flag (its value's name,
 * then what it does), a short example section. Descriptions wrap at word boundaries to the
 * terminal's width (80 columns when the output is not a terminal), continuing under the description
 * column; a word longer than the line is never cut.
 */
import { GLOBAL_OPTIONS, type CommandSpec, type OptionSpec } from './args.js';

const USAGE = 'restage COMMAND [OPTIONS] DIR';
const SUMMARY = 'Migrate the legacy Docker builder pattern to one named multi-stage Dockerfile, and verify it.';

export function helpText(commands: readonly CommandSpec[], command: CommandSpec | null, width: number): string {
  if (command) return commandHelp(command, width);
  const lines = [
    `Usage:  ${USAGE}`,
    '',
    ...wrap(SUMMARY, width),
    '',
    'Commands:',
    ...table(
      commands.map((c) => [`${c.name} ${c.positional.name}`, c.summary]),
      width,
    ),
    '',
    'Global Options:',
    ...table(GLOBAL_OPTIONS.map(optionRow), width),
    '',
    'Examples:',
    ...table(
      commands.map((c) => [`restage ${c.examples[0]![0]}`, c.examples[0]![1]]),
      width,
      '  ',
      true,
    ),
    '',
    ...wrap("Run 'restage COMMAND --help' for more information on a command.", width),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * A usage error as docker prints one: the message, then `See 'restage migrate --help'.`; for a
 * wrong number of arguments also the usage line and the summary, unwrapped.
 */
export function usageErrorText(message: string, command: CommandSpec | null, showUsage: boolean): string {
  const lines = [message, `See '${command ? `restage ${command.name}` : 'restage'} --help'.`];
  if (showUsage)
    lines.push(
      '',
      `Usage:  ${command ? usageLine(command) : USAGE}`,
      '',
      command ? capitalize(command.summary) : SUMMARY,
    );
  return `${lines.join('\n')}\n`;
}

function usageLine(command: CommandSpec): string {
  return `restage ${command.name} [OPTIONS] ${command.positional.name}`;
}

function commandHelp(command: CommandSpec, width: number): string {
  const lines = [
    `Usage:  ${usageLine(command)}`,
    '',
    ...wrap(capitalize(command.summary), width),
    '',
    'Arguments:',
    ...table([[command.positional.name, command.positional.describe]], width),
    '',
    'Options:',
    ...table([...command.options, ...GLOBAL_OPTIONS].map(optionRow), width),
    '',
    'Examples:',
    ...table(
      command.examples.map(([line, what]) => [`restage ${line}`, what]),
      width,
      '  ',
      true,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

function optionRow(o: OptionSpec): [string, string] {
  const short = o.name === 'help' ? '-h, ' : o.name === 'version' ? '-v, ' : '    ';
  const name = o.negatable ? `no-${o.name}` : o.name;
  const value = o.kind === 'flag' ? '' : ` ${o.value ?? 'VALUE'}`;
  const shown = o.kind !== 'flag' && o.default !== undefined ? ` (default ${String(o.default)})` : '';
  const choices = o.choices ? ` (${o.choices.join(' | ')})` : '';
  return [`${short}--${name}${value}`, `${o.describe}${choices}${shown}`];
}

/**
 * Two columns: the left one as wide as its widest entry (up to a third of the line), the right one
 * wrapped. With `stacked`, or when the left entry is wider than its column, the description starts
 * on the next line, indented.
 */
function table(rows: readonly (readonly [string, string])[], width: number, indent = '  ', stacked = false): string[] {
  const cap = Math.max(12, Math.floor(width / 3));
  const column = Math.min(cap, Math.max(...rows.map(([left]) => left.length))) + indent.length + 2;
  const out: string[] = [];
  for (const [left, right] of rows) {
    if (stacked || indent.length + left.length + 2 > column) {
      out.push(`${indent}${left}`);
      out.push(...wrap(right, width, ' '.repeat(stacked ? indent.length * 3 : column)));
    } else {
      const [head = '', ...tail] = wrap(right, width - column);
      out.push(`${indent}${left.padEnd(column - indent.length)}${head}`);
      out.push(...tail.map((l) => `${' '.repeat(column)}${l}`));
    }
  }
  return out;
}

/** Words of `text` in lines of at most `width` columns (a longer word gets a line of its own), each after `indent`. */
export function wrap(text: string, width: number, indent = ''): string[] {
  const room = Math.max(20, width - indent.length);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > room) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
