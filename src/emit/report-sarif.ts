/**
 * Diagnostics → one SARIF 2.1.0 log (`--format sarif`), for code-scanning UIs: one run of the tool
 * `restage`, the whole diagnostic catalogue as its rules (id, title, help text, default level), each
 * diagnostic a result with its rule, level, message and place. Paths are relative to `%SRCROOT%`,
 * the repository of the command's directory (originalUriBaseIds says which directory that is); a
 * file outside it is an absolute `file:` URI. The log validates against the SARIF 2.1.0 schema
 * (test/emit/report-sarif.test.ts). The CLI loads this module only for `--format sarif` (its own
 * bundle, dist/report-sarif.cjs: test/cli/startup.test.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CATALOGUE, type Diagnostic, type DiagnosticCode, type Severity } from '../model/diagnostic.js';
import { repositoryOf } from '../shared/repository.js';

export const SRCROOT = '%SRCROOT%';

export interface SarifInput {
  /** The restage command (`migrate`, `verify`, `scan`), or null for a command line without one. */
  readonly command: string | null;
  /** The command's status (`migrated`, `equivalent`, `usage-error`…), kept in the run's properties. */
  readonly status: string;
  /** Whether the command ran to its end (false: bad input, an engine failure, an interruption). */
  readonly successful: boolean;
  readonly diagnostics: readonly Diagnostic[];
  /** What diagnostic paths are relative to (the current directory). */
  readonly cwd: string;
  /** The command's directory: `%SRCROOT%` is the repository that holds it (src/shared/repository.ts). */
  readonly directory: string;
  readonly version: string;
  /** More of the command's result for the run's properties (verify's verdict, counts). */
  readonly properties?: Readonly<Record<string, unknown>>;
  /** Each code's help, Markdown (default: the README's, catalogueHelp()). */
  readonly help?: ReadonlyMap<string, string>;
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

export function renderSarif(input: SarifInput): string {
  return `${JSON.stringify(sarifLog(input), null, 2)}\n`;
}

export function sarifLog(input: SarifInput): object {
  const codes = Object.keys(CATALOGUE) as DiagnosticCode[];
  const help = input.help ?? catalogueHelp();
  const root = repositoryOf(path.resolve(input.cwd, input.directory));
  return {
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'restage',
            version: input.version,
            semanticVersion: input.version,
            rules: codes.map((code) => rule(code, help.get(code))),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(root) } },
        invocations: [{ executionSuccessful: input.successful }],
        results: input.diagnostics.map((d) => ({
          ruleId: d.code,
          ruleIndex: codes.indexOf(d.code),
          level: LEVEL[d.severity],
          message: { text: d.message },
          ...(d.file === '' ? {} : { locations: [location(d, input.cwd, root)] }),
        })),
        properties: { command: input.command, status: input.status, ...input.properties },
      },
    ],
  };
}

function rule(code: DiagnosticCode, markdown: string | undefined): object {
  const { title, severity } = CATALOGUE[code];
  const text = markdown === undefined ? title : plain(markdown);
  return {
    id: code,
    shortDescription: { text: title },
    fullDescription: { text },
    help: { text, ...(markdown === undefined ? {} : { markdown }) },
    defaultConfiguration: { level: LEVEL[severity] },
  };
}

function location(d: Diagnostic, cwd: string, root: string): object {
  const file = path.resolve(cwd, d.file);
  const rel = path.relative(root, file);
  const inside = rel === '' || !(rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel));
  const artifactLocation = inside
    ? { uri: rel === '' ? '.' : rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT }
    : { uri: pathToFileURL(file).href };
  return { physicalLocation: { artifactLocation, region: { startLine: d.line, startColumn: d.column } } };
}

/** `file:///…/` with the trailing slash SARIF asks of a base URI. */
function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/** The README's words (its diagnostics table, "when" column) without Markdown's marks. */
function plain(markdown: string): string {
  return markdown.replace(/\*\*/g, '').replace(/`/g, '');
}

/**
 * Each code's help as the README's diagnostics table says it (`| RS402 | warning | when |`, Markdown),
 * read from the package's README.md (beside package.json, which npm always ships); empty when the
 * README cannot be read, and rules then carry the catalogue's title alone.
 */
export function catalogueHelp(readme: string | null = readPackageReadme()): ReadonlyMap<string, string> {
  const help = new Map<string, string>();
  for (const line of (readme ?? '').split('\n')) {
    const m = /^\|\s*(RS\d{3})\s*\|\s*\w+\s*\|\s*(.*?)\s*\|\s*$/.exec(line);
    if (m && !help.has(m[1]!)) help.set(m[1]!, m[2]!.replace(/\\\|/g, '|'));
  }
  return help;
}

function readPackageReadme(): string | null {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) {
      try {
        return fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
      } catch {
        return null;
      }
    }
    if (path.dirname(dir) === dir) return null;
  }
}
