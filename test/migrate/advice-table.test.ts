/**
 * Advice must be true: each row builds a case where a diagnostic fires, checks that it fires with
 * the advice it gives, then follows that advice mechanically (the flag it names, the edit it asks
 * for) and checks that the diagnostic is gone, as the message promises. Rows whose advice names
 * a CLI flag also check that bin/restage.js accepts the flag for that command.
 */
import test, { type ExecutionContext } from 'ava';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { DiagnosticCode } from '../../src/model/diagnostic.js';
import { runMigrate, type MigrateCommandOptions } from '../../src/cli/migrate.js';
import { BIN, MIGRATE_FIXTURES, tempCopy } from '../helpers/fixtures.js';

type Files = Record<string, string>;
interface Case {
  readonly fixture: string;
  readonly files?: Files;
  readonly options?: MigrateCommandOptions;
}
interface Row {
  readonly code: DiagnosticCode;
  readonly input: Case;
  /** What the advice says (matched against the message). */
  readonly advice: RegExp;
  /** The case with the advice followed: edits to the same files, options added. */
  readonly follow: (
    message: string,
    files: (name: string) => string,
  ) => { files?: Files; options?: MigrateCommandOptions };
  /** Why following it must remove the diagnostic. */
  readonly why: string;
  /** Another advice that must no longer be given (what was untrue before). */
  readonly not?: RegExp;
}

const sh = (body: string) => `#!/bin/sh\nset -e\n${body}`;
/** run-foreground-cp's tree with a create/cp/rm pipeline; `pre` runs first, `cp` is the docker cp operands. */
const pipeline = (pre: string, cp = 'c:/out/app ./app', build = 'docker build -t acme/b -f Dockerfile.build .') =>
  sh(
    `${pre}${build}\ndocker create --name c acme/b\ndocker cp ${cp}\ndocker rm c\ndocker build -t acme/app .\nrm -f app\n`,
  );

