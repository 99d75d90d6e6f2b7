/**
 * Loading tree-sitter and its bash grammar, the largest part of `restage migrate`'s start-up after
 * Node itself. Two of tree-sitter's own steps are done more cheaply here, with the same outcome:
 * - both packages find their native addon by calling node-gyp-build, whose search (package.json,
 *   directory listings, tag parsing) is answered here by requiring the addon's known path;
 * - `setLanguage` compiles, with eval, one class per named node type, whose getters for grammar
 *   fields the analysis never uses; what it keeps of them is each class's `type` on its prototype
 *   (the same string the native `type` getter returns), and that is made here without eval.
 * Either shortcut that does not apply (another tree-sitter version, an addon elsewhere, the
 * PREBUILDS_ONLY / *_PREBUILD overrides) leaves the step to tree-sitter (test/parse/shell-parser.test.ts).
 */
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';

export interface TreeSitterModule {
  new (): { setLanguage(language: unknown): void };
  SyntaxNode: new (...args: never[]) => object;
}

interface Grammar {
  nodeTypeInfo?: readonly { readonly type: string; readonly named: boolean }[];
  nodeSubclasses?: unknown[];
}

/** The part of tree-sitter's native binding used here. */
interface Binding {
  getNodeTypeNamesById?(language: unknown): readonly (string | null)[];
}

/** Where each package's native addon lies, in node-gyp-build's order: a local build before the prebuild for this platform. */
const ADDONS: Readonly<Record<string, readonly string[]>> = {
  'tree-sitter': ['build/Release/tree_sitter_runtime_binding.node', 'prebuilds/PLATFORM/tree-sitter.node'],
  'tree-sitter-bash': ['build/Release/tree_sitter_bash_binding.node', 'prebuilds/PLATFORM/tree-sitter-bash.node'],
};

/** tree-sitter and the bash grammar, with the grammar set on a new parser. Throws what the modules throw. */
export function loadShellParser<P>(): P {
  const require = createRequire(import.meta.url);
  const addons = new Map<string, unknown>();
  const [TreeSitter, bash] = withDirectAddons(require, addons, () => [
    require('tree-sitter') as TreeSitterModule,
    require('tree-sitter-bash') as Grammar,
  ]);
  const binding = addons.get('tree-sitter') as Binding | undefined;
  if (binding) presetNodeClasses(TreeSitter, bash, binding);
  const parser = new TreeSitter();
  parser.setLanguage(bash);
  return parser as P;
}

/**
 * The classes tree-sitter's `setLanguage` would make (initializeLanguageNodeClasses), without the
 * field getters: a subclass of SyntaxNode with `type` on its prototype for each named node type the
 * grammar describes, SyntaxNode itself for every other id. `setLanguage` keeps classes already set.
 */
function presetNodeClasses(TreeSitter: TreeSitterModule, grammar: Grammar, binding: Binding): void {
  if (typeof binding.getNodeTypeNamesById !== 'function' || grammar.nodeSubclasses || !grammar.nodeTypeInfo) return;
  const named = new Set(grammar.nodeTypeInfo.filter((info) => info.named).map((info) => info.type));
  const { SyntaxNode } = TreeSitter;
  grammar.nodeSubclasses = binding.getNodeTypeNamesById(grammar).map((name) => {
    if (!name || !named.has(name)) return SyntaxNode;
    const NodeClass = class extends SyntaxNode {};
    Object.defineProperty(NodeClass.prototype, 'type', {
      value: name,
      writable: true,
      enumerable: true,
      configurable: true,
    });
    return NodeClass;
  });
}

/**
 * Runs `load` with node-gyp-build answered by a direct require of the addon's known path, and
 * records each package's addon in `addons`. Anything else (an addon elsewhere or one that does not
 * load, the overrides, other packages) goes to node-gyp-build itself, so its choice and its errors
 * stay the last word.
 */
function withDirectAddons<T>(require: NodeJS.Require, addons: Map<string, unknown>, load: () => T): T {
  if (process.env.PREBUILDS_ONLY || process.env.TREE_SITTER_PREBUILD || process.env.TREE_SITTER_BASH_PREBUILD)
    return load();
  let finders: string[];
  try {
    finders = [
      ...new Set(
        ['tree-sitter', 'tree-sitter-bash'].map((p) => createRequire(require.resolve(p)).resolve('node-gyp-build')),
      ),
    ];
  } catch {
    return load();
  }
  const platform = `${process.platform}-${process.arch}`;
  const standIns = finders.map((finder) => {
    const find = (dir: string): unknown => {
      const name = basename(dir);
      const addon = direct(require, dir, ADDONS[name] ?? [], platform) ?? viaFinder(require, finder, standIn, dir);
      addons.set(name, addon);
      return addon;
    };
    const standIn = { id: finder, filename: finder, loaded: true, exports: find } as unknown as NodeJS.Module;
    require.cache[finder] = standIn;
    return [finder, standIn] as const;
  });
  try {
    return load();
  } finally {
    for (const [finder, standIn] of standIns) if (require.cache[finder] === standIn) delete require.cache[finder];
  }
}

/** The first of `files` (relative to `dir`) that exists and loads; null when none is there, or one there does not load. */
function direct(require: NodeJS.Require, dir: string, files: readonly string[], platform: string): unknown {
  for (const file of files) {
    try {
      return require(join(dir, file.replace('PLATFORM', platform))) as unknown;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') return null;
    }
  }
  return null;
}

/** node-gyp-build itself, for `dir`; the stand-in is back in its place afterwards. */
function viaFinder(require: NodeJS.Require, finder: string, standIn: NodeJS.Module, dir: string): unknown {
  delete require.cache[finder];
  try {
    return (require(finder) as (dir: string) => unknown)(dir);
  } finally {
    require.cache[finder] = standIn;
  }
}
