/**
 * Host-side commands that matter between extraction and the runtime build: `cd` (and
 * `pushd`/`popd`) move the working directory; `mkdir`, `rm`, `mv`, `cp`, `chmod`, `chown` and
 * `tar` act on extracted artifacts. Everything else on the host (echo, go test, …) is inert.
 */
import path from 'node:path';
import type { CommandAnalyzer, FlowSink } from './command.js';
import type { HostOperation } from '../model/flow.js';
import type { Word } from './shell/values.js';

const operands = (args: readonly Word[]) => args.filter((w) => !(w.text.startsWith('-') && w.text.length > 1));

function record(op: HostOperation['op'], call: Parameters<CommandAnalyzer>[0], sink: FlowSink, words: readonly Word[]): undefined {
  const paths = words.map((w) => (w.unresolved === null ? path.resolve(sink.cwd, w.text) : null)).filter((p): p is string => p !== null);
  sink.emit({ kind: 'host', at: call.at, op, paths, command: [call.name.written, ...call.args.map((a) => a.written)].join(' ') });
  return undefined;
}

/** Host analyzers for one script run (the `pushd` stack is per run). */
export function hostAnalyzers(): Readonly<Record<string, CommandAnalyzer>> {
  const stack: string[] = [];
  return {
  cd: (call, sink) => {
    const target = call.args.find((w) => !w.text.startsWith('-') || w.text === '-');
    if (!target) return undefined;
    const dir = sink.hostPath(target, 'directory of cd');
    if (dir) sink.changeDirectory(dir);
    return undefined;
  },
  pushd: (call, sink) => {
    const target = operands(call.args)[0];
    const dir = target && sink.hostPath(target, 'directory of pushd');
    if (dir) { stack.push(sink.cwd); sink.changeDirectory(dir); }
    return undefined;
  },
  popd: (_call, sink) => {
    const back = stack.pop();
    if (back) sink.changeDirectory(back);
    return undefined;
  },
  mkdir: (call, sink) => record('mkdir', call, sink, operands(call.args)),
  rm: (call, sink) => record('rm', call, sink, operands(call.args)),
  mv: (call, sink) => record('mv', call, sink, operands(call.args)),
  cp: (call, sink) => record('cp', call, sink, operands(call.args)),
  chmod: (call, sink) => record('chmod', call, sink, operands(call.args).slice(1)),
  chown: (call, sink) => record('chown', call, sink, operands(call.args).slice(1)),
  tar: (call, sink) => record('other', call, sink, []),
  };
}
