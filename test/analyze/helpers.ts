/** Shared by the analysis tests: a script analysed at /proj, its events and diagnostics. */
import { parseShell } from '../../src/parse/shell.js';
import { analyzeScript, type ScriptParameters } from '../../src/analyze/script.js';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import type { FlowEvent } from '../../src/model/flow.js';

export const ROOT = '/proj';

export function analyzeText(
  text: string,
  parameters: ScriptParameters = {},
): { events: FlowEvent[]; diagnostics: Diagnostic[] } {
  const parsed = parseShell('build.sh', text);
  if (!parsed.script) throw new Error(`parse failed: ${JSON.stringify(parsed.diagnostics)}`);
  const { flow, diagnostics } = analyzeScript(parsed.script, ROOT, `${ROOT}/build.sh`, parameters);
  return { events: [...flow.events], diagnostics: [...parsed.diagnostics, ...diagnostics] };
}

/** `build TAGS`, `create HANDLE IMAGE [ran:how@line:command]`, `cp C:PATH HOST`, `rm C`, `host OP PATHS`. */
export function summarize(events: readonly FlowEvent[]): string[] {
  return events.map((e) => {
    switch (e.kind) {
      case 'build':
        return `build ${e.tags.join(',')}`;
      case 'create':
        return `create ${e.handle} ${e.image}${e.started ? ` ran:${e.started.how}@${e.started.at.line}:${e.started.command ?? '(default)'}` : ''}`;
      case 'copy-out':
        return `cp ${e.container}:${e.containerPath} ${e.hostPath}`;
      case 'remove':
        return `rm ${e.containers.join(',')}`;
      case 'host':
        return `host ${e.op} ${e.paths.join(',')}`;
      case 'container':
        return `${e.verb}${e.attached ? '' : ' -d'} ${e.container}${e.exec ? ` ${e.exec.args.join(' ')}` : ''}`;
    }
  });
}
