/**
 * Config: what decides how a container of the image behaves (the ImageConfig fields, plus the
 * platform). Everything else `docker image inspect` prints — Id, Created, Parent, Container,
 * ContainerConfig, DockerVersion, Comment, Config.Image, layer digests — differs between any two
 * builds and is never read here (the samples' migrations in test/e2e/verify.test.ts are equivalent).
 *
 * Equalities Docker itself makes: null, absent, "", [] and {} all mean unset; WorkingDir "" is "/";
 * an unset StopSignal is SIGTERM, and "TERM" is "SIGTERM"; an exposed port without protocol is tcp;
 * a Healthcheck duration or retry count of 0 means "inherit". Env is read per variable: the order
 * of distinct variables does not matter to a process, the order of one name's duplicates does.
 */
import { normalizePath } from '../../shared/paths.js';
import type { Differ, ImageConfig, ImageFacts, Shown } from '../model.js';
import { stamp, type Finding } from './support/finding.js';
import { contrast, shown } from './support/format.js';
import { isUnset, sameValue } from './support/values.js';

/** Compares one field's raw values (as inspect gives them) and names what differs. */
type FieldDiffer = (name: string, legacy: unknown, migrated: unknown) => Finding[];

function finding(
  subject: string,
  field: string | undefined,
  legacy: Shown,
  migrated: Shown,
  render: (value: Shown) => string = shown,
): Finding {
  const label = field === undefined ? subject : `${subject} ${field}`;
  return {
    subject,
    ...(field === undefined ? {} : { field }),
    legacy,
    migrated,
    message: `${label}: ${contrast(render(migrated), render(legacy))}`,
  };
}

const difference = stamp('config', 'difference');

const asJsonText = (value: Shown): string => (value === null ? 'unset' : String(value));
const listText = (value: unknown): Shown => (isUnset(value) ? null : JSON.stringify(value));

/** Ordered lists (exec-form commands, Shell, OnBuild, Healthcheck Test): reported whole, as JSON. */
function listFindings(subject: string, field: string | undefined, legacy: unknown, migrated: unknown): Finding[] {
  return sameValue(legacy, migrated) ? [] : [finding(subject, field, listText(legacy), listText(migrated), asJsonText)];
}

const list: FieldDiffer = (name, legacy, migrated) => listFindings(name, undefined, legacy, migrated);

/** Strings with Docker's own normalization; `normalize` maps unset to null or to the default. */
function scalar(normalize: (value: string | undefined) => string | null): FieldDiffer {
  return (name, legacy, migrated) => {
    const [l, m] = [normalize(stringOrUndefined(legacy)), normalize(stringOrUndefined(migrated))];
    return l === m ? [] : [finding(name, undefined, l, m)];
  };
}

const stringOrUndefined = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

function keys(value: unknown): string[] {
  return isUnset(value) || typeof value !== 'object' ? [] : Object.keys(value as object);
}

/** Maps whose keys alone matter (ExposedPorts, Volumes): each key present on one side only. */
function keySet(normalizeKey: (key: string) => string, present: string, absent: string): FieldDiffer {
  return (name, legacy, migrated) => {
    const [l, m] = [new Set(keys(legacy).map(normalizeKey)), new Set(keys(migrated).map(normalizeKey))];
    const phrase = (value: Shown): string => (value ? present : absent);
    return [...new Set([...l, ...m])]
      .filter((key) => l.has(key) !== m.has(key))
      .map((key) => finding(name, key, l.has(key), m.has(key), phrase));
  };
}

/** Maps of strings (Labels): per key. */
const stringMap: FieldDiffer = (name, legacy, migrated) => {
  const value = (map: unknown, key: string): Shown => {
    const found = isUnset(map) ? undefined : (map as Record<string, unknown>)[key];
    return typeof found === 'string' ? found : null;
  };
  return [...new Set([...keys(legacy), ...keys(migrated)])]
    .filter((key) => value(legacy, key) !== value(migrated, key))
    .map((key) => finding(name, key, value(legacy, key), value(migrated, key)));
};

/** Env entries per variable name, values in order; an entry without '=' has the value ''. */
function envByName(env: unknown): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const item of Array.isArray(env) ? env : []) {
    const text = String(item);
    const equals = text.indexOf('=');
    const [name, value] = equals === -1 ? [text, ''] : [text.slice(0, equals), text.slice(equals + 1)];
    const values = byName.get(name);
    if (values) values.push(value);
    else byName.set(name, [value]);
  }
  return byName;
}

