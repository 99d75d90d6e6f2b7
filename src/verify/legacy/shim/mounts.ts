/**
 * Bind mounts and volumes of `run`/`create` (and podman's `build -v`). The engine resolves a bind
 * mount's source on the real host, outside the sandbox's view: a source in the repository is
 * translated to the same place in the scratch copy, and one outside it is refused (a `-v /tmp/x`
 * would reach the host's /tmp, not the sandbox's). A named volume becomes the run's own
 * (`<runId>_<name>`), so the script neither reads nor writes the user's volume of that name; the
 * caller removes volumes by that prefix. An anonymous volume (`-v /data`) stays.
 */
import path from 'node:path';
import { isWithin } from '../../../shared/paths.js';
import type { Call, Option } from './call.js';

/** The host path the engine must use for a bind source the script wrote (absolute, or relative to its cwd). */
export function bindSource(call: Call, written: string, spelled: string): string {
  const { ctx } = call;
  const source = path.posix.resolve(ctx.cwd, written);
  if (!isWithin(source, ctx.repo))
    call.refuse(
      `with the bind mount \`${spelled}\``,
      `${source} is outside the repository ${ctx.repo}, and the engine would read and write it on the real host, not in verify's scratch copy`,
      'Mount a directory inside the repository instead (e.g. "$PWD/out"), or copy the files out with `docker cp`',
    );
  return path.posix.join(ctx.copy, path.posix.relative(ctx.repo, source));
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
