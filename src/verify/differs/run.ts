/**
 * Run: what running each image printed and how it ended. Exit code, stdout, stderr and whether
 * the run timed out must all agree. Nothing is reported when either side was not run.
 *
 * Each image is run twice (RunOutcome.rerun). A facet that differs between the two runs of one
 * image (a random number, a time, a PID) is nondeterministic: it is named as information and not
 * compared. Output that holds the same lines in another order (`find`, a directory listing: both
 * follow the order of the file system, not of the program) is information, not a difference. When
 * neither image's command succeeded, that is said too: "equivalent" alone would hide it.
 */
import type { Differ, Difference, RunOutcome } from '../model.js';
import { stamp } from './support/finding.js';
import { contrast } from './support/format.js';

const difference = stamp('run', 'difference');
const info = stamp('run', 'info');

const EXCERPT = 80;
/** How many lines of stderr a failed start is shown with. */
export const STDERR_HEAD = 5;

function excerpt(line: string | undefined): string {
  if (line === undefined) return 'end of output';
  return JSON.stringify(line.length > EXCERPT ? `${line.slice(0, EXCERPT)}…` : line);
}

/** Names the first line (1-based) where two outputs part. */
function textMessage(stream: string, legacy: string, migrated: string): string {
  const [l, m] = [legacy.split('\n'), migrated.split('\n')];
  let line = 0;
  while (line < Math.max(l.length, m.length) && l[line] === m[line]) line += 1;
  return `${stream} differs from line ${line + 1}: ${contrast(excerpt(m[line]), excerpt(l[line]))}`;
}

type Facet = 'exitCode' | 'timedOut' | 'stdout' | 'stderr';

const FACETS: ReadonlyArray<readonly [field: Facet, message: (legacy: RunOutcome, migrated: RunOutcome) => string]> = [
  ['exitCode', (l, m) => `exit code: ${contrast(String(m.exitCode), String(l.exitCode))}`],
  ['timedOut', (l, m) => contrast(m.timedOut ? 'timed out' : 'finished', l.timedOut ? 'timed out' : 'finished')],
  ['stdout', (l, m) => textMessage('stdout', l.stdout, m.stdout)],
  ['stderr', (l, m) => textMessage('stderr', l.stderr, m.stderr)],
];

/** The facets whose value changed between the two runs of one image. */
export function nondeterministic(run: RunOutcome): Facet[] {
  const again = run.rerun;
  return again === undefined ? [] : FACETS.map(([field]) => field).filter((field) => run[field] !== again[field]);
}

const sortedLines = (text: string) =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .sort()
    .join('\n');

/** The first lines of stderr, for a report of a command that did not succeed. */
export function stderrHead(run: RunOutcome): string[] {
  return run.stderr
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(0, STDERR_HEAD);
}

const failed = (run: RunOutcome) => run.timedOut || run.exitCode !== 0;

function outcome(run: RunOutcome): string {
  const head = stderrHead(run);
  return `${run.timedOut ? 'timed out' : `exit ${run.exitCode}`}${head.length > 0 ? `, stderr: ${JSON.stringify(head.join('\n'))}` : ''}`;
}

export const differ: Differ = {
  id: 'run',
  title: 'Running the image',
  compare(legacy, migrated) {
    const [l, m] = [legacy.run, migrated.run];
    if (l === undefined || m === undefined) return [];
    const found: Difference[] = [];
    const unstable = new Set<Facet>();
    for (const [side, run] of [
      ['legacy', l],
      ['migrated', m],
    ] as const) {
      for (const field of nondeterministic(run)) {
        unstable.add(field);
        found.push(
          info({
            subject: 'run',
            field,
            legacy: side === 'legacy' ? String(l[field]) : null,
            migrated: side === 'migrated' ? String(m[field]) : null,
            message: `${field} changes from one run of the ${side} image to the next (nondeterministic): not compared`,
          }),
        );
      }
    }
    for (const [field, message] of FACETS) {
      if (unstable.has(field) || l[field] === m[field]) continue;
      if ((field === 'stdout' || field === 'stderr') && sortedLines(l[field]) === sortedLines(m[field])) {
        found.push(
          info({
            subject: 'run',
            field,
            legacy: l[field],
            migrated: m[field],
            message: `${field} holds the same lines in another order (the order of a file system listing is not the program's): not a difference`,
          }),
        );
        continue;
      }
      found.push(difference({ subject: 'run', field, legacy: l[field], migrated: m[field], message: message(l, m) }));
    }
    if (failed(l) && failed(m)) {
      found.push(
        info({
          subject: 'run',
          field: 'failed',
          legacy: outcome(l),
          migrated: outcome(m),
          message: `neither image's default command succeeded — migrated: ${outcome(m)}; legacy: ${outcome(l)}; the comparison of what they do proves little`,
        }),
      );
    }
    return found;
  },
};
