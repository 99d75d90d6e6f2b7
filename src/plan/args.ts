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
  renames: ArgRenames = new Map(),
): void {
  const declared = (file: ParsedDockerfile) =>
    new Set(file.instructions.filter((i) => i.keyword === 'ARG').map((i) => argName(i.args[0]?.raw ?? '')));
  for (const { build, file } of builds) {
    for (const other of builds) {
      if (other.build === build) continue;
      for (const arg of build.buildArgs) {
        if (PREDEFINED.has(arg.name) || renames.get(build)?.has(arg.name) || renames.get(other.build)?.has(arg.name))
          continue;
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

/** Build arguments renamed in a builder's Dockerfile, by build: old name → new name. */
export type ArgRenames = ReadonlyMap<ImageBuild, ReadonlyMap<string, string>>;

export interface RenamePlan {
  readonly renames: ArgRenames;
  readonly edits: ReadonlyMap<ParsedDockerfile, TextEdit[]>;
}

/**
 * Two builds that got the same `--build-arg NAME` with different values: in the merged build one
 * value would reach every stage that declares `ARG NAME`. The earlier build's Dockerfile (a
 * builder) declares it under a new name, `NAME_<STAGE>`, and sets `ENV NAME=${NAME_<STAGE>}`
 * right after the declaration, so its later steps still see NAME with its own value (a RUN sees an
 * ARG as an environment variable, and an ENV the same way). The ENV stays in that stage's image
 * config, which reaches the migrated image only when a stage of it starts FROM that stage: such a
 * builder (`derived`), a name the file declares before its first FROM (used in FROM lines), or a
 * value taken from the environment is not renamed, and RS502 still says it collides. RS353 names
 * both arguments' lines.
 */
export function renameBuildArgs(
  builders: readonly { build: ImageBuild; file: ParsedDockerfile; name: string }[],
  runtime: { build: ImageBuild; file: ParsedDockerfile },
  derived: ReadonlySet<ImageBuild>,
  display: (absolutePath: string) => string,
  diagnostics: Diagnostic[],
): RenamePlan {
  const renames = new Map<ImageBuild, Map<string, string>>();
  const edits = new Map<ParsedDockerfile, TextEdit[]>();
  const all = [...builders.map((b) => ({ build: b.build, file: b.file })), runtime];
  const declaredAnywhere = new Set(
    all.flatMap(({ file }) =>
      file.instructions.filter((i) => i.keyword === 'ARG').flatMap((i) => i.args.map((a) => argName(a.raw))),
    ),
  );
  builders.forEach((b, i) => {
    if (derived.has(b.build)) return;
    const later = all.slice(i + 1);
    const globals = new Set(b.file.globalArgs.flatMap((g) => g.args.map((a) => argName(a.raw))));
    for (const arg of b.build.buildArgs) {
      if (PREDEFINED.has(arg.name) || arg.value === null || arg.fromEnvironment.length > 0 || globals.has(arg.name))
        continue;
      const other = later.flatMap((l) => l.build.buildArgs).find((a) => a.name === arg.name && a.value !== arg.value);
      if (!other) continue;
      const declarations = b.file.instructions.filter(
        (inst) => inst.keyword === 'ARG' && inst.stage >= 0 && inst.args.some((a) => argName(a.raw) === arg.name),
      );
      if (declarations.length === 0) continue;
      let renamed = `${arg.name}_${b.name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
      while (declaredAnywhere.has(renamed)) renamed = `${renamed}_`;
      declaredAnywhere.add(renamed);
      const list = edits.get(b.file) ?? [];
      for (const inst of declarations) {
        for (const token of inst.args.filter((a) => argName(a.raw) === arg.name))
          list.push({ start: token.start, end: token.start + arg.name.length, text: renamed });
        const env = b.file.text.slice(inst.keywordSpan.start, inst.keywordSpan.end) === 'arg' ? 'env' : 'ENV';
        list.push({ start: inst.end, end: inst.end, text: `\n${env} ${arg.name}=\${${renamed}}` });
      }
      edits.set(b.file, list);
      renames.set(b.build, new Map([...(renames.get(b.build) ?? []), [arg.name, renamed]]));
      diagnostics.push(
        diagnostic(
          'RS353',
          arg.at,
          `--build-arg ${arg.written} here and --build-arg ${other.written} (${other.at.file}:${other.at.line}) give ${arg.name} different values, and the merged build has one value per name: restage renamed the ARG in ${b.file.file} (line ${declarations.map((d) => d.line).join(', ')}) to ${renamed}, set ENV ${arg.name}=\${${renamed}} after it so that stage still sees ${arg.name}, and passes --build-arg ${renamed}=${arg.value}`,
        ),
      );
    }
  });
  return { renames, edits };
}