const env: FieldDiffer = (name, legacy, migrated) => {
  const [l, m] = [envByName(legacy), envByName(migrated)];
  const values = (found: readonly string[] | undefined): Shown =>
    found === undefined ? null : found.length === 1 ? (found[0] ?? '') : JSON.stringify(found);
  return [...new Set([...l.keys(), ...m.keys()])]
    .filter((variable) => values(l.get(variable)) !== values(m.get(variable)))
    .map((variable) => finding(name, variable, values(l.get(variable)), values(m.get(variable))));
};

const HEALTH_DURATIONS = ['Interval', 'Timeout', 'StartPeriod', 'StartInterval'] as const;

/** Healthcheck per sub-field; durations (nanoseconds in inspect) shown in seconds. */
const healthcheck: FieldDiffer = (name, legacy, migrated) => {
  const read = (health: unknown, key: string): unknown =>
    isUnset(health) ? undefined : (health as Record<string, unknown>)[key];
  const count = (value: unknown): Shown => (typeof value === 'number' && value !== 0 ? value : null);
  const seconds = (value: unknown): Shown => (typeof value === 'number' && value !== 0 ? `${value / 1e9}s` : null);
  const test = listFindings(name, 'Test', read(legacy, 'Test'), read(migrated, 'Test'));
  const scalars = [...HEALTH_DURATIONS.map((key) => [key, seconds] as const), ['Retries', count] as const].flatMap(
    ([key, render]) => {
      const [l, m] = [render(read(legacy, key)), render(read(migrated, key))];
      return l === m ? [] : [finding(name, key, l, m, asJsonText)];
    },
  );
  return [...test, ...scalars];
};

function stopSignal(value: string | undefined): string {
  const upper = (value ?? 'SIGTERM').toUpperCase();
  return /^\d+$/.test(upper) || upper.startsWith('SIG') ? upper : `SIG${upper}`;
}

const portKey = (key: string): string => (key.includes('/') ? key.toLowerCase() : `${key}/tcp`);
const volumeKey = (key: string): string => normalizePath(key);

interface ConfigField {
  readonly name: string;
  readonly read: (image: ImageFacts) => unknown;
  readonly compare: FieldDiffer;
}

const fromConfig =
  (name: keyof ImageConfig): ConfigField['read'] =>
  (image) =>
    image.config[name];

/** Report order: how `docker image inspect` lists them, then the platform. */
const FIELDS: readonly ConfigField[] = [
  { name: 'Entrypoint', read: fromConfig('Entrypoint'), compare: list },
  { name: 'Cmd', read: fromConfig('Cmd'), compare: list },
  { name: 'Env', read: fromConfig('Env'), compare: env },
  { name: 'WorkingDir', read: fromConfig('WorkingDir'), compare: scalar((value) => normalizePath(value ?? '/')) },
  { name: 'User', read: fromConfig('User'), compare: scalar((value) => value ?? null) },
  { name: 'ExposedPorts', read: fromConfig('ExposedPorts'), compare: keySet(portKey, 'exposed', 'not exposed') },
  { name: 'Volumes', read: fromConfig('Volumes'), compare: keySet(volumeKey, 'a volume', 'not a volume') },
  { name: 'Labels', read: fromConfig('Labels'), compare: stringMap },
  { name: 'Healthcheck', read: fromConfig('Healthcheck'), compare: healthcheck },
  { name: 'StopSignal', read: fromConfig('StopSignal'), compare: scalar(stopSignal) },
  { name: 'Shell', read: fromConfig('Shell'), compare: list },
  { name: 'OnBuild', read: fromConfig('OnBuild'), compare: list },
  { name: 'Os', read: (image) => image.os, compare: scalar((value) => value ?? null) },
  { name: 'Architecture', read: (image) => image.architecture, compare: scalar((value) => value ?? null) },
];

export const differ: Differ = {
  id: 'config',
  title: 'Image config',
  compare(legacy, migrated) {
    return FIELDS.flatMap(({ name, read, compare }) => compare(name, read(legacy.image), read(migrated.image))).map(
      difference,
    );
  },
};
