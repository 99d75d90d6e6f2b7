/**
 * planDockerignore: the merged context's .dockerignore from each legacy context's, checked file by
 * file against every COPY source that reads the context; a tree in memory at /proj.
 */
import test from 'ava';
import path from 'node:path';
import { planDockerignore, type ContextRead, type ContextTree } from '../../src/plan/dockerignore.js';
import { display, PROJ } from '../helpers/analysis.js';

/** The tree: files by relative path (directories implied); `.dockerignore` files among them. */
function treeOf(files: Readonly<Record<string, string>>, asked: string[] = []): ContextTree {
  return {
    text: (file) => files[path.relative(PROJ, file)] ?? null,
    entries: (dir) => {
      asked.push(dir);
      const rel = path.relative(PROJ, dir);
      const below = Object.keys(files)
        .filter((f) => rel === '' || f.startsWith(`${rel}/`))
        .map((f) => (rel === '' ? f : f.slice(rel.length + 1)));
      return [...new Set(below.flatMap((f) => f.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'))))];
    },
  };
}

/** A source `legacy` of a build with the context `context` (relative), as the merged file names it. */
const read = (context: string, legacy: string, source?: string, line = 2): ContextRead => ({
  at: { file: context === '' ? 'Dockerfile.build' : `${context}/Dockerfile`, line, column: 6 },
  copy: `COPY ${legacy} /dst`,
  source: source ?? path.posix.join(context, legacy),
  context: path.join(PROJ, context),
  legacy,
});

const plan = (files: Record<string, string>, reads: ContextRead[], asked?: string[]) =>
  planDockerignore(PROJ, [...new Set(reads.map((r) => r.context))], reads, treeOf(files, asked), display);

test('no .dockerignore anywhere: nothing planned, nothing said, the tree not walked', (t) => {
  const asked: string[] = [];
  const got = plan({ 'docker/a': '', VERSION: '' }, [read('docker', '.'), read('', 'VERSION')], asked);
  t.deepEqual(got, { file: null, diagnostics: [] });
  t.deepEqual(asked, []);
});

test('a sub-directory context: its rules re-rooted below it into a new file, RS505 at its first line', (t) => {
  const files = {
    'docker/.dockerignore': 'Dockerfile\n*.txt\n',
    'docker/notes.txt': '',
    'docker/conf': '',
    VERSION: '',
  };
  const got = plan(files, [read('docker', '.'), read('', 'VERSION')]);
  t.deepEqual(got.file, {
    path: `${PROJ}/.dockerignore`,
    text: '# restage: the build context docker/ is now part of this one; its .dockerignore, re-rooted below it\ndocker/Dockerfile\ndocker/*.txt\n',
    previous: null,
  });
  t.deepEqual(
    got.diagnostics.map((d) => [d.code, d.severity, d.file, d.line]),
    [['RS505', 'info', '.dockerignore', 1]],
  );
});

test('the merged context’s own .dockerignore stays byte for byte at the top (a last line without newline too)', (t) => {
  const files = { '.dockerignore': '# mine\n*.log', 'docker/.dockerignore': 'x\n', 'docker/a': '', src: '' };
  const got = plan(files, [read('docker', '.'), read('', 'src')]);
  t.true(got.file!.text.startsWith('# mine\n*.log\n\n# restage:'));
  t.is(got.file!.previous, '# mine\n*.log');
  t.true(got.file!.text.endsWith('\ndocker/x\n'));
  t.is(got.diagnostics[0]!.line, 4);
});

test('a rule above that would leave out a file the sub-directory’s build copied: `!docker` first', (t) => {
  const files = { '.dockerignore': '**/*.log\n', 'docker/.dockerignore': 'tmp\n', 'docker/app.log': '', 'main.c': '' };
  const got = plan(files, [read('docker', '.'), read('', 'main.c')]);
  t.is(
    got.file!.text,
    '**/*.log\n\n# restage: the build context docker/ is now part of this one; its .dockerignore, re-rooted below it, after an exception that undoes the rules above for it\n!docker\ndocker/tmp\n',
  );
  t.regex(got.diagnostics[0]!.message, /`!docker`, so that the files the build from docker copied/);
});

test('no rule of the sub-directory and nothing above touching what it copies: nothing written', (t) => {
  const files = { '.dockerignore': '*.log\n', 'docker/a.log': '', 'main.c': '' };
  t.deepEqual(plan(files, [read('docker', '.'), read('', 'main.c')]), { file: null, diagnostics: [] });
});

test('a staged tree file the root .dockerignore leaves out gets an exception of its own', (t) => {
  const files = { '.dockerignore': '*.yml\n', 'config.yml': '', 'ci.yml': '', 'main.c': '' };
  const staged = read('stage', 'config.yml', 'config.yml', 3);
  const got = plan(files, [staged, read('', 'main.c')]);
  t.is(
    got.file!.text,
    '*.yml\n\n# restage: files a staging step copied into a build context, which the one build copies from here\n!config.yml\n',
  );
});

test('a re-rooted rule that would drop a file another stage copies: RS508 at that COPY, naming the rule and its line', (t) => {
  const files = { 'docker/.dockerignore': 'Dockerfile\n*.txt\n', 'docker/VERSION.txt': '' };
  const got = plan(files, [read('docker', '.'), read('', 'docker/VERSION.txt', undefined, 2)]);
  t.is(got.file, null);
  t.deepEqual(
    got.diagnostics.map((d) => [d.code, d.severity, d.file, d.line, d.column]),
    [['RS508', 'error', 'Dockerfile.build', 2, 6]],
  );
  t.regex(
    got.diagnostics[0]!.message,
    /needs `docker\/\*\.txt` \(docker\/\.dockerignore:2, re-rooted below docker\/\), which leaves out docker\/VERSION\.txt, and this COPY \(`COPY docker\/VERSION\.txt \/dst`\)/,
  );
});

test('an exception that would hand another stage a file its context left out: RS508 names both rules', (t) => {
  const files = { '.dockerignore': 'docker/keep.txt\n', 'docker/keep.txt': '', 'docker/a': '', 'main.c': '' };
  const got = plan(files, [read('docker', '.'), read('', '.')]);
  const rs508 = got.diagnostics.filter((d) => d.code === 'RS508');
  t.is(rs508.length, 1);
  t.is(rs508[0]!.file, 'Dockerfile.build');
  t.regex(
    rs508[0]!.message,
    /`docker\/keep\.txt` \(\.dockerignore:1\) left docker\/keep\.txt out of the context \., but the merged context's \.dockerignore \(\.dockerignore\) keeps it \(`!docker`, added by restage for the stages built from docker\)/,
  );
});

test('COPY . of the merged context would copy the .dockerignore restage writes: RS508', (t) => {
  // `*.tmp` leaves out no file of the tree: only the .dockerignore itself is in question.
  const files = { 'docker/.dockerignore': '*.tmp\n', 'docker/a.txt': '', 'main.c': '' };
  const got = plan(files, [read('docker', '.'), read('', '.')]);
  t.is(got.file, null);
  t.regex(got.diagnostics[0]!.message, /copies \.dockerignore itself, which the merged build needs as a new file/);
  // Left out by the merged context's own file, it is no conflict.
  const kept = plan({ ...files, '.dockerignore': '.dockerignore\n' }, [read('docker', '.'), read('', '.')]);
  t.is(kept.diagnostics.map((d) => d.code).join(), 'RS505');
});

test('one context, no staged file: the tree is not walked, nothing planned', (t) => {
  const asked: string[] = [];
  const got = plan({ '.dockerignore': '*.log\n', 'a.log': '', 'main.c': '' }, [read('', '.')], asked);
  t.deepEqual(got, { file: null, diagnostics: [] });
  t.deepEqual(asked, []);
});

test('a COPY pattern: each tree file it covers is checked, mapped back to the path its context named', (t) => {
  const files = { 'docker/.dockerignore': 'ci.yml\n', 'docker/app.yml': '', 'docker/ci.yml': '', 'main.c': '' };
  const ok = plan(files, [read('docker', '*.yml'), read('', 'main.c')]);
  t.is(ok.diagnostics.map((d) => d.code).join(), 'RS505');
  const clash = plan(files, [read('docker', '*.yml'), read('', 'docker/*.yml')]);
  t.regex(clash.diagnostics[0]!.message, /needs `docker\/ci\.yml` .* which leaves out docker\/ci\.yml/);
});

/** A read of the build whose Dockerfile has its own ignore file (BuildKit read it, src/analyze/build-ignore.ts). */
const ownRead = (legacy: string, ignore: string | null): ContextRead => ({
  ...read('', legacy),
  ignore: ignore === null ? null : path.join(PROJ, ignore),
});

test('a build of the merged context that read its Dockerfile’s own file: an exception, then its rule below it', (t) => {
  const files = {
    '.dockerignore': 'src\n*.md\n',
    'Dockerfile.build.dockerignore': '*.yml\nsrc/*.md\n',
    'src/main.sh': '',
    'src/NOTES.md': '',
    'config.yml': '',
  };
  const got = plan(files, [ownRead('src', 'Dockerfile.build.dockerignore'), read('', 'config.yml')]);
  t.is(
    got.file!.text,
    "src\n*.md\n\n# restage: what a build that read another ignore file (its Dockerfile's own, or a copied one) kept, and left out, of what it copies\n!src\nsrc/*.md\n",
  );
  t.deepEqual(
    got.diagnostics.map((d) => [d.code, d.line]),
    [['RS505', 4]],
  );
});

test('another ignore file holding the same rules: nothing planned', (t) => {
  const files = { '.dockerignore': 'a\n', 'Dockerfile.build.dockerignore': '# same\na\n', 'src/x': '' };
  t.deepEqual(plan(files, [ownRead('src', 'Dockerfile.build.dockerignore'), read('', 'src')]), {
    file: null,
    diagnostics: [],
  });
});

test('a build that read no ignore file at all (null) copied what the merged file leaves out: an exception', (t) => {
  const files = { '.dockerignore': 'src\n', 'src/x': '', 'main.c': '' };
  const got = plan(files, [ownRead('src', null), read('', 'main.c')]);
  t.true(got.file!.text.endsWith('\n!src\n'));
});

test('the target is the merged Dockerfile’s own file: its text at the top, RS505 names it', (t) => {
  const files = {
    '.dockerignore': 'conf\n',
    'Dockerfile.dockerignore': 'src\n',
    'src/main.sh': '',
    'conf/app.yml': '',
  };
  const reads = [read('', 'src'), { ...read('', 'conf'), ignore: path.join(PROJ, 'Dockerfile.dockerignore') }];
  const got = planDockerignore(PROJ, [PROJ], reads, treeOf(files), display, path.join(PROJ, 'Dockerfile.dockerignore'));
  t.is(got.file!.path, `${PROJ}/Dockerfile.dockerignore`);
  t.is(got.file!.previous, 'src\n');
  t.true(got.file!.text.startsWith('src\n\n# restage:'));
  t.true(got.file!.text.endsWith('\n!src\n'));
  t.is(got.diagnostics[0]!.file, 'Dockerfile.dockerignore');
  t.regex(got.diagnostics[0]!.message, /its ignore file Dockerfile\.dockerignore \(the one Dockerfile's own/);
  // A COPY . of the build that read .dockerignore (which leaves out conf, which the other build copied): RS508
  // for the file itself, which it would copy, and for conf, which one file cannot both keep and leave out.
  const all = planDockerignore(
    PROJ,
    [PROJ],
    [read('', '.'), { ...read('', 'conf'), ignore: path.join(PROJ, 'Dockerfile.dockerignore') }],
    treeOf({ ...files, '.dockerignore': 'conf\nsrc\n' }),
    display,
    path.join(PROJ, 'Dockerfile.dockerignore'),
  );
  t.deepEqual(
    all.diagnostics.map((d) => [d.code, d.message.includes('copies Dockerfile.dockerignore itself')]),
    [
      ['RS508', true],
      ['RS508', false],
    ],
  );
  t.regex(all.diagnostics[0]!.message, /add a line `Dockerfile\.dockerignore` to Dockerfile\.dockerignore/);
});
