/**
 * Compose as a runner: `docker compose run SERVICE [CMD…]` (v2) / `docker-compose run …` (v1)
 * is a `docker run` of the service's image with its volumes, working directory, environment,
 * entrypoint, user and command (CMD on the command line replaces `command:`), preceded by the
 * `docker build` of that image when the service has `build:` (a fresh engine has no image yet,
 * so compose builds it; not again once the script built it through compose); `docker compose
 * build [SERVICE…]` is that build alone. The translation hands the docker analyzers
 * (src/analyze/docker/build.ts, run.ts) the words those docker
 * commands would have, so the flow is the one `docker build` + `docker run` give, located at the
 * script's compose command; build and container events carry `compose` for verify.
 *
 * Compose facts followed: the compose file is `-f FILE`, else the first of compose.yaml,
 * compose.yml, docker-compose.yml, docker-compose.yaml in the working directory (restage does
 * not look in parent directories, nor merge an override file); the project is `-p`, else
 * COMPOSE_PROJECT_NAME, else the file's top-level `name:` (v2), else its directory's name,
 * lowercased, without characters outside [a-z0-9_-]; a service's image is `image:`, else
 * `<project>-<service>` (v2) or `<project>_<service>` (v1); a named volume is `<project>_<name>`.
 *
 * Everything else is declined (RS370) at the compose file's line, naming the script's line:
 * `up`, `down` and the other sub-commands that start, stop or remove services, the keys restage
 * does not model (src/analyze/compose/file.ts), `depends_on` without `--no-deps`.
 */
import path from 'node:path';
import { diagnostic, type Location } from '../../model/diagnostic.js';
import type { FlowEvent } from '../../model/flow.js';
import { hasFlag, lastValue, allValues, parseWords, spec, type ParsedWords } from '../../shared/docker-options.js';
import type { CommandCall, FlowSink } from '../command.js';
import * as dockerBuild from '../docker/build.js';
import * as dockerRun from '../docker/run.js';
import { STDOUT_TO_FILE } from '../run-stdout.js';
import { parseContainerWords } from '../docker/create.js';
import type { ShellValue, Word } from '../shell/values.js';
import { readCompose, splitWords, type ComposeFile, type ComposeService, type Located, type Lookup } from './file.js';

/** v1 is the `docker-compose` program, v2 the `docker compose` plugin. */
export type ComposeVersion = 1 | 2;

/** The default compose file names, in the order compose tries them. */
export const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];
const OVERRIDES = [
  'compose.override.yaml',
  'compose.override.yml',
  'docker-compose.override.yml',
  'docker-compose.override.yaml',
];

const GLOBAL = spec(
  ['f|file', 'p|project-name', 'project-directory', 'env-file', 'profile', 'ansi', 'progress', 'parallel', 'H|host'],
  ['verbose', 'no-ansi', 'compatibility', 'dry-run', 'all-resources', 'tls', 'tlsverify'],
);
/** Global options restage cannot follow. */
const GLOBAL_DECLINED: Readonly<Record<string, string>> = {
  'project-directory': '`--project-directory` moves the project directory away from the compose file',
  'env-file': '`--env-file` reads variables restage does not read for Compose',
  profile: '`--profile` enables profiles, which restage does not model',
  compatibility: '`--compatibility` changes the names compose gives',
  'dry-run': '`--dry-run` runs nothing',
  host: '`-H` talks to another engine',
};
const RUN = spec(
  ['v|volume', 'w|workdir', 'e|env', 'entrypoint', 'u|user', 'name', 'l|label', 'p|publish', 'pull'],
  [
    'rm',
    'T|no-TTY',
    'no-deps',
    'd|detach',
    'i|interactive',
    't|tty',
    'service-ports',
    'use-aliases',
    'build',
    'quiet-pull',
    'remove-orphans',
  ],
);
const BUILD = spec(
  ['build-arg', 'progress', 'm|memory', 'ssh', 'builder'],
  ['no-cache', 'pull', 'q|quiet', 'parallel'],
);
/** Sub-commands that neither build nor run anything that writes files. */
const INERT = new Set(['config', 'convert', 'ps', 'logs', 'images', 'version', 'ls', 'pull', 'push', 'top', 'events']);

/** One docker command a compose command stands for, with the words `docker build` / `docker run` would have. */
export type ComposeStep =
  | {
      readonly verb: 'build';
      readonly call: CommandCall;
      /** The image it tags (`-t`). */
      readonly image: string;
      /** The build `run` does first, which compose does only when the engine lacks the image. */
      readonly implicit: boolean;
    }
  | { readonly verb: 'run'; readonly call: CommandCall };

