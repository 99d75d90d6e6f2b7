/** Orchestrating script → BuildFlow: the evaluator walks the script; docker and host analyzers record the facts. */
import type { Diagnostic } from '../model/diagnostic.js';
import type { BuildFlow } from '../model/flow.js';
import type { ShellScript } from '../parse/shell.js';
import type { CommandAnalyzer, ReadFile, RunPackage } from './command.js';
import { analyzeCompose } from './compose/translate.js';
import { analyzeDocker } from './docker/index.js';
import { hostAnalyzers, hostRedirections, otherHostCommand } from './host.js';
import { evaluateScript } from './shell/evaluator.js';
import { DOCKER_CLIENTS } from '../shared/docker-cli.js';

/** Container engine clients whose CLI is docker's. */

/** What the script receives from whoever runs it: its arguments and environment (unknown when not given). */
export interface ScriptParameters {
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Another shell script of the tree, parsed, that the script sources or runs (absolute path), or null. */
  readonly readScript?: (absolutePath: string, sourced: boolean) => ShellScript | null;
  /** Another file of the tree by absolute path (a compose file), or null. */
  readonly readFile?: (absolutePath: string) => ReadFile | null;
  /** The directory the script starts in, when not the migrated directory (a package's, for its npm script). */
  readonly cwd?: string;
  /** The package script an `npm run` command runs; without it, none is followed. */
  readonly runPackage?: RunPackage;
}

/** The `docker-compose` program (Compose v1): src/analyze/compose/translate.ts. */
const COMPOSE_V1: ReadonlySet<string> = new Set([
  'docker-compose',
  '/usr/bin/docker-compose',
  '/usr/local/bin/docker-compose',
]);
const composeV1: CommandAnalyzer = (call, sink) => analyzeCompose(call, sink, 1);

/** `scriptPath` is the script's absolute path (what `$0` names); `script.file` is how diagnostics show it. */
export function analyzeScript(
  script: ShellScript,
  root: string,
  scriptPath: string,
  parameters: ScriptParameters = {},
): { flow: BuildFlow; diagnostics: Diagnostic[]; included: readonly string[] } {
  const host = hostAnalyzers();
  const analyzerFor = (name: string): CommandAnalyzer | undefined =>
    DOCKER_CLIENTS.has(name)
      ? analyzeDocker
      : COMPOSE_V1.has(name)
        ? composeV1
        : Object.hasOwn(host, name)
          ? host[name]
          : otherHostCommand;
  const { events, diagnostics, included, calls } = evaluateScript(script, {
    root,
    scriptPath,
    displayFile: script.file,
    analyzerFor,
    ...parameters,
    // A docker (or compose) command's output into a file is the docker analyzers' to judge (RS307).
    onRedirect: (call, sink) =>
      DOCKER_CLIENTS.has(call.name.text) || COMPOSE_V1.has(call.name.text) ? undefined : hostRedirections(call, sink),
  });
  return { flow: { script: script.file, events, ...(calls.length > 0 ? { calls } : {}) }, diagnostics, included };
}
