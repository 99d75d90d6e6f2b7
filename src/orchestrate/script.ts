/** A shell script as the orchestrator: read as it is. */
import path from 'node:path';
import { parseShell } from '../parse/shell.js';
import type { ScriptKind } from './kind.js';

export const shellScript: ScriptKind = {
  kind: 'script',
  matches: () => true,
  read: (context, name) => {
    const abs = path.join(context.root, name);
    const text = context.readText(abs);
    const shell = text === null ? null : parseShell(context.display(abs), text);
    return {
      shell,
      lines: text === null ? 0 : text.split('\n').length,
      diagnostics: [],
      relocate: () => undefined,
    };
  },
};
