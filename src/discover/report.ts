/**
 * What discovery alone decides, from the listing `discover` made: the files it reports with their
 * roles, and the diagnostics that stop a migration before any script is read (RS101, RS102, RS105)
 * or that name a refused file (RS120–RS122). Pure: the listing is plain data.
 */
import { diagnostic, type Diagnostic, type Location } from '../model/diagnostic.js';
import type { FoundFile } from '../model/result.js';
import { isBuilderDockerfileName, SCRIPT_DIRS, type Discovery } from './discover.js';
import { refusalDiagnostic } from './confine.js';

/** RS101: the migrated path is a file (`isFile`) or does not exist. */
export function notADirectory(isFile: boolean, at: Location): Diagnostic {
  return diagnostic(
    'RS101',
    at,
    isFile
      ? 'this is a file, not a directory: give restage the directory that holds the Dockerfiles and the build script'
      : 'no such directory',
  );
}

export interface DiscoveryReport {
  readonly files: FoundFile[];
  readonly diagnostics: Diagnostic[];
  /** No Dockerfile at the top level (RS102): nothing can be migrated, whatever the scripts do. */
  readonly noDockerfile: boolean;
}

/**
 * `shown(name)` displays a top-level name, `directory` the directory itself. Orchestrators that
 * restage does not analyse are RS105 only when no shell script, Makefile or package.json runs docker: otherwise
 * that one is analysed and they are listed. Makefiles and package.json files that run docker are listed by the runner, which
 * knows which one it follows.
 */
export function reportDiscovery(found: Discovery, shown: (name: string) => string, directory: string): DiscoveryReport {
  const files: FoundFile[] = [];
  const diagnostics: Diagnostic[] = found.refused.map((r) =>
    refusalDiagnostic(r.reason, { file: shown(r.name), line: 1, column: 1 }, r.name),
  );
  for (const o of found.otherOrchestrators) {
    files.push({ path: shown(o), role: 'other-orchestrator' });
    if (found.scripts.length + found.makefiles.length + found.packages.length === 0) {
      diagnostics.push(
        diagnostic(
          'RS105',
          { file: shown(o), line: 1, column: 1 },
          `${o} runs docker, but restage analyses shell scripts, Makefiles and package.json scripts only; move the docker steps into a build.sh or a Makefile (or migrate by hand) and run restage again`,
        ),
      );
    }
  }
  for (const m of found.inertMakefiles) files.push({ path: shown(m), role: 'makefile' });
  // Dockerfiles kept in docker/ (or another SCRIPT_DIRS folder) serve a script that names them with -f.
  if (found.dockerfiles.length > 0 || (found.nestedDockerfiles.length > 0 && found.scripts.length > 0))
    return { files, diagnostics, noDockerfile: false };
  diagnostics.push(
    diagnostic(
      'RS102',
      { file: directory, line: 1, column: 1 },
      found.entries.length === 0
        ? 'the directory is empty: there is no Dockerfile to migrate'
        : `there is no Dockerfile in this directory${found.scripts.length ? ` (${found.scripts.join(', ')} runs docker, but the Dockerfiles it builds are not here)` : ''}; run restage on the directory that holds the Dockerfiles`,
    ),
  );
  for (const s of [...found.scripts, ...found.makefiles, ...found.packages])
    files.push({ path: shown(s), role: 'orchestrator' });
  return { files, diagnostics, noDockerfile: true };
}

/**
 * RS113: why there is nothing to migrate when no script or Makefile here runs docker: what restage
 * looked at, and, for a Dockerfile named like a builder's, what the user can do.
 */
export function noOrchestrator(found: Discovery, shown: (name: string) => string, directory: string): Diagnostic {
  const where = `${directory} or its ${SCRIPT_DIRS.map((d) => `${d}/`).join(', ')} folders`;
  const dockerfiles = [...found.dockerfiles, ...found.nestedDockerfiles];
  const builder = dockerfiles.find((d) => isBuilderDockerfileName(d.split('/').pop()!));
  const others =
    found.otherOrchestrators.length > 0
      ? ` (${found.otherOrchestrators.map(shown).join(', ')} runs docker, but restage does not read it)`
      : '';
  return diagnostic(
    'RS113',
    { file: builder !== undefined ? shown(builder) : directory, line: 1, column: 1 },
    builder !== undefined
      ? `${builder} looks like a builder's Dockerfile, but no shell script or Makefile in ${where} runs docker to build it${others}; if a script elsewhere drives it, name it with --script FILE (relative to ${directory})`
      : `restage looked at ${dockerfiles.map(shown).join(', ')} and found no shell script or Makefile in ${where} that runs docker${others}: there is no builder pattern here`,
  );
}
