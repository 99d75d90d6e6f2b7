/**
 * A COPY/ADD path word as Docker reads it. Docker facts, measured on docker 20.10 with the classic
 * builder and BuildKit alike (the table in test/parse/dockerfile-word.test.ts): each source and destination word, in the
 * shell form and in the JSON form alike, goes through Docker's shell-word lexer before it names a
 * path. Outside quotes the escape character (`\`, or the one `# escape=` sets) takes the next
 * character literally; `'…'` is literal; inside `"…"` the escape character escapes only `"`, `$`
 * and itself (any other escape stays as written). A quote that is never closed fails the build:
 * "unexpected end of statement while looking for matching single-quote" (or double-quote).
 *
 * `$` is left in the value as written (its expansion is the analysis's concern: a source that
 * holds one is decided at build time).
 */

export type DockerWord =
  { readonly value: string; readonly error?: undefined } | { readonly error: string; readonly offset: number };

export function dockerWord(raw: string, escapeChar = '\\'): DockerWord {
  let value = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === escapeChar) {
      if (i + 1 < raw.length) value += raw[++i];
      continue;
    }
    if (ch === "'") {
      const end = raw.indexOf("'", i + 1);
      if (end < 0) return { error: 'unexpected end of statement while looking for matching single-quote', offset: i };
      value += raw.slice(i + 1, end);
      i = end;
      continue;
    }
    if (ch === '"') {
      const open = i;
      for (i++; i < raw.length && raw[i] !== '"'; i++) {
        if (raw[i] === escapeChar && i + 1 < raw.length && ['"', '$', escapeChar].includes(raw[i + 1]!)) i++;
        value += raw[i];
      }
      if (i >= raw.length)
        return { error: 'unexpected end of statement while looking for matching double-quote', offset: open };
      continue;
    }
    value += ch;
  }
  return { value };
}

/**
 * The word Docker reads back as `value` (the inverse of dockerWord): each quote and escape
 * character escaped, and `$` too unless `variables` (a path the user wrote, whose variables the
 * build expands). Whitespace is not escapable: the shell form splits its words at whitespace
 * before lexing them (`COPY "a b" /o` fails), so a path with whitespace needs the JSON form.
 */
export function writeDockerWord(value: string, escapeChar = '\\', variables = false): string {
  const special = new Set(["'", '"', escapeChar, ...(variables ? [] : ['$'])]);
  return [...value].map((c) => (special.has(c) ? escapeChar + c : c)).join('');
}
