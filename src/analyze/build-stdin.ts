/**
 * `docker build -`: the build reads its context from standard input. Docker facts
 * (test/e2e/routes-stdout.test.ts and test/e2e/routes-stdin.test.ts show them on a real engine,
 * Docker 20.10, BuildKit and the classic builder): a tar stream on standard input (gzip-compressed
 * or not) is the whole context, and the Dockerfile is `Dockerfile` at its root or `-f PATH` of it;
 * a `.dockerignore` inside the stream is NOT applied (a member it lists still reaches `COPY . /x`);
 * anything else on standard input is taken as the Dockerfile itself, with no context at all, so no
 * COPY or ADD of a local file can work.
 *
 * Migrated (RS337 says how the stream was read):
 * - a stream out of a container (`docker run --rm IMG tar -c -C DIR … |`, `docker cp C:DIR - |`,
 *   or either written to a file then read with `< FILE`): the context is what the stream holds of
 *   the container, as a `tar -x` into a directory would place it (copy outs into a directory that
 *   stands for the stream, which no step of the host holds), so each runtime COPY from it becomes
 *   a COPY --from of the builder stage; its Dockerfile is read as the tree file the builder's
 *   Dockerfile copies there with a plain `COPY TREEFILE PATH` (restage reads Dockerfiles of the tree);
 * - a host `tar -c [-C DIR] MEMBER… |` (`tar -C build -c Dockerfile app | docker build -t app -`):
 *   the context is DIR holding only those members, and its Dockerfile the tree file among them;
 *   tar -c reads no .dockerignore and docker applies none to a stream, so a COPY source outside
 *   the members fails the legacy build, and one DIR's .dockerignore leaves out is declined (a build
 *   of the directory would lose it; src/analyze/artifacts.ts).
 * Anything else is declined on the `-` (RS336), with what restage saw and how to build from the tree.
 */
import path from 'node:path';
import { diagnostic, type Location } from '../model/diagnostic.js';
import type { DockerignoreRule } from '../model/analysis.js';
import type { ImageBuild } from '../model/flow.js';
import { parseDockerfile } from '../parse/dockerfile.js';
import {
  isContainerStream,
  isFetched,
  isHostTar,
  type CommandCall,
  type FetchedStream,
  type FlowSink,
  type HostTarStream,
  type TarStream,
} from './command.js';
import type { Word } from './shell/values.js';
import { parseTar } from '../shared/tar-cli.js';
import { undecidable } from './host-word.js';
import { streamCopies } from './tar-stream.js';
import { ignoredBy } from './dockerignore.js';

/**
 * `tar -c [-z] [-C DIR] MEMBER…` on the host writing to standard output: into a pipe, the stream
 * waits there for a `docker build -` (any other reader is none of restage's concern). True when
 * the tar writes nothing on the host (standard output not redirected into a file, every option
 * known); false leaves it to the caller to record as another host command.
 */
