/**
 * Engine over the podman CLI, which takes Docker's commands and flags for everything restage
 * uses. Differences that matter here:
 * - One builder (Buildah): `backend` is ignored and DOCKER_BUILDKIT means nothing. Buildah follows
 *   neither BuildKit's nor the classic builder's quirks exactly (e.g. COPY --chmod and --link,
 *   stage pruning with --target), so a comparison should not mix podman and docker images.
 * - Unqualified local images are stored as `localhost/<name>`; listNames strips that prefix.
 * - `podman build` pulls a missing base from the registries in registries.conf; builds here pass
 *   `--pull=never` (podman 4+) unless `pull` is set.
 * - Rootless podman maps uids: files a container sees as 0:0 belong to the caller on the host,
 *   and `cp`'s ownership follows the user namespace.
 * - No daemon: `ping` reports the client's version unless podman runs in remote mode
 *   (CONTAINER_HOST / --remote), where it reports the service's.
 * Client binary: the `client` option, else $RESTAGE_PODMAN, else `podman` on PATH.
 */
import { DockerEngine, type Dialect, type DockerEngineOptions } from './docker.js';

const PODMAN: Dialect = {
  kind: 'podman',
  defaultClient: 'podman',
  clientEnv: 'RESTAGE_PODMAN',
  backends: false,
  localImagePrefix: 'localhost/',
  buildNoPullFlag: '--pull=never',
};

export class PodmanEngine extends DockerEngine {
  constructor(options: DockerEngineOptions = {}) {
    super(options, PODMAN);
  }
}
