/**
 * RS103: a build whose Dockerfile the confinement let restage read (`readable`) but that could not
 * be read, so it is not among the `parsed` files. Pure: the runner passes what it read.
 */
import { diagnostic, type Diagnostic } from '../model/diagnostic.js';
import type { BuildFlow } from '../model/flow.js';

export function missingDockerfiles(
  flow: BuildFlow,
  readable: ReadonlySet<string>,
  parsed: ReadonlyMap<string, unknown>,
  display: (absolutePath: string) => string,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const event of flow.events) {
    if (event.kind !== 'build' || !readable.has(event.dockerfile) || parsed.has(event.dockerfile)) continue;
    diagnostics.push(
      diagnostic(
        'RS103',
        event.dockerfileAt,
        `the Dockerfile ${display(event.dockerfile)} that this build uses does not exist${event.dockerfileGiven ? ' (named by -f, which is relative to the directory the script runs in)' : ''}; fix the path and run restage again`,
      ),
    );
  }
  return diagnostics;
}
