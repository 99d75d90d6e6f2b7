/**
 * An `--env-file` as the docker client reads it: one variable a line; leading white space is
 * dropped; empty lines and lines starting with `#` are skipped; `NAME=VALUE` sets NAME to VALUE
 * exactly as written (no quotes removed, no expansion); a bare `NAME` takes the value from the
 * client's environment, which is not literal; a name with white space is refused by the client.
 */
export type EnvLine =
  | { readonly kind: 'set'; readonly line: number; readonly name: string; readonly value: string }
  | { readonly kind: 'unreadable'; readonly line: number; readonly why: string };

export function parseEnvFile(text: string): EnvLine[] {
  const out: EnvLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '').replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    const name = eq < 0 ? line : line.slice(0, eq);
    if (/\s/.test(name) || name === '')
      out.push({ kind: 'unreadable', line: i + 1, why: `\`${name}\` is no variable name: docker refuses the file` });
    else if (eq < 0)
      out.push({
        kind: 'unreadable',
        line: i + 1,
        why: `\`${name}\` takes its value from the environment of whoever runs the script, which restage does not know`,
      });
    else out.push({ kind: 'set', line: i + 1, name, value: line.slice(eq + 1) });
  });
  return out;
}
