/**
 * Containers that ran a command (docker run, docker start, docker exec) before an artifact is
 * copied out of them: their file system is the image after those commands ran, which a run stage
 * (src/plan/run-stage.ts) reproduces. This tracker follows each container through the flow's
 * events and, at each copy, says which commands ran to their end (an Artifact's ContainerRun),
 * or declines on the line when the legacy result cannot be known.
 *
 * Docker facts it relies on (test/e2e/routes-run.test.ts shows the routes on a real engine):
 * - a foreground `docker run`, `docker start -a` and an `exec` without `-d` return when the
 *   command ended; `docker run -d` and `docker start` return at once, and `docker wait` returns
 *   when the command ended: a `docker cp` before that reads whatever the command wrote so far;
 * - `docker stop`/`kill` of a command still running cuts it off at a moment nobody knows; of a
 *   command that ended it changes nothing; of a keep-alive command (`sleep infinity`, `tail -f
 *   /dev/null`) it loses nothing, as such a command writes nothing;
 * - `docker exec` needs a running container ("is not running" otherwise) and runs with the
 *   container's environment, working directory and user unless its own `-e`/`-w`/`-u` say
 *   otherwise.
 */
import { diagnostic, type Diagnostic, type Location } from '../model/diagnostic.js';
import type { Instruction, ParsedDockerfile, Stage } from '../model/dockerfile.js';
import type { ContainerCall, ContainerCreate, CopyOut, ImageBuild, RunMount, RunSpec } from '../model/flow.js';
import type { ContainerRun, RunBind, RunStep } from '../model/analysis.js';
import { keepsAlive } from './run-spec.js';
import { parseEnvFile } from './env-file.js';
import { lastOf, stageChain, workdirOf } from './stdout.js';

type Phase = 'created' | 'running' | 'ended' | 'interrupted';

interface Tracked {
  readonly create: ContainerCreate;
  phase: Phase;
  /** The container's own command only keeps it alive: it writes nothing. */
  keepAlive: boolean;
  /** Steps that ran to their end, in order. */
  readonly specs: { spec: RunSpec; main: boolean }[];
  /** Why the container's state cannot be reproduced, located (the first reason counts). */
  problem: Diagnostic | null;
  /** A command still running in the background (an `exec -d`). */
  background: Location | null;
}

/**
 * What the run stage copies in for a bind mount: the host directory (it held files before the
 * script ran), null (docker or a `mkdir` made it empty), or why it cannot be reproduced.
 */
export type BindSource = (mount: RunMount) => string | null | Diagnostic;

export interface RunAtCopy {
  readonly run: ContainerRun | null;
  readonly diagnostics: readonly Diagnostic[];
}

export class ContainerRuns {
  private readonly tracked = new Map<string, Tracked>();

  constructor(
    private readonly dockerfiles: ReadonlyMap<string, ParsedDockerfile>,
    private readonly display: (p: string) => string,
    private readonly envFiles: ReadonlyMap<string, string | null> = new Map(),
  ) {}

  /** The variables a step sets: its env files' lines in order, then its `-e`s, a later value winning. */
  private envOf(spec: RunSpec, diagnostics: Diagnostic[]): (readonly [string, string])[] {
    const env = new Map<string, string>();
    for (const f of spec.envFiles ?? []) {
      const text = this.envFiles.get(f.path) ?? null;
      if (text === null) {
        diagnostics.push(
          diagnostic(
            'RS325',
            f.at,
            `the env file ${this.display(f.path)} is not a file restage reads in the directory (missing, or outside it), so the variables it sets are unknown; keep it in the repository (or write them with \`-e NAME=VALUE\`) and run restage again`,
          ),
        );
        continue;
      }
      for (const l of parseEnvFile(text)) {
        if (l.kind === 'set') env.set(l.name, l.value);
        else
          diagnostics.push(
            diagnostic(
              'RS325',
              f.at,
              `line ${l.line} of ${this.display(f.path)}: ${l.why}; write NAME=VALUE there and run restage again`,
            ),
          );
      }
    }
    for (const [k, v] of spec.env) env.set(k, v);
    return [...env];
  }

