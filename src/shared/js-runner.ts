/**
 * Which JS/TS build script a command line runs: `node scripts/build.mjs`, `node --import tsx
 * build.ts`, `tsx scripts/build.ts --prod`, `ts-node build.ts`, `npx tsx build.ts`. Pure: the
 * words come in as a shell's simple command splits them.
 */
/** Whether a file's name is a JS or TS module's (`build.js`, `build.mjs`, `build.ts`). */
export const isJsScriptName = (name: string): boolean => /\.(m|c)?(j|t)s$/.test(name) && !name.endsWith('.d.ts');

export interface JsRun {
  /** The script's path as written, quotes included (relative to the working directory, or absolute). */
  readonly file: string;
  /** The words after it: the script's `process.argv.slice(2)`. */
  readonly args: readonly string[];
  /** Where `file` is among the words. */
  readonly fileIndex: number;
  /**
   * Packages the run needs besides node, found by npm in `node_modules/.bin` or by node's module
   * resolution (`tsx`, `ts-node`): nothing when node runs the file by itself.
   */
  readonly packages: readonly string[];
}

/** node's options that take the next word as their value (`--import tsx`, `-r ts-node/register`). */
const NODE_VALUED = new Set([
  '--import',
  '--require',
  '-r',
  '--loader',
  '--experimental-loader',
  '--conditions',
  '-C',
  '--title',
  '--input-type',
  '--env-file',
]);
/** Options of tsx and ts-node that take the next word as their value. */
const RUNNER_VALUED = new Set(['--tsconfig', '--project', '-P', '--compiler-options', '-O', '--require', '-r']);
/** node options that run code other than a file. */
const NODE_NO_FILE = new Set(['-e', '--eval', '-p', '--print', '-c', '--check', '-i', '--interactive', '--test']);

/** The package a module specifier given to `--import`/`--loader`/`-r` comes from (`ts-node/esm` → ts-node). */
function packageOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** The JS/TS script `words` run, or null when they run none (another program, `node -e`, a file that is no script). */
export function jsRun(words: readonly string[]): JsRun | null {
  let i = 0;
  if (words[i] === 'npx') {
    i++;
    while (words[i]?.startsWith('-')) i++;
  }
  const runner = words[i];
  if (runner !== 'node' && runner !== 'tsx' && runner !== 'ts-node') return null;
  const packages = runner === 'node' ? [] : [runner];
  const valued = runner === 'node' ? NODE_VALUED : RUNNER_VALUED;
  i++;
  while (i < words.length && words[i]!.startsWith('-')) {
    const w = words[i]!;
    const [flag, inline] = w.includes('=') ? [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)] : [w, null];
    if (w === '--') {
      i++;
      break;
    }
    if (runner === 'node' && NODE_NO_FILE.has(flag)) return null;
    let value = inline;
    if (inline === null && valued.has(flag)) value = words[++i] ?? null;
    if (['--import', '--require', '-r', '--loader', '--experimental-loader'].includes(flag) && value !== null) {
      const p = packageOf(value);
      if (p !== null && !packages.includes(p)) packages.push(p);
    }
    i++;
  }
  const file = words[i];
  if (file === undefined || !isJsScriptName(file.replace(/["']$/, ''))) return null;
  return { file, args: words.slice(i + 1), fileIndex: i, packages };
}