function materialise(t: ExecutionContext, c: Case, extra: Files = {}): string {
  const dir = tempCopy(path.join(MIGRATE_FIXTURES, c.fixture, 'input'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries({ ...c.files, ...extra })) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const flagsOf = (o: MigrateCommandOptions): string[] => [
  ...(o.script !== undefined ? ['--script', o.script] : []),
  ...(o.scriptArgs ?? []).flatMap((a) => ['--script-arg', a]),
  ...Object.entries(o.env ?? {}).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
];

const followed = test.macro({
  exec(t, row: Row) {
    const before = materialise(t, row.input);
    const first = runMigrate(before, row.input.options ?? {});
    const d = first.result.diagnostics.find((x) => x.code === row.code);
    if (!d) return t.fail(`${row.code} does not fire: ${JSON.stringify(first.result.diagnostics)}`);
    t.regex(d.message, row.advice);
    if (row.not) t.notRegex(d.message, row.not);
    const read = (name: string) => fs.readFileSync(path.join(before, name), 'utf8');
    const step = row.follow(d.message, read);
    const options = { ...row.input.options, ...step.options };
    const after = runMigrate(materialise(t, row.input, step.files), options);
    t.false(
      after.result.diagnostics.some((x) => x.code === row.code),
      `${row.why}: ${JSON.stringify(after.result.diagnostics.filter((x) => x.code === row.code))}`,
    );
    t.not(after.result.status, 'error', JSON.stringify(after.result.diagnostics));
    const flags = flagsOf(step.options ?? {});
    if (flags.length > 0) {
      // The flags the advice names exist on migrate: the CLI takes them (exit 0, not a usage error 2).
      const cli = spawnSync(
        process.execPath,
        [BIN, 'migrate', materialise(t, row.input, step.files), ...flagsOf(options)],
        { encoding: 'utf8' },
      );
      t.is(cli.status, 0, cli.stderr);
      t.notRegex(cli.stderr, new RegExp(`${row.code}`));
    }
  },
  title: (_title, row: Row) => `${row.code}: "${row.advice.source}" holds: ${row.why}`,
});

const rows: Row[] = [
  {
    code: 'RS304',
    input: { fixture: 'run-foreground-cp', files: { 'build.sh': pipeline('', 'c:$OUT/app ./app') } },
    advice: /--env OUT=VALUE/,
    follow: () => ({ options: { env: { OUT: '/out' } } }),
    why: '--env sets the variable the docker cp argument reads',
  },
  {
    code: 'RS304',
    input: { fixture: 'run-foreground-cp', files: { 'build.sh': pipeline('', 'c:$OUT/app ./app') } },
    advice: /give it a literal default, e\.g\. \$\{OUT:-value\}/,
    follow: (_m, read) => ({ files: { 'build.sh': read('build.sh').replace('$OUT', '${OUT:-/out}') } }),
    why: 'a literal default makes the word known',
  },
  {
    code: 'RS304',
    input: { fixture: 'bad-unresolved-variable' },
    advice: /write it as a literal \(or a variable with a literal value\)/,
    follow: (_m, read) => ({
      files: { 'build.sh': read('build.sh').replace(/^APP_PATH=.*$/m, 'APP_PATH=/build/target/release/linecount') },
    }),
    why: 'a variable with a literal value is known without running the script',
  },
  {
    code: 'RS305',
    input: {
      fixture: 'run-foreground-cp',
      files: { 'build.sh': pipeline('', undefined, 'docker build $OPTS -t acme/b -f Dockerfile.build .') },
    },
    advice: /give its value with --env OPTS=VALUE/,
    follow: () => ({ options: { env: { OPTS: '--pull' } } }),
    why: 'with --env the variable is set, so nothing expands to nothing',
  },
  {
    code: 'RS322',
    input: { fixture: 'script-arg-default', options: { env: { VERSION: '2.0' } } },
    advice: /assumed \$1=amd64.*--script-arg/,
    follow: () => ({ options: { scriptArgs: ['arm64'] } }),
    why: '--script-arg gives $1, so no default is assumed',
  },
  {
    code: 'RS322',
    input: { fixture: 'script-arg-default', options: { scriptArgs: ['arm64'] } },
    advice: /assumed VERSION=1\.0.*--env VERSION=VALUE/,
    follow: () => ({ options: { env: { VERSION: '2.0' } } }),
    why: '--env gives VERSION, so no default is assumed',
  },
  {
    code: 'RS309',
    input: { fixture: 'run-foreground-cp', files: { 'build.sh': pipeline('rm -rf "$STAGING/probe"\n') } },
    advice: /--env STAGING=VALUE/,
    follow: () => ({ options: { env: { STAGING: '/tmp/staging' } } }),
    why: '--env names the directory the path starts from',
  },
  {
    code: 'RS309',
    input: { fixture: 'run-foreground-cp', files: { 'build.sh': pipeline('rm -rf "$STAGING/probe"\n') } },
    advice: /literal default in the script \(\$\{STAGING:-\/tmp\/out\}\)/,
    follow: (_m, read) => ({ files: { 'build.sh': read('build.sh').replace('$STAGING', '${STAGING:-/tmp/out}') } }),
    why: 'a default decides the path when the variable is unset',
  },
  {
    code: 'RS309',
    input: { fixture: 'run-foreground-cp', files: { 'build.sh': pipeline('rm -rf ~/probe\n') } },
    advice: /write the path without ~/,
    not: /set the variable/,
    follow: (_m, read) => ({ files: { 'build.sh': read('build.sh').replace('~/probe', '/tmp/probe') } }),
    why: '~ is no variable: only a path without it is decidable (no default or --env changes ~)',
  },
  {
    code: 'RS309',
    input: { fixture: 'run-foreground-cp', files: { 'build.sh': pipeline('D=$(mktemp -d)\nrm -rf "$D/probe"\n') } },
    advice: /set the variable in the script to a literal value/,
    not: /--env/,
    follow: (_m, read) => ({ files: { 'build.sh': read('build.sh').replace('D=$(mktemp -d)', 'D=/tmp/d') } }),
    why: "a command's output is known only when the variable holds a literal instead",
  },
  {
    code: 'RS320',
    input: { fixture: 'run-foreground-cp' },
    advice:
      /make the build Dockerfile produce \/out\/app.*create the container with `docker create` .*instead of `docker run`/,
    follow: (_m, read) => ({
      files: {
        'Dockerfile.build': read('Dockerfile.build').replace(/^CMD .*$/m, 'RUN go build -o /out/app main.go'),
        'build.sh': read('build.sh').replace('docker run ', 'docker create '),
      },
    }),
    why: 'the warning holds as long as the script starts the container, so the advice names the script change too',
  },
  {
    code: 'RS320',
    input: { fixture: 'create-start-cp' },
    advice: /remove the `docker start` in the script/,
    follow: (_m, read) => ({
      files: {
        'Dockerfile.build': read('Dockerfile.build').replace(/^CMD .*$/m, 'RUN go build -o /out/app main.go'),
        'build.sh': read('build.sh').replace(/^docker start .*\n/m, ''),
      },
    }),
    why: 'a created container that never starts holds what the image holds',
  },
  {
    code: 'RS110',
    input: { fixture: 'two-pipelines' },
    advice: /pick one with --script FILE \(relative to the directory\), e\.g\. --script \S+$/,
    follow: (m) => ({ options: { script: /--script (\S+)$/.exec(m)![1]! } }),
    why: 'the example names a candidate relative to the directory, which --script takes',
  },
  {
    code: 'RS111',
    input: { fixture: 'two-pipelines', options: { script: 'nope.sh' } },
    advice:
      /--script takes the path of a build script inside the directory, relative to it \(e\.g\. --script build\.sh\)/,
    follow: () => ({ options: { script: 'build.sh' } }),
    why: 'a path relative to the directory is what --script resolves',
  },
  {
    code: 'RS407',
    input: {
      fixture: 'run-foreground-cp',
      files: {
        'build.sh': pipeline(''),
        'Dockerfile.build': 'FROM golang:1.22\nWORKDIR /src\nCOPY main.go .\nRUN go build -o /out/app main.go\n',
        Dockerfile: 'FROM alpine:3.19\nCOPY ap* /usr/local/bin/\n',
      },
    },
    advice: /name the artifact explicitly \(e\.g\. COPY app …\)/,
    follow: (_m, read) => ({ files: { Dockerfile: read('Dockerfile').replace('ap*', 'app') } }),
    why: 'an explicit source is what restage turns into COPY --from',
  },
  {
    code: 'RS302',
    input: { fixture: 'bad-backslash-space' },
    advice: /delete/,
    follow: (_m, read) => ({ files: { 'build.sh': read('build.sh').replace(/\\[ \t]+\n/g, '\\\n') } }),
    why: 'without the spaces the backslash continues the line',
  },
  {
    code: 'RS303',
    input: { fixture: 'bad-crlf-script' },
    advice: /dos2unix|LF/,
    follow: (_m, read) => ({ files: { 'build.sh': read('build.sh').replace(/\r\n/g, '\n') } }),
    why: 'LF line endings are what the shell reads as written',
  },
  {
    code: 'RS308',
    input: {
      fixture: 'run-foreground-cp',
      files: {
        'build.sh': pipeline('', undefined).replace(
          'docker build -t acme/app .',
          'strip app\ndocker build -t acme/app .',
        ),
        'Dockerfile.build': 'FROM golang:1.22\nWORKDIR /src\nCOPY main.go .\nRUN go build -o /out/app main.go\n',
      },
    },
    advice: /do the change in the builder's Dockerfile \(a RUN step\), drop it from the script/,
    follow: (_m, read) => ({
      files: {
        'build.sh': read('build.sh').replace('strip app\n', ''),
        'Dockerfile.build': `${read('Dockerfile.build')}RUN strip /out/app\n`,
      },
    }),
    why: 'a change made in the builder stage is one COPY --from carries',
  },
  {
    code: 'RS203',
    input: {
      fixture: 'run-foreground-cp',
      files: {
        'build.sh': pipeline(''),
        'Dockerfile.build': 'FROM golang:1.22\nWORKDIR /src\nCOPY main.go .\nRUN go build -o /out/app main.go\n',
        Dockerfile: 'FROM scratch\nCOPY app /app\nCMD /app --port 8080\n',
      },
    },
    advice: /Write it in exec form: CMD \["\/app", "--port", "8080"\]$/,
    follow: (m, read) => ({
      files: { Dockerfile: read('Dockerfile').replace(/^CMD .*$/m, /Write it in exec form: (CMD .*)$/.exec(m)![1]!) },
    }),
    why: 'the suggested array is the words the shell would have run',
  },
  {
    code: 'RS203',
    input: {
      fixture: 'run-foreground-cp',
      files: {
        'build.sh': pipeline(''),
        'Dockerfile.build': 'FROM golang:1.22\nWORKDIR /src\nCOPY main.go .\nRUN go build -o /out/app main.go\n',
        Dockerfile: 'FROM scratch\nCOPY app /app\nCMD /app --name "a b" > /log\n',
      },
    },
    advice: /Write it in exec form: a JSON array of the program and its arguments, as the shell would have split them/,
    not: /CMD \[/,
    follow: (_m, read) => ({
      files: { Dockerfile: read('Dockerfile').replace(/^CMD .*$/m, 'CMD ["/app", "--name", "a b"]') },
    }),
    why: "quotes and a redirection are shell syntax: a word-split array would pass '\"a' and '>' as arguments, so no mechanical array is offered",
  },
];

for (const row of rows) test(followed, row);

test('RS320: making the image hold the artifact is not enough while the script still runs the container (why the advice names the script too)', (t) => {
  const dir = tempCopy(path.join(MIGRATE_FIXTURES, 'run-foreground-cp', 'input'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'Dockerfile.build');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^CMD .*$/m, 'RUN go build -o /out/app main.go'));
  t.true(runMigrate(dir).result.diagnostics.some((d) => d.code === 'RS320'));
});

/** A migrated tree outside any git work tree, with a runtime Dockerfile --write would replace. */
function outsideGit(t: ExecutionContext): string {
  const dir = tempCopy(path.join(MIGRATE_FIXTURES, 'two-artifacts', 'input'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('RS601 outside a git work tree: no "commit it first" (nothing can commit it), and --force, as advised, writes with a NAME.orig', (t) => {
  const dir = outsideGit(t);
  const refused = runMigrate(dir, { write: true });
  const d = refused.result.diagnostics.find((x) => x.code === 'RS601');
  if (!d) return t.fail(JSON.stringify(refused.result.diagnostics));
  t.regex(d.message, /not in a git work tree/);
  t.notRegex(d.message, /commit it/);
  t.regex(d.message, /pass --force to keep the original as Dockerfile\.orig/);
  const forced = runMigrate(dir, { write: true, force: true });
  t.is(forced.exitCode, 0);
  t.true(forced.result.diagnostics.some((x) => x.code === 'RS605'));
  t.true(fs.existsSync(path.join(dir, 'Dockerfile.orig')));
});

test('RS601 on an untracked file in a work tree: "commit it first" holds (after a commit, --write goes through without --force)', (t) => {
  const dir = outsideGit(t);
  const git = (...args: string[]) =>
    spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir, encoding: 'utf8' });
  git('init', '-q');
  const d = runMigrate(dir, { write: true }).result.diagnostics.find((x) => x.code === 'RS601');
  if (!d) return t.fail('RS601 does not fire');
  t.regex(d.message, /not tracked by git.*commit it first/);
  git('add', '-A');
  t.is(git('commit', '-q', '-m', 'x').status, 0);
  const written = runMigrate(dir, { write: true });
  t.is(written.exitCode, 0, JSON.stringify(written.result.diagnostics));
  t.deepEqual(written.result.written.length, 1);
});

test('RS604: moving NAME.orig away, as advised, lets --force write', (t) => {
  const dir = outsideGit(t);
  fs.writeFileSync(path.join(dir, 'Dockerfile.orig'), 'earlier backup\n');
  const d = runMigrate(dir, { write: true, force: true }).result.diagnostics.find((x) => x.code === 'RS604');
  if (!d) return t.fail('RS604 does not fire');
  t.regex(d.message, /move Dockerfile\.orig away/);
  fs.renameSync(path.join(dir, 'Dockerfile.orig'), path.join(dir, 'earlier.orig'));
  t.is(runMigrate(dir, { write: true, force: true }).exitCode, 0);
});

test('RS603: a new file name for --out, as advised, is written', (t) => {
  const dir = outsideGit(t);
  const d = runMigrate(dir, { out: path.join(dir, 'Dockerfile.build') }).result.diagnostics.find(
    (x) => x.code === 'RS603',
  );
  if (!d) return t.fail('RS603 does not fire');
  t.regex(d.message, /give --out a new file name/);
  const r = runMigrate(dir, { out: path.join(dir, 'Dockerfile.multi') });
  t.is(r.exitCode, 0);
  t.true(fs.existsSync(path.join(dir, 'Dockerfile.multi')));
});
