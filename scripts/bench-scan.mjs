// `restage scan` on a generated tree of FILES files holding PATTERNS builder patterns (copies of
// samples/href-counter under varied, nested names, one with a space), the rest ordinary source
// files, a node_modules/ and a .gitignored build/ that scan must not enter. The tree is a git
// repository, so the floor is `git ls-files | wc -l` on the same tree: the cheapest listing of it.
// `--make DIR` writes the tree; `--rss DIR` scans it in this process and prints one JSON line
// with the patterns found and the peak RSS (so that the number is scan's alone).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const FILES = 50_000;
export const PATTERNS = 200;

function make(dir) {
  const sample = path.join(root, 'samples', 'href-counter');
  const sampleFiles = fs.readdirSync(sample).length;
  let files = 0;
  for (let p = 0; p < PATTERNS; p++) {
    const at = path.join(dir, `team-${p % 10}`, p % 7 === 0 ? `svc ${p}` : `svc-${p}`, p % 3 === 0 ? 'docker' : '');
    fs.cpSync(sample, at, { recursive: true });
    files += sampleFiles;
  }
  fs.writeFileSync(path.join(dir, '.gitignore'), 'build/\n*.o\n');
  files += 1;
  for (const ignoredOrVendored of ['node_modules/pkg', 'build/out'])
    for (let i = 0; i < 200; i++) {
      fs.mkdirSync(path.join(dir, ignoredOrVendored, `d${i % 20}`), { recursive: true });
      fs.writeFileSync(path.join(dir, ignoredOrVendored, `d${i % 20}`, `f${i}.js`), 'x\n');
    }
  for (let d = 0; files < FILES; d++) {
    const at = path.join(dir, `src-${d % 50}`, `mod-${d}`);
    fs.mkdirSync(at, { recursive: true });
    for (let i = 0; i < 100 && files < FILES; i++, files++)
      fs.writeFileSync(path.join(at, `f${i}.ts`), `export const v${i} = ${i};\n`);
  }
  execFileSync('git', ['init', '-q', dir]);
  execFileSync('git', ['-C', dir, 'add', '-A']);
}

const [mode, dir] = process.argv.slice(2);
if (mode === '--make') make(dir);
else if (mode === '--rss') {
  const { scan } = await import('../dist/index.js');
  const started = performance.now();
  const result = scan(dir);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    JSON.stringify({
      patterns: result.patterns.length,
      migratable: result.patterns.filter((p) => p.status === 'migratable').length,
      files: result.files,
      seconds,
      maxRssMB: process.resourceUsage().maxRSS / 1024,
    }),
  );
} else {
  console.error('usage: bench-scan.mjs --make DIR | --rss DIR');
  process.exit(2);
}