export function hostTarStream(call: CommandCall, sink: FlowSink): boolean {
  const tar = parseTar(call.args.map((w) => w.text));
  if (tar.mode !== 'create' || (tar.file !== null && tar.file !== '-')) return false;
  if (call.redirects.some((r) => /^(1|&)?>/.test(r.operator))) return false;
  const unknown = call.args.find((w) => undecidable(w) !== null || /[`$]/.test(w.text));
  const refused = unknown
    ? `\`${unknown.written}\` is a word restage cannot know`
    : tar.refused
      ? `${call.args[tar.refused.word]?.written ?? 'an option'} ${tar.refused.why}`
      : tar.members.length === 0
        ? 'it names no member (tar refuses to make an empty archive)'
        : null;
  if (call.pipedOut && !call.captured && sink.streams)
    sink.streams.toPipe({
      hostTar: true,
      at: call.name.at,
      command: [call.name.written, ...call.args.map((a) => a.written)].join(' '),
      members: tar.members.map((m) => ({ operand: m.operand, dir: path.resolve(sink.cwd, m.dir ?? '.') })),
      refused,
    });
  return tar.refused === null;
}

/** What a host tar stream holds, said for the build that reads it, and the build from a directory that would read the same. */
function describeHostTar(
  stream: HostTarStream,
  cwd: string,
  dockerfile: string,
  tag: string,
): { saw: string; fix: string } {
  const rel = (p: string) => path.relative(cwd, p) || '.';
  const where = `\`${stream.command}\` (${path.basename(stream.at.file)}:${stream.at.line})`;
  const dirs = [...new Set(stream.members.map((m) => m.dir))];
  const dir = dirs.length === 1 ? dirs[0]! : null;
  const fix = `build from the directory the members come from (\`docker build -t ${tag} -f ${dir ? rel(path.join(dir, dockerfile)) : 'DIR/Dockerfile'} ${dir ? rel(dir) : 'DIR'}\`, with a .dockerignore there that leaves out what the stream does not hold)`;
  if (stream.refused !== null)
    return {
      saw: `its context is the tar stream of ${where}, whose members restage cannot know: ${stream.refused}`,
      fix,
    };
  const members = stream.members
    .map((m) => (dir === null ? rel(path.resolve(m.dir, m.operand)) : m.operand))
    .join(', ');
  const held = dir !== null && stream.members.some((m) => isWithinMember(dockerfile, m.operand));
  const from = dir === null ? 'several directories (`-C` changes between members)' : rel(dir);
  return {
    saw: `its context is the tar stream of ${where}: only the members ${members} of ${from} (a .dockerignore there does not apply: tar -c does not read it), and the Dockerfile docker reads is \`${dockerfile}\` of that stream, ${held ? `the tree file ${rel(path.join(dir, dockerfile))} as the stream copies it` : 'which the stream does not hold, so docker fails'}`,
    fix,
  };
}

/** Whether the stream member `operand` (a path or directory relative to its `-C`) holds `file`. */
function isWithinMember(file: string, operand: string): boolean {
  const m = path.posix.normalize(operand).replace(/\/+$/, '');
  const f = path.posix.normalize(file);
  return m === '.' || f === m || f.startsWith(`${m}/`);
}

/** A streamed context restage reads: where it stands in the tree, and the tree file that is its Dockerfile. */
export interface StdinContext {
  readonly context: string;
  readonly dockerfile: string;
  readonly streamed: NonNullable<ImageBuild['streamed']>;
}

/** What standard input of the build holds, as the script made it. */
interface StdinInput {
  readonly stream: TarStream | null;
  readonly fetched: FetchedStream | null;
  readonly hostTar: HostTarStream | null;
  readonly inputFile: string | null;
}

/** Consumes what the build reads on standard input (the pipe, or a `< FILE` a stream was written into). */
function readInput(call: CommandCall, sink: FlowSink): StdinInput {
  const input = call.redirects.find((r) => r.operator === '<' && r.target);
  if (input) {
    const inputFile = path.resolve(sink.cwd, input.target!.text.replace(/^"(.*)"$|^'(.*)'$/, '$1$2'));
    return { stream: sink.streams?.fromFile(inputFile) ?? null, fetched: null, hostTar: null, inputFile };
  }
  const piped = call.pipedIn ? (sink.streams?.fromPipe() ?? null) : null;
  return {
    stream: piped && isContainerStream(piped) ? piped : null,
    fetched: piped && isFetched(piped) ? piped : null,
    hostTar: piped && isHostTar(piped) ? piped : null,
    inputFile: null,
  };
}

/**
 * The context of a build whose context is `-`, when restage can read it (the copy outs of a
 * container stream are emitted, RS337 says how it was read); null after declining (RS336).
 */
export function stdinContext(
  call: CommandCall,
  sink: FlowSink,
  dash: Word,
  fileWord: Word | null,
): StdinContext | null {
  const input = readInput(call, sink);
  const dockerfile = fileWord ? fileWord.text : 'Dockerfile';
  let why: string | null = null;
  if (fileWord && (fileWord.unresolved !== null || fileWord.environment.length > 0))
    why = `the Dockerfile path \`${fileWord.written}\` is a word restage cannot know`;
  else if (input.stream && !input.stream.exported) {
    const read = containerContext(call, sink, dash, dockerfile, input.stream);
    if (typeof read !== 'string') return read;
    why = read;
  } else if (input.hostTar && input.hostTar.refused === null) {
    const read = hostTarContext(sink, dash, dockerfile, input.hostTar);
    if (typeof read !== 'string') return read;
    why = read;
  }
  declineStdinContext(call, sink, dash, dockerfile, input, why);
  return null;
}

/** The Dockerfile member's path in the stream, normalized; a string says why it is none restage reads. */
function memberPath(dockerfile: string): string | null {
  const p = path.posix.normalize(dockerfile).replace(/^(\.\/)+/, '');
  return p.startsWith('/') || p === '..' || p.startsWith('../') || p === '.' ? null : p;
}

/**
 * A container's stream as the context: copy outs into a directory standing for the stream, and
 * the Dockerfile the builder copies from the tree to where the stream holds it. A string says why not.
 */
function containerContext(
  call: CommandCall,
  sink: FlowSink,
  dash: Word,
  dockerfile: string,
  stream: TarStream,
): StdinContext | string {
  const member = memberPath(dockerfile);
  if (member === null) return `the Dockerfile path \`${dockerfile}\` is not a path inside the stream`;
  if (stream.entries.some((e) => e.relative !== undefined))
    return 'its members are relative to the image\u2019s working directory, so restage cannot tell which container path holds the Dockerfile';
  const inContainer = containerPathOf(stream, member);
  if (inContainer === null)
    return `the stream holds no \`${member}\` (it holds ${stream.entries.map((e) => `\`${e.name}\``).join(', ')}), so docker finds no Dockerfile and the build fails as written`;
  const built = sink.imageBuildOf?.(stream.container) ?? null;
  if (built === null)
    return `the Dockerfile \`${member}\` of the stream is ${inContainer} of a container whose image the script does not build, so restage cannot tell where it comes from`;
  const copied = treeCopyOf(sink, built, inContainer);
  if (typeof copied === 'string')
    return `the Dockerfile \`${member}\` of the stream is ${inContainer} of the builder, and ${copied}; restage reads a Dockerfile that a plain \`COPY TREEFILE ${inContainer}\` of the builder puts there`;
  const context = path.join(sink.cwd, `(stdin:${dash.at.line})`);
  streamCopies(sink, stream, stream.entries, context, call.at, false);
  if (stream.removeAfter) sink.emit({ kind: 'remove', at: call.at, containers: [stream.container] });
  const rel = (p: string) => path.relative(sink.cwd, p) || '.';
  sink.report(
    diagnostic(
      'RS337',
      dash.at,
      `this \`docker build\` reads its context from the tar stream of \`${stream.command}\` (${path.basename(stream.at.file)}:${stream.at.line}): restage takes each COPY from that context out of the builder container it streams (a COPY --from of the builder stage), and its Dockerfile \`${member}\` (${inContainer} in the builder) as the tree file ${rel(copied.source)}, which ${copied.at.file}:${copied.at.line} copies there (\`${copied.written}\`); restage assumes no later step of the builder changes that file`,
    ),
  );
  return { context, dockerfile: copied.source, streamed: { at: dash.at } };
}

