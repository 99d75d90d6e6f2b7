/**
 * A Compose file read into what `docker compose run`/`build` of one service does, for restage to
 * translate into `docker build` + `docker run` (src/analyze/compose/translate.ts). Compose facts
 * this reading follows:
 * - relative host paths (`build:` context, bind-mount sources) resolve against the project
 *   directory, the compose file's own; a `dockerfile:` is relative to its context;
 * - `command:`/`entrypoint:` as a string are split into words like a shell would (quotes and
 *   backslashes), without a shell running them; as a list they are the words;
 * - `environment:` as a list is `K=V` or `K` (taken from the client's environment), as a map
 *   `K: V` (`K:` with no value is `K`);
 * - values are interpolated: `$$` is `$`, `${X}`/`$X` is X of the client's environment (or the
 *   `.env` file), `${X:-d}`/`${X-d}` fall back to d when X is unset (or empty with `:-`).
 *
 * What restage does not model is kept as `unsupported`, located, and declined by the translation
 * when the service is used: another service it depends on, networks, `extends`, profiles,
 * `volumes_from`, a variable it cannot know, any key it does not know.
 *
 * The `yaml` package is loaded on the first Compose file read: a migration without Compose never
 * pays for it.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Location } from '../../model/diagnostic.js';

type Yaml = typeof import('yaml');
let yamlModule: Yaml | undefined;
function yaml(): Yaml {
  yamlModule ??= createRequire(import.meta.url)('yaml') as Yaml;
  return yamlModule;
}

export interface Located<T> {
  readonly value: T;
  readonly at: Location;
}

export interface ComposeBuild {
  readonly at: Location;
  /** Absolute host path of the context. */
  readonly context: string;
  /** Absolute host path of the Dockerfile; null: the context's `Dockerfile`. */
  readonly dockerfile: string | null;
  /** `NAME=value`, or `NAME` alone (from the environment). */
  readonly args: readonly string[];
  readonly target: string | null;
}

export type ComposeMount =
  | { readonly kind: 'bind'; readonly source: string; readonly target: string; readonly readOnly: boolean }
  | { readonly kind: 'volume'; readonly source: string; readonly target: string; readonly readOnly: boolean };

export interface ComposeService {
  readonly name: string;
  readonly at: Location;
  readonly image: Located<string> | null;
  readonly build: ComposeBuild | null;
  readonly volumes: readonly Located<ComposeMount>[];
  readonly workingDir: Located<string> | null;
  /** `K=V`, or `K` alone (from the environment of whoever runs compose). */
  readonly environment: readonly Located<string>[];
  readonly entrypoint: Located<readonly string[]> | null;
  readonly user: Located<string> | null;
  readonly command: Located<readonly string[]> | null;
  /** `depends_on`: other services `run` starts first, unless `--no-deps`. */
  readonly dependsOn: Located<readonly string[]> | null;
  /** What restage cannot model about the service, each where it is written. */
  readonly unsupported: readonly Located<string>[];
}

export interface ComposeFile {
  /** Absolute host path. */
  readonly path: string;
  /** The project directory: the file's own. */
  readonly directory: string;
  /** Top-level `name:`, the project name when `-p` does not give one. */
  readonly name: Located<string> | null;
  readonly services: ReadonlyMap<string, ComposeService>;
  /** What restage cannot model about the whole file (it applies to every service). */
  readonly unsupported: readonly Located<string>[];
}

/** A variable of the client's environment: its value, undefined when unset, null when restage cannot know it. */
export type Lookup = (name: string) => string | undefined | null;

const SERVICE_KEYS = new Set([
  'image',
  'build',
  'volumes',
  'working_dir',
  'environment',
  'entrypoint',
  'user',
  'command',
  'depends_on',
  // Without effect on what `run` leaves in a bind mount.
  'container_name',
  'tty',
  'stdin_open',
  'labels',
  'restart',
  'ports',
  'expose',
  'healthcheck',
  'logging',
  'stop_signal',
  'stop_grace_period',
]);
const BUILD_KEYS = new Set(['context', 'dockerfile', 'args', 'target']);
const TOP_KEYS = new Set(['version', 'name', 'services', 'volumes', 'networks', 'secrets', 'configs']);
/** Service keys with a reason of their own when declined. */
const WHY: Readonly<Record<string, string>> = {
  networks: 'the service joins networks, which restage does not model',
  network_mode: 'the service sets `network_mode`, which restage does not model',
  extends: 'the service `extends` another definition, which restage does not merge',
  profiles: 'the service belongs to profiles, which restage does not model',
  volumes_from: "the service mounts another service's volumes (`volumes_from`)",
  env_file: 'the service reads an `env_file`, which restage does not read for Compose yet',
  platform: 'the service sets a `platform`',
};

