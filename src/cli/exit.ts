/**
 * Exit codes, everywhere: 0 ok, 1 findings (verify), 2 bad input or usage, 3 engine failure,
 * 70 an internal error. A signal ends verify with 128 + its number (src/cli/verify.ts).
 */
export const EXIT = { ok: 0, findings: 1, badInput: 2, engine: 3, internal: 70 } as const;

/** `--env NAME=VALUE` options as a map, or the usage error (a bad one exits 2). */
export function parseEnvOptions(list: readonly string[]): { env: Record<string, string> } | { usage: string } {
  const env: Record<string, string> = {};
  for (const a of list) {
    const eq = a.indexOf('=');
    if (eq <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(a.slice(0, eq)))
      return { usage: `invalid argument "${a}" for "--env" flag: takes NAME=VALUE (a shell variable name, then =)` };
    env[a.slice(0, eq)] = a.slice(eq + 1);
  }
  return { env };
}
