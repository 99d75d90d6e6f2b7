/**
 * Verbs that act on existing containers. A container the run created (by name or id) is named by
 * its prefixed name or full id. One it did not create belongs to the user: `rm`, `stop`, `kill`
 * and `pause` of it are not executed (the script sees success, the report a note), using it
 * (`start`, `exec`, `cp`, `attach`, `rename`…) is refused — the build would depend on something
 * outside the run — and reading it (`inspect`, `logs`, `wait`, `export`, `commit`…) passes.
 */
import { containerSide, CP } from '../../../analyze/docker/cp.js';
import { EXEC } from '../../../analyze/docker/exec.js';
import { RM } from '../../../analyze/docker/rm.js';
import { START } from '../../../analyze/docker/start.js';
import { hasFlag, parseWords, spec, type OptionSpec } from '../../../shared/docker-options.js';
import { widen, type Arg, type Call } from './call.js';
import { refuseUnknown } from './container.js';
import type { ShimDecision } from './types.js';

type Use = 'remove' | 'use' | 'read';

interface ContainerVerb {
  readonly options: OptionSpec;
  /** Only the first positional names a container (the words after it are a command, a path, an image). */
  readonly first: boolean;
  readonly use: Use;
}

const STOP = spec(['t|time', 's|signal', 'timeout'], ['a|all', 'i|ignore', 'l|latest']);
const NONE = spec([], []);

export const CONTAINER_VERBS: Readonly<Record<string, ContainerVerb>> = {
  rm: { options: widen(RM, spec(['t|time', 'depend'], ['a|all', 'i|ignore'])), first: false, use: 'remove' },
  stop: { options: STOP, first: false, use: 'remove' },
  kill: { options: spec(['s|signal'], ['a|all', 'l|latest']), first: false, use: 'remove' },
  pause: { options: NONE, first: false, use: 'remove' },
  start: { options: START, first: false, use: 'use' },
  restart: { options: STOP, first: false, use: 'use' },
  unpause: { options: NONE, first: false, use: 'use' },
  exec: { options: EXEC, first: true, use: 'use' },
  attach: { options: spec(['detach-keys'], ['no-stdin', 'sig-proxy']), first: true, use: 'use' },
  wait: { options: spec(['condition', 'i|interval'], []), first: false, use: 'read' },
  logs: {
    options: spec(['since', 'until', 'n|tail'], ['f|follow', 't|timestamps', 'details']),
    first: true,
    use: 'read',
  },
  top: { options: NONE, first: true, use: 'read' },
  port: { options: NONE, first: true, use: 'read' },
  diff: { options: NONE, first: true, use: 'read' },
  stats: { options: spec(['format'], ['a|all', 'no-stream', 'no-trunc']), first: false, use: 'read' },
  export: { options: spec(['o|output'], []), first: true, use: 'read' },
};

export function rewriteContainerVerb(call: Call, verb: string): ShimDecision {
  const { options, first, use } = CONTAINER_VERBS[verb]!;
  const parsed = parseWords(first ? untilFirst(call.args, options) : call.args, options);
  refuseUnknown(call, parsed.unknown);
  if (hasFlag(parsed, 'all') || hasFlag(parsed, 'latest'))
    call.skip(`${call.command} --all/--latest: not executed (it acts on the user's containers, not only the run's)`);
  if (verb === 'exec' && hasFlag(parsed, 'privileged'))
    call.refuse(
      'with --privileged',
      'a privileged process reaches the whole host',
      'Remove --privileged from the command, or leave this build out of `restage verify`',
    );
  const names = first ? parsed.positionals.slice(0, 1) : parsed.positionals;
  const foreign: Arg[] = [];
  for (const arg of names) {
    const own = call.container(arg.text);
    if (own !== null) call.set(arg, own);
    else if (use === 'read') continue;
    else if (use === 'use')
      call.refuse(
        `of ${arg.text}`,
        `${arg.text} is no container this run created, and verify's build must not depend on the user's containers`,
        'Let the script create the containers it uses',
      );
    else foreign.push(arg);
  }
  if (foreign.length > 0) {
    const list = foreign.map((a) => a.text).join(', ');
    const note = `${call.command} ${list}: not executed (no container this run created)`;
    if (foreign.length === names.length) call.skip(note, foreign.map((a) => `${a.text}\n`).join(''));
    foreign.forEach((a) => call.drop(a));
    call.notes.push(note);
  }
  return call.run();
}

/** The words up to and including the first positional: options end at the container. */
function untilFirst(args: readonly Arg[], options: OptionSpec): readonly Arg[] {
  const first = parseWords(args, options).positionals[0];
  return first ? args.slice(0, first.index + 1) : args;
}

/** `cp`: the container side (`NAME:PATH`) is mapped; the host side is the client's, inside the sandbox. */
export function rewriteCp(call: Call): ShimDecision {
  const parsed = parseWords(call.args, CP);
  refuseUnknown(call, parsed.unknown);
  for (const arg of parsed.positionals) {
    const side = containerSide(arg.text);
    if (side === null) continue;
    const own = call.container(side.container);
    if (own === null)
      call.refuse(
        `of ${arg.text}`,
        `${side.container} is no container this run created, and verify's build must not depend on the user's containers`,
        'Copy only from and to containers the script creates itself',
      );
    call.set(arg, `${own}:${side.path}`);
  }
  return call.run();
}

/** `rename OLD NEW`: only a container of the run; the new name gets the prefix. */
export function rewriteRename(call: Call): ShimDecision {
  const [from, to] = parseWords(call.args, NONE).positionals;
  if (from && to) {
    const own = call.container(from.text);
    if (own === null)
      call.refuse(
        `of ${from.text}`,
        `${from.text} is no container this run created`,
        'Rename only containers the script creates itself',
      );
    call.set(from, own);
    call.set(to, call.newContainer(to.text));
  }
  return call.run();
}

/** `commit CONTAINER [REPO[:TAG]]`: the container mapped when the run's, the new tag prefixed. */
export function rewriteCommit(call: Call): ShimDecision {
  const parsed = parseWords(
    call.args,
    spec(
      ['a|author', 'c|change', 'm|message', 'f|format', 'iidfile'],
      ['p|pause', 'q|quiet', 'squash', 'include-volumes'],
    ),
  );
  refuseUnknown(call, parsed.unknown);
  const [container, target] = parsed.positionals;
  const own = container ? call.container(container.text) : null;
  if (container && own !== null) call.set(container, own);
  if (target) call.set(target, call.newTag(target.text));
  return call.run();
}

/** `ps`: only the run's containers, by its label (the user's are none of the script's business). */
export function rewritePs(call: Call): ShimDecision {
  call.add(`--filter=label=${call.ctx.label}=${call.ctx.runId}`);
  return call.run();
}