/** `docker compose …` / `docker-compose …`: `call.args` are the words after `compose` / `docker-compose`. */
export function analyzeCompose(call: CommandCall, sink: FlowSink, version: ComposeVersion): undefined {
  return translateCompose(call, sink, version, (step, to) =>
    step.verb === 'build' ? dockerBuild.analyze(step.call, to) : dockerRun.analyze(step.call, to),
  );
}

/**
 * The translation itself: each docker command the compose command stands for goes, in order, to
 * `step` with the sink it reports to (the script's, its events marked `compose`); what cannot be
 * modelled is reported (RS370/RS371) and ends the translation. The analysis hands the steps to the
 * docker analyzers; verify's sandboxed run (src/verify/legacy/shim/compose.ts) runs them.
 */
export function translateCompose(
  call: CommandCall,
  sink: FlowSink,
  version: ComposeVersion,
  step: (step: ComposeStep, sink: FlowSink) => unknown,
): undefined {
  const program = version === 1 ? 'docker-compose' : 'docker compose';
  const shown = `${call.at.file}:${call.at.line}`;
  const decline = (at: Location, why: string): undefined => {
    sink.report(
      diagnostic(
        'RS370',
        at,
        `restage cannot model \`${program}\` at ${shown}: ${why}; migrate this step by hand, or run the builder with \`docker build\` + \`docker run\``,
      ),
    );
    return undefined;
  };
  const globals = globalsOf(call.args);
  for (const u of globals.parsed.unknown) return decline(u.at, `it does not know the option \`${u.text}\``);
  for (const o of globals.parsed.options) {
    const why = GLOBAL_DECLINED[o.name];
    if (why) return decline(o.words[0]?.at ?? call.at, why);
  }
  const subWord = call.args[globals.verbAt];
  if (!subWord) return decline(call.at, 'it has no sub-command');
  const sub = subWord.text;
  if (INERT.has(sub)) return undefined;
  if (sub !== 'run' && sub !== 'build')
    return decline(
      subWord.at,
      `\`${program} ${sub}\` starts, stops or removes the services as compose manages them, which restage does not model (it follows \`${program} run SERVICE\` and \`${program} build\`)`,
    );
  const file = composeFile(call, sink, globals.parsed, version, decline);
  if (!file) return undefined;
  const project = projectName(call, sink, globals.parsed, file, version);
  if (project === null) return decline(call.at, 'its project name cannot be known');
  if (!project.ok) return decline(project.at, project.why);
  const mark: FlowSink = {
    ...sink,
    get cwd() {
      return sink.cwd;
    },
    emit: (event: FlowEvent) =>
      sink.emit(event.kind === 'build' || event.kind === 'create' ? { ...event, compose: call.at } : event),
  };
  const rest = call.args.slice(globals.verbAt + 1);
  const ctx: Context = {
    call,
    sink: mark,
    origin: sink,
    file,
    project: project.name,
    version,
    program,
    shown,
    decline,
    step: (s) => step(s, mark),
  };
  return sub === 'run' ? runService(ctx, rest) : buildServices(ctx, rest);
}

interface Context {
  readonly call: CommandCall;
  /** Where the translated docker commands go (events marked `compose`). */
  readonly sink: FlowSink;
  /** The script's own sink. */
  readonly origin: FlowSink;
  readonly file: ComposeFile;
  readonly project: string;
  readonly version: ComposeVersion;
  readonly program: string;
  readonly shown: string;
  readonly decline: (at: Location, why: string) => undefined;
  readonly step: (step: ComposeStep) => unknown;
}

function globalsOf(words: readonly Word[]): { parsed: ParsedWords<Word>; verbAt: number } {
  let i = 0;
  while (i < words.length && words[i]!.text.startsWith('-') && words[i]!.text !== '-') {
    const t = words[i]!.text;
    const long = t.startsWith('--');
    const name = long ? t.slice(2).split('=')[0]! : t.slice(1, 2);
    const inline = long ? t.includes('=') : t.length > 2;
    i += GLOBAL.valued[name] !== undefined && !inline ? 2 : 1;
  }
  const verbAt = Math.min(i, words.length);
  return { parsed: parseWords(words.slice(0, verbAt), GLOBAL), verbAt };
}

