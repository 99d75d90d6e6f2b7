/**
 * `docker start` / `docker restart` (and their `container` forms): a created container runs its
 * command, which may write the files a later `docker cp` reads, so the container is recorded as
 * started. Starting a container the script did not create changes nothing restage follows.
 */
import type { CommandAnalyzer } from '../command.js';
import { parseWords, spec } from '../../shared/docker-options.js';

export const verbs = [['start'], ['container', 'start'], ['restart'], ['container', 'restart']];

export const START = spec(
  ['detach-keys', 'checkpoint', 'checkpoint-dir', 's|signal', 't|time', 'timeout'],
  ['a|attach', 'i|interactive'],
);

export const analyze: CommandAnalyzer = (call, sink) => {
  for (const w of parseWords(call.args, START).positionals) {
    if (w.unresolved === null) sink.startContainer(w.text, { at: call.at, how: 'start', command: null });
  }
  return undefined;
};
