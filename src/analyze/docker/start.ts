/**
 * `docker start` / `docker restart` (and their `container` forms): a created container runs its
 * command, which may write the files a later `docker cp` reads, so the container is recorded as
 * started. Starting a container the script did not create changes nothing restage follows.
 */
import type { CommandAnalyzer } from '../command.js';
import { hasFlag, parseWords, spec } from '../../shared/docker-options.js';

export const verbs = [['start'], ['container', 'start'], ['restart'], ['container', 'restart']];

export const START = spec(
  ['detach-keys', 'checkpoint', 'checkpoint-dir', 's|signal', 't|time', 'timeout'],
  ['a|attach', 'i|interactive'],
);

export const analyze: CommandAnalyzer = (call, sink) => {
  const parsed = parseWords(call.args, START);
  // `restart` stops the command first: never attached; `start -a` waits for the command to end.
  const attached = call.verb?.[call.verb.length - 1] === 'start' && hasFlag(parsed, 'attach');
  for (const w of parsed.positionals) {
    if (w.unresolved !== null) continue;
    if (sink.startContainer(w.text, { at: call.at, how: 'start', command: null, attached }))
      sink.emit({ kind: 'container', at: call.at, container: w.text, verb: 'start', attached, exec: null });
  }
  return undefined;
};
