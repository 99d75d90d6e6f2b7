/**
 * .dockerignore cases: the files of a context that Docker's rules exclude and include. The unit
 * test (test/analyze/dockerignore.test.ts) checks the matcher against these lists; the e2e test
 * (test/e2e/dockerignore.test.ts) builds each context on the engine and compares what `COPY .`
 * put in the image with what the matcher says.
 */
export interface DockerignoreCase {
  readonly name: string;
  readonly ignore: string;
  /** Context-relative files the rules leave out. */
  readonly excluded: readonly string[];
  /** Context-relative files the rules keep (besides .dockerignore itself, unless excluded). */
  readonly included: readonly string[];
}

export const DOCKERIGNORE_CASES: readonly DockerignoreCase[] = [
  {
    name: '* stays in one segment and patterns are anchored at the root',
    ignore: '*.log\nbuild/\n',
    excluded: ['a.log', 'build/x', 'build/deep/y'],
    included: ['sub/b.log', 'buildx/y', 'keep.txt'],
  },
  {
    name: '**/ matches any number of directories, none included',
    ignore: '**/*.tmp\n',
    excluded: ['x.tmp', 'a/b/c.tmp', 'a/y.tmp'],
    included: ['a/b.tmpx', 'tmp'],
  },
  {
    name: '** in the middle matches zero or more segments',
    ignore: 'a/**/z\n',
    excluded: ['a/z', 'a/b/c/z', 'a/b/z'],
    included: ['a/zz', 'b/a/z'],
  },
  {
    name: 'a trailing ** excludes below the directory, not the directory',
    ignore: 'a/**\n',
    excluded: ['a/x', 'a/y/z'],
    included: ['ab'],
  },
  {
    name: 'an exception after the directory pattern keeps one file',
    ignore: 'docs\n!docs/keep.md\n',
    excluded: ['docs/drop.md', 'docs/sub/x.md'],
    included: ['docs/keep.md'],
  },
  {
    name: 'the last matching pattern wins',
    ignore: '!a.txt\n*.txt\n',
    excluded: ['a.txt', 'b.txt'],
    included: ['c.md'],
  },
  {
    name: 'an exception naming a parent directory keeps its content',
    ignore: 'a/b\n!a\n',
    excluded: [],
    included: ['a/b/c', 'a/d'],
  },
  {
    name: 'everything but one directory',
    ignore: '*\n!src\n',
    excluded: ['other.txt', 'lib/x', '.dockerignore'],
    included: ['src/m.c', 'src/inc/h.h'],
  },
  {
    name: 'patterns are cleaned: ./, .., a trailing / and a leading / go',
    ignore: './c/../d/\n/e\n  spaced  \n# comment\n #notacomment\n',
    excluded: ['d/x', 'e', 'spaced', '#notacomment'],
    included: ['c/d', '# comment', 'f/e'],
  },
  {
    name: '? is one character and [] a class',
    ignore: 'f?.bin\n[gh].dat\n',
    excluded: ['f1.bin', 'g.dat', 'h.dat'],
    included: ['f12.bin', 'f.bin', 'i.dat'],
  },
];
