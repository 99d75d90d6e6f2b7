/**
 * `docker exec` / `docker container exec`: runs a command in a container, which may write the
 * files a later `docker cp` reads; the container is recorded as started with that command.
 * Options end at the container name: the words after it are the command. Its output redirected
 * into a host file is a copy out of that output (src/analyze/stdout-command.ts).
 */
import type { CommandAnalyzer } from '../command.js';
import { hasFlag, parseWords, spec } from '../../shared/docker-options.js';
import { runSpec } from '../run-spec.js';
import { STDOUT_TO_FILE } from '../run-stdout.js';
import { commandToFile } from '../stdout-command.js';

export const verbs = [['exec'], ['container', 'exec']];

export const EXEC = spec(
  ['detach-keys', 'e|env', 'env-file', 'u|user', 'w|workdir'],
  ['d|detach', 'i|interactive', 't|tty', 'privileged'],
);

export const analyze: CommandAnalyzer = (call, sink) => {
  const container = parseWords(call.args, EXEC).positionals[0];
  if (!container || container.unresolved !== null) return undefined;
  const at = call.args.indexOf(container);
  const words = call.args.slice(at + 1);
  const parsed = parseWords(call.args.slice(0, at + 1), EXEC);
  const command = words.map((w) => w.written).join(' ');
  const attached = !hasFlag(parsed, 'detach');
  const started = sink.startContainer(container.text, { at: call.at, how: 'exec', command: command || null, attached });
  if (started)
    sink.emit({
      kind: 'container',
      at: call.at,
      container: container.text,
      verb: 'exec',
      attached,
      exec: runSpec(call.at, parsed, words, sink.cwd, { mounts: false }),
    });
  const toFile = call.redirects.find(
    (r) => STDOUT_TO_FILE.test(r.operator) && r.target && r.target.text !== '/dev/null',
  );
  if (started && toFile && !call.pipedOut && !call.captured)
    commandToFile(call, sink, parsed, words, toFile, { container: container.text });
  return undefined;
};
