/**
 * How a script names the docker client: `docker` or `podman` (which takes the same commands),
 * by name or by its usual absolute path, possibly after `sudo`, and where its global options end
 * and the verb begins. Discovery, the shell analysis, its guards and verify's docker shim all
 * read a docker command through this one definition.
 */

/** The command names the analysis hands to the docker command family. */
export const DOCKER_CLIENTS: ReadonlySet<string> = new Set([
  'docker',
  'podman',
  '/usr/bin/docker',
  '/usr/local/bin/docker',
  '/usr/bin/podman',
  '/usr/local/bin/podman',
]);

/** Regular-expression source of the client word, with an optional `sudo` before it. */
export const CLIENT_WORD = String.raw`(?:sudo\s+)?(?:/usr(?:/local)?/bin/)?(?:docker|podman)`;

const INVOCATION = new RegExp(String.raw`(?:^|[\s;&|(\`$])${CLIENT_WORD}\s+[-a-z]`, 'm');

/** Whether the text runs the client as a command word (not inside a longer word) with an argument. */
export function invokesDocker(text: string): boolean {
  return INVOCATION.test(text);
}

/** Global options that take a value (docker's and podman's), by name without dashes. */
const GLOBAL_VALUED: ReadonlySet<string> = new Set([
  ...['config', 'l', 'log-level', 'tlscacert', 'tlscert', 'tlskey'],
  ...['root', 'runroot', 'storage-driver', 'storage-opt', 'cgroup-manager', 'conmon', 'events-backend', 'hooks-dir'],
  ...['network-cmd-path', 'network-config-dir', 'runtime', 'runtime-flag', 'tmpdir', 'volumepath', 'imagestore'],
  ...['module', 'ssh', 'registries-conf', 'db-backend', 'out', 'cdi-spec-dir'],
  ...['H', 'host', 'c', 'context', 'connection', 'url', 'identity'],
]);
/** Global options that take none. */
const GLOBAL_FLAGS: ReadonlySet<string> = new Set([
  ...['D', 'debug', 'tls', 'tlsverify', 'v', 'version', 'h', 'help', 'syslog', 'noout', 'transient-store'],
  ...['r', 'remote'],
]);

/** One global option of a client call, as written (`--host=x`, `-H x`, `-D`). */
export interface GlobalOption {
  /** Its name without dashes (`host`, `H`). */
  readonly name: string;
  /** The words it took (one, or two when its value is the next word). */
  readonly words: readonly string[];
  /** Neither a known option nor written with its value attached: where its value ends cannot be known. */
  readonly unknown: boolean;
}

/**
 * The global options before the verb of a client call's words (those after `docker`): they are
 * the words starting with `-` (not `-` itself) up to the first that does not, a known valued
 * option taking the next word. Returns them and the index of the verb's first word. An unknown
 * option is taken as a flag and marked, for callers that must refuse to guess.
 */
export function globalOptions(words: readonly string[]): { options: GlobalOption[]; verbAt: number } {
  const options: GlobalOption[] = [];
  let i = 0;
  while (i < words.length && words[i]!.startsWith('-') && words[i] !== '-') {
    const word = words[i]!;
    const long = word.startsWith('--');
    const name = long ? word.slice(2).split('=')[0]! : word.slice(1, 2);
    const inline = long ? word.includes('=') : word.length > 2;
    const takesNext = GLOBAL_VALUED.has(name) && !inline;
    options.push({
      name,
      words: words.slice(i, takesNext ? i + 2 : i + 1),
      unknown: !GLOBAL_VALUED.has(name) && !GLOBAL_FLAGS.has(name) && !inline,
    });
    i += takesNext ? 2 : 1;
  }
  return { options, verbAt: Math.min(i, words.length) };
}
