/**
 * `restage migrate DIR` on a tree: every builder pattern under DIR (src/scan/tree.ts), each
 * migrated as `restage migrate` on its own directory would migrate it. One pattern gives the one
 * result of old; several give one result each, in walk order. Options that speak of one pattern
 * (--script, --make-target, --script-arg, --out) take DIR as that pattern's directory, as before.
 *
 * With --write and several patterns, nothing is written unless every pattern migrates; then each is
 * written in turn, each write with its own way back (runMigrate's).
 * --build-dockerfile and --runtime-dockerfile name a Dockerfile the pattern must use in that role:
 * they pick that pattern among several, and refuse (RS116) when no pattern uses it so.
 */
import path from 'node:path';
import { diagnostic, sortDiagnostics, type Diagnostic } from '../model/diagnostic.js';
import type { FileRole, MigrationResult } from '../model/result.js';
import { treePatterns } from '../scan/tree.js';
import { displayPath } from '../shared/display-path.js';
import { EXIT } from './exit.js';
import { runMigrate, type MigrateCommandOptions } from './migrate.js';

export interface MigrateTreeOptions extends MigrateCommandOptions {
  /** --build-dockerfile, relative to DIR: the Dockerfile the pattern builds its builder image from. */
  readonly buildDockerfile?: string;
  /** --runtime-dockerfile, relative to DIR: the Dockerfile the pattern builds its runtime image from. */
  readonly runtimeDockerfile?: string;
}

export interface TreeOutcome {
  readonly results: readonly MigrationResult[];
  /** Whether DIR held several patterns (the reports are then one section, or one JSON object, each). */
  readonly several: boolean;
  readonly exitCode: number;
}

export function runMigrateTree(dir: string, options: MigrateTreeOptions = {}): TreeOutcome {
  const base = path.resolve(options.displayBase ?? process.cwd());
  const named = namedRoles(dir, options, base);
  const onePattern =
    options.script !== undefined ||
    options.makeTarget !== undefined ||
    options.scriptArgs !== undefined ||
    options.out !== undefined;
  if (onePattern) {
    const { result, exitCode } = runMigrate(dir, options);
    const refused = named.length > 0 ? roleRefusal(result, named, displayPath(path.resolve(dir), base)) : null;
    return refused
      ? { results: [refuse(result, refused)], several: false, exitCode: EXIT.badInput }
      : { results: [result], several: false, exitCode };
  }
  const root = path.resolve(dir);
  const analysed = treePatterns(dir, {
    displayBase: base,
    ...(options.env ? { env: options.env } : {}),
  }).map(({ candidate, migration }) => {
    const shown = candidate.dir === root ? dir : path.join(dir, path.relative(root, candidate.dir));
    // The pattern's directory as the user reaches it from DIR.
    return { dir: shown, migration: { ...migration!, result: { ...migration!.result, directory: shown } } };
  });
  const chosen =
    named.length > 0 ? analysed.filter((p) => roleRefusal(p.migration.result, named, '') === null) : analysed;
  if (chosen.length === 0) {
    // Nothing qualifies: DIR's own analysis says what restage saw there.
    const { result, exitCode } = runMigrate(dir, options);
    if (named.length === 0) return { results: [result], several: false, exitCode };
    const refused = roleRefusal(
      result,
      named,
      displayPath(root, base),
      analysed.map((p) => p.migration.result),
    );
    return refused
      ? { results: [refuse(result, refused)], several: false, exitCode: EXIT.badInput }
      : { results: [result], several: false, exitCode };
  }
  const several = chosen.length > 1;
  if (options.write && several) {
    const declined = chosen.filter((p) => p.migration.result.status === 'error');
    if (declined.length > 0) {
      const names = declined.map((p) => p.dir).join(', ');
      const results = chosen.map((p) => {
        const result = p.migration.result;
        if (result.status === 'error') return result;
        const at = { file: displayPath(path.resolve(p.dir), base), line: 1, column: 1 };
        return refuse(
          result,
          diagnostic(
            'RS117',
            at,
            `not written: restage writes a tree's patterns all or none, and it cannot migrate ${names}; fix that, or migrate this one alone with restage migrate ${p.dir} --write`,
          ),
        );
      });
      return { results, several, exitCode: EXIT.badInput };
    }
  }
  const runs = chosen.map((p) => runMigrate(p.dir, options, p.migration));
  return {
    results: runs.map((r) => r.result),
    several,
    exitCode: Math.max(...runs.map((r) => r.exitCode)),
  };
}

interface NamedRole {
  readonly option: '--build-dockerfile' | '--runtime-dockerfile';
  readonly role: FileRole;
  /** As the results show paths. */
  readonly shown: string;
}

function namedRoles(dir: string, options: MigrateTreeOptions, base: string): NamedRole[] {
  const named: NamedRole[] = [];
  const shown = (file: string) => displayPath(path.resolve(dir, file), base);
  if (options.buildDockerfile !== undefined)
    named.push({ option: '--build-dockerfile', role: 'builder-dockerfile', shown: shown(options.buildDockerfile) });
  if (options.runtimeDockerfile !== undefined)
    named.push({
      option: '--runtime-dockerfile',
      role: 'runtime-dockerfile',
      shown: shown(options.runtimeDockerfile),
    });
  return named;
}

/** RS116 when `result` does not use a named Dockerfile in its role; `others`: the tree's patterns, for the message. */
function roleRefusal(
  result: MigrationResult,
  named: readonly NamedRole[],
  where: string,
  others: readonly MigrationResult[] = [],
): Diagnostic | null {
  for (const n of named) {
    if (result.files.some((f) => f.path === n.shown && f.role === n.role)) continue;
    const actual = result.files.find((f) => f.path === n.shown);
    const seen = [result, ...others]
      .flatMap((r) => r.files.filter((f) => f.role === n.role).map((f) => f.path))
      .filter((p, i, all) => all.indexOf(p) === i);
    return diagnostic(
      'RS116',
      { file: n.shown, line: 1, column: 1 },
      `${n.option} ${n.shown}: ${
        actual
          ? `the pipeline in ${where} uses it as its ${actual.role.replace(/-/g, ' ')}`
          : `no builder pattern under ${where} builds it`
      }${seen.length > 0 ? `; restage found ${n.role.replace(/-/g, ' ')}s ${seen.join(', ')}` : ''}`,
    );
  }
  return null;
}

function refuse(result: MigrationResult, d: Diagnostic): MigrationResult {
  return { ...result, status: 'error', written: [], diagnostics: sortDiagnostics([...result.diagnostics, d]) };
}