  create(event: ContainerCreate): void {
    const spec = event.run;
    const words = spec ? [...(spec.entrypoint !== null ? [spec.entrypoint] : []), ...spec.args] : [];
    const t: Tracked = {
      create: event,
      phase: 'created',
      keepAlive: keepsAlive(words),
      specs: [],
      problem: null,
      background: null,
    };
    this.tracked.set(event.handle, t);
    // A later start or exec is its own ContainerCall; only `docker run` starts the command here.
    if (event.started?.how === 'run') this.startMain(t, event.started.at, event.started.attached ?? false);
  }

  call(event: ContainerCall): void {
    const t = this.tracked.get(event.container);
    if (!t) return;
    const name = label(t.create);
    switch (event.verb) {
      case 'start':
        if (t.phase === 'created') this.startMain(t, event.at, event.attached);
        else if (t.phase === 'ended' && !t.keepAlive)
          t.problem ??= diagnostic(
            'RS325',
            event.at,
            `\`docker start\` runs the command of ${name} a second time, on what its first run left; restage reproduces one run of a container's command: start it once (or use \`docker exec\` for a second command) and run restage again`,
          );
        break;
      case 'wait':
        if (t.phase === 'running') t.phase = t.keepAlive ? 'running' : 'ended';
        t.background = null;
        break;
      case 'stop':
        if (t.phase === 'running' && !t.keepAlive) {
          t.phase = 'interrupted';
          t.problem ??= diagnostic(
            'RS326',
            event.at,
            `\`docker stop\` ends the command of ${name} while it may still be running (nothing waited for it to end): what it wrote by then depends on timing, and a command that does not end by itself (a server) cannot become a build step; wait for the command to end (\`docker wait\`, \`docker start -a\`, or a foreground \`docker run\`) before the copy, or migrate this step by hand`,
          );
        } else if (t.phase === 'running') t.phase = 'ended';
        if (t.background) t.problem ??= racy(event.at, t.background, name);
        break;
      case 'exec':
        if (t.phase !== 'running' || !event.exec) {
          t.problem ??= diagnostic(
            'RS325',
            event.at,
            `\`docker exec\` needs ${name} running, and ${t.phase === 'created' ? 'it was never started' : 'its command has ended by then'}: docker refuses ("is not running") and the script fails here as written; start it with a command that keeps it alive (\`sleep infinity\`) and run restage again`,
          );
          break;
        }
        if (!event.attached) t.background ??= event.at;
        else t.specs.push({ spec: event.exec, main: false });
        break;
    }
  }