/**
 * Reads the compose file `text` (at absolute `file`, shown as `display`). Returns the model, or an
 * error located in the file when it is not YAML restage can read as a Compose file.
 */
export function readCompose(file: string, display: string, text: string, env: Lookup): ComposeFile | Located<string> {
  const { LineCounter, parseDocument, isMap, isSeq, isPair, isScalar } = yaml();
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, merge: true, prettyErrors: false });
  const locate = (offset: number): Location => {
    const p = lines.linePos(offset);
    return { file: display, line: p.line, column: p.col };
  };
  const top = { file: display, line: 1, column: 1 };
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    return { value: `the compose file is not valid YAML: ${e.message.split('\n')[0]}`, at: locate(e.pos[0]) };
  }
  let js: unknown;
  try {
    js = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    return { value: `the compose file cannot be read: ${(e as Error).message}`, at: top };
  }
  /** Where the value at `keys` is written (the key of a map entry), or its nearest written parent. */
  const at = (keys: readonly (string | number)[]): Location => {
    let node: unknown = doc.contents;
    let found: Location = top;
    for (const k of keys) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === k);
        if (!pair) break;
        const range = (pair.key as { range?: [number, number, number] }).range;
        if (range) found = locate(range[0]);
        node = pair.value;
      } else if (isSeq(node) && typeof k === 'number') {
        const item = node.items[k] as { range?: [number, number, number] } | undefined;
        if (!item) break;
        if (item.range) found = locate(item.range[0]);
        node = item;
      } else break;
    }
    return found;
  };
  if (!isObject(js)) return { value: 'the compose file is not a map of top-level keys', at: top };
  const directory = path.dirname(file);
  const unsupported: Located<string>[] = [];
  for (const key of Object.keys(js)) {
    if (key.startsWith('x-') || TOP_KEYS.has(key)) continue;
    unsupported.push({ value: `the top-level key \`${key}\`, which restage does not model`, at: at([key]) });
  }
  const problems: Located<string>[] = [];
  const str = (v: unknown, keys: readonly (string | number)[]): string | null => {
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (typeof v !== 'string') {
      problems.push({ value: `\`${keys.join('.')}\` is not a string`, at: at(keys) });
      return null;
    }
    const got = interpolate(v, env);
    if (typeof got === 'string') return got;
    problems.push({ value: got.problem, at: at(keys) });
    return null;
  };
  const name = js['name'] === undefined ? null : str(js['name'], ['name']);
  unsupported.push(...problems.splice(0));
  const services = new Map<string, ComposeService>();
  const servicesNode = js['services'];
  if (!isObject(servicesNode)) return { value: 'the compose file has no `services:` map', at: at(['services']) };
  for (const [service, def] of Object.entries(servicesNode)) {
    problems.length = 0;
    const base = ['services', service] as const;
    const k = (...rest: (string | number)[]) => [...base, ...rest];
    if (!isObject(def)) {
      services.set(service, emptyService(service, at(base), { value: 'the service is not a map', at: at(base) }));
      continue;
    }
    const own: Located<string>[] = [];
    for (const key of Object.keys(def)) {
      if (key.startsWith('x-') || SERVICE_KEYS.has(key)) continue;
      own.push({ value: WHY[key] ?? `the service key \`${key}\`, which restage does not model`, at: at(k(key)) });
    }
    const located = <T>(value: T | null, keys: readonly (string | number)[]): Located<T> | null =>
      value === null ? null : { value, at: at(keys) };
    const words = (key: string): Located<readonly string[]> | null => {
      const v = def[key];
      if (v === undefined || v === null) return null;
      if (Array.isArray(v)) {
        const list = v.map((w, i) => str(w, k(key, i)));
        return list.every((w): w is string => w !== null) ? { value: list, at: at(k(key)) } : null;
      }
      const s = str(v, k(key));
      if (s === null) return null;
      const split = splitWords(s);
      if (split === null) {
        problems.push({ value: `\`${key}: ${s}\` has an unterminated quote`, at: at(k(key)) });
        return null;
      }
      return { value: split, at: at(k(key)) };
    };
    const scalar = (key: string) => (def[key] === undefined ? null : located(str(def[key], k(key)), k(key)));
    const environment: Located<string>[] = [];
    const envNode = def['environment'];
    if (Array.isArray(envNode)) {
      envNode.forEach((e, i) => {
        const s = str(e, k('environment', i));
        if (s !== null) environment.push({ value: s, at: at(k('environment', i)) });
      });
    } else if (isObject(envNode)) {
      for (const [key, v] of Object.entries(envNode)) {
        const s = v === null ? null : str(v, k('environment', key));
        if (v !== null && s === null) continue;
        environment.push({ value: s === null ? key : `${key}=${s}`, at: at(k('environment', key)) });
      }
    } else if (envNode !== undefined && envNode !== null) {
      problems.push({ value: '`environment:` is neither a list nor a map', at: at(k('environment')) });
    }
    const volumes: Located<ComposeMount>[] = [];
    const volNode = def['volumes'];
    if (Array.isArray(volNode)) {
      volNode.forEach((v, i) => {
        const m = mountOf(v, (x, ...rest) => str(x, k('volumes', i, ...rest)), directory);
        if (typeof m === 'string') problems.push({ value: m, at: at(k('volumes', i)) });
        else if (m !== null) volumes.push({ value: m, at: at(k('volumes', i)) });
      });
    } else if (volNode !== undefined && volNode !== null) {
      problems.push({ value: '`volumes:` is not a list', at: at(k('volumes')) });
    }
    let dependsOn: Located<readonly string[]> | null = null;
    const deps = def['depends_on'];
    if (Array.isArray(deps)) dependsOn = { value: deps.map(String), at: at(k('depends_on')) };
    else if (isObject(deps)) dependsOn = { value: Object.keys(deps), at: at(k('depends_on')) };
    services.set(service, {
      name: service,
      at: at(base),
      image: scalar('image'),
      build: buildOf(def['build'], k('build')),
      volumes,
      workingDir: scalar('working_dir'),
      environment,
      entrypoint: words('entrypoint'),
      user: scalar('user'),
      command: words('command'),
      dependsOn,
      unsupported: [...own, ...problems],
    });
  }
  return {
    path: file,
    directory,
    name: name === null ? null : { value: name, at: at(['name']) },
    services,
    unsupported,
  };

  function buildOf(v: unknown, keys: readonly (string | number)[]): ComposeBuild | null {
    if (v === undefined || v === null) return null;
    if (typeof v === 'string') {
      const context = str(v, keys);
      return context === null ? null : contextBuild(context, null, [], null);
    }
    if (!isObject(v)) {
      problems.push({ value: '`build:` is neither a path nor a map', at: at(keys) });
      return null;
    }
    for (const key of Object.keys(v)) {
      if (!BUILD_KEYS.has(key) && !key.startsWith('x-'))
        problems.push({ value: `the build key \`${key}\`, which restage does not model`, at: at([...keys, key]) });
    }
    const context = v['context'] === undefined ? '.' : str(v['context'], [...keys, 'context']);
    const dockerfile = v['dockerfile'] === undefined ? null : str(v['dockerfile'], [...keys, 'dockerfile']);
    const target = v['target'] === undefined ? null : str(v['target'], [...keys, 'target']);
    const args: string[] = [];
    const a = v['args'];
    if (Array.isArray(a)) a.forEach((x, i) => args.push(str(x, [...keys, 'args', i]) ?? ''));
    else if (isObject(a))
      for (const [n, x] of Object.entries(a)) args.push(x === null ? n : `${n}=${str(x, [...keys, 'args', n]) ?? ''}`);
    if (context === null) return null;
    return contextBuild(context, dockerfile, args, target);

    function contextBuild(c: string, f: string | null, args: string[], target: string | null): ComposeBuild | null {
      if (/^[a-z]+:\/\//.test(c) || c.startsWith('git@')) {
        problems.push({ value: `a build context from a URL (\`${c}\`)`, at: at(keys) });
        return null;
      }
      const context = path.resolve(directory, c);
      return { at: at(keys), context, dockerfile: f === null ? null : path.resolve(context, f), args, target };
    }
  }
}

