/**
 * RS103: a build whose Dockerfile the confinement let restage read (`readable`) but that could not
 * be read, so it is not among the `parsed` files; when a host `cp`/`mv` of the script put it there
 * (a staging directory), the message names that step. Pure: the runner passes what it read.
 */
import { diagnostic, type Diagnostic } from '../model/diagnostic.js';
import type { BuildFlow, HostOperation } from '../model/flow.js';
import { hostPaths } from '../shared/host-ops.js';
import { isWithin } from '../shared/paths.js';

export function missingDockerfiles(
  flow: BuildFlow,
  readable: ReadonlySet<string>,
  parsed: ReadonlyMap<string, unknown>,
  display: (absolutePath: string) => string,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const before: HostOperation[] = [];
  for (const event of flow.events) {
    if (event.kind === 'host' && (event.op === 'cp' || event.op === 'mv')) before.push(event);
    if (event.kind !== 'build' || !readable.has(event.dockerfile) || parsed.has(event.dockerfile)) continue;
    const maker = before.filter((h) => hostPaths(h).makes.some((m) => isWithin(event.dockerfile, m))).pop();
    diagnostics.push(
      diagnostic(
        'RS103',
        event.dockerfileAt,
        maker
          ? `the Dockerfile ${display(event.dockerfile)} that this build uses is put there by the script (\`${maker.command}\`, ${maker.at.file}:${maker.at.line}), and restage reads the Dockerfiles of the tree as they are before the script runs: name the tree's own, ${display(hostPaths(maker).reads[0]!)}, with -f (the context can stay) and run restage again`
          : `the Dockerfile ${display(event.dockerfile)} that this build uses does not exist${event.dockerfileGiven ? ' (named by -f, which is relative to the directory the script runs in)' : ''}; fix the path and run restage again`,
      ),
    );
  }
  return diagnostics;
}
