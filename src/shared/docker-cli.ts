/**
 * How a script names the docker client: `docker` or `podman` (which takes the same commands),
 * by name or by its usual absolute path, possibly after `sudo`. Discovery, the shell analysis and
 * its guards all recognise a docker command through this one definition.
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
