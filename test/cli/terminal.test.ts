/**
 * The CLI at a terminal: help laid out as docker's (one line a flag, an example section), wrapped at
 * word boundaries; -h and -v as --help and --version; with --json, a usage error is one JSON
 * object on stdout (status usage-error, an RS100 diagnostic) and exit 2.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { COMMANDS } from '../../src/cli/commands.js';
import { helpText, wrap } from '../../src/cli/help.js';
import { BIN, ROOT } from '../helpers/fixtures.js';

function restage(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const words = (s: string) => s.split(/\s+/).filter(Boolean);

for (const width of [80, 60, 120]) {
  for (const command of [null, ...COMMANDS]) {
    test(`help of ${command?.name ?? 'restage'} at ${width} columns: no line too long, no word cut`, (t) => {
      const help = helpText(COMMANDS, command, width);
      const lines = help.split('\n');
      t.deepEqual(
        lines.filter((l) => l.length > width),
        [],
      );
      // Every description's words, in order, as whole words of the text.
      const all = words(help);
      for (const o of command?.options ?? []) {
        const first = all.indexOf(
          words(o.describe)[0]!,
          all.findIndex((w) => w.endsWith(`--${o.name}`) || w === `--no-${o.name}`),
        );
        t.deepEqual(all.slice(first, first + words(o.describe).length), words(o.describe), o.name);
      }
    });
  }
}

test('wrap breaks between words and gives a longer word a line of its own', (t) => {
  t.deepEqual(wrap('aaa bbb ccc ddd', 20, '    '), ['    aaa bbb ccc ddd']);
  t.deepEqual(wrap('one two three four five six seven', 20), ['one two three four', 'five six seven']);
  t.deepEqual(wrap(`x ${'y'.repeat(30)} z`, 20), ['x', 'y'.repeat(30), 'z']);
});

for (const command of COMMANDS) {
  test(`${command.name} --help: one line a flag, usage first, an example section`, (t) => {
    const r = restage([command.name, '--help']);
    t.is(r.code, 0);
    t.is(r.stderr, '');
    const lines = r.stdout.split('\n');
    t.is(lines[0], `Usage:  restage ${command.name} [OPTIONS] ${command.positional.name}`);
    for (const o of command.options) {
      const flag = o.negatable ? `--no-${o.name}` : `--${o.name}`;
      const at = lines.filter((l) => new RegExp(`^\\s+${flag}(\\s|$)`).test(l));
      t.is(at.length, 1, flag);
    }
    const examples = lines.indexOf('Examples:');
    t.true(examples > 0);
    t.regex(lines[examples + 1]!, new RegExp(`^ {2}restage ${command.name} `));
  });
}

test('-h is --help and -v is --version', (t) => {
  const help = restage(['--help']);
  t.is(help.code, 0);
  t.regex(help.stdout, /^Usage: {2}restage COMMAND/);
  t.regex(help.stdout, /^ {2}-h, --help/m);
  t.is(restage(['-h']).stdout, help.stdout);
  t.is(restage(['migrate', '-h']).stdout, restage(['migrate', '--help']).stdout);
  const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  for (const flag of ['-v', '--version']) {
    const r = restage([flag]);
    t.is(r.code, 0);
    t.is(r.stdout, `${version}\n`);
  }
});

const usageCases: [string[], RegExp][] = [
  [['migrate', '--json'], /^"restage migrate" requires exactly 1 argument\.$/],
  [['frobnicate', '--json'], /^restage: 'frobnicate' is not a restage command\.$/],
  [['--json'], /^"restage" requires a command: migrate, verify, scan or check\.$/],
  [['migrate', 'samples/hello-c', '--out', 'x', '--write', '--json'], /^conflicting options: --out and --write$/],
  [['migrate', 'samples/hello-c', '--frob', '--json'], /^unknown flag: --frob$/],
  [['migrate', 'samples/href-counter', '--env', 'VERSION', '--json'], /^invalid argument "VERSION" for "--env" flag: /],
  [
    ['verify', 'samples/hello-c', '--engine', 'rkt', '--json'],
    /^invalid argument "rkt" for "--engine" flag: valid values are docker, podman$/,
  ],
  [['verify', 'samples/hello-c', '--build-arg', 'X', '--json'], /^invalid argument "X" for "--build-arg" flag: /],
];

for (const [args, message] of usageCases) {
  test(`with --json a usage error is one JSON object: restage ${args.join(' ')}`, (t) => {
    const r = restage(args);
    t.is(r.code, 2);
    t.is(r.stderr, '');
    const json = JSON.parse(r.stdout) as {
      schemaVersion: number;
      status: string;
      diagnostics: { code: string; severity: string; message: string }[];
    };
    t.is(json.schemaVersion, 1);
    t.is(json.status, 'usage-error');
    t.is(json.diagnostics.length, 1);
    t.is(json.diagnostics[0]!.code, 'RS100');
    t.is(json.diagnostics[0]!.severity, 'error');
    t.regex(json.diagnostics[0]!.message, message);
  });
}

test("without --json a usage error is text on stderr as docker's, nothing on stdout", (t) => {
  const r = restage(['verify', 'samples/hello-c', '--engine', 'rkt']);
  t.is(r.code, 2);
  t.is(r.stdout, '');
  t.is(
    r.stderr,
    `invalid argument "rkt" for "--engine" flag: valid values are docker, podman\nSee 'restage verify --help'.\n`,
  );
});

test('a wrong number of arguments adds the usage line and the summary, as docker does', (t) => {
  const r = restage(['migrate', 'a', 'b']);
  t.is(r.code, 2);
  t.is(r.stdout, '');
  t.is(
    r.stderr,
    [
      '"restage migrate" requires exactly 1 argument.',
      "See 'restage migrate --help'.",
      '',
      'Usage:  restage migrate [OPTIONS] DIR',
      '',
      'Turn a builder pattern (Dockerfile.build + Dockerfile + build.sh) into one multi-stage Dockerfile',
      '',
    ].join('\n'),
  );
});
