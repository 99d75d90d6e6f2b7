/** The command-line grammar: what each form of an option means, and which lines are usage errors. */
import test from 'ava';
import { count, flag, list, parseArgs, text, type Parsed } from '../../src/cli/args.js';
import { COMMANDS } from '../../src/cli/commands.js';

function run(argv: string[]): Extract<Parsed, { kind: 'run' }> {
  const parsed = parseArgs(argv, COMMANDS);
  if (parsed.kind !== 'run') throw new Error(`expected a run, got ${JSON.stringify(parsed)}`);
  return parsed;
}

function usage(argv: string[]): string {
  const parsed = parseArgs(argv, COMMANDS);
  if (parsed.kind !== 'usage') throw new Error(`expected a usage error, got ${parsed.kind}`);
  return parsed.message;
}

test('--name VALUE and --name=VALUE are the same; a value may contain =', (t) => {
  for (const argv of [
    ['migrate', 'd', '--out', 'x=y'],
    ['migrate', 'd', '--out=x=y'],
    ['migrate', '--out', 'x=y', 'd'],
  ]) {
    const r = run(argv);
    t.is(r.positional, 'd');
    t.is(text(r.values, 'out'), 'x=y');
  }
});

test('a repeatable option collects one value a time, in order; a value may start with one dash', (t) => {
  const r = run(['verify', 'd', '--run-args', '-it', '--run-args=sh', '--image-map', 'a=b']);
  t.deepEqual(list(r.values, 'run-args'), ['-it', 'sh']);
  t.deepEqual(list(r.values, 'image-map'), ['a=b']);
  t.is(list(r.values, 'build-arg'), undefined);
});

test('defaults, --no-run, numbers and choices', (t) => {
  const plain = run(['verify', 'd']);
  t.true(flag(plain.values, 'run'));
  t.is(text(plain.values, 'network'), 'none');
  t.is(count(plain.values, 'run-timeout'), 30);
  t.false(flag(plain.values, 'json'));
  const set = run(['verify', 'd', '--no-run', '--run-timeout', '2.5', '--network', 'default', '--json']);
  t.false(flag(set.values, 'run'));
  t.is(count(set.values, 'run-timeout'), 2.5);
  t.is(text(set.values, 'network'), 'default');
  t.true(flag(set.values, 'json'));
});

test('after -- everything is positional', (t) => {
  t.is(run(['migrate', '--', '--odd-dir']).positional, '--odd-dir');
});

test('--help and --version (-h, -v) win over anything else on the line', (t) => {
  t.deepEqual(parseArgs(['migrate', '-h', '--frob'], COMMANDS), { kind: 'help', command: COMMANDS[0]! });
  t.deepEqual(parseArgs(['--help'], COMMANDS), { kind: 'help', command: null });
  t.deepEqual(parseArgs(['-v'], COMMANDS), { kind: 'version' });
  t.deepEqual(parseArgs(['verify', 'd', '--version'], COMMANDS), { kind: 'version' });
});

test('usage errors', (t) => {
  t.regex(usage([]), /give a command/);
  t.is(usage(['frob']), 'Unknown argument: frob');
  t.is(usage(['migrate']), 'Not enough non-option arguments: got 0, need at least 1');
  t.is(usage(['migrate', 'a', 'b']), 'Unknown argument: b');
  t.is(usage(['migrate', 'a', '--frob', '-x']), 'Unknown arguments: frob, -x');
  t.is(usage(['migrate', 'a', '--out']), '--out needs a value: --out FILE');
  t.is(usage(['migrate', 'a', '--out', '--json']), '--out needs a value: --out FILE');
  t.is(usage(['migrate', 'a', '--json=yes']), '--json takes no value, got "--json=yes"');
  t.is(usage(['migrate', 'a', '--out', 'x', '--write']), 'Arguments out and write are mutually exclusive');
  t.is(usage(['verify', 'a', '--run-timeout', 'soon']), '--run-timeout takes a number, got "soon"');
  t.is(usage(['verify', 'a', '--backend', 'kaniko']), '--backend takes one of buildkit, classic, got "kaniko"');
  t.is(usage(['migrate', 'a', '--no-run']), 'Unknown argument: no-run');
});