/** The `-f` file, else the default one in the working directory, read and modelled; null after reporting why not. */
function composeFile(
  call: CommandCall,
  sink: FlowSink,
  globals: ParsedWords<Word>,
  version: ComposeVersion,
  decline: (at: Location, why: string) => undefined,
): ComposeFile | null {
  const given = allValues(globals, 'file');
  if (given.length > 1)
    return decline(given[1]!.at, 'several `-f` files are merged by compose, which restage does not do') ?? null;
  if (call.environment.has('COMPOSE_FILE'))
    return decline(call.at, 'COMPOSE_FILE names the compose files, which restage does not follow') ?? null;
  const read = sink.readFile;
  if (!read) return decline(call.at, 'the compose file cannot be read here') ?? null;
  let file: string;
  let at: Location;
  if (given.length === 1) {
    if (given[0]!.text === '-') return decline(given[0]!.at, 'the compose file is read from standard input') ?? null;
    const p = sink.hostPath(given[0]!, 'compose file (-f)');
    if (p === null) return null;
    file = p;
    at = given[0]!.at;
  } else {
    const found = DEFAULT_FILES.map((n) => path.join(sink.cwd, n)).find((p) => read(p) !== null);
    if (!found)
      return (
        decline(
          call.at,
          `there is no ${DEFAULT_FILES.join(', ')} in its working directory ${sink.cwd} (restage does not look in the directories above, as compose does; name the file with -f)`,
        ) ?? null
      );
    const override = OVERRIDES.map((n) => path.join(sink.cwd, n)).find((p) => read(p) !== null);
    if (override)
      return (
        decline(
          call.at,
          `compose merges ${path.basename(override)} into ${path.basename(found)}, which restage does not do`,
        ) ?? null
      );
    file = found;
    at = call.at;
  }
  const got = read(file);
  if (got === null) {
    sink.report(
      diagnostic(
        'RS371',
        at,
        `the compose file ${file} that \`${version === 1 ? 'docker-compose' : 'docker compose'}\` reads is not a readable file of the tree`,
      ),
    );
    return null;
  }
  const directory = path.dirname(file);
  const dotEnv = read(path.join(directory, '.env')) !== null;
  const lookup: Lookup = (name) => {
    const v: ShellValue | undefined = call.environment.get(name);
    if (v === undefined) return dotEnv ? null : undefined;
    return v.unresolved === null && v.environment.length === 0 ? v.text : null;
  };
  const model = readCompose(file, got.display, got.text, lookup);
  if ('value' in model) {
    sink.report(
      diagnostic(
        'RS371',
        model.at,
        `${model.value} (read by \`${call.name.text}\` at ${call.at.file}:${call.at.line})`,
      ),
    );
    return null;
  }
  return model;
}

type Project = { ok: true; name: string } | { ok: false; at: Location; why: string };

/** Compose's project name: `-p`, COMPOSE_PROJECT_NAME, top-level `name:` (v2), the directory's name; normalized. */
function projectName(
  call: CommandCall,
  sink: FlowSink,
  globals: ParsedWords<Word>,
  file: ComposeFile,
  version: ComposeVersion,
): Project | null {
  const given = lastValue(globals, 'project-name');
  let raw: string | null;
  let at: Location;
  if (given) {
    raw = sink.require(given, 'compose project name (-p)');
    at = given.at;
  } else if (call.environment.has('COMPOSE_PROJECT_NAME')) {
    const v = call.environment.get('COMPOSE_PROJECT_NAME')!;
    if (v.unresolved !== null || v.environment.length > 0)
      return { ok: false, at: call.at, why: 'COMPOSE_PROJECT_NAME has a value restage cannot know' };
    raw = v.text;
    at = call.at;
  } else if (version === 2 && file.name) {
    raw = file.name.value;
    at = file.name.at;
  } else {
    raw = path.basename(file.directory);
    at = call.at;
  }
  if (raw === null) return null;
  const name = normalizeProject(raw);
  return name === ''
    ? { ok: false, at, why: `the project name \`${raw}\` is empty once normalized` }
    : { ok: true, name };
}

/** Lowercased, without characters outside [a-z0-9_-], without leading `_`/`-`. */
export function normalizeProject(raw: string): string {
  return raw
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
}

/** The image compose runs for a service: `image:`, else the name it gives the image it builds. */
export function serviceImage(service: ComposeService, project: string, version: ComposeVersion): string {
  return service.image?.value ?? `${project}${version === 1 ? '_' : '-'}${service.name}`;
}

