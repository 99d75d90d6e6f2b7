/**
 * The docker command family: strips the CLI's global options, then dispatches on the verb path
 * (`build`, `image build`, `container cp` …) to one analyzer per file in this folder. Every
 * analyzer file exports `verbs` and `analyze`; the registry below lists them all (a test checks
 * it against the folder).
 */
import { diagnostic } from '../../model/diagnostic.js';
import { globalOptions } from '../../shared/docker-cli.js';
import type { CommandAnalyzer } from '../command.js';
import * as build from './build.js';
import * as compose from './compose.js';
import * as cp from './cp.js';
import * as create from './create.js';
import * as exec from './exec.js';
import * as exportVerb from './export.js';
import * as rm from './rm.js';
import * as run from './run.js';
import * as start from './start.js';
import * as stop from './stop.js';
import * as wait from './wait.js';

export interface VerbAnalyzer {
  readonly verbs: readonly (readonly string[])[];
  readonly analyze: CommandAnalyzer;
}

export const REGISTRY: Readonly<Record<string, VerbAnalyzer>> = {
  build,
  compose,
  cp,
  create,
  exec,
  export: exportVerb,
  rm,
  run,
  start,
  stop,
  wait,
};

/**
 * Verbs that do not change the artifact flow: recognised and ignored without a word. `start`,
 * `restart` and `exec` are not among them: they run a command in a container (start.ts, exec.ts);
 * nor are `wait` and `stop`/`kill`: they decide when that command ended (wait.ts, stop.ts).
 */
const INERT = new Set([
  'push',
  'pull',
  'tag',
  'image tag',
  'images',
  'image ls',
  'ps',
  'container ls',
  'login',
  'logout',
  'version',
  'info',
  'inspect',
  'image inspect',
  'container inspect',
  'logs',
  'rmi',
  'image rm',
  'image prune',
  'container prune',
  'system prune',
  'network',
  'volume',
  'save',
  'load',
  'history',
  'buildx',
  'context',
  'container logs',
]);

const table = Object.values(REGISTRY)
  .flatMap((a) => a.verbs.map((v) => ({ verb: v, analyze: a.analyze })))
  .sort((a, b) => b.verb.length - a.verb.length);

export const analyzeDocker: CommandAnalyzer = (call, sink) => {
  const rest = call.args.slice(globalOptions(call.args.map((w) => w.text)).verbAt);
  const words = rest.map((w) => w.text);
  for (const entry of table) {
    if (entry.verb.every((v, k) => words[k] === v)) {
      return entry.analyze({ ...call, args: rest.slice(entry.verb.length), verb: entry.verb }, sink);
    }
  }
  const verb = words.slice(0, 2).join(' ');
  if (words.length === 0 || INERT.has(words[0]!) || INERT.has(verb)) return undefined;
  sink.report(
    diagnostic(
      'RS306',
      call.at,
      `restage does not analyse \`docker ${verb}\`; if it changes what the build produces, migrate that part by hand`,
    ),
  );
  return undefined;
};
