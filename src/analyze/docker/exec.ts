/**
 * `docker exec` / `docker container exec`: runs a command in a container, which may write the
 * files a later `docker cp` reads; the container is recorded as started with that command.
 * Options end at the container name: the words after it are the command.
 */
import type { CommandAnalyzer } from '../command.js';
import { parseWords, spec } from '../../shared/docker-options.js';

export const verbs = [['exec'], ['container', 'exec']];

export const EXEC = spec(
  ['detach-keys', 'e|env', 'env-file', 'u|user', 'w|workdir'],
  ['d|detach', 'i|interactive', 't|tty', 'privileged'],
);

export const analyze: CommandAnalyzer = (call, sink) => {
  const container = parseWords(call.args, EXEC).positionals[0];
  if (!container || container.unresolved !== null) return undefined;
  const command = call.args
    .slice(call.args.indexOf(container) + 1)
    .map((w) => w.written)
    .join(' ');
  sink.startContainer(container.text, { at: call.at, how: 'exec', command: command || null });
  return undefined;
};
