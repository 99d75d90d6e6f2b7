/** `docker rm` / `docker container rm`: the extraction container goes away. */
import type { CommandAnalyzer } from '../command.js';
import { parseWords, spec } from '../../shared/docker-options.js';

export const verbs = [['rm'], ['container', 'rm'], ['container', 'remove']];

export const RM = spec([], ['f|force', 'v|volumes', 'l|link']);

export const analyze: CommandAnalyzer = (call, sink) => {
  const parsed = parseWords(call.args, RM);
  const containers = parsed.positionals.filter((w) => w.unresolved === null).map((w) => w.text);
  if (containers.length > 0) sink.emit({ kind: 'remove', at: call.at, containers });
  return undefined;
};
