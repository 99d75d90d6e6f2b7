/**
 * `build` (and `image build`, `buildx build`, `builder build`): every tag gets the run's prefix,
 * every build `--no-cache` (the legacy side must really run) and the run's label, a network when
 * none is named; the Dockerfile is rewritten to the run's tags. The build context and `-f` are
 * read by the client, inside the sandbox, so they already see the scratch copy and stay as
 * written. What would leave the machine or reach the host is refused (`--network host`,
 * `--allow network.host|security.insecure`, an output pushed to a registry); `--push` is dropped.
 */
import path from 'node:path';
import { isTarStream, rewriteStreamDockerfile } from './stream-context.js';
import { BUILD } from '../../../analyze/docker/build.js';
import { lastValue, parseWords, spec } from '../../../shared/docker-options.js';
import { widen, type Call, type Option } from './call.js';
import { refuseUnknown } from './container.js';
import { mayRewrite, placeDockerfile, rewriteDockerfile, type VariableImages } from './dockerfile.js';
import { volumeOption } from './mounts.js';
import type { ShimDecision } from './types.js';

/** podman's build options beyond docker's, so a value is never taken for the context. */
const PODMAN = spec(
  [
    'v|volume',
    'from',
    'format',
    'jobs',
    'userns',
    'userns-uid-map',
    'userns-gid-map',
    'pid',
    'ipc',
    'uts',
    'cgroupns',
    'authfile',
    'creds',
    'cert-dir',
    'decryption-key',
    'sign-by',
    'os',
    'arch',
    'variant',
    'timestamp',
    'manifest',
    'logfile',
    'runtime',
    'runtime-flag',
    'layer-label',
    'unsetenv',
    'unsetlabel',
    'env',
    'hooks-dir',
    'retry',
    'retry-delay',
    'cw',
    'dns',
    'dns-option',
    'dns-search',
    'ignorefile',
    'device',
    'cap-add',
    'cap-drop',
    'cache-ttl',
    'os-feature',
    'os-version',
    'platforms',
  ],
  [
    'layers',
    'tls-verify',
    'no-hosts',
    'omit-history',
    'identity-label',
    'all-platforms',
    'disable-compression',
    'skip-unused-stages',
    'squash-all',
    'stdin',
    'compat-volumes',
  ],
);
const SPEC = widen(BUILD, PODMAN);

const NAMESPACES = new Set(['network', 'pid', 'ipc', 'uts', 'userns', 'cgroupns']);

export function rewriteBuild(call: Call): ShimDecision {
  const parsed = parseWords(call.args, SPEC);
  refuseUnknown(call, parsed.unknown);
  for (const option of parsed.options) {
    const value = option.value?.text;
    if (NAMESPACES.has(option.name) && value === 'host')
      call.refuse(
        `with --${option.name} host`,
        `a build in the host's ${option.name} namespace reaches past the build onto the host`,
        `Remove --${option.name} host from the command, or leave this build out of \`restage verify\``,
      );
    if (option.name === 'allow' && value !== undefined && /network\.host|security\.insecure/.test(value))
      call.refuse(
        `with --allow ${value}`,
        'that entitlement lets the build reach the host',
        'Remove it from the command, or leave this build out of `restage verify`',
      );
    if (option.name === 'output' && value !== undefined && /type=registry|push=true/.test(value))
      call.refuse(
        `with --output ${value}`,
        'verify never pushes to a registry',
        'Output to the local engine (`--load`) or a directory instead',
      );
    if (option.name === 'cap-add' && value !== undefined && /(^|,)(cap_)?(all|sys_admin)(,|$)/i.test(value))
      call.refuse(
        `with --cap-add ${value}`,
        'that capability reaches past the build onto the host',
        'Add only the capabilities the build needs',
      );
    if (option.name === 'push') {
      option.words.forEach((w) => call.drop(w));
      call.notes.push(`${call.command} --push: the image was built but not pushed (verify never publishes)`);
    }
    if (option.name === 'no-cache') option.words.forEach((w) => call.drop(w));
    if (option.name === 'volume') volumeOption(call, option);
    if (option.name === 'from' && value !== undefined) call.setValue(option, call.image(value));
    if (option.name === 'build-context' && value !== undefined) {
      const m = /^([^=]+)=docker-image:\/\/(.+)$/.exec(value);
      if (m) call.setValue(option, `${m[1]}=docker-image://${call.image(m[2]!)}`);
    }
  }
  const variables: VariableImages = {
    buildArgs: buildArgs(parsed.options),
    own: (image) => {
      const to = call.image(image);
      return to === image ? null : to;
    },
    copyFromExpands: call.ctx.client === 'podman',
  };
  dockerfile(call, parsed.positionals[0]?.text, parsed.options.filter((o) => o.name === 'file').at(-1), variables);
  for (const option of parsed.options)
    if (option.name === 'tag' && option.value) call.setValue(option, call.newTag(option.value.text));
  call.add('--no-cache', call.labelOption);
  if (call.ctx.network !== null && !lastValue(parsed, 'network')) call.add(`--network=${call.ctx.network}`);
  // The classic builder keeps the container of a failed RUN step (unnamed, unlabelled) unless told
  // otherwise; buildx has no such flag and keeps none.
  if (!/^(buildx|builder) /.test(call.verb)) call.add('--force-rm');
  if (call.ctx.iidfile !== undefined) call.add(`--iidfile=${call.ctx.iidfile}`);
  return call.run('log');
}

