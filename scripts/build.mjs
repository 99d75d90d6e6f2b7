// Bundles the CLI and the library with esbuild (few files: fewer modules to resolve at start-up);
// verify's code is split into a chunk loaded only by `restage verify`.
// Native modules (tree-sitter) and yargs (it reads its locale files from its own folder) stay external.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  splitting: true,
  target: 'node20',
  external: ['tree-sitter', 'tree-sitter-bash'],
  logLevel: 'warning',
  banner: { js: "import { createRequire as __restageRequire } from 'node:module'; const require = __restageRequire(import.meta.url);" },
};
await build({ ...common, entryPoints: { cli: 'src/cli.ts', index: 'src/index.ts' }, outdir: 'dist' });