  /** The commands the container ran before this copy; run null for a container that never ran. */
  atCopy(copy: CopyOut, build: ImageBuild | null, bindSource: BindSource): RunAtCopy {
    const t = this.tracked.get(copy.container);
    // A reader on stdout (`docker run IMG cat PATH > FILE`, `… tar -c …`) reads as its run starts: nothing ran before it.
    // A command whose output the script redirected is the last step: it ran, and its output is the artifact.
    if (!t || (copy.reader !== null && !copy.reader.runsCommand)) return { run: null, diagnostics: [] };
    const mainStarted = t.phase !== 'created';
    if (!mainStarted && t.specs.length === 0) return { run: null, diagnostics: [] };
    const name = label(t.create);
    const decline = (d: Diagnostic): RunAtCopy => ({ run: null, diagnostics: [d] });
    if (t.problem) return decline(t.problem);
    if (t.background) return decline(racy(copy.at, t.background, name));
    if (t.phase === 'running' && !t.keepAlive)
      return decline(
        diagnostic(
          'RS324',
          copy.at,
          `${copy.via === 'bind' ? 'the bind mount' : copy.exportedAt ? '`docker export`' : '`docker cp`'} reads ${copy.containerPath.replace(/\/\.$/, '') || '/'} of ${name} while its command may still be running (\`${this.startedHow(t)}\` returns at once and nothing waited for the command to end): what it holds then depends on timing; add \`docker wait ${t.create.handle.startsWith('@') ? 'CONTAINER' : t.create.handle}\` before this line (or run it in the foreground) and run restage again`,
        ),
      );
    const image = this.imageOf(t.create, build);
    const diagnostics: Diagnostic[] = [];
    if (t.keepAlive && t.create.run?.entrypoint === null && (image.entrypoint?.length ?? 0) > 0)
      return decline(
        diagnostic(
          'RS325',
          t.create.run.at,
          `\`${t.create.run.args.join(' ')}\` after the image are arguments to its ENTRYPOINT (\`${image.entrypoint!.join(' ')}\`), not a command that keeps ${name} alive: restage cannot tell what it runs; write \`--entrypoint ${t.create.run.args[0]}\` before the image and run restage again`,
        ),
      );
    const specs = t.specs.filter((s) => !(s.main && t.keepAlive));
    for (const { spec } of t.specs)
      for (const u of spec.unreadable)
        diagnostics.push(
          diagnostic(
            'RS325',
            u.at,
            `${u.why}: restage reproduces the command of ${name} as a Dockerfile step only from literal values; write it literally on the line and run restage again`,
          ),
        );
    const steps: RunStep[] = [];
    const main = t.create.run;
    const containerWorkdir = main?.workdir ?? null;
    const containerUser = main?.user ?? null;
    let changedWorkdir = false;
    let changedUser = false;
    specs.forEach(({ spec, main: isMain }, i) => {
      const env = this.envOf(spec, diagnostics);
      const argv = isMain ? this.mainArgv(spec, image, t, diagnostics) : spec.args;
      if (!isMain && argv.length === 0)
        diagnostics.push(diagnostic('RS325', spec.at, `\`docker exec\` without a command: the script fails here`));
      if (!isMain && env.length > 0 && i < specs.length - 1)
        diagnostics.push(
          diagnostic(
            'RS325',
            spec.at,
            `\`-e\` of this \`docker exec\` applies to its command only, and a later command runs in ${name} without it; restage carries an exec's variables only on the last one: give them on the \`docker run\`/\`docker create\` line (or to each exec the same) and run restage again`,
          ),
        );
      const binds: RunBind[] = isMain ? this.binds(spec, bindSource, diagnostics) : [];
      let workdir = isMain ? spec.workdir : (spec.workdir ?? containerWorkdir);
      if (workdir === null && (changedWorkdir || binds.some((b) => b.source === null))) {
        workdir = image.workdir;
        if (workdir === null)
          diagnostics.push(
            diagnostic(
              'RS325',
              spec.at,
              `this command runs in the image's working directory, and ${image.workdirWhy}; give the directory with \`-w DIR\` and run restage again`,
            ),
          );
      }
      changedWorkdir ||= workdir !== null;
      let user = isMain ? spec.user : (spec.user ?? containerUser);
      if (user === null && changedUser) {
        user = image.user;
        if (user === null)
          diagnostics.push(
            diagnostic(
              'RS325',
              spec.at,
              `this command runs as the image's user, which comes from the base image restage does not read; give it with \`-u USER\` and run restage again`,
            ),
          );
      }
      changedUser ||= user !== null;
      const output = copy.reader?.runsCommand && i === specs.length - 1 ? { stdoutTo: copy.containerPath } : {};
      // The run stage makes the output's directory as root when the command runs as another user it knows.
      if (output.stdoutTo !== undefined && user === null) user = image.user;
      steps.push({ at: spec.at, argv, workdir, user, env, binds, ...output });
    });
    const producer = t.specs[t.specs.length - 1];
    if (copy.reader?.runsCommand && (!producer || (producer.main && t.keepAlive)))
      diagnostics.push(
        diagnostic(
          'RS333',
          copy.at,
          `the output of \`${copy.reader.command}\` comes from a command that only keeps ${name} alive: restage has no step whose output it is; redirect the output of the command that prints it and run restage again`,
        ),
      );
    for (const m of main?.mounts ?? []) {
      if (m.kind === 'bind') continue;
      const under =
        copy.containerPath.replace(/\/\.$/, '') === m.target ||
        copy.containerPath.startsWith(m.target === '/' ? '/' : `${m.target}/`);
      diagnostics.push(
        under
          ? diagnostic(
              'RS328',
              m.at,
              `the artifact ${copy.containerPath.replace(/\/\.$/, '')} lies in ${m.kind === 'tmpfs' ? 'the tmpfs' : 'the volume'} \`${m.written}\`, whose content is not in the container's file system a build stage makes: restage cannot reproduce it; write the artifact outside ${m.target} (or through a bind mount) and run restage again`,
            )
          : diagnostic(
              'RS329',
              m.at,
              `${m.kind === 'tmpfs' ? 'the tmpfs' : 'the volume'} \`${m.written}\` is left out of the run stage, which only makes its mount point: nothing copied from ${name} lies in it, so the migrated image does not depend on its content (a cache volume only made the legacy build faster; restage emits no \`RUN --mount=type=cache\`, which the classic builder does not support)`,
            ),
      );
    }
    if (image.assumedEntrypoint && t.specs.some((s) => s.main && s.spec.entrypoint === null && s.spec.args.length > 0))
      diagnostics.push(
        diagnostic(
          'RS327',
          t.create.at,
          `restage assumes that the base image ${image.base} sets no ENTRYPOINT (the Dockerfile sets none): it takes \`${t.create.command ?? ''}\` after the image as the command${t.keepAlive ? ' (one that only keeps the container alive)' : ''}; if the base image has an ENTRYPOINT, the words after the image are its arguments: give \`--entrypoint\` on the run and run restage again`,
        ),
      );
    if (diagnostics.some((d) => d.severity === 'error')) return { run: null, diagnostics };
    return {
      run: { container: t.create.handle, at: t.create.started?.at ?? t.create.at, steps },
      diagnostics,
    };
  }

