/**
 * Compose in the sandboxed legacy run. There is no Compose in the sandbox, and a real one would
 * talk to the engine around the shim (its own API client: no prefixed names, no session label, no
 * cleanup). A `docker compose …` / `docker-compose …` call instead runs the `docker build` and
 * `docker run` that restage's translation says it stands for (src/analyze/compose/translate.ts,
 * the very translation the migration is made from), each through the shim's own `docker`, so
 * every one of them is rewritten, traced and cleaned up as if the script had written it. What the
 * translation cannot model is refused with its reason; a sub-command that builds and runs nothing
 * (`ps`, `config`, `pull`…) is not executed.
 *
 * What this proves is the migration against the translation: that the translation is what a real
 * Compose does is shown by test/e2e/compose-real.test.ts, which runs Debian's docker-compose (v1)
 * beside it on the same compose files.
 */
import path from 'node:path';
import type { CommandCall, FlowSink } from '../../../analyze/command.js';
import { translateCompose, type ComposeStep, type ComposeVersion } from '../../../analyze/compose/translate.js';
import type { ShellValue, Word } from '../../../analyze/shell/values.js';
import type { Diagnostic, Location } from '../../../model/diagnostic.js';
import { imageKey } from '../../../shared/image-ref.js';
import { shellQuote } from '../../../shared/shell-quote.js';
import { Refusal, Skip, type ShimContext, type ShimDecision, type ShimIo, type ShimState } from './types.js';

/** Where the shim's translation of a call is located in the messages it gives. */
const AT: Location = { file: 'the legacy run', line: 1, column: 1 };

/**
 * The decision for a compose call: `words` are those after `compose` (v2) or `docker-compose`
 * (v1); the nested calls go to the shim of `client` (`podman compose` runs podman's).
 */
export function rewriteCompose(
  words: readonly string[],
  version: ComposeVersion,
  ctx: ShimContext,
  state: ShimState,
  io: ShimIo,
): ShimDecision {
  const program = version === 1 ? 'docker-compose' : `${ctx.client} compose`;
  const word = (text: string): Word => ({ text, unresolved: null, environment: [], at: AT, written: text });
  const environment = new Map<string, ShellValue>(
    Object.entries(io.environment()).map(([k, v]) => [k, { text: v, unresolved: null, environment: [] }]),
  );
  const call: CommandCall = {
    name: word(program),
    args: words.map(word),
    at: AT,
    redirects: [],
    captured: false,
    pipedOut: false,
    environment,
  };
  const problems: Diagnostic[] = [];
  const steps: ComposeStep[] = [];
  const sink: FlowSink = {
    cwd: ctx.cwd,
    emit: () => undefined,
    report: (d) => {
      if (d.severity === 'error') problems.push(d);
    },
    hostPath: (w) => path.resolve(ctx.cwd, w.text),
    require: (w) => w.text,
    newContainerHandle: () => 'compose',
    startContainer: () => true,
    changeDirectory: () => undefined,
    readFile: (file) => {
      const text = io.readFile(file);
      return text === null ? null : { text, display: path.relative(ctx.repo, file) || file };
    },
  };
  translateCompose(call, sink, version, (step) => steps.push(step));
  const shown = `${program} ${words.join(' ')}`;
  if (problems.length > 0)
    throw new Refusal(
      `restage verify refused \`${shown}\`: ${problems.map((d) => (d.file === AT.file ? d.message : `${d.file}:${d.line}: ${d.message}`)).join('; ')}`,
    );
  if (steps.length === 0)
    throw new Skip(
      `${shown}: not executed (it builds and runs nothing; there is no Compose in verify's sandbox to print what it manages)`,
    );
  // Compose builds before `run` only when the engine lacks the image: not once the run built it
  // (the analysis knows that only within one script). That build prints to the command's standard
  // output, as docker-compose 1.29 does (test/e2e/compose-real.test.ts).
  const ran = steps.filter((s) => !(s.verb === 'build' && s.implicit && state.images[imageKey(s.image)]));
  const shim = shellQuote(path.join(ctx.bin, ctx.client === 'podman' ? 'podman' : 'docker'));
  const lines = ran.map((s, i) => {
    const command = `${shim} ${s.verb} ${s.call.args.map((w) => shellQuote(w.text)).join(' ')}`;
    return i === ran.length - 1 ? `exec ${command}` : `${command} || exit`;
  });
  return {
    kind: 'run',
    withoutClient: true,
    argv: ['/bin/sh', '-c', lines.join('\n')],
    state,
    files: [],
    capturesId: false,
    notes: [`${shown}: ran as ${ran.map((s) => `\`docker ${s.verb}\``).join(' + ')}, as restage translates it`],
  };
}
