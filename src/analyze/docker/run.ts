/**
 * `docker run` / `docker container run`. A named run leaves a container `docker cp` can read,
 * but unlike `docker create` its command has run (in the foreground, or still running with
 * `-d`), and may have written the files a later `docker cp` reads: the container is recorded as
 * started, with its command and options as a RunSpec (src/analyze/run-spec.ts).
 *
 * A run with a writable bind mount (`-v "$PWD/out:/out"`, `--mount type=bind,…`) leaves what its
 * command wrote below the mount point in the host directory: a copy out `via: 'bind'` of the
 * mount point's content into that directory, as if `docker cp c:/out/. ./out` had run after it.
 *
 * A run whose standard output is an extraction is analysed elsewhere: one file read by `cat`
 * (src/analyze/run-stdout.ts), a `tar -c` stream (src/analyze/tar-stream.ts), any other command's
 * output into a file (src/analyze/stdout-command.ts). A pipe into another command is an
 * extraction form restage does not migrate yet, and says so (RS307) rather than guess.
 */
import { diagnostic } from '../../model/diagnostic.js';
import type { CommandAnalyzer } from '../command.js';
import { known } from '../shell/values.js';
import { commandOf, parseContainerWords, recordContainer } from './create.js';
import { runSpec } from '../run-spec.js';
import { allValues, hasFlag, lastValue } from '../../shared/docker-options.js';
import { extractThroughStdout, singleFileReader, STDOUT_TO_FILE } from '../run-stdout.js';
import { tarStreamOut } from '../tar-stream.js';
import { commandToFile } from '../stdout-command.js';

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
  if (toFile && !call.pipedOut && !call.captured) {
    commandToFile(call, sink, parsed, command, toFile, null);
    return undefined;
  }
  if (toFile || (call.pipedOut && !call.captured)) {
    const how = toFile
      ? `its output redirected to \`${toFile.target!.text}\``
      : 'its output piped into another command';
    sink.report(
      diagnostic(
        'RS307',
        call.at,
        `this \`docker run\` writes artifacts to the host through ${how}; that extraction form is not supported yet — restage migrates \`docker create\` + \`docker cp\`, a bind-mounted output directory, \`docker run IMG cat PATH > FILE\` and a \`tar -c\` stream unpacked by \`tar -x\`. Rewrite the extraction as create/cp/rm (or into a bind-mounted directory), or migrate this step by hand with \`COPY --from=<stage>\``,
      ),
    );
    return undefined;
  }
  // A detached run leaves a container whatever the script does with the id it prints (the legacy
  // run's trace, which cannot tell whether the id was captured, reads it the same way).
  if (lastValue(parsed, 'name') || call.captured || binds.length > 0 || hasFlag(parsed, 'detach')) {
    const spec = runSpec(call.at, parsed, command, sink.cwd);
    const handle = recordContainer(
      call,
      sink,
      parsed,
      commandOf(parsed, command),
      { at: call.at, how: 'run', attached: !hasFlag(parsed, 'detach') },
      spec,
    );
    if (handle === undefined) return undefined;
    // What the command wrote under a writable bind mount is in the host directory once it ended.
    for (const m of spec.mounts) {
      if (m.kind !== 'bind' || m.readOnly) continue;
      sink.emit({
        kind: 'copy-out',
        at: m.at,
        container: handle,
        containerPath: m.target === '/' ? '/.' : `${m.target}/.`,
        hostPath: m.source,
        followLink: false,
        via: 'bind',
        reader: null,
      });
    }
    if (hasFlag(parsed, 'rm')) sink.emit({ kind: 'remove', at: call.at, containers: [handle] });
    return known(handle);
  }
  return undefined;
};
