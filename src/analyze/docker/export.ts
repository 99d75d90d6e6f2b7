/**
 * `docker export [-o FILE] CONTAINER` / `docker container export`: the container's whole file
 * system as a tar stream (src/analyze/export-stream.ts), into a pipe or a host file (`> FILE`,
 * `-o FILE`), for the `tar -x` that unpacks it (src/analyze/tar-stream.ts tarExtract). Any other
 * destination of the stream is declined (RS347). Where no script runs (verify reading its trace:
 * no `streams`), nothing is recorded.
 */
import { diagnostic } from '../../model/diagnostic.js';
import type { CommandAnalyzer, TarStream } from '../command.js';
import { WHOLE_FILE_SYSTEM } from '../export-stream.js';
import { redirectTarget, STDOUT_TO_FILE } from '../run-stdout.js';
import { archiveInto } from '../tar-stream.js';
import { lastValue, parseWords, spec } from '../../shared/docker-options.js';

export const verbs = [['export'], ['container', 'export']];

export const EXPORT = spec(['o|output'], []);

export const analyze: CommandAnalyzer = (call, sink) => {
  if (!sink.streams) return undefined;
  const parsed = parseWords(call.args, EXPORT);
  const command = ['docker', ...(call.verb ?? ['export']), ...call.args.map((w) => w.written)].join(' ');
  const decline = (at: typeof call.at, why: string) => {
    sink.report(
      diagnostic(
        'RS347',
        at,
        `\`${command}\` streams the whole file system of a container as a tar archive, and ${why}; restage migrates \`docker export CONTAINER | tar -x [-C DIR] MEMBER…\` (or \`docker export CONTAINER > FILE.tar\` / \`-o FILE.tar\`, then \`tar -xf FILE.tar …\`): write it so, or copy out with \`docker cp CONTAINER:PATH HOSTPATH\``,
      ),
    );
    return undefined;
  };
  if (parsed.unknown.length > 0)
    return decline(parsed.unknown[0]!.at, `\`${parsed.unknown[0]!.written}\` is an option restage does not model`);
  if (parsed.positionals.length !== 1) return decline(call.at, 'it names no single container');
  const container = sink.require(parsed.positionals[0]!, 'container docker export reads');
  if (container === null) return undefined;
  const stream: TarStream = {
    at: call.at,
    container,
    entries: [WHOLE_FILE_SYSTEM],
    gzip: false,
    removeAfter: false,
    command,
    reader: null,
    exported: true,
  };
  const output = lastValue(parsed, 'output');
  const toFile = call.redirects.find((r) => STDOUT_TO_FILE.test(r.operator) && r.target);
  if (output) {
    const hostPath = sink.hostPath(output, 'file docker export writes');
    if (hostPath !== null) archiveInto(sink, hostPath, stream);
    return undefined;
  }
  if (call.pipedOut && !call.captured) {
    sink.streams.toPipe(stream);
    return undefined;
  }
  if (toFile && toFile.operator === '>' && toFile.target!.text !== '/dev/null') {
    const hostPath = redirectTarget({ ...toFile.target!, at: { ...toFile.target!.at, file: call.at.file } }, sink);
    if (hostPath !== null) archiveInto(sink, hostPath, stream);
    return undefined;
  }
  return decline(
    call.at,
    `it goes to ${call.captured ? 'a command substitution' : toFile ? `\`${toFile.operator} ${toFile.target!.text}\`` : 'the script\u2019s output'}, where no \`tar -x\` restage reads unpacks it`,
  );
};
