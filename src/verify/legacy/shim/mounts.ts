/**
 * Bind mounts and volumes of `run`/`create` (and podman's `build -v`). The engine resolves a bind
 * mount's source on the real host, outside the sandbox's view: a source in the repository is
 * translated to the same place in the scratch copy, and one outside it is refused (a `-v /tmp/x`
 * would reach the host's /tmp, not the sandbox's). The engine follows symbolic links on the host
 * too: a source that is, or passes through, a link is translated as the link resolves, and one
 * that leads outside the repository is refused — the copy keeps the script's links as written, so
 * a link to `/home/u/secrets` (or to the user's real repository path) would reach the user's own
 * files. A named volume becomes the run's own (`<runId>_<name>`), so the script neither reads
 * nor writes the user's volume of that name; the caller removes volumes by that prefix. An
 * anonymous volume (`-v /data`) stays.
 */
import path from 'node:path';
import { isWithin } from '../../../shared/paths.js';
import type { Call, Option } from './call.js';

/** The host path the engine must use for a bind source the script wrote (absolute, or relative to its cwd). */
export function bindSource(call: Call, written: string, spelled: string): string {
  const { ctx } = call;
  const source = path.posix.resolve(ctx.cwd, written);
  const what = `with the bind mount \`${spelled}\``;
  const fix =
    'Mount a directory inside the repository instead (e.g. "$PWD/out"), or copy the files out with `docker cp`';
  if (!isWithin(source, ctx.repo))
    call.refuse(
      what,
      `${source} is outside the repository ${ctx.repo}, and the engine would read and write it on the real host, not in verify's scratch copy`,
      fix,
    );
  const resolved = followLinks(ctx.repo, call.io.readlink.bind(call.io), source);
  if (typeof resolved !== 'string')
    call.refuse(
      what,
      resolved.loop
        ? `${resolved.link} is a symbolic link that leads round in a loop`
        : `${resolved.link} is a symbolic link to ${resolved.target}, which leads outside the repository ${ctx.repo}; the engine follows it on the real host and would read and write the user's own files, not verify's scratch copy`,
      fix,
    );
  return path.posix.join(ctx.copy, path.posix.relative(ctx.repo, resolved));
}

/** Linux's limit of links followed in one path lookup (beyond it: ELOOP). */
const MAX_LINKS = 40;

/**
 * `source` (in the repository) with every symbolic link in it followed, part by part as the
 * kernel does (a `..` after a link leaves the link's target), reading the links in the
 * repository as the script sees it. A part that does not exist is taken as written (the engine
 * may create it). Refused (the link named) when a link leads outside the repository at any step:
 * an absolute target counts as inside only when it starts with the repository's own path.
 */
function followLinks(
  repo: string,
  readlink: (path: string) => string | null,
  source: string,
): string | { link: string; target: string; loop?: boolean } {
  const parts = path.posix.relative(repo, source).split('/');
  let at = repo;
  let links = 0;
  let last = { link: source, target: source };
  while (parts.length > 0) {
    const part = parts.shift()!;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      at = path.posix.dirname(at);
      if (!isWithin(at, repo)) return last;
      continue;
    }
    const next = path.posix.join(at, part);
    const target = readlink(next);
    if (target === null) {
      at = next;
      continue;
    }
    last = { link: next, target };
    if (++links > MAX_LINKS) return { ...last, loop: true };
    const rest = target.split('/');
    if (target.startsWith('/')) {
      const root = repo.split('/');
      if (!root.every((p, i) => rest[i] === p)) return last;
      rest.splice(0, root.length);
      at = repo;
    }
    parts.unshift(...rest);
  }
  return at;
}

/** `-v SRC:DST[:OPTS]`: a path source (starting with `/` or `.`) is a bind mount, a bare name a named volume. */
export function volumeOption(call: Call, option: Option): void {
  const text = option.value?.text;
  if (text === undefined) return;
  const colon = text.indexOf(':');
  if (colon < 0) return;
  const source = text.slice(0, colon);
  const rest = text.slice(colon);
  const spelled = option.words.map((w) => w.text).join(' ');
  if (source.startsWith('/') || source.startsWith('.')) call.setValue(option, bindSource(call, source, spelled) + rest);
  else if (source !== '') call.setValue(option, call.volume(source) + rest);
}

/** `--mount type=bind,source=…,target=…`: the same rules; its fields are comma-separated `key=value` (quotes allowed). */
export function mountOption(call: Call, option: Option): void {
  const text = option.value?.text;
  if (text === undefined) return;
  const fields = text.split(',').map((f) => f.replace(/^"(.*)"$/, '$1'));
  const keyOf = (f: string) => f.slice(0, f.indexOf('=') < 0 ? f.length : f.indexOf('=')).toLowerCase();
  const type = fields.find((f) => keyOf(f) === 'type')?.slice('type='.length) ?? 'volume';
  const at = fields.findIndex((f) => keyOf(f) === 'source' || keyOf(f) === 'src');
  if (at < 0 || (type !== 'bind' && type !== 'volume')) return;
  const field = fields[at]!;
  const key = field.slice(0, field.indexOf('='));
  const source = field.slice(key.length + 1);
  const spelled = option.words.map((w) => w.text).join(' ');
  fields[at] = `${key}=${type === 'bind' ? bindSource(call, source, spelled) : call.volume(source)}`;
  call.setValue(option, fields.join(','));
}

/** `--volumes-from C[:ro|rw]`: only a container of the run (another's mounts may reach anywhere on the host). */
export function volumesFromOption(call: Call, option: Option): void {
  const text = option.value?.text;
  if (text === undefined) return;
  const colon = text.indexOf(':');
  const name = colon < 0 ? text : text.slice(0, colon);
  const own = call.container(name);
  if (own === null)
    call.refuse(
      `with \`--volumes-from ${text}\``,
      `${name} is no container this run created, and its mounts may reach anywhere on the host`,
      'Take the volumes from a container the script creates itself',
    );
  call.setValue(option, own + (colon < 0 ? '' : text.slice(colon)));
}