/** What about the service (or the whole file) restage cannot model, each where it is written. */
function unsupportedOf(ctx: Context, service: ComposeService, noDeps: boolean): Located<string>[] {
  const found = [...ctx.file.unsupported, ...service.unsupported];
  if (service.dependsOn && service.dependsOn.value.length > 0 && !noDeps)
    found.push({
      value: `the service depends on ${service.dependsOn.value.join(', ')}, which \`run\` starts first (give --no-deps if the builder does not need them)`,
      at: service.dependsOn.at,
    });
  return found;
}

function serviceNamed(ctx: Context, word: Word): ComposeService | null {
  const name = ctx.sink.require(word, 'compose service');
  if (name === null) return null;
  const service = ctx.file.services.get(name);
  if (!service) {
    ctx.sink.report(
      diagnostic(
        'RS371',
        word.at,
        `the compose file ${path.basename(ctx.file.path)} has no service \`${name}\` (it has ${[...ctx.file.services.keys()].join(', ') || 'none'})`,
      ),
    );
    return null;
  }
  return service;
}

/** A word restage writes for the translated docker command, located at the compose command. */
function wordAt(at: Location, text: string): Word {
  return {
    text,
    unresolved: null,
    environment: [],
    at,
    written: /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`,
  };
}

/**
 * The images compose built so far in one script run (keyed by the script's sink): `run` builds a
 * service's image only when the engine does not have it yet, so not after `compose build` of it.
 */
const builtImages = new WeakMap<FlowSink, Set<string>>();

/** `docker build` of the service's image, through the docker analyzer. */
function buildService(ctx: Context, service: ComposeService, extra: readonly Word[], implicit = false): void {
  const b = service.build!;
  const image = serviceImage(service, ctx.project, ctx.version);
  const built = builtImages.get(ctx.origin) ?? new Set<string>();
  builtImages.set(ctx.origin, built.add(image));
  const at = ctx.call.at;
  const w = (t: string) => wordAt(at, t);
  const words: Word[] = [w('-t'), w(image)];
  if (b.dockerfile !== null) words.push(w('-f'), w(b.dockerfile));
  for (const a of b.args) words.push(w('--build-arg'), w(a));
  if (b.target !== null) words.push(w('--target'), w(b.target));
  words.push(...extra, w(b.context));
  ctx.step({
    verb: 'build',
    image,
    implicit,
    call: {
      ...ctx.call,
      name: w('docker'),
      args: words,
      verb: ['build'],
      redirects: [],
      captured: false,
      pipedOut: false,
    },
  });
}

function buildServices(ctx: Context, words: readonly Word[]): undefined {
  const parsed = parseWords(words, BUILD);
  for (const u of parsed.unknown) return ctx.decline(u.at, `it does not know the build option \`${u.text}\``);
  const kept = parsed.options.filter((o) => ['no-cache', 'pull', 'build-arg'].includes(o.name));
  const odd = parsed.options.find(
    (o) => !['no-cache', 'pull', 'build-arg', 'quiet', 'progress', 'parallel'].includes(o.name),
  );
  if (odd) return ctx.decline(odd.words[0]!.at, `restage does not model the build option \`${odd.words[0]!.text}\``);
  const extra = kept.flatMap((o) => [...o.words]);
  const services: ComposeService[] = [];
  if (parsed.positionals.length === 0) services.push(...[...ctx.file.services.values()].filter((s) => s.build));
  for (const p of parsed.positionals) {
    const s = serviceNamed(ctx, p);
    if (!s) return undefined;
    services.push(s);
  }
  for (const s of services) {
    if (!s.build) continue;
    const problems = unsupportedOf(ctx, s, true);
    if (problems.length > 0) return declineAll(ctx, problems);
  }
  for (const s of services) if (s.build) buildService(ctx, s, extra);
  return undefined;
}

function declineAll(ctx: Context, problems: readonly Located<string>[]): undefined {
  for (const p of problems) ctx.decline(p.at, p.value);
  return undefined;
}

