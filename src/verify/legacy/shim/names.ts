/**
 * The run's names. A tag the script writes becomes `<runId>/<registry>/<path>:<tag>` — the
 * canonical reference under the run's own first segment, the registry's port `:` made `-` — so
 * it is a valid reference for docker and podman alike, lives on no registry (the first segment
 * holds no `.`), and two spellings of one image get one prefixed tag. Container and volume names
 * become `<runId>_<name>`. Every mapping is a pure function of the written name; the state only
 * says which names the run made.
 */
import { parseImageRef } from '../../../shared/image-ref.js';

/** `docker.io`, `localhost-5000`: the registry as one lower-case path component. */
export function registryComponent(domain: string): string {
  return domain
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
}

/** The prefixed repository (no tag) of a reference, or null when the text is no valid reference. */
export function prefixedRepository(runId: string, text: string): string | null {
  const ref = parseImageRef(text);
  if (ref === null) return null;
  const name = `${runId}/${registryComponent(ref.domain)}/${ref.path}`;
  const checked = parseImageRef(`${name}:latest`);
  return checked !== null && checked.domain === 'docker.io' ? name : null;
}

/** The prefixed tag of a tag the script writes, or null when it names a digest or is no valid reference. */
export function prefixedTag(runId: string, text: string): string | null {
  const ref = parseImageRef(text);
  if (ref === null || ref.digest !== null) return null;
  const repository = prefixedRepository(runId, text);
  return repository && `${repository}:${ref.tag ?? 'latest'}`;
}

/** Docker's container and volume name grammar. */
const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** The prefixed container or volume name, or null when the name is no valid one (the engine would refuse it). */
export function prefixedName(runId: string, name: string): string | null {
  const bare = name.startsWith('/') ? name.slice(1) : name;
  return NAME.test(bare) ? `${runId}_${bare}` : null;
}

/**
 * The full id of a container the run created that `text` names: the id itself or a prefix of at
 * least 12 hex digits (`docker ps` prints 12). Shorter prefixes are not taken: the engine looks a
 * name up before an id prefix, so `abc` may well be a container of the user's.
 */
export function ownId(ids: readonly string[], text: string): string | null {
  if (!/^[0-9a-f]{12,64}$/.test(text)) return null;
  const matches = ids.filter((id) => id.startsWith(text));
  return matches.length === 1 ? matches[0]! : null;
}
