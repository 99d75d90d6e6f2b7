/**
 * `create` and `run`: the image is the run's own tag or the image-mapped one, `--name` gets the
 * run's prefix, every container the run's label (cleanup removes by label: a `run -d` container
 * outlives the sandbox), a network when none is named, and bind mounts the scratch copy's path.
 * What reaches past the container onto the host is refused: `--privileged`, the host's network,
 * PID, IPC, UTS or user namespace (or another container's that the run did not create), and
 * `--cap-add ALL`/`SYS_ADMIN`.
 */
import { CONTAINER_FLAGS, CONTAINER_VALUED, parseContainerWords } from '../../../analyze/docker/create.js';
import { allValues, hasFlag, lastValue, spec } from '../../../shared/docker-options.js';
import type { Arg, Call, Option } from './call.js';
import { mountOption, volumeOption, volumesFromOption } from './mounts.js';
import type { ShimDecision } from './types.js';

/** Options of docker's and podman's create/run beyond the ones the analysis knows: known, so a value is never taken for the image. */
const MORE_VALUED = [
  'annotation',
  'blkio-weight',
  'blkio-weight-device',
  'cgroup-parent',
  'cgroup-conf',
  'cgroups',
  'chrootdirs',
  'cpu-period',
  'cpu-quota',
  'cpu-rt-period',
  'cpu-rt-runtime',
  'device-cgroup-rule',
  'device-read-bps',
  'device-read-iops',
  'device-write-bps',
  'device-write-iops',
  'dns-option',
  'dns-search',
  'domainname',
  'gidmap',
  'uidmap',
  'kernel-memory',
  'link-local-ip',
  'memory-swappiness',
  'pids-limit',
  'pod',
  'secret',
  'arch',
  'os',
  'variant',
  'authfile',
  'creds',
  'cert-dir',
  'decryption-key',
  'pidfile',
  'conmon-pidfile',
  'init-path',
  'seccomp-policy',
  'sdnotify',
  'systemd',
  'timezone',
  'umask',
  'requires',
  'subuidname',
  'subgidname',
  'hostuser',
  'passwd-entry',
  'personality',
  'image-volume',
  'volume-driver',
  'health-start-interval',
  'health-on-failure',
  'log-opt',
  'preserve-fd',
];
const MORE_FLAGS = [
  'replace',
  'rootfs',
  'read-only-tmpfs',
  'no-hosts',
  'http-proxy',
  'env-host',
  'tls-verify',
  'preserve-fds',
  'passwd',
];
const SPEC = spec([...CONTAINER_VALUED, ...MORE_VALUED], [...CONTAINER_FLAGS, ...MORE_FLAGS]);

/** Namespace options whose `host` value or `container:<other>` value reaches past the run's containers. */
const NAMESPACES = ['network', 'net', 'pid', 'ipc', 'uts', 'userns', 'cgroupns'];

export function rewriteContainer(call: Call, verb: 'create' | 'run'): ShimDecision {
  const { parsed } = parseContainerWords(call.args, SPEC);
  refuseUnknown(call, parsed.unknown);
  if (hasFlag(parsed, 'privileged'))
    call.refuse(
      'with --privileged',
      'a privileged container reaches the whole host, outside the scratch copy',
      'Remove --privileged from the command, or leave this build out of `restage verify`',
    );
  for (const cap of [...allValues(parsed, 'cap-add')].flatMap((w) => w.text.split(',')))
    if (/^(cap_)?(all|sys_admin)$/i.test(cap))
      call.refuse(
        `with --cap-add ${cap}`,
        'that capability reaches past the container onto the host',
        'Add only the capabilities the build needs, or leave this build out of `restage verify`',
      );
  for (const option of parsed.options) {
    if (NAMESPACES.includes(option.name)) namespace(call, option);
    else if (option.name === 'volume') volumeOption(call, option);
    else if (option.name === 'mount') mountOption(call, option);
    else if (option.name === 'volumes-from') volumesFromOption(call, option);
    else if (option.name === 'name' && option.value) call.setValue(option, call.newContainer(option.value.text));
    else if (option.name === 'link' && option.value) link(call, option);
  }
  const image = parsed.positionals[0];
  if (image) call.set(image, call.image(image.text));
  call.add(call.labelOption);
  if (call.ctx.network !== null && !lastValue(parsed, 'network') && !lastValue(parsed, 'net'))
    call.add(`--network=${call.ctx.network}`);
  return call.run(verb === 'create' || hasFlag(parsed, 'detach') ? 'id' : null);
}

/**
 * An option the parser does not know would be taken for a flag, and its value for the image (and
 * every option after it for the command): refused unless written `--option=value`, which is one word.
 */
export function refuseUnknown(call: Call, unknown: readonly Arg[]): void {
  const bad = unknown.find((w) => !/^--[^=]+=/.test(w.text));
  if (bad)
    call.refuse(
      `with the option \`${bad.text}\``,
      'restage does not know that option, so it cannot tell whether the next word is its value',
      `Write it as \`${bad.text.startsWith('--') ? bad.text : '--<name>'}=VALUE\` if it takes a value, or report the option to restage`,
    );
}

function namespace(call: Call, option: Option): void {
  const text = option.value?.text;
  if (text === undefined) return;
  if (text === 'host')
    call.refuse(
      `with --${option.name} host`,
      `the host's ${option.name === 'net' ? 'network' : option.name} namespace reaches past the container onto the host`,
      `Remove --${option.name} host from the command, or leave this build out of \`restage verify\``,
    );
  if (!text.startsWith('container:')) return;
  const name = text.slice('container:'.length);
  const own = call.container(name);
  if (own === null)
    call.refuse(
      `with --${option.name} ${text}`,
      `${name} is no container this run created`,
      'Join only containers the script creates itself',
    );
  call.setValue(option, `container:${own}`);
}

/** `--link NAME[:ALIAS]`: a container of the run keeps its script name as the alias. */
function link(call: Call, option: Option): void {
  const text = option.value!.text;
  const colon = text.indexOf(':');
  const name = colon < 0 ? text : text.slice(0, colon);
  const own = call.container(name);
  if (own !== null) call.setValue(option, `${own}:${colon < 0 ? name : text.slice(colon + 1)}`);
}