/** `--build-arg NAME=VALUE`, the last of a name winning; `--build-arg NAME` takes the client's environment, unknown here. */
function buildArgs(options: readonly Option[]): Map<string, string | null> {
  const args = new Map<string, string | null>();
  for (const option of options) {
    const text = option.name === 'build-arg' ? option.value?.text : undefined;
    if (text === undefined) continue;
    const eq = text.indexOf('=');
    args.set(eq < 0 ? text : text.slice(0, eq), eq < 0 ? null : text.slice(eq + 1));
  }
  return args;
}

/** Rewrites the Dockerfile the build reads, from a file or standard input; before the build's own tags are recorded. */
function dockerfile(
  call: Call,
  context: string | undefined,
  file: Option | undefined,
  variables: VariableImages,
): void {
  const rewrite = (text: string) => rewriteDockerfile(text, (image) => call.image(image), variables);
  if (context === undefined || !mayRewrite(call)) return;
  if (context === '-') {
    const input = call.io.stdin();
    if (!isTarStream(input)) {
      call.stdin = rewrite(input.toString('utf8'));
      return;
    }
    const stream = rewriteStreamDockerfile(input, file?.value?.text ?? 'Dockerfile', rewrite);
    if (typeof stream === 'string')
      call.refuse(
        'with a build context streamed on standard input',
        `${stream}, so the run cannot rewrite it to its own image tags`,
        'Build from a directory (`docker build -f Dockerfile DIR`)',
      );
    else call.stdin = stream;
    return;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(context) || context.startsWith('git@'))
    call.refuse(
      `with the remote context ${context}`,
      'the run cannot rewrite a remote Dockerfile to its own image tags and base image mapping',
      'Build from a local checkout of that repository',
    );
  if (file?.value?.text === '-') {
    call.stdin = rewrite(call.io.stdin().toString('utf8'));
    return;
  }
  const { cwd, client } = call.ctx;
  const candidates = file?.value
    ? [path.posix.resolve(cwd, file.value.text)]
    : (client === 'podman' ? ['Containerfile', 'Dockerfile'] : ['Dockerfile']).map((n) =>
        path.posix.resolve(cwd, context, n),
      );
  const found = candidates.find((c) => call.io.readFile(c) !== null);
  const placed = found === undefined ? null : placeDockerfile(call, found, rewrite, path.posix.resolve(cwd, context));
  if (placed === null) return;
  if (file?.value) call.setValue(file, placed);
  else call.add(`--file=${placed}`);
}
