/**
 * A repository laid out for confinement tests (issue 7 §1), with the trees a verify run must leave
 * as they were: the repository, a directory beside it, a sentinel under the temp dir and one under
 * $HOME; and the script shapes that reach outside the analysed directory.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExecutionContext } from 'ava';

/** Every entry under `dir` (links not followed): path, type, mode, content hash or link target. */
export function treeHash(dir: string): string {
  const lines: string[] = [];
  const walk = (d: string) => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      const s = fs.lstatSync(p);
      const rel = path.relative(dir, p);
      const mode = (s.mode & 0o7777).toString(8);
      if (s.isSymbolicLink()) lines.push(`l ${rel} -> ${fs.readlinkSync(p)}`);
      else if (s.isDirectory()) {
        lines.push(`d ${rel} ${mode}`);
        walk(p);
      } else lines.push(`f ${rel} ${mode} ${crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex')}`);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  else lines.push('(missing)');
  return lines.join('\n');
}

export interface Workspace {
  /** The repository (a git work tree), the directory beside it, and the two sentinels. */
  readonly repo: string;
  readonly sibling: string;
  readonly tmpSentinel: string;
  readonly homeSentinel: string;
  snapshot(): string[];
}

export function workspace(
  t: ExecutionContext,
  files: (w: { tmpSentinel: string; homeSentinel: string }) => Record<string, string>,
): Workspace {
  const top = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-test-confine-'));
  const homeSentinel = fs.mkdtempSync(path.join(os.homedir(), 'restage-test-confine-'));
  t.teardown(() => {
    fs.rmSync(top, { recursive: true, force: true });
    fs.rmSync(homeSentinel, { recursive: true, force: true });
  });
  const repo = path.join(top, 'repo');
  const sibling = path.join(top, 'sibling');
  const tmpSentinel = path.join(top, 'tmp-sentinel');
  for (const [dir, name] of [
    [sibling, 'keep.txt'],
    [path.join(tmpSentinel, 'out'), 'keep.txt'],
    [homeSentinel, 'keep.txt'],
    [path.join(repo, '.git'), 'HEAD'],
  ] as const) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, name), `${name} in ${dir}\n`);
  }
  for (const [name, text] of Object.entries(files({ tmpSentinel, homeSentinel }))) {
    fs.mkdirSync(path.dirname(path.join(repo, name)), { recursive: true });
    fs.writeFileSync(path.join(repo, name), text, { mode: name.endsWith('.sh') ? 0o755 : 0o644 });
  }
  return {
    repo,
    sibling,
    tmpSentinel,
    homeSentinel,
    snapshot: () => [repo, sibling, tmpSentinel, homeSentinel].map(treeHash),
  };
}

export const BUILDER =
  "FROM busybox:latest\nWORKDIR /src\nRUN printf '#!/bin/sh\\necho tool ok\\n' > app && chmod 644 app\n";
export const RUNTIME = 'FROM busybox:latest\nCOPY app /usr/local/bin/app\nCMD ["cat", "/usr/local/bin/app"]\n';
export const script = (...lines: string[]) => `#!/bin/sh\nset -e\n${lines.join('\n')}\n`;
export const EXTRACT = (to: string) => [
  'docker create --name confine-x confine:build',
  `docker cp confine-x:/src/app ${to}`,
  'docker rm -f confine-x',
];

/** Output through a directory under the temp dir that the script empties first. */
export const tmpOut = (w: { tmpSentinel: string }) => ({
  Dockerfile: RUNTIME,
  'Dockerfile.build': BUILDER,
  'build.sh': script(
    `OUT=${w.tmpSentinel}/out`,
    'rm -rf "$OUT"',
    'mkdir -p "$OUT"',
    'docker build -t confine:build -f Dockerfile.build .',
    ...EXTRACT('"$OUT/app"'),
    'cp "$OUT/app" ./app',
    'docker build -t confine:1 .',
  ),
});

/** The lines of build.sh that remove a sentinel through an expansion analysis cannot resolve (refused, RS310, at line 3). */
export const UNRESOLVED_RM = [
  ['$HOME', (w: { homeSentinel: string }) => `rm -rf "$HOME/${path.basename(w.homeSentinel)}/keep.txt"`],
  ['~', (w: { homeSentinel: string }) => `rm -rf ~/${path.basename(w.homeSentinel)}/keep.txt`],
  ['an unset variable', (w: { tmpSentinel: string }) => `rm -rf "$RESTAGE_TEST_NEVER_SET"${w.tmpSentinel}/out`],
] as const;

/** A build.sh that runs `line` first, then the legacy builder flow. */
export const rmFirst = (line: string) => ({
  Dockerfile: RUNTIME,
  'Dockerfile.build': BUILDER,
  'build.sh': script(
    line,
    'docker build -t confine:build -f Dockerfile.build .',
    ...EXTRACT('./app'),
    'docker build -t confine:1 .',
  ),
});
