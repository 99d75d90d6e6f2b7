/**
 * Image references as Docker reads them (its reference grammar, the one `docker build -t`, `FROM`
 * and `docker create` share):
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [ domain "/" ] component ( "/" component )*
 *   domain    := host [ ":" port ]          (a host may hold upper case, a component never does)
 *   component := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
 *   tag       := [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
 *   digest    := algorithm ":" hex{32,}
 *
 * The first segment is a registry only when it holds a '.' or a ':', is `localhost`, or has upper
 * case; otherwise the name is on Docker Hub (`docker.io`), and a one-segment Hub name is in
 * `library/`. `index.docker.io` is the old spelling of `docker.io`. A name with neither tag nor
 * digest means `:latest`. So `busybox`, `library/busybox:latest` and
 * `docker.io/library/busybox` are one image (test/shared/image-ref.test.ts holds the table).
 */

export interface ImageRef {
  /** The registry, `docker.io` for Docker Hub; with its port when one was written. */
  readonly domain: string;
  /** The repository path within the registry (`library/busybox`). */
  readonly path: string;
  readonly tag: string | null;
  readonly digest: string | null;
}

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const HOST_PART = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${HOST_PART}(?:\\.${HOST_PART})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^((?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const NAME_MAX = 255;

/** The reference's parts, or null when Docker would refuse it ("invalid reference format"). */
export function parseImageRef(text: string): ImageRef | null {
  if (/^[a-f0-9]{64}$/.test(text)) return null;
  // Upper case is allowed only in a registry host: try the grammar with the path lower-cased.
  const slash = text.indexOf('/');
  const first = slash < 0 ? '' : text.slice(0, slash);
  const registry = slash >= 0 && (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase());
  const m = REFERENCE.exec(text);
  if (!m) return null;
  const name = m[1]!;
  if (name.length > NAME_MAX) return null;
  let domain = 'docker.io';
  let path = name;
  if (registry) {
    domain = first === 'index.docker.io' ? 'docker.io' : first;
    path = name.slice(slash + 1);
  }
  if (domain === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  return { domain, path, tag: m[2] ?? null, digest: m[3] ?? null };
}

function repository(ref: ImageRef): string {
  return `${ref.domain}/${ref.path}`;
}

/** The key of the repository a reference names, tag and digest left out (invalid text: written tag cut). */
export function repositoryKey(text: string): string {
  const ref = parseImageRef(text);
  return ref === null ? text.replace(/[:@][^/]*$/, '') : repository(ref);
}

/** The fully spelled reference: `docker.io/library/busybox:latest`; a digest-only one gets no tag. */
export function canonicalImage(ref: ImageRef): string {
  const tag = ref.tag ?? (ref.digest === null ? 'latest' : null);
  return `${repository(ref)}${tag === null ? '' : `:${tag}`}${ref.digest === null ? '' : `@${ref.digest}`}`;
}

/**
 * The key under which two spellings of one image are equal. A text that is no valid reference
 * (it holds a `$`, or upper case in the path) is its own key: it equals only itself.
 */
export function imageKey(text: string): string {
  const ref = parseImageRef(text);
  return ref === null ? text : canonicalImage(ref);
}

/** Whether the reference names a tag or a digest, rather than only a repository. */
export function namesVersion(text: string): boolean {
  const ref = parseImageRef(text);
  if (ref !== null) return ref.tag !== null || ref.digest !== null;
  return text.slice(text.lastIndexOf('/') + 1).includes(':') || text.includes('@');
}
