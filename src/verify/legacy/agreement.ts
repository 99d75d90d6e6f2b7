/**
 * restage's self-check: the docker calls the legacy run really made (its trace), read with the
 * very analyzers that read the script (src/analyze/docker/), held against the flow the analysis
 * found. Builds, container creations, container calls (start, wait, stop, exec), copies out and removals are matched in order, kind by
 * kind: the n-th build of the run against the n-th build the analysis expects, and so on. Each
 * disagreement is one RS706 warning at the script line the analysis used: a field that differs
 * ("the run built with -f Dockerfile.dev here; the analysis assumed Dockerfile.build"), a call
 * the analysis expects that the run never made, a call the run made that the analysis did not see.
 * Inert calls (version, images, inspect…) and host commands are not compared.
 */
import path from 'node:path';
import { analyzeDocker } from '../../analyze/docker/index.js';
import type { FlowSink } from '../../analyze/command.js';
import type { Word } from '../../analyze/shell/values.js';
import type { Analysis } from '../../model/analysis.js';
import { diagnostic, type Diagnostic, type Location } from '../../model/diagnostic.js';
import type { FlowEvent } from '../../model/flow.js';
import { imageKey } from '../../shared/image-ref.js';
import { callText, type TraceCall } from './trace.js';

type Compared = Exclude<FlowEvent, { kind: 'host' }>;
const COMPARED: ReadonlySet<string> = new Set(['build', 'create', 'container', 'copy-out', 'remove']);

/** The flow events one traced call stands for, as the script's analyzers read its words. */
export function traceEvents(call: TraceCall, index: number): Compared[] {
  // A compose call ran as the shim calls it stands for (shim/compose.ts); they are traced themselves.
  if (call.client === 'docker-compose') return [];
  const at: Location = { file: 'trace', line: index + 1, column: 1 };
  const word = (text: string): Word => ({ text, unresolved: null, environment: [], at, written: text });
  const events: Compared[] = [];
  let handles = 0;
  const sink: FlowSink = {
    cwd: call.cwd,
    emit: (e) => {
      if (e.kind !== 'host' && COMPARED.has(e.kind)) events.push(e);
    },
    report: () => undefined,
    hostPath: (w) => path.resolve(call.cwd, w.text),
    require: (w) => w.text,
    newContainerHandle: () => `trace-${index}-${handles++}`,
    startContainer: () => true,
    changeDirectory: () => undefined,
  };
  analyzeDocker(
    {
      name: word(call.client),
      args: call.argv.map(word),
      at,
      redirects: [],
      captured: false,
      pipedOut: false,
      environment: new Map(),
    },
    sink,
  );
  return events;
}

/** How two events of the same kind differ, as "field: run value, analysis value" phrases. */
function differences(run: Compared, expected: Compared): string[] {
  const out: string[] = [];
  const same = (what: string, a: string | null, b: string | null) => {
    if (a !== b) out.push(`${what} ${a ?? '(none)'} where the analysis assumed ${b ?? '(none)'}`);
  };
  if (run.kind === 'build' && expected.kind === 'build') {
    same('the Dockerfile', run.dockerfile, expected.dockerfile);
    same('the context', run.context, expected.context);
    same('the target', run.target, expected.target);
    const tags = (e: typeof run) => e.tags.map(imageKey).sort().join(', ');
    same('the tags', tags(run), tags(expected));
  } else if (run.kind === 'create' && expected.kind === 'create') {
    same('the image', imageKey(run.image), imageKey(expected.image));
  } else if (run.kind === 'container' && expected.kind === 'container') {
    same('the verb', run.verb, expected.verb);
    same('waiting for the command', String(run.attached), String(expected.attached));
    if (run.exec && expected.exec) same('the command', run.exec.args.join(' '), expected.exec.args.join(' '));
  } else if (run.kind === 'copy-out' && expected.kind === 'copy-out') {
    same('the container path', run.containerPath, expected.containerPath);
    same('the host path', run.hostPath, expected.hostPath);
  }
  return out;
}

const VERB: Readonly<Record<string, string>> = {
  build: 'build an image',
  create: 'create a container',
  container: 'start, wait for, stop or exec in a container',
  'copy-out': 'copy out of a container',
  remove: 'remove a container',
};

