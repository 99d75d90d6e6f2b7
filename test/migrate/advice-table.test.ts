/**
 * Advice must be true: each row builds a case where a diagnostic fires, checks that it fires with
 * the advice it gives, then follows that advice mechanically (the flag it names, the edit it asks
 * for) and checks that the diagnostic is gone, as the message promises. Rows whose advice names
 * a CLI flag also check that bin/restage.js accepts the flag for that command.
 */
import test, { type ExecutionContext } from 'ava';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DiagnosticCode } from '../../src/model/diagnostic.js';
import { runMigrate, type MigrateCommandOptions } from '../../src/cli/migrate.js';
import { BIN, MIGRATE_FIXTURES, tempCopy } from '../helpers/fixtures.js';

/** File contents by path (parent directories are made); null deletes, `{ link }` a symlink, `{ fifo }` a FIFO. */
type Files = Record<string, string | null | { link: string } | { fifo: true }>;
interface Case {
  readonly fixture: string;
  readonly files?: Files;
  readonly options?: MigrateCommandOptions;
  /** The sub-directory restage is run on ('' or absent: the fixture's root). */
  readonly sub?: string;
}
type MigrateRun = ReturnType<typeof runMigrate>;
interface Row {
  readonly code: DiagnosticCode;
  readonly input: Case;
  /** What the advice says (matched against the message). */
  readonly advice: RegExp;
  /** The case with the advice followed: edits to the same files, options added. */
  readonly follow: (
    message: string,
    files: (name: string) => string,
  ) => { files?: Files; options?: MigrateCommandOptions; sub?: string };
  /** Why following it must remove the diagnostic. */
  readonly why: string;
  /** Another advice that must no longer be given (what was untrue before). */
  readonly not?: RegExp;
  /** What else must hold of the run with the advice followed. */
  readonly then?: (t: ExecutionContext, after: MigrateRun) => void;
  /** What else must hold of the run where the diagnostic fires (what its message states). */
  readonly first?: (t: ExecutionContext, first: MigrateRun) => void;
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
  for (const [name, content] of Object.entries({ ...c.files, ...extra })) {
    const file = path.join(dir, name);
    fs.rmSync(file, { force: true });
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (content === null) continue;
    if (typeof content === 'string') fs.writeFileSync(file, content);
    else if ('link' in content) fs.symlinkSync(content.link, file);
    else t.is(spawnSync('mkfifo', [file]).status, 0, 'mkfifo');
  }
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
    const first = runMigrate(path.join(before, row.input.sub ?? ''), row.input.options ?? {});
    const d = first.result.diagnostics.find((x) => x.code === row.code);
    if (!d) return t.fail(`${row.code} does not fire: ${JSON.stringify(first.result.diagnostics)}`);
    t.regex(d.message, row.advice);
    if (row.not) t.notRegex(d.message, row.not);
    row.first?.(t, first);
    const read = (name: string) => fs.readFileSync(path.join(before, name), 'utf8');
    const step = row.follow(d.message, read);
    const options = { ...row.input.options, ...step.options };
    const sub = step.sub ?? row.input.sub ?? '';
    const after = runMigrate(path.join(materialise(t, row.input, step.files), sub), options);
    t.false(
      after.result.diagnostics.some((x) => x.code === row.code),
      `${row.why}: ${JSON.stringify(after.result.diagnostics.filter((x) => x.code === row.code))}`,
    );
    t.not(after.result.status, 'error', JSON.stringify(after.result.diagnostics));
    row.then?.(t, after);
    const flags = flagsOf(step.options ?? {});
    if (flags.length > 0) {
      // The flags the advice names exist on migrate: the CLI takes them (exit 0, not a usage error 2).
      const cli = spawnSync(
        process.execPath,
        [BIN, 'migrate', path.join(materialise(t, row.input, step.files), sub), ...flagsOf(options)],
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
    code: 'RS324',
    input: {
      fixture: 'run-detached-cp',
      files: {
        'build.sh': sh(
          'docker build -t acme/app-builder -f Dockerfile.build .\ndocker run -d --name c acme/app-builder go build -o /out/app main.go\ndocker cp c:/out/app ./app\ndocker rm c\ndocker build -t acme/app:latest .\n',
        ),
      },
    },
    advice: /add `docker wait c` before this line/,
    follow: (_m, read) => ({
      files: { 'build.sh': read('build.sh').replace('docker cp c:', 'docker wait c\ndocker cp c:') },
    }),
    why: 'once the script waits for the detached command, the copy reads what it left when it ended',
  },
  {
    code: 'RS326',
    input: {
      fixture: 'run-detached-cp',
      files: {
        'build.sh': sh(
          'docker build -t acme/app-builder -f Dockerfile.build .\ndocker run -d --name c acme/app-builder go build -o /out/app main.go\ndocker stop c\ndocker cp c:/out/app ./app\ndocker rm c\ndocker build -t acme/app:latest .\n',
        ),
      },
    },
    advice: /wait for the command to end \(`docker wait`/,
    follow: (_m, read) => ({ files: { 'build.sh': read('build.sh').replace('docker stop c', 'docker wait c') } }),
    why: 'a command that ended by itself left a known result',
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
          'touch app\ndocker build -t acme/app .',
        ),
        'Dockerfile.build': 'FROM golang:1.22\nWORKDIR /src\nCOPY main.go .\nRUN go build -o /out/app main.go\n',
      },
    },
    advice: /do the change in the builder's Dockerfile \(a RUN step\), drop it from the script/,
    follow: (_m, read) => ({
      files: {
        'build.sh': read('build.sh').replace('touch app\n', ''),
        'Dockerfile.build': `${read('Dockerfile.build')}RUN touch /out/app\n`,
      },
    }),
    why: 'a change made in the builder stage is one COPY --from carries',
  },
  {
    code: 'RS351',
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
    advice: /install binutils in the builder's Dockerfile \(restage then replays the step there\)/,
    follow: (_m, read) => ({
      files: {
        'Dockerfile.build': read('Dockerfile.build').replace(
          'WORKDIR',
          'RUN apt-get update && apt-get install -y binutils\nWORKDIR',
        ),
      },
    }),
    why: 'a builder whose Dockerfile installs binutils has strip: the step is replayed in the post stage',
    then: (t, after) => t.regex(after.result.dockerfile ?? '', /RUN strip \/out\/app/),
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

const BUILDER = 'FROM golang:1.22\nWORKDIR /src\nCOPY main.go .\nRUN go build -o /out/app main.go\n';
const RUNTIME = 'FROM busybox:1.36\nCOPY app /usr/local/bin/app\nCMD ["app"]\n';
/** run-foreground-cp made a working create/cp/rm pipeline, with `files` over it. */
const good = (files: Files = {}): Case => ({
  fixture: 'run-foreground-cp',
  files: { 'build.sh': pipeline(''), 'Dockerfile.build': BUILDER, ...files },
});
const withCopy = (line: string, files: Files = {}) => good({ Dockerfile: `${RUNTIME}${line}\n`, ...files });
/** The script with its extraction (the create/cp/rm lines) replaced by `extraction`. */
const extracting = (extraction: string) =>
  sh(`docker build -t acme/b -f Dockerfile.build .\n${extraction}\ndocker build -t acme/app .\nrm -f app\n`);
const codes = (r: MigrateRun) => r.result.diagnostics.map((d) => d.code);
/** Files outside every test directory, for links that point out of it. */
const OUTSIDE = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-test-outside-'));
fs.writeFileSync(path.join(OUTSIDE, 'Dockerfile.build'), BUILDER);
fs.writeFileSync(path.join(OUTSIDE, 'conf'), 'conf\n');
test.after.always(() => fs.rmSync(OUTSIDE, { recursive: true, force: true }));
const CREATE_CP = 'docker create --name c acme/b\ndocker cp c:/out/app ./app\ndocker rm c';
const createCp = () => ({ files: { 'build.sh': pipeline('') } });

const more: Row[] = [
  {
    code: 'RS103',
    input: good({ 'build.sh': pipeline('', undefined, 'docker build -t acme/b -f Dockerfile.bild .') }),
    advice: /named by -f, which is relative to the directory the script runs in\); fix the path/,
    follow: (_m, read) => ({ files: { 'build.sh': read('build.sh').replace('Dockerfile.bild', 'Dockerfile.build') } }),
    why: 'the path named is the one to fix',
  },
  {
    code: 'RS103',
    input: good({
      'build.sh': pipeline('', undefined, 'docker build -t acme/b -f Dockerfile.build builder'),
      'builder/Dockerfile.build': BUILDER,
      'builder/main.go': 'package main\n',
      'Dockerfile.build': null,
    }),
    advice: /-f, which is relative to the directory the script runs in/,
    follow: (_m, read) => ({
      files: { 'build.sh': read('build.sh').replace('-f Dockerfile.build', '-f builder/Dockerfile.build') },
    }),
    why: '-f is read from where docker build runs, not from the build context, as the advice says',
  },
  {
    code: 'RS103',
    input: good({
      'build.sh': pipeline('', undefined, 'docker build -t acme/b builder'),
      'build/Dockerfile': BUILDER,
      'build/main.go': 'package main\n',
    }),
    advice: /Dockerfile \S*builder\/Dockerfile that this build uses does not exist; fix the path/,
    not: /-f/,
    follow: (_m, read) => ({ files: { 'build.sh': read('build.sh').replace(' builder\n', ' build\n') } }),
    why: "without -f the Dockerfile is the context's own, so the context path is the one to fix",
  },
  {
    code: 'RS105',
    input: good({
      'build.sh': null,
      'docker.mk': `image:\n${['docker build -t acme/b -f Dockerfile.build .', ...CREATE_CP.split('\n'), 'docker build -t acme/app .'].map((l) => `\t${l}\n`).join('')}`,
    }),
    advice: /move the docker steps into a build\.sh or a Makefile/,
    follow: () => ({ files: { 'build.sh': pipeline(''), 'docker.mk': 'image:\n\tsh build.sh\n' } }),
    why: 'restage reads a build.sh; an included .mk that only runs it is no orchestrator of its own',
    then: (t, after) => t.regex(after.result.dockerfile ?? '', /COPY --from=builder/),
  },
  {
    code: 'RS108',
    input: good({
      'Dockerfile.other': 'FROM busybox:1.36\nCOPY app /bin/app\n',
      'build.sh': pipeline('').replace(
        'docker build -t acme/app .',
        'docker build -t acme/other -f Dockerfile.other .\ndocker build -t acme/app .',
      ),
    }),
    advice: /restage migrated the last such build \(acme\/app\); migrate this image separately$/,
    first: (t, first) => {
      t.regex(first.result.target ?? '', /\/Dockerfile$/, 'the last build (acme/app) is the one migrated');
      t.deepEqual(first.result.obsolete, [], 'the other build still takes the artifact from the script');
    },
    follow: () => ({
      files: {
        'other.sh': pipeline('').replace(
          'docker build -t acme/app .',
          'docker build -t acme/other -f Dockerfile.other .',
        ),
      },
      options: { script: 'other.sh' },
    }),
    why: 'a script that builds only that image, picked with --script, migrates it',
    then: (t, after) => t.regex(after.result.target ?? '', /Dockerfile\.other$/),
  },
  {
    code: 'RS120',
    input: {
      ...good({
        'build.sh': null,
        'Dockerfile.build': null,
        'ci/Dockerfile.build': BUILDER,
        'ci/build.sh': pipeline(
          'cd "$(dirname "$0")/.."\n',
          undefined,
          'docker build -t acme/b -f ci/Dockerfile.build .',
        ),
      }),
      sub: 'ci',
    },
    advice:
      /run restage on the directory the script is run from \(it must hold all of it\), with --script naming the script relative to that directory/,
    first: (t, first) =>
      t.deepEqual(
        codes(first).filter((c) => c === 'RS402' || c === 'RS403'),
        [],
        'restage does not read the refused builds: it cannot say their sources are missing or an artifact unused',
      ),
    follow: () => ({ sub: '', options: { script: 'ci/build.sh' } }),
    why: 'the script cds to the directory above; analysed from there, --script names it (without it, ci/build.sh is no candidate)',
  },
  {
    code: 'RS121',
    input: good({ 'Dockerfile.build': { link: path.join(OUTSIDE, 'Dockerfile.build') } }),
    advice: /replace the link with a copy of what it points to/,
    follow: (_m, read) => ({ files: { 'Dockerfile.build': read('Dockerfile.build') } }),
    why: 'a regular file inside the directory is read',
  },
  {
    code: 'RS121',
    input: withCopy('COPY conf /etc/conf', { conf: { link: path.join(OUTSIDE, 'conf') } }),
    advice: /the COPY source conf is .* symlink .*; replace the link with a copy of what it points to/,
    first: (t, first) => t.false(codes(first).includes('RS403'), 'the link is in the context: RS403 would be false'),
    follow: (_m, read) => ({ files: { conf: read('conf') } }),
    why: 'a regular file inside the context is read',
  },
  {
    code: 'RS122',
    input: withCopy('COPY conf /etc/conf', { conf: { fifo: true } }),
    advice: /not a regular file .*; replace it with a regular file/,
    not: /move what the build needs into the directory/,
    first: (t, first) => t.false(codes(first).includes('RS403'), 'the FIFO is in the context: RS403 would be false'),
    follow: () => ({ files: { conf: 'conf\n' } }),
    why: 'the FIFO is inside the directory already (moving it in is no fix); a regular file is read',
  },
  {
    code: 'RS204',
    input: good({ Dockerfile: `# escape=\`\n${RUNTIME}` }),
    advice: /one Dockerfile has one escape character: make them agree/,
    follow: (_m, read) => ({ files: { 'Dockerfile.build': `# escape=\`\n${read('Dockerfile.build')}` } }),
    why: 'with the same directive in both, the merged file has one escape character',
    then: (t, after) => t.true(after.result.dockerfile?.startsWith('# escape=`\n'), after.result.dockerfile ?? ''),
  },
  {
    code: 'RS205',
    input: good({ Dockerfile: RUNTIME.replace('\nCMD', '\rCMD') }),
    advice:
      /remove it, or put in its place the line break it looks like \(`mac2unix` does that; `dos2unix` leaves a lone \\r as it is\)/,
    not: /convert the file with `dos2unix`/,
    follow: (_m, read) => ({ files: { Dockerfile: read('Dockerfile').replace(/\r(?!\n)/g, '\n') } }),
    why: 'a lone \\r made the line break it looked like is gone (dos2unix converts only \\r\\n pairs, so it was no fix)',
    then: (t, after) => t.regex(after.result.dockerfile ?? '', /\nCMD \["app"\]\n/),
  },
  {
    code: 'RS207',
    input: good({ Dockerfile: RUNTIME.replace('busybox:1.36', 'busybox') }),
    advice: /pin a version tag \(busybox:<version>\) or a digest \(busybox@sha256:…\)$/,
    follow: (_m, read) => ({
      files: { Dockerfile: read('Dockerfile').replace('FROM busybox\n', 'FROM busybox:1.36\n') },
    }),
    why: 'a version tag is no :latest',
  },
  {
    code: 'RS208',
    input: good({ Dockerfile: RUNTIME.replace('CMD ["app"]', "CMD ['app', '-v']") }),
    advice:
      /the shell looks for a program named `\[app,`: the command fails; write it in exec form: CMD \["app", "-v"\]$/,
    follow: (m, read) => ({
      files: { Dockerfile: read('Dockerfile').replace(/^CMD .*$/m, /write it in exec form: (CMD .*)$/.exec(m)![1]!) },
    }),
    why: 'the suggested array is valid JSON, the exec form of the words meant',
    then: (t, after) => t.regex(after.result.dockerfile ?? '', /\nCMD \["app", "-v"\]\n/),
  },
  {
    code: 'RS209',
    input: good({ 'Dockerfile.build': BUILDER.replace('golang:1.22', 'golang:1.22 AS Build') }),
    advice: /the stage name Build is not lower-case: Docker reads it as build; write it so$/,
    follow: (_m, read) => ({ files: { 'Dockerfile.build': read('Dockerfile.build').replace('AS Build', 'AS build') } }),
    why: 'the name written in lower case is the name Docker reads',
    first: (t, first) =>
      t.true(first.result.diagnostics.some((d) => d.code === 'RS209' && d.file.endsWith('Dockerfile.build'))),
  },
  {
    code: 'RS511',
    input: good({
      'Dockerfile.build': BUILDER.replace('golang:1.22', 'golang:1.22 AS app'),
      Dockerfile: RUNTIME.replace('busybox:1.36', 'busybox:1.36 AS app'),
    }),
    advice:
      /names a stage `app`, and so does \S*Dockerfile\.build: .*rename the stage in one file \(and every FROM and --from that names it\) and run restage again$/,
    follow: (_m, read) => ({ files: { 'Dockerfile.build': read('Dockerfile.build').replace('AS app', 'AS build') } }),
    why: 'the legacy files name their stages alike; restage declines rather than emit two stages of one name',
    // Located in the runtime Dockerfile, at the name that would be the second `app` of the merged file.
    first: (t, first) =>
      t.deepEqual(
        first.result.diagnostics
          .filter((d) => d.code === 'RS511')
          .map((d) => [path.basename(d.file), d.line, d.column]),
        [['Dockerfile', 1, 22]],
      ),
  },
  {
    code: 'RS211',
    input: good({ Dockerfile: `${RUNTIME}COPY --from=assets /x /x\n` }),
    advice:
      /COPY --from=assets names no stage of this file: Docker reads assets as the image assets:latest and pulls it; .*give the image a tag if the image is meant$/,
    follow: (_m, read) => ({ files: { Dockerfile: read('Dockerfile').replace('--from=assets', '--from=assets:1') } }),
    why: 'a tagged reference is an image, as meant',
  },
  ...([['a pipe', 'docker run --rm acme/b cat /out/app | gzip > app.gz']] as const).map(([how, line]): Row => ({
    code: 'RS307',
    input: good({ 'build.sh': extracting(line) }),
    advice: /Rewrite the extraction as create\/cp\/rm/,
    follow: createCp,
    why: `docker run writing to the host through ${how}: create/cp/rm is the form restage migrates`,
  })),
  {
    code: 'RS333',
    input: good({ 'build.sh': extracting('docker run --rm acme/b date -u > app') }),
    advice: /`date` prints the moment .* make the builder Dockerfile write it \(`RUN date -u > \/out\/app`\)/,
    follow: createCp,
    why: 'a file the builder image holds is extracted as it is',
  },
  {
    code: 'RS333',
    input: good({ 'build.sh': extracting('docker run --rm acme/b sh -c "cat /out/app" > app 2>&1') }),
    advice:
      /`2>&1` sends the command's standard error into the file too, .* send standard error to the terminal or to `\/dev\/null`/,
    follow: (_m, read) => ({ files: { 'build.sh': read('build.sh').replace(' 2>&1', ' 2>/dev/null') } }),
    why: "the output of a command is migrated as a run stage's step",
    then: (t, after) =>
      t.regex(after.result.dockerfile ?? '', /> \/restage\/stdout\/4-app", "sh", "-c", "cat \/out\/app"\]/),
  },
  {
    code: 'RS307',
    input: good({ 'build.sh': extracting('docker run --rm acme/b cat /out/app >> app') }),
    advice: /`>>` appends .* write `> app` if the file starts empty/,
    follow: (_m, read) => ({ files: { 'build.sh': read('build.sh').replace('>> app', '> app') } }),
    why: 'a stdout extraction into a new file is migrated',
    then: (t, after) => t.regex(after.result.dockerfile ?? '', /RUN chmod 644 \/out\/app\n/),
  },
  {
    code: 'RS307',
    input: good({
      'Dockerfile.build': `${BUILDER}ENTRYPOINT ["go"]\n`,
      'build.sh': extracting('docker run --rm acme/b cat /out/app > app'),
    }),
    advice: /has an ENTRYPOINT .* write `docker run --rm --entrypoint cat acme\/b \/out\/app > app`/,
    follow: (m, read) => ({
      files: {
        'build.sh': read('build.sh').replace(
          'docker run --rm acme/b cat /out/app > app',
          /write `([^`]+)`/.exec(m)![1]!,
        ),
      },
    }),
    why: "with --entrypoint cat the words are cat's, whatever the image says",
  },
  {
    code: 'RS307',
    input: good({ 'build.sh': extracting('docker run --rm -u 1000 acme/b cat /out/app > app') }),
    advice: /`-u 1000`: another user may not be allowed to read the file, .* drop the option/,
    follow: (_m, read) => ({ files: { 'build.sh': read('build.sh').replace('-u 1000 ', '') } }),
    why: 'without the option the file is read from the image as built',
  },
  {
    code: 'RS307',
    input: good({
      'Dockerfile.build': BUILDER.replace('WORKDIR /src\n', '').replace('COPY main.go .', 'COPY main.go /src/'),
      'build.sh': extracting('docker run --rm --entrypoint cat acme/b app > app'),
    }),
    advice:
      /reads a relative path, .* base image golang:1\.22, .* write the absolute path \(or give `-w DIR` to the run\)/,
    follow: (_m, read) => ({
      files: { 'build.sh': read('build.sh').replace('--entrypoint cat', '-w /out --entrypoint cat') },
    }),
    why: 'a relative path is read from -w',
    then: (t, after) => t.regex(after.result.dockerfile ?? '', /COPY --from=builder-modes --chown=0:0 \/out\/app /),
  },
  {
    code: 'RS304',
    input: good({ 'build.sh': extracting('OUT=.\ndocker run --rm acme/b cat /out/app > "$OUT/app"') }),
    advice: /reads a redirection's target as written; write the path literally/,
    follow: (_m, read) => ({ files: { 'build.sh': read('build.sh').replace('"$OUT/app"', 'app') } }),
    why: 'a literal target is read',
  },
  {
    code: 'RS347',
    input: good({
      'build.sh': extracting('docker create --name c acme/b\ndocker export c | gzip > fs.tgz\ndocker rm c'),
    }),
    advice: /pipe it into `tar -x -C DIR MEMBER…`/,
    follow: (_m, read) => ({
      files: { 'build.sh': read('build.sh').replace('| gzip > fs.tgz', '| tar -x out/app\nmv out/app app') },
    }),
    why: 'docker export piped into tar -x with its members named is followed to where they land',
    then: (t, after) => t.regex(after.result.dockerfile ?? '', /COPY --from=builder --chown=0:0 \/out\/app /),
  },
  {
    code: 'RS348',
    input: good({
      'build.sh': extracting(
        "docker create --name c acme/b\ndocker export c | tar -x 'out/ap*'\nmv out/app app\ndocker rm c",
      ),
    }),
    advice: /with each member named as the stream names it/,
    follow: (_m, read) => ({ files: { 'build.sh': read('build.sh').replace("'out/ap*'", 'out/app') } }),
    why: 'a member named literally maps to one container path',
    then: (t, after) => t.regex(after.result.dockerfile ?? '', /COPY --from=builder --chown=0:0 \/out\/app /),
  },
  {
    code: 'RS342',
    input: good({
      'build.sh': extracting('docker create --name c acme/b\ndocker cp c:/out/app - | gzip > app.gz\ndocker rm c'),
    }),
    advice: /pipe it into `tar -x -C DIR`/,
    follow: (_m, read) => ({ files: { 'build.sh': read('build.sh').replace('| gzip > app.gz', '| tar -x') } }),
    why: 'a tar stream unpacked by tar -x is followed to where its members land',
    then: (t, after) => t.regex(after.result.dockerfile ?? '', /COPY --from=builder --chown=0:0 \/out\/app /),
  },
  {
    code: 'RS340',
    input: good({ 'build.sh': extracting('docker run --rm acme/b tar -c -C /out --exclude=*.o app | tar -x') }),
    advice: /restage migrates `tar -c \[-z\] \[-C \/DIR\] MEMBER…` with members named literally/,
    follow: (_m, read) => ({ files: { 'build.sh': read('build.sh').replace(' --exclude=*.o', '') } }),
    why: 'a tar -c of members named literally is followed',
    then: (t, after) => t.regex(after.result.dockerfile ?? '', /COPY --from=builder --chown=0:0 \/out\/app /),
  },
  {
    code: 'RS343',
    input: good({
      'build.sh': extracting('docker run --rm acme/b tar -c -C /out . | tar -x -C out'),
      Dockerfile: 'FROM busybox:1.36\nCOPY out/app /usr/local/bin/app\nCMD ["app"]\n',
    }),
    advice: /make the directory first \(`mkdir -p \S*out`\)/,
    follow: (_m, read) => ({
      files: { 'build.sh': read('build.sh').replace('docker run', 'mkdir -p out\ndocker run') },
    }),
    why: 'tar -x -C into a directory that exists unpacks there',
  },
  {
    code: 'RS344',
    input: good({
      'build.sh': extracting('docker run --rm acme/b tar -c -C /out app > app.tar'),
      Dockerfile: 'FROM busybox:1.36\nADD --chown=1:1 app.tar /usr/local/bin/\nCMD ["app"]\n',
    }),
    advice: /restage migrates `ADD app\.tar DEST` alone/,
    follow: (_m, read) => ({ files: { Dockerfile: read('Dockerfile').replace('--chown=1:1 ', '') } }),
    why: 'an ADD of the archive alone is migrated, keeping the archive owners',
    then: (t, after) =>
      t.regex(after.result.dockerfile ?? '', /COPY --from=builder \/out\/app \/usr\/local\/bin\/app\n/),
  },
  {
    code: 'RS336',
    input: good({ 'build.sh': pipeline('', undefined, 'docker build -t acme/b - < Dockerfile.build') }),
    advice:
      /standard input is Dockerfile\.build, .* with no build context, .* build from a directory instead \(`docker build -t acme\/b -f Dockerfile\.build \.`\)/,
    follow: (m, read) => ({
      files: {
        'build.sh': read('build.sh').replace(
          'docker build -t acme/b - < Dockerfile.build',
          /instead \(`([^`]+)`\)/.exec(m)![1]!,
        ),
      },
    }),
    why: 'a Dockerfile of the tree built from a directory is merged',
  },
  {
    code: 'RS307',
    input: good({ 'build.sh': pipeline('', undefined, 'docker build -t acme/b https://example.com/acme/builder.git') }),
    advice: /a build context from a URL is not supported yet: restage needs a local directory/,
    follow: createCp,
    why: 'a local directory as the context instead of a URL is read',
  },
  {
    code: 'RS307',
    input: good({ 'build.sh': pipeline('', undefined, 'docker build -t acme/b -f - . < Dockerfile.build') }),
    advice: /build with `-f <file>` and run restage again/,
    follow: (_m, read) => ({
      files: { 'build.sh': read('build.sh').replace('-f - . < Dockerfile.build', '-f Dockerfile.build .') },
    }),
    why: 'the Dockerfile named with -f is a file restage merges',
  },
  {
    code: 'RS307',
    input: good({
      'extra.txt': 'extra\n',
      'build.sh': pipeline('').replace('docker cp ', 'docker cp extra.txt c:/src/extra.txt\ndocker cp '),
    }),
    advice: /copying INTO a container .* add it with a COPY in the build Dockerfile/,
    follow: (_m, read) => ({
      files: {
        'build.sh': read('build.sh').replace('docker cp extra.txt c:/src/extra.txt\n', ''),
        'Dockerfile.build': `${read('Dockerfile.build')}COPY extra.txt /src/extra.txt\n`,
      },
    }),
    why: 'the file is then in the builder stage, where the container had it',
    then: (t, after) =>
      t.regex(after.result.dockerfile ?? '', /AS builder\n[^]*COPY extra\.txt \/src\/extra\.txt\n[^]*FROM busybox/),
  },
  {
    code: 'RS307',
    input: good({
      'Dockerfile.build': `${BUILDER}RUN tar -C /out -czf /out/app.tar.gz app\n`,
      Dockerfile: 'FROM busybox:1.36\nADD app.tar.gz /usr/local/bin/\n',
      'build.sh': pipeline('', 'c:/out/app.tar.gz ./app.tar.gz'),
    }),
    advice: /ADD unpacks the archive app\.tar\.gz .* unpack it in the builder stage and copy the result/,
    first: (t, first) =>
      t.false(codes(first).includes('RS402'), 'the ADD uses the archive: "not used by any later build" would be false'),
    follow: (_m, read) => ({
      files: {
        'Dockerfile.build': `${read('Dockerfile.build')}RUN mkdir /out/unpacked && tar -C /out/unpacked -xzf /out/app.tar.gz\n`,
        Dockerfile: 'FROM busybox:1.36\nCOPY unpacked/ /usr/local/bin/\n',
        'build.sh': pipeline('', 'c:/out/unpacked/. ./unpacked'),
      },
    }),
    why: 'what the builder unpacked is copied as it is, which COPY --from does',
    then: (t, after) =>
      t.regex(after.result.dockerfile ?? '', /COPY --from=builder --chown=0:0 \/out\/unpacked \/usr\/local\/bin\//),
  },
  {
    code: 'RS403',
    input: withCopy('COPY conf.txt /etc/', { 'conf.example': 'x\n' }),
    advice:
      /COPY source "conf\.txt" is neither in the build context .* the build would fail: fix the path or the script/,
    follow: (_m, read) => ({ files: { Dockerfile: read('Dockerfile').replace('conf.txt', 'conf.example') } }),
    why: 'a source that is in the context is found',
  },
  {
    code: 'RS403',
    input: withCopy('COPY conf.txt /etc/', {
      'conf.example': 'x\n',
      'build.sh': pipeline('cp -a conf.example conf.txt\n'),
    }),
    advice:
      /"conf\.txt" is written on the host by the script \(`cp -a conf\.example conf\.txt`, \S*build\.sh:3\).*keep it as a file in the context/,
    not: /neither in the build context|the build would fail/,
    follow: (_m, read) => ({
      files: {
        'conf.txt': read('conf.example'),
        'build.sh': read('build.sh').replace('cp -a conf.example conf.txt\n', ''),
      },
    }),
    why: 'kept as a file in the context, the source is there for the merged build without the script',
  },
  {
    code: 'RS403',
    input: withCopy('COPY conf.txt /etc/', { 'build.sh': pipeline('echo x > conf.txt\n') }),
    advice: /"conf\.txt" is written on the host by the script .*: make it in a Dockerfile step/,
    follow: (_m, read) => ({
      files: {
        Dockerfile: read('Dockerfile').replace('COPY conf.txt /etc/', 'RUN echo x > /etc/conf.txt'),
        'build.sh': read('build.sh').replace('echo x > conf.txt\n', ''),
      },
    }),
    why: 'made by a RUN step, the file needs nothing from the host',
  },
  {
    code: 'RS410',
    input: withCopy('COPY ../conf.txt /etc/'),
    advice: /walks out of the build context with `\.\.`; .* name a path inside the context/,
    first: (t, first) => t.false(codes(first).includes('RS403'), 'whether ../conf.txt exists is not looked at'),
    follow: (_m, read) => ({
      files: { 'conf.txt': 'x\n', Dockerfile: read('Dockerfile').replace('../conf.txt', 'conf.txt') },
    }),
    why: 'a path inside the context is one Docker reads',
  },
  {
    code: 'RS502',
    input: good({
      Dockerfile: 'ARG V=1.36\nFROM busybox:${V}\nCOPY app /usr/local/bin/app\n',
      'Dockerfile.build': `ARG V=1.22\n${BUILDER.replace('golang:1.22', 'golang:${V}')}`,
    }),
    advice: /restage kept the build Dockerfile's — check the runtime FROM still gets the image you mean/,
    first: (t, first) => {
      const out = first.result.dockerfile ?? '';
      t.true(out.startsWith('ARG V=1.22\n'), out);
      t.false(out.includes('ARG V=1.36'), 'the runtime default is gone, as the message says');
    },
    follow: (_m, read) => ({
      files: { Dockerfile: read('Dockerfile').replace('ARG V=', 'ARG RV=').replace('${V}', '${RV}') },
    }),
    why: 'with the runtime ARG renamed, both defaults are kept and each FROM gets its own',
    then: (t, after) => t.regex(after.result.dockerfile ?? '', /ARG RV=1\.36\n[^]*FROM busybox:\$\{RV\}/),
  },
  {
    code: 'RS502',
    input: good({
      Dockerfile: `FROM busybox:1.36\nARG V\n${RUNTIME.replace('FROM busybox:1.36\n', '')}`,
      // A global ARG may feed a FROM line: restage does not rename it (RS353 renames a stage's own ARG).
      'Dockerfile.build': `ARG V\n${BUILDER.replace('WORKDIR', 'ARG V\nWORKDIR')}`,
      'build.sh': pipeline('')
        .replace('-t acme/b', '--build-arg V=1 -t acme/b')
        .replace('-t acme/app', '--build-arg V=2 -t acme/app'),
    }),
    advice: /rename the ARG in one Dockerfile and in the --build-arg of its build in the script$/,
    not: /rename the ARG in one Dockerfile$/,
    follow: (_m, read) => ({
      files: {
        Dockerfile: read('Dockerfile').replace('ARG V', 'ARG RV'),
        'build.sh': read('build.sh').replace('--build-arg V=2', '--build-arg RV=2'),
      },
    }),
    why: 'the collision is between the values the script passes: the ARG alone renamed still collides (test below)',
    then: (t, after) =>
      t.regex(after.result.buildCommand ?? '', /--build-arg V=1 .*--build-arg RV=2|--build-arg RV=2 .*--build-arg V=1/),
  },
  {
    code: 'RS502',
    input: good({
      Dockerfile: `FROM busybox:1.36\nARG V=dflt\n${RUNTIME.replace('FROM busybox:1.36\n', '')}`,
      'Dockerfile.build': BUILDER.replace('WORKDIR', 'ARG V\nWORKDIR'),
      'build.sh': pipeline('').replace('-t acme/b', '--build-arg V=1 -t acme/b'),
    }),
    advice:
      /--build-arg V was passed only to the build of \S*Dockerfile\.build, but \S*Dockerfile declares ARG V too; in the merged build that stage now receives this value instead of its default/,
    first: (t, first) => {
      t.regex(first.result.buildCommand ?? '', /--build-arg V=1/, 'the one build command passes V to every stage');
      t.regex(first.result.dockerfile ?? '', /AS runtime\nARG V=dflt\n/, 'and the runtime stage declares it');
    },
    follow: (_m, read) => ({ files: { Dockerfile: read('Dockerfile').replace('ARG V=', 'ARG RV=') } }),
    why: 'renamed in the runtime Dockerfile, the ARG keeps its default',
  },
];
for (const row of more) test(followed, row);

test('RS502: renaming the ARG in the Dockerfile alone leaves the values colliding (why the advice names the --build-arg too)', (t) => {
  const dir = materialise(t, more.find((r) => r.code === 'RS502' && r.not)!.input);
  const file = path.join(dir, 'Dockerfile');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('ARG V', 'ARG RV'));
  t.true(codes(runMigrate(dir)).includes('RS502'));
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
  // The runtime Dockerfile and the build script, rewritten to the one build.
  t.deepEqual(written.result.written.length, 2);
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
