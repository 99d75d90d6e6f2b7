/**
 * The command line's grammar, parsed without a library (yargs alone was a sixth of `restage migrate`'s
 * start-up): `restage COMMAND [OPTIONS] DIR`. Options are `--name VALUE`, `--name=VALUE`, a flag
 * `--name`, its negation `--no-name`, and `-h`/`-v`; a repeatable option takes one value a time;
 * everything after `--` is positional. A usage error is a message, never an exception, worded as
 * docker's (cobra's): the first bad flag, `"restage migrate" requires exactly 1 argument.`
 */

export interface OptionSpec {
  /** The long name, without `--`. */
  readonly name: string;
  readonly kind: 'flag' | 'string' | 'number' | 'list';
  /** The value's name in help (FILE, NAME=VALUE); options that take a value have one. */
  readonly value?: string;
  readonly choices?: readonly string[];
  readonly default?: string | number | boolean;
  /** A flag whose default is true, turned off by `--no-NAME` (shown that way in help). */
  readonly negatable?: boolean;
  readonly describe: string;
}

export interface CommandSpec {
  readonly name: string;
  /** `variadic`: any number of arguments, none included (`restage check [PATHS…]`); else exactly one. */
  readonly positional: { readonly name: string; readonly describe: string; readonly variadic?: boolean };
  readonly summary: string;
  readonly options: readonly OptionSpec[];
  /** Pairs of option names that cannot be given together. */
  readonly conflicts?: readonly (readonly [string, string])[];
  /** A command line (without `restage `) and what it does. */
  readonly examples: readonly (readonly [string, string])[];
}

export type Value = string | number | boolean | readonly string[];

export type Parsed =
  | { readonly kind: 'help'; readonly command: CommandSpec | null }
  | { readonly kind: 'version' }
  | {
      readonly kind: 'usage';
      readonly message: string;
      readonly command: CommandSpec | null;
      /** A wrong number of arguments: docker then shows the usage line and summary too. */
      readonly showUsage?: boolean;
    }
  | {
      readonly kind: 'run';
      readonly command: CommandSpec;
      readonly positional: string;
      /** Every positional argument (one, unless the command's positional is variadic). */
      readonly positionals: readonly string[];
      readonly values: ReadonlyMap<string, Value>;
    };

/** Options every command takes; `--help` and `--version` are answered before anything is checked. */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { name: 'debug', kind: 'flag', describe: 'on an internal error, print its stack trace' },
  { name: 'help', kind: 'flag', describe: 'print this help and exit' },
  { name: 'version', kind: 'flag', describe: 'print the version and exit' },
];

const SHORT: Readonly<Record<string, string>> = { '-h': 'help', '-v': 'version' };

export function parseArgs(argv: readonly string[], commands: readonly CommandSpec[]): Parsed {
  const options = argv.indexOf('--') === -1 ? argv : argv.slice(0, argv.indexOf('--'));
  const asked = (name: string) => options.some((a) => a === `--${name}` || SHORT[a] === name);
  const first = argv.find((a) => !a.startsWith('-'));
  const command = commands.find((c) => c.name === first) ?? null;
  if (asked('help')) return { kind: 'help', command };
  if (asked('version')) return { kind: 'version' };
  if (first === undefined || argv[0] === '--')
    return usage(`"restage" requires a command: ${orList(commands.map((c) => c.name))}.`, null, true);
  if (!command) return usage(`restage: '${first}' is not a restage command.`, null);
  return parseCommand(argv.slice(argv.indexOf(first) + 1), argv.slice(0, argv.indexOf(first)), command);
}

function usage(message: string, command: CommandSpec | null, showUsage = false): Parsed {
  return { kind: 'usage', message, command, ...(showUsage ? { showUsage } : {}) };
}

/** docker's (cobra's) words for a bad option value. */
function invalid(value: string, name: string, why: string): string {
  return `invalid argument "${value}" for "--${name}" flag: ${why}`;
}

function parseCommand(rest: readonly string[], before: readonly string[], command: CommandSpec): Parsed {
  const specs = [...GLOBAL_OPTIONS, ...command.options];
  const values = new Map<string, Value>();
  for (const spec of specs) if (spec.default !== undefined) values.set(spec.name, spec.default);
  const positionals: string[] = [];
  const args = [...before, ...rest];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      if (arg.startsWith('-') && arg.length > 1) return usage(`unknown shorthand flag: '${arg[1]}' in ${arg}`, command);
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    const spec = specs.find((s) => s.name === name);
    const negated = spec ? undefined : specs.find((s) => s.negatable && `no-${s.name}` === name);
    if (negated && inline === undefined) {
      values.set(negated.name, false);
      continue;
    }
    if (!spec) return usage(`unknown flag: --${name}`, command);
    if (spec.kind === 'flag') {
      if (inline !== undefined) return usage(invalid(inline, name, 'the flag takes no value'), command);
      values.set(name, true);
      continue;
    }
    const value = inline ?? args[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--')))
      return usage(`flag needs an argument: --${name}`, command);
    const checked = checkValue(spec, value);
    if (typeof checked === 'object' && 'usage' in checked) return usage(checked.usage, command);
    values.set(name, spec.kind === 'list' ? [...((values.get(name) as readonly string[]) ?? []), value] : checked);
  }
  if (positionals.length !== 1 && !command.positional.variadic)
    return usage(`"restage ${command.name}" requires exactly 1 argument.`, command, true);
  for (const [a, b] of command.conflicts ?? [])
    if (given(args, a) && given(args, b)) return usage(`conflicting options: --${a} and --${b}`, command);
  return { kind: 'run', command, positional: positionals[0] ?? '.', positionals, values };
}

function checkValue(spec: OptionSpec, value: string): Value | { usage: string } {
  if (spec.choices && !spec.choices.includes(value))
    return { usage: invalid(value, spec.name, `valid values are ${spec.choices.join(', ')}`) };
  if (spec.kind !== 'number') return value;
  const n = Number(value);
  return value.trim() !== '' && Number.isFinite(n) ? n : { usage: invalid(value, spec.name, 'not a number') };
}

function given(args: readonly string[], name: string): boolean {
  return args.some((a) => a === `--${name}` || a.startsWith(`--${name}=`));
}

/** Typed reads of parsed values; the spec decides each option's kind, so a wrong read is a bug. */
export function flag(values: ReadonlyMap<string, Value>, name: string): boolean {
  return values.get(name) === true;
}

export function text(values: ReadonlyMap<string, Value>, name: string): string | undefined {
  const v = values.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function count(values: ReadonlyMap<string, Value>, name: string): number | undefined {
  const v = values.get(name);
  return typeof v === 'number' ? v : undefined;
}

export function list(values: ReadonlyMap<string, Value>, name: string): readonly string[] | undefined {
  const v = values.get(name);
  return Array.isArray(v) ? (v as readonly string[]) : undefined;
}

/** `a`, `a or b`, `a, b or c`. */
function orList(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)!}`;
}
