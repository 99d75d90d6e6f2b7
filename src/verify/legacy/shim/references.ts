/**
 * `images` (`image ls`) patterns: `--filter reference=PATTERN` and the `REPOSITORY[:TAG]`
 * argument, which the client turns into that filter. Docker fact: the pattern is a glob (`*` and
 * `?` within one `/`-separated part, `[…]` a class, `\` escaping) matched against each tag as
 * written short (`myorg/app:1`, `alpine:3`) and against its repository alone (`myorg/app`).
 *
 * A pattern that names a tag the run made is mapped to the run's spelling, so the script lists its
 * own images and not the user's of that name (the output shows the prefixed names, as every
 * listing of the run does): `myorg/app` → `<runId>/docker.io/myorg/app`, `myorg/*:1.*` →
 * `<runId>/docker.io/myorg/*:1.*`, `alp*` → `<runId>/docker.io/library/alp*` (one part names a
 * Hub official image). Mapped only when the mapped pattern matches a tag the run made; else it
 * stays, and the user's base images stay visible. Once mapped, a glob no longer lists the user's
 * images it matched (`myorg/*` with the run's `myorg/app` hides the user's `myorg/base`). Not
 * mapped: a pattern whose first part holds a glob and a `/` follows (`?yorg/app`, `my*.io/app`:
 * whether that part is a registry cannot be told), one naming a digest.
 */
import { prefixedRepository, prefixedTag, registryComponent } from './names.js';

const GLOB = /[*?[\\]/;

/** The pattern as a matcher over a whole reference: a part never spans a `/`. */
function globMatcher(pattern: string): (text: string) => boolean {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '\\' && i + 1 < pattern.length) source += `\\${pattern[++i]!}`.replace(/^\\([A-Za-z0-9])$/, '$1');
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) return () => false;
      const body = pattern
        .slice(i + 1, end)
        .replace(/^\^/, '')
        .replace(/[\\\]]/g, '\\$&');
      source += `(?!/)[${pattern[i + 1] === '^' ? '^' : ''}${body}]`;
      i = end;
    } else source += c.replace(/[.+^${}()|\]\\/]/g, '\\$&');
  }
  const re = new RegExp(`^${source}$`);
  return (text) => re.test(text);
}

/** The pattern under the run's prefix, or null when it cannot be told where the run keeps what it names. */
function prefixedPattern(runId: string, pattern: string): string | null {
  if (pattern.includes('@')) return null;
  if (!GLOB.test(pattern)) {
    const tagged = pattern.slice(pattern.lastIndexOf('/') + 1).includes(':');
    return tagged ? prefixedTag(runId, pattern) : prefixedRepository(runId, pattern);
  }
  const slash = pattern.indexOf('/');
  const first = slash < 0 ? '' : pattern.slice(0, slash);
  if (GLOB.test(first)) return null;
  const registry = /[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase();
  if (!registry) return `${runId}/docker.io/${slash < 0 ? 'library/' : ''}${pattern}`;
  const domain = first === 'index.docker.io' ? 'docker.io' : first;
  return `${runId}/${registryComponent(domain)}/${pattern.slice(slash + 1)}`;
}

/** The pattern to give the engine: the run's spelling when that names a tag the run made (`made`: the prefixed tags), else as written. */
export function runPattern(runId: string, made: readonly string[], pattern: string): string {
  const mapped = prefixedPattern(runId, pattern);
  if (mapped === null) return pattern;
  const matches = globMatcher(mapped);
  return made.some((tag) => matches(tag) || matches(tag.slice(0, tag.lastIndexOf(':')))) ? mapped : pattern;
}
