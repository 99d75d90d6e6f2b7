/**
 * `docker stop`/`kill` (and their `container` forms): ends the containers' commands, wherever they
 * are. After a command that ended by itself (a foreground run, `start -a`, `docker wait`) it
 * changes nothing; a command still running is cut off at a moment restage cannot know.
 */
import type { CommandAnalyzer } from '../command.js';
import { parseWords, spec } from '../../shared/docker-options.js';

export const verbs = [['stop'], ['kill'], ['container', 'stop'], ['container', 'kill']];

export const STOP = spec(['s|signal', 't|time', 'timeout'], []);

export const analyze: CommandAnalyzer = (call, sink) => {
  for (const w of parseWords(call.args, STOP).positionals) {
    if (w.unresolved === null)
      sink.emit({ kind: 'container', at: call.at, container: w.text, verb: 'stop', attached: true, exec: null });
  }
  return undefined;
};
