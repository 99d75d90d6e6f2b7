/**
 * `docker create` / `docker container create`: a container of an image, named by `--name` or
 * referred to later by the id the script captured (`id=$(docker create IMG)`). Its command is
 * recorded: it does not run until the container is started (`docker start`), and then it may
 * write the files a later `docker cp` reads.
 */
import { diagnostic } from '../../model/diagnostic.js';
import type { ContainerStart, RunSpec } from '../../model/flow.js';
import type { CommandAnalyzer, CommandCall, FlowSink } from '../command.js';
import { known, type Word } from '../shell/values.js';
import { runSpec } from '../run-spec.js';
import {
  lastValue,
  parseWords,
  spec,
  type OptionSpec,
  type OptionWord,
  type ParsedWords,
} from '../../shared/docker-options.js';

export const verbs = [['create'], ['container', 'create']];

/** Options of `docker create` and `docker run` that take a value. */
export const CONTAINER_VALUED = [
  'name',
  'e|env',
  'env-file',
  'v|volume',
  'mount',
  'w|workdir',
  'u|user',
  'entrypoint',
  'network',
  'net',
  'platform',
  'l|label',
  'p|publish',
  'h|hostname',
  'add-host',
  'volumes-from',
  'cpus',
  'm|memory',
  'restart',
  'pull',
  'log-driver',
  'log-opt',
  'device',
  'cap-add',
  'cap-drop',
  'security-opt',
  'tmpfs',
  'ulimit',
  'expose',
  'stop-signal',
  'stop-timeout',
  'dns',
  'ipc',
  'pid',
  'uts',
  'userns',
  'cgroupns',
  'shm-size',
  'gpus',
  'runtime',
  'a|attach',
  'cidfile',
  'label-file',
  'health-cmd',
  'health-interval',
  'health-retries',
  'health-timeout',
  'health-start-period',
  'network-alias',
  'ip',
  'ip6',
  'mac-address',
  'c|cpu-shares',
  'cpuset-cpus',
  'memory-swap',
  'memory-reservation',
  'oom-score-adj',
  'storage-opt',
  'sysctl',
  'isolation',
  'link',
  'group-add',
  'detach-keys',
];
export const CONTAINER_FLAGS = [
  'rm',
  'd|detach',
  'i|interactive',
  't|tty',
  'init',
  'privileged',
  'P|publish-all',
  'read-only',
  'q|quiet',
  'no-healthcheck',
  'oom-kill-disable',
  'sig-proxy',
  'disable-content-trust',
  'use-api-socket',
];
export const CONTAINER = spec(CONTAINER_VALUED, CONTAINER_FLAGS);

/**
 * `docker create`/`docker run` options end at the image: every word after it is the container's
 * command, even one that starts with `-` (`docker run img sh -c 'make'`).
 */
export function parseContainerWords<W extends OptionWord>(
  words: readonly W[],
  options: OptionSpec = CONTAINER,
): { parsed: ParsedWords<W>; command: readonly W[] } {
  const image = parseWords(words, options).positionals[0];
  const at = image ? words.indexOf(image) : -1;
  if (at < 0) return { parsed: parseWords(words, options), command: [] };
  return { parsed: parseWords(words.slice(0, at + 1), options), command: words.slice(at + 1) };
}

/** The command a container runs, as written: `--entrypoint` and the words after the image; null for the image's own. */
export function commandOf(parsed: ParsedWords<Word>, command: readonly Word[]): string | null {
  const entrypoint = lastValue(parsed, 'entrypoint');
  const words = [...(entrypoint ? [entrypoint.written] : []), ...command.map((w) => w.written)];
  return words.length > 0 ? words.join(' ') : null;
}

/** Records the container a create/run command makes and returns the handle the script sees; `started` for `docker run`. */
export function recordContainer(
  call: CommandCall,
  sink: FlowSink,
  parsed: ParsedWords<Word>,
  command: string | null,
  started: Omit<ContainerStart, 'command'> | null,
  run?: RunSpec,
): string | undefined {
  const imageWord = parsed.positionals[0];
  if (!imageWord) {
    sink.report(
      diagnostic(
        'RS306',
        call.at,
        `\`${call.name.text} ${call.args[0]?.text ?? ''}\` without an image: restage ignored this command`,
      ),
    );
    return undefined;
  }
  const image = sink.require(imageWord, 'image');
  const nameWord = lastValue(parsed, 'name');
  const name = nameWord ? sink.require(nameWord, 'container name') : null;
  if (image === null || (nameWord && name === null)) return undefined;
  const handle = name ?? sink.newContainerHandle();
  sink.emit({
    kind: 'create',
    at: call.at,
    handle,
    image,
    command,
    ...(run ? { run } : {}),
    started: started && { ...started, command },
  });
  return handle;
}

export const analyze: CommandAnalyzer = (call, sink) => {
  const { parsed, command } = parseContainerWords(call.args);
  const handle = recordContainer(
    call,
    sink,
    parsed,
    commandOf(parsed, command),
    null,
    runSpec(call.at, parsed, command, sink.cwd),
  );
  return handle === undefined ? undefined : known(handle);
};
