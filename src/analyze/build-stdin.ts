/**
 * `docker build -`: the build reads its context from standard input. Docker facts
 * (test/e2e/routes-stdout.test.ts shows the first on a real engine): a tar stream on standard
 * input is the whole context, and the Dockerfile is `Dockerfile` at its root or `-f PATH` of it;
 * anything else on standard input is taken as the Dockerfile itself, with no context at all, so
 * no COPY or ADD of a local file can work.
 *
 * restage merges Dockerfiles it reads in the tree, and a streamed context carries its Dockerfile
 * inside the stream: restage declines on the `-` with what it saw (RS336), and says how to write
 * the build so that it reads the tree.
 */
import path from 'node:path';
import { diagnostic } from '../model/diagnostic.js';
import { isFetched, type CommandCall, type FetchedStream, type FlowSink, type TarStream } from './command.js';
import type { Word } from './shell/values.js';

/** Reports why a build whose context is `-` is not migrated; consumes the tar stream it reads, if any. */
export function declineStdinContext(call: CommandCall, sink: FlowSink, dash: Word, fileWord: Word | null): void {
  const input = call.redirects.find((r) => r.operator === '<' && r.target);
  let stream: TarStream | null = null;
  let fetched: FetchedStream | null = null;
  let inputFile: string | null = null;
  if (input) {
    inputFile = path.resolve(sink.cwd, input.target!.text.replace(/^"(.*)"$|^'(.*)'$/, '$1$2'));
    stream = sink.streams?.fromFile(inputFile) ?? null;
  } else if (call.pipedIn) {
    const piped = sink.streams?.fromPipe() ?? null;
    if (piped && isFetched(piped)) fetched = piped;
    else stream = piped;
  }
  const dockerfile = fileWord ? fileWord.text : 'Dockerfile';
  const tag = call.args.find((_, i) => i > 0 && /^(-t|--tag)$/.test(call.args[i - 1]!.text))?.text ?? 'IMAGE';
  let saw: string;
  let fix: string;
  if (stream) {
    const members = stream.entries
      .slice(0, 3)
      .map((e) => e.containerPath.replace(/(.)\/\.$/, '$1'))
      .join(', ');
    saw = `its context is the tar stream of \`${stream.command}\` (${path.basename(stream.at.file)}:${stream.at.line}${members ? `, from ${members}${stream.entries.length > 3 ? ', …' : ''}` : ''}), and the Dockerfile it builds is \`${dockerfile}\` inside that stream, a file of the builder image, not one restage reads in your tree`;
    fix = `unpack the stream into a directory (\`| tar -x -C ctx\`) and build it with a Dockerfile of your tree (\`docker build -t ${tag} -f Dockerfile ctx\`)`;
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
      `this \`docker build\` reads its build context from standard input (\`-\`): ${saw}; restage merges Dockerfiles it reads in the tree. To migrate, ${fix}, and run restage again`,
    ),
  );
}
