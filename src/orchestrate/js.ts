/**
 * A JS/TS build script as the orchestrator (`node scripts/build.js`, `tsx build.ts`): the commands
 * it runs (js-commands.ts) as a shell script, each line's locations moved back to the call. The
 * TypeScript parser is loaded here, on the first such file read: a migration without one never
 * pays for it.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as TS from 'typescript';
import { isJsScriptName } from '../shared/js-runner.js';
import { parseShell } from '../parse/shell.js';
import { jsCommands, type JsCommandOptions, type JsScript } from './js-commands.js';
import type { ScriptKind } from './kind.js';
import { relocator } from '../shared/relocate.js';

let typescript: typeof TS | undefined;
function loadTypescript(): typeof TS {
  typescript ??= createRequire(import.meta.url)('typescript') as typeof TS;
  return typescript;
}

/** The commands of the build script `text` (displayed as `file`) runs, as a shell script. */
export function readJsScript(file: string, text: string, options: JsCommandOptions = {}): JsScript {
  return jsCommands(loadTypescript(), file, text, options);
}

export const jsScript: ScriptKind = {
  kind: 'js',
  matches: (name) => isJsScriptName(name),
  read: (context, name) => {
    const abs = path.join(context.root, name);
    const text = context.readText(abs);
    if (text === null) return { shell: null, lines: 0, diagnostics: [], relocate: () => undefined };
    const file = context.display(abs);
    const args = context.scriptArgs ?? [];
    const script = readJsScript(
      file,
      text,
      args.length > 0 ? { argv: `--script-arg gives it ${args.map((a) => `\`${a}\``).join(' ')}` } : {},
    );
    const shell = parseShell(file, script.text);
    const relocate = relocator(file, (at) => script.origins[at.line - 1] ?? null);
    relocate(shell.diagnostics);
    return { shell, lines: script.origins.length, diagnostics: script.diagnostics, relocate };
  },
};
