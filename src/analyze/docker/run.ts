/**
 * `docker run` / `docker container run`. A named run leaves a container `docker cp` can read,
 * but unlike `docker create` its command has run (in the foreground, or still running with
 * `-d`), and may have written the files a later `docker cp` reads: the container is recorded as
 * started.
 *
 * A run whose standard output is an extraction is analysed elsewhere: one file read by `cat`
 * (src/analyze/run-stdout.ts), a `tar -c` stream (src/analyze/tar-stream.ts). Any other way a run
 * writes to the host — a bind mount (`-v "$PWD":/out`), another command's output (several files),
 * a pipe into another command — is an extraction form restage does not migrate yet, and says so
 * (RS307) rather than guess.
 */
import { diagnostic } from '../../model/diagnostic.js';
import type { CommandAnalyzer } from '../command.js';
import { known } from '../shell/values.js';
import { commandOf, parseContainerWords, recordContainer } from './create.js';
import { allValues, lastValue } from '../../shared/docker-options.js';
import { extractThroughStdout, singleFileReader, STDOUT_TO_FILE } from '../run-stdout.js';
import { tarStreamOut } from '../tar-stream.js';

export const verbs = [['run'], ['container', 'run']];

export const analyze: CommandAnalyzer = (call, sink) => {
  const { parsed, command } = parseContainerWords(call.args);
  const binds = [...allValues(parsed, 'volume'), ...allValues(parsed, 'mount')].filter(
    (w) => /^[./$~]|type=bind|source=|src=/.test(w.text) || w.text.includes(':/'),
  );
  const toFile = call.redirects.find(
    (r) => STDOUT_TO_FILE.test(r.operator) && r.target && r.target.text !== '/dev/null',
  );
  if (binds.length === 0 && tarStreamOut(call, sink, parsed, command, toFile)) return undefined;
  const reader = toFile && !toFile.operator.startsWith('&') ? singleFileReader(parsed, command) : null;
  if (binds.length === 0 && toFile && reader && !call.pipedOut && !call.captured)
    return extractThroughStdout(call, sink, parsed, command, reader, toFile);
  if (binds.length > 0 || toFile || (call.pipedOut && !call.captured)) {
    const how =
      binds.length > 0
        ? `a bind mount (\`${binds[0]!.written}\`)`
        : toFile
          ? `its output redirected to \`${toFile.target!.text}\``
          : 'its output piped into another command';
    sink.report(
      diagnostic(
        'RS307',
        call.at,
        `this \`docker run\` writes artifacts to the host through ${how}; that extraction form is not supported yet — restage migrates \`docker create\` + \`docker cp\`. Rewrite the extraction as create/cp/rm, or migrate this step by hand with \`COPY --from=<stage>\``,
      ),
    );
    return undefined;
  }
  if (lastValue(parsed, 'name') || call.captured) {
    const handle = recordContainer(call, sink, parsed, commandOf(parsed, command), { at: call.at, how: 'run' });
    return handle === undefined ? undefined : known(handle);
  }
  return undefined;
};
