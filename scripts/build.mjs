// Builds dist/ with esbuild:
// - cli.cjs: the CLI as one CommonJS file, so bin/restage.js can compile it with a V8 code cache
//   (Node 20 has no compile cache for ES modules); verify's code is a second file, verify-cli.cjs,
//   loaded only by `restage verify`, and the SARIF writer a third, report-sarif.cjs, loaded only
//   by `--format sarif`;
// - index.js: the library, as ES modules, with its declarations (index.d.ts and the files it
//   references) emitted by tsc;
// Native modules (tree-sitter) stay external, and typescript, which only a JS/TS build script loads.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  external: ['tree-sitter', 'tree-sitter-bash', 'typescript', 'yaml'],
  logLevel: 'warning',
};

/**
 * The CLI's `import('./verify-cli.js')` stays a runtime require of the verify bundle, and its
 * `import('../emit/report-sarif.js')` one of the SARIF bundle (`--format sarif` alone loads it).
 */
const verifyApart = {
  name: 'verify-apart',
  setup(b) {
    b.onResolve({ filter: /\/verify-cli\.js$/ }, () => ({ path: './verify-cli.cjs', external: true }));
    b.onResolve({ filter: /\/report-sarif\.js$/ }, (a) =>
      a.kind === 'dynamic-import' ? { path: './report-sarif.cjs', external: true } : undefined,
    );
  },
};

/**
 * Node's built-in modules as one plain require each. Bundled to CommonJS, every
 * `import fs from 'node:fs'` of every source file otherwise becomes a copy of the module with a
 * getter per property (esbuild's __toESM), made at start-up: a few per cent of `restage migrate`.
 * Named imports are the module's data properties, read once.
 */
const builtins = {
  name: 'builtins',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (a) =>
      a.kind === 'import-statement' ? { path: a.path, namespace: 'builtin' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (a) => {
      const names = dataProperties(a.path);
      const contents = `const m = require(${JSON.stringify(a.path)});\nexport default m;\nexport const { ${names.join(', ')} } = m;\n`;
      return { contents, loader: 'js' };
    });
  },
};

/**
 * The data properties of a built-in module as a fresh process sees them: some are getters that
 * load a module of their own on first read (node:fs's Dir, opendir, promises, the streams), which
 * this process has already read, so they look like data here.
 */
function dataProperties(id) {
  const code = `const m = require(${JSON.stringify(id)}); console.log(JSON.stringify(Object.keys(m).filter((n) => /^[A-Za-z_$][\\w$]*$/.test(n) && 'value' in Object.getOwnPropertyDescriptor(m, n))))`;
  return JSON.parse(spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' }).stdout);
}

/**
 * The compose file reader loads `yaml` on first use, through createRequire (src/analyze/compose/file.ts),
 * which a bundle cannot follow; for the shim that load becomes a plain require, which esbuild bundles
 * (still run on first use).
 */
const LAZY_YAML = "createRequire(import.meta.url)('yaml')";
const yamlInside = {
  name: 'yaml-inside',
  setup(b) {
    b.onLoad({ filter: /[\\/]analyze[\\/]compose[\\/]file\.ts$/ }, (a) => {
      const text = fs.readFileSync(a.path, 'utf8');
      if (!text.includes(LAZY_YAML)) throw new Error(`${a.path} no longer loads yaml as ${LAZY_YAML}`);
      return { contents: text.replace(LAZY_YAML, "require('yaml')"), loader: 'ts' };
    });
  },
};

const cjs = {
  ...common,
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  // import() becomes require(): bin/restage.js runs the CLI through vm.Script, which has no loader for import().
  supported: { 'dynamic-import': false },
  // import.meta.url has no CommonJS meaning; the file's own URL is what the sources mean by it.
  define: { 'import.meta.url': '__restageModuleUrl' },
  banner: { js: "const __restageModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
};

// Declarations of the library only: dist/index.d.ts and what it references, mirroring src/.
const declarations = new Promise((resolve, reject) => {
  const tsc = spawn(
    process.execPath,
    [
      'node_modules/typescript/bin/tsc',
      ...['src/index.ts', '--declaration', '--emitDeclarationOnly', '--rootDir', 'src', '--outDir', 'dist'],
      ...['--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--target', 'ES2022', '--strict'],
      ...['--skipLibCheck', '--types', 'node'],
    ],
    { stdio: 'inherit' },
  );
  tsc.on('error', reject);
  tsc.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tsc (declarations) exited ${code}`))));
});

await Promise.all([
  declarations,
  build({ ...cjs, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', plugins: [verifyApart, builtins] }),
  build({ ...cjs, entryPoints: { 'verify-cli': 'src/cli/verify-cli.ts' }, outdir: 'dist', plugins: [builtins] }),
  build({ ...cjs, entryPoints: { 'report-sarif': 'src/emit/report-sarif.ts' }, outdir: 'dist', plugins: [builtins] }),
  // The docker shim verify puts first on the sandboxed legacy run's PATH (src/verify/legacy/shim/).
  // It runs from a copy in the run directory, where no node_modules is found: what it loads is in it
  // (yaml, for the compose files a compose call reads: shim/compose.ts).
  build({
    ...cjs,
    external: common.external.filter((e) => e !== 'yaml'),
    entryPoints: { shim: 'src/cli/shim.ts' },
    outdir: 'dist',
    plugins: [builtins, yamlInside],
  }),
  build({
    ...common,
    format: 'esm',
    splitting: true,
    entryPoints: { index: 'src/index.ts' },
    outdir: 'dist',
    banner: {
      js: "import { createRequire as __restageRequire } from 'node:module'; const require = __restageRequire(import.meta.url);",
    },
  }),
]);

// A cache made for the previous cli.cjs would be rejected anyway; make a fresh one from a real run,
// so the first `restage migrate` a user runs starts fast too.
fs.rmSync('dist/cli.cjs.v8cache', { force: true });
spawnSync(process.execPath, ['bin/restage.js', 'migrate', 'samples/href-counter'], { stdio: 'ignore' });
