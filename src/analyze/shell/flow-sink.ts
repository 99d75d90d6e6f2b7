/**
 * What the command analyzers see of the running shell (the FlowSink): its directory, where events
 * go, host paths resolved against the directory, and words refused when restage cannot know them
 * (RS304). Also the redirections of a command as analyzers read them, and the notes about words:
 * a default assumed for a parameter (RS322, once each), an unset expansion dropped (RS305).
 */
import path from 'node:path';
import { diagnostic } from '../../model/diagnostic.js';
import type { FlowEvent } from '../../model/flow.js';
import { imageKey } from '../../shared/image-ref.js';
import type { SyntaxNode } from '../../parse/shell.js';
import type { FlowSink, PipeContent, Redirect, TarStream } from '../command.js';
import type { Shell } from './state.js';
import type { Word } from './values.js';

/** The sink for the analyzers of one script run; `events` receives the flow. */
export function flowSink(sh: Shell, events: FlowEvent[]): FlowSink {
  let handles = 0;
  let pipe: PipeContent | null = null;
  const files = new Map<string, TarStream>();
  const sink: FlowSink = {
    get cwd() {
      return sh.cwd;
    },
    emit: (event) => {
      events.push(event);
    },
    report: (d) => sh.report(d),
    hostPath: (word, role) => {
      reportAssumed(sh, word);
      const text = sink.require(word, role);
      return text === null ? null : path.resolve(sh.cwd, text);
    },
    require: (word, role) => {
      if (word.unresolved !== null) {
        sh.report(
          diagnostic(
            'RS304',
            word.at,
            `the ${role} \`${word.written}\` depends on ${word.unresolved}, which restage cannot know without running the script; restage does not guess: write it as a literal (or a variable with a literal value) and run restage again`,
          ),
        );
        return null;
      }
      if (word.environment.length > 0) {
        const names = word.environment.map((n) => `$${n}`).join(', ');
        sh.report(
          diagnostic(
            'RS304',
            word.at,
            `the ${role} \`${word.written}\` depends on ${names}, which the script never sets (it comes from the environment of whoever runs it, and expands to nothing when unset); restage does not guess: give it a literal default, e.g. \${${word.environment[0]}:-value}, or its value with --env ${word.environment[0]}=VALUE, and run restage again`,
          ),
        );
        return null;
      }
      return word.text;
    },
    ...(sh.readFile ? { readFile: sh.readFile } : {}),
    newContainerHandle: () => `@container#${++handles}`,
    startContainer: (container, start) => {
      for (let i = events.length - 1; i >= 0; i--) {
        const e = events[i]!;
        if (e.kind === 'remove' && e.containers.includes(container)) return false;
        if (e.kind !== 'create' || e.handle !== container) continue;
        if (!e.started) events[i] = { ...e, started: start.how === 'start' ? { ...start, command: e.command } : start };
        return true;
      }
      return false;
    },
    imageBuildOf: (container) => {
      const latest = [...events].reverse();
      const created = latest.find((e) => e.kind === 'create' && e.handle === container);
      if (created?.kind !== 'create') return null;
      const key = imageKey(created.image);
      const built = latest.find((e) => e.kind === 'build' && e.tags.some((t) => imageKey(t) === key));
      return built?.kind === 'build' ? built : null;
    },
    changeDirectory: (to) => {
      sh.cwd = to;
    },
    streams: {
      toPipe: (stream) => {
        pipe = stream;
      },
      fromPipe: () => {
        const stream = pipe;
        pipe = null;
        return stream;
      },
      toFile: (hostPath, stream) => {
        files.set(hostPath, stream);
      },
      fromFile: (hostPath) => files.get(hostPath) ?? null,
    },
  };
  return sink;
}

/** The first use that matters of a parameter restage gave its default (a docker argument, a host path): said once (RS322). */
export function reportAssumed(sh: Shell, word: Word): void {
  for (const a of word.assumed ?? []) {
    if (sh.reported.has(`assumed:${a.name}`)) continue;
    sh.reported.add(`assumed:${a.name}`);
    const positional = /^[0-9]+$/.test(a.name);
    sh.report(
      diagnostic(
        'RS322',
        word.at,
        positional
          ? `assumed $${a.name}=${a.value} (its default): the script's argument $${a.name} is unknown to restage, so the analysis used the default; give the script's arguments with --script-arg (in order) to analyse the build you run`
          : `assumed ${a.name}=${a.value} (its default): ${a.name} comes from the environment of whoever runs the script, and restage assumed it unset; give its value with --env ${a.name}=VALUE to analyse the build you run`,
      ),
    );
  }
}

/** `$DOCKER_BUILD_OPTS` unset and unquoted: the shell drops the word; so does restage, and says so. */
export function reportUnsetExpansions(sh: Shell, nodes: readonly SyntaxNode[]): void {
  for (const node of nodes) {
    if (node.type !== 'simple_expansion' && node.type !== 'expansion') continue;
    const name = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(node.text)?.[1];
    if (name && sh.scope.lookup(name) === undefined) {
      sh.report(
        diagnostic(
          'RS305',
          sh.locate(node),
          `$${name} is not set by the script, so it expands to nothing here, as in the shell; if your environment sets it, give its value with --env ${name}=VALUE (or add its options to the build command restage prints)`,
        ),
      );
    }
  }
}

/** A redirection node as the analyzers read it: `>`, `2>>`, `&>` … and its target as written. */
export function toRedirect(node: SyntaxNode): Redirect {
  const operator = node.children.find((c) => !c.isNamed && /[<>]/.test(c.type))?.type ?? node.type;
  const destination =
    node.childForFieldName('destination') ?? node.namedChildren.find((c) => c.type !== 'file_descriptor') ?? null;
  const target: Word | null = destination
    ? {
        text: destination.text,
        unresolved: null,
        environment: [],
        at: { file: '', line: destination.startPosition.row + 1, column: destination.startPosition.column + 1 },
        written: destination.text,
      }
    : null;
  const fd = node.namedChildren.find((c) => c.type === 'file_descriptor')?.text ?? '';
  return { operator: fd + operator, target };
}
