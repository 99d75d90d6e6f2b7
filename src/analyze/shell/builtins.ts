/**
 * The shell builtins the evaluator answers itself (`exit`, `pwd`, `dirname`, `basename`, `echo`
 * and `printf` when captured, `shift`, the no-ops; `source` is not followed, RS306) and calls of
 * the script's functions: a frame of their own for `$1`…, nesting at most 16 deep, and their
 * variables global unless declared `local`, as in the shell.
 */
import path from 'node:path';
import { diagnostic } from '../../model/diagnostic.js';
import type { SyntaxNode } from '../../parse/shell.js';
import type { CommandCall } from '../command.js';
import { Exit, type Shell } from './state.js';
import { known, unresolved, type ShellValue, type Word } from './values.js';

const MAX_CALL_DEPTH = 16;

export function builtin(sh: Shell, call: CommandCall): ShellValue | undefined {
  const text = (w: Word | undefined) => (w && w.unresolved === null ? w.text : null);
  switch (call.name.text) {
    case 'exit':
      throw new Exit();
    case 'pwd':
      return known(sh.cwd);
    case 'dirname': {
      const a = call.args[0];
      return a && text(a) !== null
        ? known(path.dirname(a.text))
        : unresolved(`the output of \`dirname ${a?.written ?? ''}\``);
    }
    case 'basename': {
      const a = call.args[0];
      if (!a || text(a) === null) return unresolved(`the output of \`basename ${a?.written ?? ''}\``);
      const base = path.basename(a.text);
      const suffix = text(call.args[1]);
      return known(suffix && base.endsWith(suffix) && base !== suffix ? base.slice(0, -suffix.length) : base);
    }
    case 'echo':
    case 'printf': {
      if (!call.captured) return known('');
      const args = call.args.filter((w, i) => !(i === 0 && /^-[neE]+$/.test(w.text)));
      if (call.name.text === 'printf' && args.length > 1) return unresolved('the output of printf');
      const bad = args.find((w) => w.unresolved !== null);
      return bad ? unresolved(bad.unresolved!) : known(args.map((w) => w.text).join(' '));
    }
    case 'set':
    case 'shopt':
    case 'true':
    case ':':
    case 'trap':
    case 'umask':
      return known('');
    case 'shift':
      sh.frame.positional = sh.frame.positional.slice(Number(text(call.args[0]) ?? '1') || 1);
      return known('');
    case 'source':
    case '.':
      sh.report(
        diagnostic(
          'RS306',
          call.at,
          `restage does not follow \`${call.name.text} ${call.args[0]?.written ?? ''}\`; variables it sets are unknown to the analysis`,
        ),
      );
      return known('');
    default:
      return undefined;
  }
}

export function callFunction(sh: Shell, call: CommandCall): ShellValue | undefined {
  const body = sh.functions.get(call.name.text);
  if (!body) return undefined;
  if (sh.depth >= MAX_CALL_DEPTH) return unresolved(`a recursive call of ${call.name.text}`);
  const saved = sh.frame;
  sh.frame = { vars: new Map(), positional: [...call.args] };
  sh.depth++;
  try {
    return sh.runStatement(body, { captured: call.captured }) ?? known('');
  } finally {
    sh.depth--;
    // Function variables are global in the shell unless declared `local`.
    for (const [k, v] of sh.frame.vars) if (!isLocalIn(body, k)) sh.globals.set(k, v);
    sh.frame = saved;
  }
}

function isLocalIn(body: SyntaxNode, name: string): boolean {
  return new RegExp(`(^|\\s)local\\s+([^\\n;]*\\s)?${name}(=|\\s|$)`, 'm').test(body.text);
}
