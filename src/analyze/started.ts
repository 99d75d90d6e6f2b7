/**
 * A `docker cp` from a container that ran (docker run, docker start, docker exec): the command
 * may have written the copied path at run time, while the migration copies it from the image as
 * built (`COPY --from`), which may not hold it. Until run-time builds are migrated, that is a
 * warning (RS320) on the line that started the container, saying what it ran.
 */
import path from 'node:path';
import { diagnostic, type Diagnostic } from '../model/diagnostic.js';
import type { ParsedDockerfile } from '../model/dockerfile.js';
import type { ContainerCreate, CopyOut, ImageBuild } from '../model/flow.js';

const VERB = { run: 'docker run', start: 'docker start', exec: 'docker exec' } as const;

export function startedContainerCopy(
  create: ContainerCreate,
  copy: CopyOut,
  build: ImageBuild | null,
  dockerfiles: ReadonlyMap<string, ParsedDockerfile>,
  display: (p: string) => string,
): Diagnostic | null {
  const started = create.started;
  // A reader on stdout (`docker run IMG cat PATH > FILE`, `… tar -c …`) reads as its run starts: nothing ran before it.
  if (!started || copy.reader !== null) return null;
  const name = create.handle.startsWith('@') ? 'the container' : `container "${create.handle}"`;
  const ran = started.command !== null ? `\`${started.command}\`` : defaultCommand(create.image, build, dockerfiles);
  const where = `${path.basename(copy.at.file)}:${copy.at.line}`;
  return diagnostic(
    'RS320',
    started.at,
    `\`${VERB[started.how]}\` ran ${ran} in ${name} of ${create.image}, and \`docker cp\` (${where}) copies ${copy.containerPath} out of it afterwards: that command may have produced it at run time, but the migration copies it from the image as built (COPY --from), which may not hold it. restage does not migrate run-time builds yet, and warns as long as the script starts this container: make the build Dockerfile produce ${copy.containerPath} (a RUN with that command), or check that the image already holds it, then ${started.how === 'run' ? 'create the container with `docker create` (the same options, less `-d`) instead of `docker run`' : `remove the \`${VERB[started.how]}\``} in the script and run restage again`,
  );
  function defaultCommand(image: string, b: ImageBuild | null, files: ReadonlyMap<string, ParsedDockerfile>): string {
    const file = b ? files.get(b.dockerfile) : undefined;
    const stage =
      file &&
      (b!.target ? file.stages.find((s) => s.name === b!.target!.toLowerCase()) : file.stages[file.stages.length - 1]);
    const lines = stage?.instructions.filter((i) => i.keyword === 'ENTRYPOINT' || i.keyword === 'CMD') ?? [];
    const last = ['ENTRYPOINT', 'CMD']
      .map((k) => lines.filter((i) => i.keyword === k).pop())
      .filter((i) => i !== undefined);
    if (file && last.length > 0)
      return `the image's default command (${last.map((i) => `\`${file.text.slice(i.start, i.end)}\` at ${display(b!.dockerfile)}:${i.line}`).join(', ')})`;
    return `the default command of ${image} (its CMD/ENTRYPOINT)`;
  }
}
