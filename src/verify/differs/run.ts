/**
 * Run: what running each image printed and how it ended. Exit code, stdout, stderr and whether
 * the run timed out must all agree. Nothing is reported when either side was not run.
 */
import type { Differ, RunOutcome } from '../model.js';
import { stamp } from './support/finding.js';
import { contrast } from './support/format.js';

const difference = stamp('run', 'difference');

const EXCERPT = 80;

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

const FACETS: ReadonlyArray<readonly [field: keyof RunOutcome, message: (legacy: RunOutcome, migrated: RunOutcome) => string]> = [
  ['exitCode', (l, m) => `exit code: ${contrast(String(m.exitCode), String(l.exitCode))}`],
  ['timedOut', (l, m) => contrast(m.timedOut ? 'timed out' : 'finished', l.timedOut ? 'timed out' : 'finished')],
  ['stdout', (l, m) => textMessage('stdout', l.stdout, m.stdout)],
  ['stderr', (l, m) => textMessage('stderr', l.stderr, m.stderr)],
];

export const differ: Differ = {
  id: 'run',
  title: 'Running the image',
  compare(legacy, migrated) {
    const [l, m] = [legacy.run, migrated.run];
    if (l === undefined || m === undefined) return [];
    return FACETS.filter(([field]) => l[field] !== m[field]).map(([field, message]) =>
      difference({ subject: 'run', field, legacy: l[field], migrated: m[field], message: message(l, m) }),
    );
  },
};
