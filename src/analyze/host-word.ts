/**
 * A host path operand whose value the script does not fix — a variable it never sets (the shell
 * makes it empty), `~`, a command's output — is undecidable: the host analyzers (host.ts,
 * unpack.ts, fetch.ts) record it as such and never resolve it to a guessed path.
 */
import type { Word } from './shell/values.js';

/** Why a word cannot name a known host path and what would make it known, or null when it can. */
export function undecidable(w: Word): { reason: string; fix: string } | null {
  if (w.unresolved !== null) return { reason: w.unresolved, fix: 'set the variable in the script to a literal value' };
  if (w.environment.length > 0) {
    const name = w.environment[0]!;
    return {
      reason: `${w.environment.map((n) => `$${n}`).join(', ')}, which the script never sets (the shell makes ${w.environment.length > 1 ? 'them' : 'it'} empty when unset)`,
      fix: `give it a literal default in the script (\${${name}:-/tmp/out}) or its value with --env ${name}=VALUE`,
    };
  }
  // `~` is no variable: no default or --env changes what it expands to.
  if (/^~/.test(w.written))
    return {
      reason: '~, the home directory of whoever runs the script',
      fix: 'write the path without ~ (a literal path, or a variable the script sets)',
    };
  return null;
}
