/**
 * `docker build -`: the build reads its context from standard input. Docker facts
 * (test/e2e/routes-stdout.test.ts shows the first on a real engine): a tar stream on standard
 * input is the whole context, and the Dockerfile is `Dockerfile` at its root or `-f PATH` of it;
 * anything else on standard input is taken as the Dockerfile itself, with no context at all, so
 * no COPY or ADD of a local file can work.
 *
 * restage merges Dockerfiles it reads in the tree, and a streamed context carries its Dockerfile
 * inside the stream: restage declines on the `-` with what it saw (RS336), and says how to write
 * the build so that it reads the tree. A `tar -c` run on the host into the pipe
 * (`tar -C build -c Dockerfile app | docker build -t app -`) is read for that message: its members,
 * the directory they come from, whether the Dockerfile is among them; its context holds only those
 * members, and no `.dockerignore` of that directory applies to it (tar -c does not read one).
 */
import path from 'node:path';
import { diagnostic } from '../model/diagnostic.js';
import {
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
): { saw: string; why: string; fix: string } {
  const rel = (p: string) => path.relative(cwd, p) || '.';
  const where = `\`${stream.command}\` (${path.basename(stream.at.file)}:${stream.at.line})`;
  const dirs = [...new Set(stream.members.map((m) => m.dir))];
  const dir = dirs.length === 1 ? dirs[0]! : null;
  const fix = `build from the directory the members come from (\`docker build -t ${tag} -f ${dir ? rel(path.join(dir, dockerfile)) : 'DIR/Dockerfile'} ${dir ? rel(dir) : 'DIR'}\`, with a .dockerignore there that leaves out what the stream does not hold)`;
  const why = 'restage does not yet map a streamed context onto a directory of the tree';
  if (stream.refused !== null)
    return {
      saw: `its context is the tar stream of ${where}, whose members restage cannot know: ${stream.refused}`,
      why,
      fix,
    };
  const members = stream.members
    .map((m) => (dir === null ? rel(path.resolve(m.dir, m.operand)) : m.operand))
    .join(', ');
  const held = dir !== null && stream.members.some((m) => isWithinMember(dockerfile, m.operand));
  const from = dir === null ? 'several directories (`-C` changes between members)' : rel(dir);
  return {
    saw: `its context is the tar stream of ${where}: only the members ${members} of ${from} (a .dockerignore there does not apply: tar -c does not read it), and the Dockerfile docker reads is \`${dockerfile}\` of that stream, ${held ? `the tree file ${rel(path.join(dir, dockerfile))} as the stream copies it` : 'which the stream does not hold, so docker fails'}`,
    why,
    fix,
  };
}

/** Whether the stream member `operand` (a path or directory relative to its `-C`) holds `file`. */
function isWithinMember(file: string, operand: string): boolean {
  const m = path.posix.normalize(operand).replace(/\/+$/, '');
  const f = path.posix.normalize(file);
  return m === '.' || f === m || f.startsWith(`${m}/`);
}

/** Reports why a build whose context is `-` is not migrated; consumes the tar stream it reads, if any. */
export function declineStdinContext(call: CommandCall, sink: FlowSink, dash: Word, fileWord: Word | null): void {
  const input = call.redirects.find((r) => r.operator === '<' && r.target);
  let stream: TarStream | null = null;
  let fetched: FetchedStream | null = null;
  let hostTar: HostTarStream | null = null;
  let inputFile: string | null = null;
  if (input) {
    inputFile = path.resolve(sink.cwd, input.target!.text.replace(/^"(.*)"$|^'(.*)'$/, '$1$2'));
    stream = sink.streams?.fromFile(inputFile) ?? null;
  } else if (call.pipedIn) {
    const piped = sink.streams?.fromPipe() ?? null;
    if (piped && isFetched(piped)) fetched = piped;
    else if (piped && isHostTar(piped)) hostTar = piped;
    else stream = piped;
  }
  const dockerfile = fileWord ? fileWord.text : 'Dockerfile';
  const tag = call.args.find((_, i) => i > 0 && /^(-t|--tag)$/.test(call.args[i - 1]!.text))?.text ?? 'IMAGE';
  let saw: string;
  let fix: string;
  let why = 'restage merges Dockerfiles it reads in the tree';
  if (stream) {
    const members = stream.entries
      .slice(0, 3)
      .map((e) => e.containerPath.replace(/(.)\/\.$/, '$1'))
      .join(', ');
    saw = `its context is the tar stream of \`${stream.command}\` (${path.basename(stream.at.file)}:${stream.at.line}${members ? `, from ${members}${stream.entries.length > 3 ? ', …' : ''}` : ''}), and the Dockerfile it builds is \`${dockerfile}\` inside that stream, a file of the builder image, not one restage reads in your tree`;
    fix = `unpack the stream into a directory (\`| tar -x -C ctx\`) and build it with a Dockerfile of your tree (\`docker build -t ${tag} -f Dockerfile ctx\`)`;
  } else if (hostTar) {
    ({ saw, why, fix } = describeHostTar(hostTar, sink.cwd, dockerfile, tag));
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
      `this \`docker build\` reads its build context from standard input (\`-\`): ${saw}; ${why}. To migrate, ${fix}, and run restage again`,
    ),
  );
}
