/**
 * Parses a docker sub-command's words the way the docker CLI (cobra/pflag) does: `-t x`,
 * `-tx`, `--tag x`, `--tag=x`, bundled booleans (`-qa`), `--` ends options, and options may
 * come after positionals. A spec names the options that take a value; others are booleans.
 * One parser for the analysis (shell words with their locations) and for verify's docker shim
 * (the plain strings of a call): it works on any word that has a `text`.
 */

/** What the parser needs of a word; a value taken from inside a word keeps the word's other fields. */
export interface OptionWord {
  readonly text: string;
}

export interface OptionSpec {
  /** Long names (without `--`) and short letters (without `-`) that take a value, with aliases mapped to a canonical long name. */
  readonly valued: Readonly<Record<string, string>>;
  /** Boolean options, with aliases mapped to a canonical long name. */
  readonly flags: Readonly<Record<string, string>>;
}

export interface ParsedOption<W extends OptionWord> {
  /** Canonical long name. */
  readonly name: string;
  readonly value: W | null;
  /** The words that spelled the option, to repeat it verbatim. */
  readonly words: readonly W[];
}

export interface ParsedWords<W extends OptionWord> {
  readonly options: readonly ParsedOption<W>[];
  readonly positionals: readonly W[];
  /** Options the spec does not know (assumed boolean). */
  readonly unknown: readonly W[];
}

export function parseWords<W extends OptionWord>(words: readonly W[], spec: OptionSpec): ParsedWords<W> {
  const options: ParsedOption<W>[] = [];
  const positionals: W[] = [];
  const unknown: W[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const t = w.text;
    if (t === '--') {
      positionals.push(...words.slice(i + 1));
      break;
    }
    if (t.startsWith('--') && t.length > 2) {
      const eq = t.indexOf('=');
      const key = eq < 0 ? t.slice(2) : t.slice(2, eq);
      const valued = spec.valued[key];
      if (valued !== undefined) {
        if (eq >= 0) options.push({ name: valued, value: { ...w, text: t.slice(eq + 1) }, words: [w] });
        else {
          const v = words[i + 1] ?? null;
          options.push({ name: valued, value: v, words: v ? [w, v] : [w] });
          i++;
        }
      } else if (spec.flags[key] !== undefined) {
        options.push({ name: spec.flags[key], value: eq >= 0 ? { ...w, text: t.slice(eq + 1) } : null, words: [w] });
      } else {
        unknown.push(w);
      }
      continue;
    }
    if (t.startsWith('-') && t.length > 1) {
      // A bundle of short options; the first one that takes a value takes the rest of the word or the next word.
      for (let j = 1; j < t.length; j++) {
        const letter = t[j]!;
        const valued = spec.valued[letter];
        if (valued !== undefined) {
          const rest = t.slice(j + 1).replace(/^=/, '');
          if (rest) options.push({ name: valued, value: { ...w, text: rest }, words: [w] });
          else {
            const v = words[i + 1] ?? null;
            options.push({ name: valued, value: v, words: v ? [w, v] : [w] });
            i++;
          }
          break;
        }
        const flag = spec.flags[letter];
        if (flag !== undefined) options.push({ name: flag, value: null, words: [w] });
        else {
          unknown.push(w);
          break;
        }
      }
      continue;
    }
    positionals.push(w);
  }
  return { options, positionals, unknown };
}

export const lastValue = <W extends OptionWord>(parsed: ParsedWords<W>, name: string): W | null =>
  [...parsed.options].reverse().find((o) => o.name === name)?.value ?? null;

export const allValues = <W extends OptionWord>(parsed: ParsedWords<W>, name: string): W[] =>
  parsed.options.filter((o) => o.name === name && o.value !== null).map((o) => o.value!);

export const hasFlag = <W extends OptionWord>(parsed: ParsedWords<W>, name: string): boolean =>
  parsed.options.some((o) => o.name === name && (o.value === null || o.value.text !== 'false'));

/** Builds a spec from `'t|tag'`-style names: every alias maps to the last (long) one. */
export function spec(valued: readonly string[], flags: readonly string[]): OptionSpec {
  const table = (names: readonly string[]) => {
    const out: Record<string, string> = {};
    for (const n of names) {
      const aliases = n.split('|');
      for (const a of aliases) out[a] = aliases[aliases.length - 1]!;
    }
    return out;
  };
  return { valued: table(valued), flags: table(flags) };
}
