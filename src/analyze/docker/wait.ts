/**
 * `docker wait` / `docker container wait`: blocks until the containers' commands ended, so what a
 * detached command wrote is complete afterwards.
 */
import type { CommandAnalyzer } from '../command.js';
import { parseWords, spec } from '../../shared/docker-options.js';

export const verbs = [['wait'], ['container', 'wait']];

export const WAIT = spec(['condition', 'i|interval'], []);

export const analyze: CommandAnalyzer = (call, sink) => {
  for (const w of parseWords(call.args, WAIT).positionals) {
    if (w.unresolved === null)
      sink.emit({ kind: 'container', at: call.at, container: w.text, verb: 'wait', attached: true, exec: null });
  }
  return undefined;
};