function runService(ctx: Context, words: readonly Word[]): undefined {
  const { call } = ctx;
  const { parsed, command } = parseContainerWords(words, RUN);
  for (const u of parsed.unknown) return ctx.decline(u.at, `it does not know the run option \`${u.text}\``);
  const serviceWord = parsed.positionals[0];
  if (!serviceWord) return ctx.decline(call.at, '`run` names no service');
  const service = serviceNamed(ctx, serviceWord);
  if (!service) return undefined;
  const toOutput = call.captured || call.pipedOut || call.redirects.some((r) => STDOUT_TO_FILE.test(r.operator));
  if (toOutput && !hasFlag(parsed, 'no-TTY'))
    return ctx.decline(
      call.at,
      'the script reads the output of `run` without `-T`: compose gives the command a terminal when it runs from one, which changes that output (line ends become CRLF); add -T',
    );
  const problems = unsupportedOf(ctx, service, hasFlag(parsed, 'no-deps'));
  if (problems.length > 0) return declineAll(ctx, problems);
  const builds =
    service.build !== null && !builtImages.get(ctx.origin)?.has(serviceImage(service, ctx.project, ctx.version));
  // Measured with docker-compose 1.29.2 (test/e2e/compose-real.test.ts): the build `run` does
  // first goes to the same standard output as the command's, so a script that keeps that output
  // keeps the build log too, on an engine without the image only.
  if (toOutput && builds)
    return ctx.decline(
      call.at,
      `the script keeps the output of \`run\`, and on an engine without the service's image \`${serviceImage(service, ctx.project, ctx.version)}\` compose first builds it and prints that build's log to the same output (docker-compose 1.29 does; the output then differs from one run to the next); build the service first with \`${ctx.program} build ${service.name}\``,
    );
  if (!service.build && !service.image)
    return ctx.decline(service.at, `the service \`${service.name}\` has neither \`image:\` nor \`build:\``);
  const at = call.at;
  const w = (t: string) => wordAt(at, t);
  const out: Word[] = [];
  for (const flag of ['rm', 'detach'] as const) if (hasFlag(parsed, flag)) out.push(w(`--${flag}`));
  const name = lastValue(parsed, 'name');
  if (name) out.push(w('--name'), name);
  for (const v of service.volumes) {
    const m = v.value;
    const source = m.kind === 'bind' ? m.source : `${ctx.project}_${m.source}`;
    out.push(w('-v'), w(`${source}:${m.target}${m.readOnly ? ':ro' : ''}`));
  }
  for (const v of allValues(parsed, 'volume')) {
    if (/^\.{1,2}(\/|:|$)/.test(v.text))
      return ctx.decline(v.at, `the relative bind source in \`-v ${v.written}\` (write it from \`$PWD\`)`);
    out.push(w('-v'), v);
  }
  const workdir = lastValue(parsed, 'workdir');
  if (workdir) out.push(w('-w'), workdir);
  else if (service.workingDir) out.push(w('-w'), w(service.workingDir.value));
  for (const e of service.environment) out.push(w('-e'), w(e.value));
  for (const e of allValues(parsed, 'env')) out.push(w('-e'), e);
  const user = lastValue(parsed, 'user');
  if (user) out.push(w('-u'), user);
  else if (service.user) out.push(w('-u'), w(service.user.value));
  let entrypoint: readonly Word[] = [];
  const cliEntrypoint = lastValue(parsed, 'entrypoint');
  if (cliEntrypoint) {
    const split = cliEntrypoint.unresolved === null ? splitWords(cliEntrypoint.text) : null;
    if (split === null || split.length === 0)
      return ctx.decline(cliEntrypoint.at, `the entrypoint \`${cliEntrypoint.written}\` cannot be read`);
    if (command.length === 0 && service.command)
      return ctx.decline(
        cliEntrypoint.at,
        '`--entrypoint` without a command, on a service with `command:` (compose versions differ on whether that command stays)',
      );
    entrypoint = split.map((t) => ({ ...cliEntrypoint, text: t, written: t }));
  } else if (service.entrypoint) {
    if (service.entrypoint.value.length === 0)
      return ctx.decline(service.entrypoint.at, 'an empty `entrypoint:`, which clears the image ENTRYPOINT');
    entrypoint = service.entrypoint.value.map(w);
  }
  if (entrypoint.length > 0) out.push(w('--entrypoint'), entrypoint[0]!);
  if (builds) buildService(ctx, service, [], true);
  out.push(w(serviceImage(service, ctx.project, ctx.version)));
  out.push(...entrypoint.slice(1));
  if (command.length > 0) out.push(...command);
  else if (service.command) out.push(...service.command.value.map(w));
  ctx.step({ verb: 'run', call: { ...call, name: w('docker'), args: out, verb: ['run'] } });
  return undefined;
}
