/**
 * What discovery alone decides, from the listing `discover` made: the files it reports with their
 * roles, and the diagnostics that stop a migration before any script is read (RS101, RS102, RS105)
 * or that name a refused file (RS120–RS122). Pure: the listing is plain data.
 */
import { diagnostic, type Diagnostic, type Location } from '../model/diagnostic.js';
import type { FoundFile } from '../model/result.js';
import { isBuilderDockerfileName, isJsScriptName, PACKAGE_DEPTH, SCRIPT_DIRS, type Discovery } from './discover.js';
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
          `${o} runs docker, but restage analyses shell scripts, Makefiles, package.json scripts and JS/TS build scripts only; move the docker steps into a build.sh or a Makefile (or migrate by hand) and run restage again`,
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
 * RS113: why there is nothing to migrate when no orchestrator here runs docker: the files restage
 * looked at, by kind (shell scripts, Makefiles, package.json scripts — those below the top level
 * too —, JS/TS build scripts), that
 * none of them runs docker, and `--script FILE` for a pipeline driven from elsewhere; located at a
 * Dockerfile named like a builder's when there is one.
 */
export function noOrchestrator(found: Discovery, shown: (name: string) => string, directory: string): Diagnostic {
  const where = `${directory}, its ${SCRIPT_DIRS.map((d) => `${d}/`).join(', ')} folders and the package.json files of its sub-directories (${PACKAGE_DEPTH} levels deep)`;
  const dockerfiles = [...found.dockerfiles, ...found.nestedDockerfiles];
  const builder = dockerfiles.find((d) => isBuilderDockerfileName(d.split('/').pop()!));
  const shell = found.inertScripts.filter((n) => !isJsScriptName(n));
  const js = found.inertScripts.filter((n) => isJsScriptName(n));
  const read = (
    [
      ['shell scripts', shell],
      ['Makefiles', found.inertMakefiles],
      ['package.json scripts', found.inertPackages],
      ['JS/TS build scripts', js],
    ] as const
  )
    .filter(([, names]) => names.length > 0)
    .map(([kind, names]) => `${kind}: ${names.map(shown).join(', ')}`);
  const compose = [
    ...(found.inertPackages.length > 0
      ? [
          'a package.json script counts when it runs docker itself or through a JS/TS build script it runs (below the top, a shell script of its package too)',
        ]
      : []),
    'a Compose file is read when one of those runs `docker compose`',
  ].join('; ');
  const why =
    read.length > 0
      ? `restage read ${read.join('; ')}, and none of them runs docker`
      : 'there is no shell script, Makefile, package.json or JS/TS build script there';
  const others =
    found.otherOrchestrators.length > 0
      ? `; ${found.otherOrchestrators.map(shown).join(', ')} runs docker, but restage does not read it`
      : '';
  const named = `name it with --script FILE (relative to ${directory})`;
  return diagnostic(
    'RS113',
    { file: builder !== undefined ? shown(builder) : directory, line: 1, column: 1 },
    builder !== undefined
      ? `${builder} looks like a builder's Dockerfile, but nothing in ${where} runs docker to build it: ${why} (${compose})${others}; if a script elsewhere drives it, ${named}`
      : `restage found ${dockerfiles.map(shown).join(', ')} and nothing in ${where} that builds it: ${why} (${compose})${others}; there is no builder pattern here — if another file builds these images, ${named}`,
  );
}