function emptyService(name: string, at: Location, problem: Located<string>): ComposeService {
  return {
    name,
    at,
    image: null,
    build: null,
    volumes: [],
    workingDir: null,
    environment: [],
    entrypoint: null,
    user: null,
    command: null,
    dependsOn: null,
    unsupported: [problem],
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const normalize = (p: string) => path.posix.normalize(p).replace(/(.)\/+$/, '$1');

/** One `volumes:` entry (short `SRC:DST[:MODE]` or long `{type, source, target, read_only}`); a string says why not. */
function mountOf(
  v: unknown,
  str: (x: unknown, ...keys: (string | number)[]) => string | null,
  directory: string,
): ComposeMount | string | null {
  let type: string;
  let source: string;
  let target: string;
  let readOnly: boolean;
  if (isObject(v)) {
    const t = v['type'] === undefined ? 'volume' : str(v['type'], 'type');
    const s = v['source'] === undefined ? '' : str(v['source'], 'source');
    const d = str(v['target'], 'target');
    if (t === null || s === null || d === null) return null;
    for (const key of Object.keys(v))
      if (!['type', 'source', 'target', 'read_only', 'bind', 'volume'].includes(key))
        return `the volume key \`${key}\`, which restage does not model`;
    [type, source, target, readOnly] = [t, s, d, v['read_only'] === true];
  } else {
    const s = str(v);
    if (s === null) return null;
    const parts = s.split(':');
    if (parts.length === 1) return `the anonymous volume \`${s}\`, which restage does not model for Compose`;
    if (parts.length > 3) return `the volume \`${s}\` has more parts than SOURCE:TARGET:MODE`;
    const modes = (parts[2] ?? '').split(',').filter((m) => m !== '');
    const odd = modes.find((m) => !['ro', 'rw', 'z', 'Z', 'cached', 'delegated', 'consistent'].includes(m));
    if (odd !== undefined) return `the volume \`${s}\` has the mode \`${odd}\`, which restage does not model`;
    source = parts[0]!;
    target = parts[1]!;
    readOnly = modes.includes('ro');
    type = /^[./~]/.test(source) ? 'bind' : 'volume';
  }
  if (!target.startsWith('/')) return `the mount target \`${target}\` is not an absolute path`;
  if (type === 'bind') {
    if (source.startsWith('~')) return `the bind source \`${source}\` is in the home directory of whoever runs compose`;
    if (source === '') return 'a bind mount without a source';
    return { kind: 'bind', source: path.resolve(directory, source), target: normalize(target), readOnly };
  }
  if (type === 'volume') return { kind: 'volume', source, target: normalize(target), readOnly };
  return `a mount of type \`${type}\`, which restage does not model for Compose`;
}

/**
 * Compose's interpolation of one value: the text, or why restage cannot know it. A variable the
 * client's environment may hold but the script does not set cannot be known.
 */
export function interpolate(text: string, env: Lookup): string | { readonly problem: string } {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '$') {
      out += c;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i++;
      continue;
    }
    const bare = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1));
    if (bare) {
      const got = variable(bare[0], undefined, '');
      if (typeof got !== 'string') return got;
      out += got;
      i += bare[0].length;
      continue;
    }
    if (next !== '{') {
      out += c;
      continue;
    }
    // `${…}` up to its matching brace (a default may nest another `${…}`).
    let depth = 1;
    let j = i + 2;
    for (; j < text.length && depth > 0; j++) {
      if (text[j] === '{') depth++;
      else if (text[j] === '}') depth--;
    }
    if (depth > 0) return { problem: `\`${text}\` has an unterminated \`\${\`` };
    const inner = text.slice(i + 2, j - 1);
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/.exec(inner);
    if (!m) return { problem: `\`${text}\` has \`\${${inner}}\`, which restage cannot read` };
    const got = variable(m[1]!, m[2], m[3] ?? '');
    if (typeof got !== 'string') return got;
    out += got;
    i = j - 1;
  }
  return out;

  function variable(name: string, op: string | undefined, word: string): string | { readonly problem: string } {
    const value = env(name);
    if (value === null)
      return { problem: `\`${text}\` interpolates $${name}, which the script does not set to a known value` };
    if (op === undefined) {
      if (value !== undefined) return value;
      return {
        problem: `\`${text}\` interpolates $${name}, which the script never sets (compose would read it from the environment of whoever runs it, or a .env file)`,
      };
    }
    if (!op.endsWith('-')) return { problem: `\`${text}\` uses \`\${${name}${op}…}\`, which restage does not model` };
    const unset = value === undefined || (op.startsWith(':') && value === '');
    return unset ? interpolate(word, env) : value;
  }
}

/**
 * A `command:`/`entrypoint:` string split into words as compose does (shell quoting, no
 * expansion); null for an unterminated quote.
 */
export function splitWords(text: string): string[] | null {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return null;
      word += text.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && j + 1 < text.length && '"\\$`'.includes(text[j + 1]!)) j++;
        word += text[j];
      }
      if (j >= text.length) return null;
      inWord = true;
      i = j;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}
