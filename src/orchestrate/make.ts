/**
 * A Makefile as the orchestrator: `make [VAR=value…] GOAL`. `--script-arg` words of the form
 * `VAR=value` are make's command-line variables; any other word (or `--make-target`) is the goal.
 */
import path from 'node:path';
import { isMakefileName } from '../discover/discover.js';
import { makeTargets, orchestrateMake, readInvocation, type MakeInvocation } from '../analyze/make/orchestrate.js';
import type { OrchestratorContext, TargetKind } from './kind.js';

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_.]*=/;

/** The `VAR=value` words of make's command line. */
export function makeArguments(context: Pick<OrchestratorContext, 'scriptArgs'>): string[] {
  return (context.scriptArgs ?? []).filter((a) => ASSIGNMENT.test(a));
}

function invocation(context: OrchestratorContext, name: string): MakeInvocation | null {
  const abs = path.join(context.root, name);
  const text = context.readText(abs);
  if (text === null) return null;
  const args = makeArguments(context);
  return {
    file: context.display(abs),
    text,
    commandLine: Object.fromEntries(args.map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)])),
    environment: context.env ?? {},
    readFile: (included) => {
      const at = path.resolve(path.dirname(abs), included);
      const got = context.readText(at);
      return got === null ? null : { display: context.display(at), text: got };
    },
  };
}

export const makefile: TargetKind = {
  kind: 'make',
  matches: (name) => isMakefileName(path.basename(name)),
  given: (context) => {
    const given = context.makeTarget ?? (context.scriptArgs ?? []).find((a) => !ASSIGNMENT.test(a));
    if (given === undefined) return null;
    return {
      target: given,
      why: context.makeTarget !== undefined ? 'named by --make-target' : 'named by --script-arg',
    };
  },
  targets: (context, name) => {
    const inv = invocation(context, name);
    if (!inv) return null;
    const read = readInvocation(inv);
    return { defaultTarget: read.defaultGoal, targets: makeTargets(read) };
  },
  read: (context, name, goal) => {
    const inv = invocation(context, name);
    if (!inv) return { shell: null, lines: 0, diagnostics: [], relocate: () => undefined };
    const made = orchestrateMake(inv, goal);
    return { shell: made.shell, lines: made.lines, diagnostics: made.diagnostics, relocate: made.relocate };
  },
  targetAt: (context, name, goal) => {
    const inv = invocation(context, name);
    return (inv ? readInvocation(inv).rules.get(goal)?.at : undefined) ?? null;
  },
  commandLine: (context, goal) => `make ${[...makeArguments(context), goal].join(' ')}`,
  noun: 'target',
  followedCode: 'RS363',
  otherTarget: '--make-target names another target',
};