/**
 * Stdout reads (`docker run IMG cat PATH > FILE`, `docker run IMG tar -c … | tar -x`,
 * `docker cp C:/p - | tar -x`): the trace holds a call's words, not the shell's redirection or
 * pipe, so the create, copy-outs and remove the analysis read for one such run are one traced
 * `run` of the same image whose command is the reader (`cat PATH`'s last word is PATH; a tar
 * stream's run names `tar`), and a tar stream of `docker cp` is one traced `cp … -` (its members
 * written into an archive file and unpacked from it later are the same stream), of `docker export`
 * one traced `export` of the container (all the members unpacked from it). Returns the
 * events so accounted for, and one RS706 for each read the run never made.
 */
function stdoutReads(
  events: readonly Compared[],
  trace: readonly TraceCall[],
): { accounted: Set<Compared>; out: Diagnostic[] } {
  const accounted = new Set<Compared>();
  const out: Diagnostic[] = [];
  const used = new Set<number>();
  for (const read of events) {
    if (read.kind !== 'copy-out' || accounted.has(read)) continue;
    if (read.via === 'tar' && !read.reader) {
      const group = events.filter(
        (e) =>
          e.kind === 'copy-out' &&
          e.via === 'tar' &&
          !e.reader &&
          e.container === read.container &&
          (read.exportedAt ? e.exportedAt !== undefined : e.containerPath === read.containerPath),
      );
      for (const e of group) accounted.add(e);
      const k = trace.findIndex(
        (c, i) =>
          !used.has(i) &&
          c.outcome === 'run' &&
          (read.exportedAt ? c.argv.includes('export') : c.argv.includes('cp') && c.argv.at(-1) === '-'),
      );
      if (k >= 0) used.add(k);
      else
        out.push(
          diagnostic(
            'RS706',
            read.at,
            read.exportedAt
              ? `the analysis assumed the script would stream the file system of container ${read.container} (\`docker export\`) for this tar -x; the run made no such call`
              : `the analysis assumed the script would stream ${read.containerPath} out of container ${read.container} as a tar archive (\`docker cp … -\`) for this tar -x; the run made no such call`,
          ),
        );
      continue;
    }
    if ((read.via !== 'stdout' && read.via !== 'tar') || !read.reader) continue;
    const tar = read.via === 'tar';
    const group = events.filter(
      (e) =>
        (tar || (e.at.line === read.at.line && e.at.file === read.at.file)) &&
        ((e.kind === 'create' && e.handle === read.container) ||
          e === read ||
          (tar && e.kind === 'copy-out' && e.container === read.container) ||
          (e.kind === 'remove' && e.containers.includes(read.container))),
    );
    for (const e of group) accounted.add(e);
    const create = group.find((e) => e.kind === 'create');
    const operand = read.reader.command.replace(/^cat /, '');
    const image = create?.kind === 'create' ? imageKey(create.image) : null;
    // A command's output: the words after the image (or the container, for an exec) the run passed.
    const exec = events.find(
      (e) => e.kind === 'container' && e.verb === 'exec' && e.at.line === read.at.line && e.at.file === read.at.file,
    );
    const commandArgs =
      create?.kind === 'create' ? (create.run?.args ?? []) : exec?.kind === 'container' ? (exec.exec?.args ?? []) : [];
    const k = trace.findIndex(
      (c, i) =>
        !used.has(i) &&
        c.outcome === 'run' &&
        (c.argv.includes('run') || (read.reader!.runsCommand === true && !create)) &&
        (read.reader!.runsCommand
          ? c.argv.includes(create ? 'run' : 'exec') && endsWith(c.argv, commandArgs)
          : tar
            ? c.argv.some((w) => /(^|\/)tar$/.test(w))
            : c.argv.at(-1) === operand) &&
        (image === null || c.argv.some((w) => imageKey(w) === image)),
    );
    if (k >= 0) used.add(k);
    else
      out.push(
        diagnostic(
          'RS706',
          create?.at ?? read.at,
          `the analysis assumed the script would read ${tar ? 'a tar stream' : read.reader.runsCommand ? `the output of \`${read.reader.command}\`` : operand} out of ${create?.kind === 'create' ? create.image : 'the image'} on standard output here (\`${read.reader.command}${tar ? '' : ` > ${read.reader.target}`}\`); the run made no such call`,
        ),
      );
  }
  return { accounted, out };
}

