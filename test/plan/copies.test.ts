/**
 * plan/copies: the COPY --from lines restage writes read back, under Docker's lexing, as the
 * container paths they name (src/parse/dockerfile-word.ts): a quote, a backslash or a `$` in a
 * path is escaped, and a path with whitespace, which the shell form splits at (both builders
 * fail on `COPY --from=b "/o/a b" /x`), makes the line the JSON form. The lines written here
 * (`["/o/a b", "/x"]`, `/o/it\'s`, `/o/a\$b`) copied those files on docker 20.10 under the classic
 * builder and BuildKit.
 */
import test from 'ava';
import { emitDockerfile } from '../../src/emit/dockerfile.js';
import { planMigration } from '../../src/plan/index.js';
import { parseDockerfile } from '../../src/parse/dockerfile.js';
import { analysisOf, BUILDER_PATTERN, display, PROJ } from '../helpers/analysis.js';

const migrated = (files: Record<string, string>) => {
  const plan = planMigration(analysisOf({ ...BUILDER_PATTERN, ...files }), {
    root: PROJ,
    output: `${PROJ}/Dockerfile`,
    display,
  })!;
  return emitDockerfile(plan);
};
const copyLine = (text: string) => text.split('\n').find((l) => l.startsWith('COPY --from'))!;
/** The paths Docker reads from the last COPY --from line. */
const readBack = (text: string) =>
  parseDockerfile('D', text)
    .dockerfile.instructions.filter((i) => i.flags.some((f) => f.name === 'from'))
    .map((i) => i.args.map((a) => a.value));

const cases: [string, string, string, string[]][] = [
  [
    'a plain path stays as it is',
    '/src',
    'COPY --from=builder --chown=0:0 /src/app /usr/local/bin/app',
    ['/src/app', '/usr/local/bin/app'],
  ],
  [
    'a quote is escaped',
    "/src/it's",
    "COPY --from=builder --chown=0:0 /src/it\\'s/app /usr/local/bin/app",
    ["/src/it's/app", '/usr/local/bin/app'],
  ],
  [
    'a dollar is escaped',
    '/src/$x',
    'COPY --from=builder --chown=0:0 /src/\\$x/app /usr/local/bin/app',
    ['/src/$x/app', '/usr/local/bin/app'],
  ],
  [
    'whitespace: the JSON form',
    '/src/my app',
    'COPY --from=builder --chown=0:0 ["/src/my app/app", "/usr/local/bin/app"]',
    ['/src/my app/app', '/usr/local/bin/app'],
  ],
];
for (const [title, workdir, line, paths] of cases)
  test(`COPY --from of a builder WORKDIR ${JSON.stringify(workdir)}: ${title}`, (t) => {
    const text = migrated({
      'Dockerfile.build': `FROM golang:1.22\nWORKDIR ${JSON.stringify(workdir).replace(/\$/g, '\\$')}\nCOPY main.go .\nRUN go build -o app .\n`,
      'build.sh': BUILDER_PATTERN['build.sh']!.replace(
        'x:/src/app',
        `x:${JSON.stringify(`${workdir}/app`).replace(/\$/g, '\\$')}`,
      ),
    });
    t.is(copyLine(text), line, text);
    t.deepEqual(readBack(text), [paths]);
  });
