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

test('usage errors, worded as docker words them: the first bad flag, or the argument count', (t) => {
  t.is(usage([]), '"restage" requires a command: migrate, verify, scan or check.');
  t.is(usage(['frob']), "restage: 'frob' is not a restage command.");
  t.is(usage(['migrate']), '"restage migrate" requires exactly 1 argument.');
  t.is(usage(['migrate', 'a', 'b']), '"restage migrate" requires exactly 1 argument.');
  t.is(usage(['migrate', 'a', '--frob', '-x']), 'unknown flag: --frob');
  t.is(usage(['migrate', 'a', '-x', '--frob']), "unknown shorthand flag: 'x' in -x");
  t.is(usage(['migrate', '--frob']), 'unknown flag: --frob');
  t.is(usage(['migrate', 'a', '--out']), 'flag needs an argument: --out');
  t.is(usage(['migrate', 'a', '--out', '--json']), 'flag needs an argument: --out');
  t.is(usage(['migrate', 'a', '--json=yes']), 'invalid argument "yes" for "--json" flag: the flag takes no value');
  t.is(usage(['migrate', 'a', '--out', 'x', '--write']), 'conflicting options: --out and --write');
  t.is(
    usage(['verify', 'a', '--run-timeout', 'soon']),
    'invalid argument "soon" for "--run-timeout" flag: not a number',
  );
  t.is(
    usage(['verify', 'a', '--backend', 'kaniko']),
    'invalid argument "kaniko" for "--backend" flag: valid values are buildkit, classic',
  );
  t.is(usage(['migrate', 'a', '--no-run']), 'unknown flag: --no-run');
});

test('only a wrong number of arguments shows the usage line, as docker does', (t) => {
  const shows = (argv: string[]) => {
    const p = parseArgs(argv, COMMANDS);
    return p.kind === 'usage' && p.showUsage === true;
  };
  t.true(shows([]));
  t.true(shows(['migrate']));
  t.true(shows(['verify', 'a', 'b']));
  t.false(shows(['migrate', 'a', '--frob']));
  t.false(shows(['frob']));
  t.false(shows(['migrate', 'a', '--out']));
});

test('--format takes text, json or sarif on every command', (t) => {
  for (const command of ['migrate', 'verify', 'scan'])
    for (const format of ['text', 'json', 'sarif']) {
      t.is(text(run([command, 'd', '--format', format]).values, 'format'), format);
      t.is(text(run([command, `--format=${format}`, 'd']).values, 'format'), format);
    }
  t.is(text(run(['scan', 'd']).values, 'format'), undefined, 'no default: --json decides when --format is absent');
  t.is(
    usage(['scan', 'd', '--format', 'xml']),
    'invalid argument "xml" for "--format" flag: valid values are text, json, sarif',
  );
  t.is(usage(['verify', 'd', '--format']), 'flag needs an argument: --format');
});

test('check takes any number of paths, none included; the others exactly one', (t) => {
  t.deepEqual(run(['check']).positionals, []);
  t.deepEqual(run(['check', 'a.sh', '--json', 'Dockerfile', '--', '--odd']).positionals, [
    'a.sh',
    'Dockerfile',
    '--odd',
  ]);
  t.true(flag(run(['check', '--warn-only', 'x']).values, 'warn-only'));
  t.deepEqual(run(['migrate', 'd']).positionals, ['d']);
  t.is(usage(['migrate', 'a', 'b']), '"restage migrate" requires exactly 1 argument.');
});
