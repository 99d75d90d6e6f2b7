/**
 * The options of `docker run`/`docker create`/`docker exec` that decide what a container's
 * command does, read into a RunSpec (src/model/flow.ts): the command words, `-w`, `-u`, literal
 * `-e`, and the mounts. Docker facts this reading follows:
 * - `--entrypoint X` is one executable (docker does not split it); the words after the image are
 *   its arguments, or the command when no entrypoint applies;
 * - `-v SRC:DST[:opts]` is a bind mount when SRC is an absolute or `.`/`..`-relative host path
 *   (docker 23+ resolves a relative one against the client's directory), else a named volume;
 *   `-v DST` alone is an anonymous volume; `--mount type=bind|volume|tmpfs,source=…,target=…`
 *   says which; `--tmpfs DST[:opts]` is a tmpfs;
 * - `-e K=V` sets K for the command; `-e K` takes K from the client's environment, which is
 *   not literal; `--env-file FILE` is read by the client (src/analyze/env-file.ts), and `-e`
 *   overrides it.
 */
import path from 'node:path';
import type { Location } from '../model/diagnostic.js';
import type { RunMount, RunSpec } from '../model/flow.js';
import type { Word } from './shell/values.js';
import { allValues, lastValue, type ParsedWords } from '../shared/docker-options.js';

/** A word as restage can use it in a Dockerfile step: known text, or null with why not. */
function literal(word: Word): string | null {
  return word.unresolved === null && word.environment.length === 0 ? word.text : null;
}

const why = (word: Word) =>
  word.unresolved !== null
    ? `\`${word.written}\` depends on ${word.unresolved}`
    : `\`${word.written}\` depends on ${word.environment.map((n) => `$${n}`).join(', ')}, which the script never sets`;

/** Reads the run options and command words; `cwd` resolves a relative bind source as docker 23+ does. */
export function runSpec(
  at: Location,
  parsed: ParsedWords<Word>,
  command: readonly Word[],
  cwd: string,
  options: { readonly mounts: boolean } = { mounts: true },
): RunSpec {
  const unreadable: { at: Location; why: string }[] = [];
  const text = (w: Word | null): string | null => {
    if (w === null) return null;
    const t = literal(w);
    if (t === null) unreadable.push({ at: w.at, why: why(w) });
    return t;
  };
  const args = command.map((w) => text(w) ?? '');
  const entrypoint = text(lastValue(parsed, 'entrypoint'));
  const workdir = text(lastValue(parsed, 'workdir'));
  if (workdir !== null && !workdir.startsWith('/'))
    unreadable.push({
      at: lastValue(parsed, 'workdir')!.at,
      why: `\`-w ${workdir}\` is not an absolute path, which docker refuses ("the working directory is invalid")`,
    });
  const user = text(lastValue(parsed, 'user'));
  const env: (readonly [string, string])[] = [];
  for (const w of allValues(parsed, 'env')) {
    const t = text(w);
    if (t === null) continue;
    const eq = t.indexOf('=');
    if (eq <= 0)
      unreadable.push({
        at: w.at,
        why: `\`-e ${w.written}\` passes ${t || 'a variable'} from the environment of whoever runs the script, whose value restage does not know`,
      });
    else env.push([t.slice(0, eq), t.slice(eq + 1)]);
  }
  const envFiles: { at: Location; path: string }[] = [];
  for (const w of allValues(parsed, 'env-file')) {
    const t = text(w);
    if (t !== null) envFiles.push({ at: w.at, path: path.resolve(cwd, t) });
  }
  const mounts: RunMount[] = [];
  if (options.mounts) {
    for (const w of allValues(parsed, 'volume')) mountOf(w, volumeMount(w, cwd));
    for (const w of allValues(parsed, 'mount')) mountOf(w, mountOption(w, cwd));
    for (const w of allValues(parsed, 'tmpfs')) {
      const t = text(w);
      if (t !== null)
        mounts.push({
          at: w.at,
          kind: 'tmpfs',
          source: '',
          target: normalize(t.split(':')[0]!),
          readOnly: false,
          written: w.written,
        });
    }
    for (const w of allValues(parsed, 'volumes-from'))
      unreadable.push({ at: w.at, why: `\`--volumes-from ${w.written}\` shows another container's volumes` });
  }
  return { at, entrypoint, args, workdir, user, env, envFiles, mounts, unreadable };

  function mountOf(w: Word, m: RunMount | string): void {
    if (literal(w) === null) unreadable.push({ at: w.at, why: why(w) });
    else if (typeof m === 'string') unreadable.push({ at: w.at, why: m });
    else mounts.push(m);
  }
}

const normalize = (p: string) => path.posix.normalize(p).replace(/(.)\/+$/, '$1');

/** `-v SRC:DST[:opts]`, `-v DST`; a string says why it cannot be read. */
function volumeMount(w: Word, cwd: string): RunMount | string {
  const parts = w.text.split(':');
  const base = { at: w.at, written: w.written };
  if (parts.length === 1) return { ...base, kind: 'volume', source: '', target: normalize(parts[0]!), readOnly: false };
  if (parts.length > 3) return `\`-v ${w.written}\` has more parts than SOURCE:TARGET:OPTIONS`;
  const [source, target, opts = ''] = parts as [string, string, string?];
  if (!target.startsWith('/')) return `the mount target in \`-v ${w.written}\` is not an absolute path`;
  const readOnly = opts.split(',').includes('ro');
  if (source.startsWith('/') || source.startsWith('.'))
    return { ...base, kind: 'bind', source: path.resolve(cwd, source), target: normalize(target), readOnly };
  return { ...base, kind: 'volume', source, target: normalize(target), readOnly };
}

/** `--mount type=bind,source=…,target=…[,readonly]`. */
function mountOption(w: Word, cwd: string): RunMount | string {
  const fields = new Map<string, string>();
  for (const f of w.text.split(',')) {
    const eq = f.indexOf('=');
    fields.set(eq < 0 ? f : f.slice(0, eq), eq < 0 ? 'true' : f.slice(eq + 1));
  }
  const type = fields.get('type') ?? 'volume';
  const source = fields.get('source') ?? fields.get('src') ?? '';
  const target = fields.get('target') ?? fields.get('destination') ?? fields.get('dst') ?? '';
  const ro = fields.get('readonly') ?? fields.get('ro');
  const readOnly = ro !== undefined && ro !== 'false' && ro !== '0';
  if (!target.startsWith('/')) return `the mount \`${w.written}\` has no absolute target`;
  const base = { at: w.at, written: w.written, target: normalize(target), readOnly };
  if (type === 'bind') {
    if (!source.startsWith('/') && !source.startsWith('.'))
      return `the bind mount \`${w.written}\` needs an absolute source`;
    return { ...base, kind: 'bind', source: path.resolve(cwd, source) };
  }
  if (type === 'volume') return { ...base, kind: 'volume', source };
  if (type === 'tmpfs') return { ...base, kind: 'tmpfs', source: '' };
  return `restage does not model a mount of type ${type}`;
}

/** A command that only keeps its container alive, writing nothing: `sleep infinity`, `sleep N`, `tail -f /dev/null`. */
export function keepsAlive(words: readonly string[]): boolean {
  const name = path.posix.basename(words[0] ?? '');
  if (name === 'sleep') return words.length === 2 && /^(infinity|inf|[0-9]+[smhd]?)$/.test(words[1]!);
  if (name === 'tail') return words.length === 3 && /^-[fF]$/.test(words[1]!) && words[2] === '/dev/null';
  return false;
}