/**
 * Container calls are compared only for a container created under its `--name` earlier on the same
 * side: a captured id is a handle in the analysis and a real id in the run, and a call on a
 * container the script did not create is skipped or refused by the shim.
 */
function namedContainerCalls<T>(items: readonly T[], event: (t: T) => Compared): T[] {
  const named = new Set<string>();
  return items.filter((x) => {
    const e = event(x);
    if (e.kind === 'create' && !e.handle.startsWith('@') && !e.handle.startsWith('trace-')) named.add(e.handle);
    return e.kind !== 'container' || named.has(e.container);
  });
}

export function traceAgreement(analysis: Analysis, trace: readonly TraceCall[]): Diagnostic[] {
  const compared = namedContainerCalls(
    analysis.flow.events.filter((e): e is Compared => COMPARED.has(e.kind)),
    (e) => e,
  );
  const reads = stdoutReads(compared, trace);
  const expected = compared.filter((e) => !reads.accounted.has(e));
  const ran = namedContainerCalls(
    trace.flatMap((call, i) =>
      // A call the shim skipped (`docker rm -f c` before any `c` exists) is still one the script made.
      call.outcome !== 'refuse' ? traceEvents(call, i).map((event) => ({ event, call, index: i })) : [],
    ),
    (r) => r.event,
  );
  const used = new Set<number>();
  const out: Diagnostic[] = [...reads.out];
  let lastAt: Location = { file: analysis.flow.script, line: 1, column: 1 };
  for (const want of expected) {
    const k = ran.findIndex((r, i) => !used.has(i) && r.event.kind === want.kind);
    lastAt = want.at;
    if (k < 0) {
      out.push(
        diagnostic(
          'RS706',
          want.at,
          `the analysis assumed the script would ${VERB[want.kind]} here; the run made no such call`,
        ),
      );
      continue;
    }
    used.add(k);
    const found = ran[k]!;
    const diff = differences(found.event, want);
    if (diff.length > 0)
      out.push(
        diagnostic(
          'RS706',
          want.at,
          `the run did \`${callText(found.call)}\` here (docker call ${found.index + 1}), with ${diff.join('; ')}`,
        ),
      );
  }
  ran.forEach((r, i) => {
    if (!used.has(i))
      out.push(
        diagnostic(
          'RS706',
          lastAt,
          `the run did \`${callText(r.call)}\` (docker call ${r.index + 1}), which the analysis did not see: it would ${VERB[r.event.kind]} the migration does not account for`,
        ),
      );
  });
  return out;
}

/**
 * The script line of the run's first failed docker call (the cause: later ones often fail for
 * want of what it should have made), as the analysis read it: the n-th call of
 * its kind in the run is the n-th the analysis expects (the order traceAgreement holds them in).
 * Null when the call is not one the analysis follows or no docker call failed.
 */
export function failedCallAt(
  analysis: Analysis,
  trace: readonly TraceCall[],
): { at: Location; call: TraceCall; index: number } | null {
  const index = trace.findIndex((c) => c.outcome !== 'skip' && c.exitCode !== 0);
  if (index < 0) return null;
  const call = trace[index]!;
  const [event] = traceEvents({ ...call, outcome: 'run' }, index);
  if (!event) return null;
  const before = trace
    .slice(0, index)
    .filter((c) => c.outcome === 'run')
    .flatMap((c, i) => traceEvents(c, i))
    .filter((e) => e.kind === event.kind).length;
  const expected = analysis.flow.events.filter((e) => e.kind === event.kind)[before];
  return expected ? { at: expected.at, call, index } : null;
}

function endsWith(argv: readonly string[], tail: readonly string[]): boolean {
  return tail.length <= argv.length && tail.every((w, i) => argv[argv.length - tail.length + i] === w);
}