  private startMain(t: Tracked, at: Location, attached: boolean): void {
    t.phase = attached ? 'ended' : 'running';
    const spec = t.create.run ?? {
      at,
      entrypoint: null,
      args: [],
      workdir: null,
      user: null,
      env: [],
      mounts: [],
      unreadable: [],
    };
    t.specs.push({ spec: { ...spec, at }, main: true });
  }

  private startedHow(t: Tracked): string {
    return t.create.started?.how === 'run' ? 'docker run -d' : 'docker start';
  }

  /** The bind mounts of the main command, as the run stage reproduces them. */
  private binds(spec: RunSpec, bindSource: BindSource, diagnostics: Diagnostic[]): RunBind[] {
    const out: RunBind[] = [];
    for (const m of spec.mounts) {
      // A volume or tmpfs is not in the stage, but its mount point is there for the command to use:
      // docker makes it if the image lacks it (test/e2e/routes-run.test.ts, mount-volume-dropped).
      if (m.kind !== 'bind') {
        out.push({ at: m.at, source: null, target: m.target });
        continue;
      }
      const source = bindSource(m);
      if (typeof source === 'object' && source !== null) diagnostics.push(source);
      else out.push({ at: m.at, source, target: m.target });
    }
    return out;
  }

  /** The argv of the container's own command: `--entrypoint` + args, else the image's ENTRYPOINT + (args or CMD). */
  private mainArgv(spec: RunSpec, image: ImageFacts, t: Tracked, diagnostics: Diagnostic[]): string[] {
    if (spec.entrypoint !== null) return [spec.entrypoint, ...spec.args];
    const entrypoint = image.entrypoint ?? [];
    if (spec.args.length > 0) return [...entrypoint, ...spec.args];
    if (image.cmd === null) {
      diagnostics.push(
        diagnostic(
          'RS325',
          spec.at,
          `${label(t.create)} runs the default command of ${t.create.image}, which ${image.cmdWhy}: restage cannot tell what it runs; write the command on the \`docker ${t.create.started?.how === 'run' ? 'run' : 'create'}\` line after the image and run restage again`,
        ),
      );
      return [];
    }
    const argv = [...entrypoint, ...image.cmd];
    if (argv.length === 0)
      diagnostics.push(
        diagnostic(
          'RS325',
          spec.at,
          `${t.create.image} has no command (no CMD or ENTRYPOINT): docker refuses to start it ("no command specified"); write the command after the image and run restage again`,
        ),
      );
    return argv;
  }

