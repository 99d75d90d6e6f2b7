/**
 * ARG placement and build-argument collisions. An ARG before the first FROM is usable only in
 * FROM lines, so the runtime file's global ARGs move above the builder's first FROM. Two builds
 * that each got their own `--build-arg` now share one build: a name given different values, or
 * given to one build while the other file declares it, changes what a stage sees (RS502). The
 * predefined proxy arguments need no ARG and are not reported.
 */
import { diagnostic, type Diagnostic } from '../model/diagnostic.js';
import type { ParsedDockerfile } from '../model/dockerfile.js';
import type { ImageBuild } from '../model/flow.js';
import type { TextEdit } from '../model/plan.js';

const PREDEFINED = new Set([
  'http_proxy',
  'https_proxy',
  'ftp_proxy',
  'no_proxy',
  'all_proxy',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'FTP_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
]);

export interface Hoist {
  readonly lines: string[];
  /** Edits on the runtime file that remove its global ARGs from their old place. */
  readonly removals: TextEdit[];
}

const argName = (raw: string) => raw.split('=')[0]!;

export function hoistGlobalArgs(
  builder: ParsedDockerfile,
  runtime: ParsedDockerfile,
  diagnostics: Diagnostic[],
): Hoist {
  const builderArgs = new Map(
    builder.globalArgs.map((a) => [argName(a.args[0]?.raw ?? ''), builder.text.slice(a.start, a.end)]),
  );
  const lines: string[] = [];
  const removals: TextEdit[] = [];
  for (const arg of runtime.globalArgs) {
    const textOf = runtime.text.slice(arg.start, arg.end);
    const end = runtime.text[arg.end] === '\n' ? arg.end + 1 : arg.end;
    removals.push({ start: arg.start, end, text: '' });
    const name = argName(arg.args[0]?.raw ?? '');
    const same = builderArgs.get(name);
    if (same === undefined) lines.push(textOf);
    else if (same.trim() !== textOf.trim()) {
      diagnostics.push(
        diagnostic(
          'RS502',
          { file: runtime.file, line: arg.line, column: arg.column },
          `both Dockerfiles declare the global ARG ${name} with different defaults (\`${same.trim()}\` and \`${textOf.trim()}\`); one build has one value, so restage kept the build Dockerfile's — check the runtime FROM still gets the image you mean`,
        ),
      );
    }
  }
  return { lines, removals };
}

/** Build arguments that reach a stage they did not reach before the builds were merged. */
export function buildArgCollisions(
  builds: readonly { build: ImageBuild; file: ParsedDockerfile }[],
  diagnostics: Diagnostic[],
): void {
  const declared = (file: ParsedDockerfile) =>
    new Set(file.instructions.filter((i) => i.keyword === 'ARG').map((i) => argName(i.args[0]?.raw ?? '')));
  for (const { build, file } of builds) {
    for (const other of builds) {
      if (other.build === build) continue;
      for (const arg of build.buildArgs) {
        if (PREDEFINED.has(arg.name)) continue;
        const there = other.build.buildArgs.find((a) => a.name === arg.name);
        if (there && there.value !== arg.value) {
          if (build.at.line < other.build.at.line) {
            diagnostics.push(
              diagnostic(
                'RS502',
                arg.at,
                `--build-arg ${arg.name} has different values in the two builds (${arg.value ?? '$' + arg.name} and ${there.value ?? '$' + there.name}); the merged build has one value for every stage — rename the ARG in one Dockerfile and in the --build-arg of its build in the script`,
              ),
            );
          }
        } else if (!there && declared(other.file).has(arg.name)) {
          diagnostics.push(
            diagnostic(
              'RS502',
              arg.at,
              `--build-arg ${arg.name} was passed only to the build of ${file.file}, but ${other.file.file} declares ARG ${arg.name} too; in the merged build that stage now receives this value instead of its default`,
            ),
          );
        }
      }
    }
  }
}