/** The container path of a stream member: below an entry `.` (DIR/. as `.`) or an entry `name` (its own path). */
function containerPathOf(stream: TarStream, member: string): string | null {
  let found: string | null = null;
  for (const e of stream.entries) {
    if (e.name === '.') found = path.posix.join(e.containerPath.replace(/\/\.$/, '') || '/', member);
    else if (member === e.name || member.startsWith(`${e.name}/`))
      found = path.posix.join(path.posix.dirname(e.containerPath), member);
  }
  return found;
}

/**
 * The last plain `COPY SRC DEST` of the builder's built stage that puts the tree file SRC at
 * `target` (DEST absolute, or relative to a WORKDIR the stage sets; `DEST/` holds SRC by its
 * name). A string says why there is none restage reads.
 */
function treeCopyOf(
  sink: FlowSink,
  built: ImageBuild,
  target: string,
): { source: string; at: Location; written: string } | string {
  const file = sink.readFile?.(built.dockerfile) ?? null;
  if (file === null) return 'restage cannot read the Dockerfile that builds it';
  const parsed = parseDockerfile(file.display, file.text).dockerfile;
  const stage = built.target
    ? parsed.stages.find((s) => s.name === built.target!.toLowerCase())
    : parsed.stages[parsed.stages.length - 1];
  if (!stage) return `restage cannot find the stage ${file.display} builds`;
  let workdir: string | null = null;
  let found: { source: string; at: Location; written: string } | null = null;
  for (const inst of stage.instructions) {
    const words = inst.args.map((a) => a.raw);
    if (inst.keyword === 'WORKDIR') {
      const value = words.join(' ');
      workdir = /[$"'\\]/.test(value)
        ? null
        : value.startsWith('/')
          ? path.posix.normalize(value)
          : workdir === null
            ? null
            : path.posix.join(workdir, value);
    }
    if (inst.keyword !== 'COPY' || inst.flags.length > 0 || words.length !== 2) continue;
    if (words.some((w) => /[$"'\\*?[]/.test(w))) continue;
    const [src, dest] = words as [string, string];
    const base = dest.startsWith('/') ? dest : workdir === null ? null : path.posix.join(workdir, dest);
    if (base === null) continue;
    const lands = dest.endsWith('/') ? path.posix.join(base, path.posix.basename(src)) : path.posix.normalize(base);
    if (lands !== target) continue;
    const source = path.resolve(built.context, src);
    if (sink.readFile?.(source) == null) continue;
    found = {
      source,
      at: { file: file.display, line: inst.line, column: inst.column },
      written: file.text.slice(inst.start, inst.end).split('\n')[0]!.trim(),
    };
  }
  return found ?? `nothing in ${file.display} shows where that file comes from`;
}

/**
 * A host `tar -c` as the context: the directory its members come from, restricted to them (the
 * matcher declines a COPY source outside them, or one the directory's .dockerignore leaves out).
 * A string says why not.
 */
function hostTarContext(sink: FlowSink, dash: Word, dockerfile: string, stream: HostTarStream): StdinContext | string {
  const dirs = [...new Set(stream.members.map((m) => m.dir))];
  if (dirs.length !== 1) return 'its members come from several directories (`-C` changes between members)';
  const dir = dirs[0]!;
  const member = memberPath(dockerfile);
  if (member === null) return `the Dockerfile path \`${dockerfile}\` is not a path inside the stream`;
  const members: string[] = [];
  for (const m of stream.members) {
    const p = path.posix
      .normalize(m.operand)
      .replace(/^(\.\/)+/, '')
      .replace(/(.)\/+$/, '$1');
    if (p.startsWith('/') || p === '..' || p.startsWith('../'))
      return `the member \`${m.operand}\` is not a path below ${path.relative(sink.cwd, dir) || '.'}`;
    members.push(p);
  }
  if (!members.some((m) => isWithinMember(member, m)))
    return `the stream does not hold its Dockerfile \`${member}\`, so docker finds none and the build fails as written`;
  const rel = (p: string) => path.relative(sink.cwd, p) || '.';
  const where = `\`${stream.command}\` (${path.basename(stream.at.file)}:${stream.at.line})`;
  sink.report(
    diagnostic(
      'RS337',
      dash.at,
      `this \`docker build\` reads its context from the tar stream of ${where}: restage takes it as the directory ${rel(dir)} holding only ${members.join(', ')} (tar -c reads no .dockerignore, and docker applies none to a stream), and its Dockerfile as the tree file ${rel(path.join(dir, member))}`,
    ),
  );
  return { context: dir, dockerfile: path.join(dir, member), streamed: { at: dash.at, members } };
}

/**
 * Why a COPY source of a build reading a host tar stream does not migrate as the stream gave it, or
 * null: a source no copy out of a container's stream placed, or outside a host stream's members, fails the legacy build; a tree file the directory's
 * .dockerignore leaves out reached the legacy build, and a build of the directory loses it (a
 * directory source, whose files restage does not list, is declined when any pattern applies). `shown`: the
 * directory as messages show it.
 */
export function streamedSourceProblem(
  build: ImageBuild,
  hostPath: string,
  placed: boolean,
  fromTree: 'file' | 'dir' | null,
  rules: readonly DockerignoreRule[],
  shown: string,
): string | null {
  if (!build.streamed) return null;
  const members = build.streamed.members;
  if (!members)
    return placed
      ? null
      : 'is not in the tar stream the build reads as its context, so the legacy build fails on it as written';
  const rel = path.relative(build.context, hostPath) || '.';
  if (!members.some((m) => isWithinMember(rel, m)))
    return `is not in the stream the build reads (it holds only ${members.join(', ')}), so the legacy build fails on it as written`;
  if (fromTree === null || rules.length === 0) return null;
  if (fromTree === 'file' ? ignoredBy(rules, rel) : rules.some((r) => !r.exception))
    return `reached the legacy build in the tar stream (tar -c reads no .dockerignore), but ${shown}/.dockerignore leaves ${fromTree === 'file' ? 'it' : 'files of it, maybe,'} out of any build whose context is ${shown}, as the migrated build's may be, so the migration could lose ${fromTree === 'file' ? 'it' : 'them'}; drop the pattern from that .dockerignore, or migrate this build by hand`;
  return null;
}

/** Reports why a build whose context is `-` is not migrated (`why`: what kept restage from reading it). */
function declineStdinContext(
  call: CommandCall,
  sink: FlowSink,
  dash: Word,
  dockerfile: string,
  { stream, fetched, hostTar, inputFile }: StdinInput,
  why: string | null,
): void {
  const tag = call.args.find((_, i) => i > 0 && /^(-t|--tag)$/.test(call.args[i - 1]!.text))?.text ?? 'IMAGE';
  let saw: string;
  let fix: string;
  if (stream) {
    const members = stream.entries
      .slice(0, 3)
      .map((e) => e.containerPath.replace(/(.)\/\.$/, '$1'))
      .join(', ');
    saw = `its context is the tar stream of \`${stream.command}\` (${path.basename(stream.at.file)}:${stream.at.line}${members ? `, from ${members}${stream.entries.length > 3 ? ', …' : ''}` : ''})${why === null ? `, and the Dockerfile it builds is \`${dockerfile}\` inside that stream, a file of the builder image, not one restage reads in your tree` : ''}`;
    fix = `unpack the stream into a directory (\`| tar -x -C ctx\`) and build it with a Dockerfile of your tree (\`docker build -t ${tag} -f Dockerfile ctx\`)`;
  } else if (hostTar) {
    ({ saw, fix } = describeHostTar(hostTar, sink.cwd, dockerfile, tag));
  } else if (fetched) {
    saw = `its context is what \`${fetched.command}\` (${path.basename(fetched.at.file)}:${fetched.at.line}) fetches from outside the builder, whose content restage does not know`;
    fix = `build from a directory of your tree (\`docker build -t ${tag} -f Dockerfile DIR\`), fetching in the builder stage what the build needs`;
  } else if (inputFile !== null) {
    saw = `standard input is ${path.basename(inputFile)}, which no step of the script wrote as a tar stream: docker takes it as the Dockerfile itself (or a tar archive restage cannot list), with no build context, so the build can COPY nothing the script extracted`;
    fix = `build from a directory instead (\`docker build -t ${tag} -f ${path.basename(inputFile)} .\`)`;
  } else {
    saw = `${call.pipedIn ? 'the command before it in the pipe' : 'whatever runs the script'} feeds its standard input, which restage cannot read`;
    fix = `build from a directory of your tree (\`docker build -t ${tag} -f Dockerfile DIR\`)`;
  }
  sink.report(
    diagnostic(
      'RS336',
      dash.at,
      `this \`docker build\` reads its build context from standard input (\`-\`): ${saw}; ${why ?? 'restage merges Dockerfiles it reads in the tree'}. To migrate, ${fix}, and run restage again`,
    ),
  );
}