  private imageOf(create: ContainerCreate, build: ImageBuild | null): ImageFacts {
    const file = build ? this.dockerfiles.get(build.dockerfile) : undefined;
    const target = build?.target?.toLowerCase();
    const stage =
      file && ((target && file.stages.find((s) => s.name === target)) || file.stages[file.stages.length - 1]);
    if (!build || !file || !stage)
      return {
        base: create.image,
        entrypoint: null,
        assumedEntrypoint: true,
        cmd: null,
        cmdWhy: 'the script does not build, so restage does not read its CMD',
        workdir: null,
        workdirWhy: `${create.image} is not built by the script`,
        user: null,
      };
    return imageFacts(file, stageChain(file, stage), this.display(build.dockerfile));
  }
}

/** What restage reads of an image's defaults from the Dockerfile that builds it. */
export interface ImageFacts {
  /** The base image the chain of stages starts from. */
  readonly base: string;
  /** null: unknown (set, if at all, by the base image); restage then assumes none and says so. */
  readonly entrypoint: readonly string[] | null;
  readonly assumedEntrypoint: boolean;
  /** null: unknown, with why. */
  readonly cmd: readonly string[] | null;
  readonly cmdWhy: string;
  readonly workdir: string | null;
  readonly workdirWhy: string;
  readonly user: string | null;
}

/**
 * ENTRYPOINT, CMD, WORKDIR and USER of the image a chain of stages builds (nearest first), as
 * docker sets them: a shell form runs under the SHELL (default `/bin/sh -c`); an ENTRYPOINT
 * clears the CMD its stage inherited unless the stage set a CMD before it.
 */
export function imageFacts(file: ParsedDockerfile, chain: readonly Stage[], shown: string): ImageFacts {
  const root = chain[chain.length - 1]!;
  const scratch = root.image.toLowerCase() === 'scratch';
  let entrypoint: string[] | null = scratch ? [] : null;
  let cmd: string[] | null = scratch ? [] : null;
  let shell = ['/bin/sh', '-c'];
  let user: string | null = scratch ? '0' : null;
  for (const s of [...chain].reverse()) {
    let cmdSet = false;
    for (const inst of s.instructions) {
      if (inst.keyword === 'SHELL' && inst.jsonForm) shell = inst.args.map((a) => a.raw);
      else if (inst.keyword === 'ENTRYPOINT') {
        entrypoint = commandWords(file, inst, shell);
        if (!cmdSet) cmd = [];
      } else if (inst.keyword === 'CMD') {
        cmd = commandWords(file, inst, shell);
        cmdSet = true;
      } else if (inst.keyword === 'USER') user = inst.args.map((a) => a.raw).join(' ');
    }
  }
  const cmdInst = lastOf(chain, 'CMD');
  const workdir = workdirOf(chain);
  return {
    base: root.image,
    entrypoint,
    assumedEntrypoint: entrypoint === null,
    cmd,
    cmdWhy:
      cmd === null
        ? `comes from its base image ${root.image} (${shown} sets no CMD), which restage does not read`
        : `is \`${cmdInst ? file.text.slice(cmdInst.start, cmdInst.end) : ''}\``,
    workdir: workdir.dir,
    workdirWhy: workdir.dir === null ? workdir.why : '',
    user: user !== null && /[$"'\\]/.test(user) ? null : user,
  };
}

function commandWords(file: ParsedDockerfile, inst: Instruction, shell: readonly string[]): string[] {
  if (inst.jsonForm) return inst.args.map((a) => a.raw);
  if (inst.args.length === 0) return [];
  const text = file.text
    .slice(inst.args[0]!.start, inst.args[inst.args.length - 1]!.end)
    .replace(new RegExp(`\\${file.escapeChar}\\r?\\n`, 'g'), '');
  return [...shell, text];
}

function label(create: ContainerCreate): string {
  return create.handle.startsWith('@') ? `the container of ${create.image}` : `container "${create.handle}"`;
}

function racy(at: Location, background: Location, name: string): Diagnostic {
  return diagnostic(
    'RS324',
    at,
    `the \`docker exec -d\` at line ${background.line} runs its command in ${name} in the background, and nothing waits for it to end: what it wrote by this line depends on timing; run it without \`-d\` and run restage again`,
  );
}
