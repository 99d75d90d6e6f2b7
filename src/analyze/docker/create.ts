/**
 * `docker create` / `docker container create`: a container of an image, named by `--name` or
 * referred to later by the id the script captured (`id=$(docker create IMG)`).
 * Its command arguments never matter: the container is only a source for `docker cp`.
 */
import { diagnostic } from '../../model/diagnostic.js';
import type { CommandAnalyzer, CommandCall, FlowSink } from '../command.js';
import { known } from '../shell/values.js';
import { lastValue, parseWords, spec, type ParsedWords } from './options.js';

export const verbs = [['create'], ['container', 'create']];

/** Options of `docker create` and `docker run` that take a value. */
export const CONTAINER_VALUED = ['name', 'e|env', 'env-file', 'v|volume', 'mount', 'w|workdir', 'u|user', 'entrypoint', 'network', 'net',
  'platform', 'l|label', 'p|publish', 'h|hostname', 'add-host', 'volumes-from', 'cpus', 'm|memory', 'restart', 'pull', 'log-driver',
  'log-opt', 'device', 'cap-add', 'cap-drop', 'security-opt', 'tmpfs', 'ulimit', 'expose', 'stop-signal', 'stop-timeout', 'dns',
  'ipc', 'pid', 'uts', 'userns', 'cgroupns', 'shm-size', 'gpus', 'runtime', 'a|attach', 'cidfile', 'label-file', 'health-cmd',
  'health-interval', 'health-retries', 'health-timeout', 'health-start-period', 'network-alias', 'ip', 'ip6', 'mac-address',
  'c|cpu-shares', 'cpuset-cpus', 'memory-swap', 'memory-reservation', 'oom-score-adj', 'storage-opt', 'sysctl', 'isolation', 'link', 'group-add', 'detach-keys'];
export const CONTAINER_FLAGS = ['rm', 'd|detach', 'i|interactive', 't|tty', 'init', 'privileged', 'P|publish-all', 'read-only',
  'q|quiet', 'no-healthcheck', 'oom-kill-disable', 'sig-proxy', 'disable-content-trust', 'use-api-socket'];
export const CONTAINER = spec(CONTAINER_VALUED, CONTAINER_FLAGS);

/** Records the container a create/run command makes and returns the handle the script sees. */
export function recordContainer(call: CommandCall, sink: FlowSink, parsed: ParsedWords): string | undefined {
  const imageWord = parsed.positionals[0];
  if (!imageWord) {
    sink.report(diagnostic('RS306', call.at, `\`${call.name.text} ${call.args[0]?.text ?? ''}\` without an image: restage ignored this command`));
    return undefined;
  }
  const image = sink.require(imageWord, 'image');
  const nameWord = lastValue(parsed, 'name');
  const name = nameWord ? sink.require(nameWord, 'container name') : null;
  if (image === null || (nameWord && name === null)) return undefined;
  const handle = name ?? sink.newContainerHandle();
  sink.emit({ kind: 'create', at: call.at, handle, image });
  return handle;
}

export const analyze: CommandAnalyzer = (call, sink) => {
  const handle = recordContainer(call, sink, parseWords(call.args, CONTAINER));
  return handle === undefined ? undefined : known(handle);
};
