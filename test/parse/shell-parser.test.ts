/**
 * Loading tree-sitter: the addons are required by their path, without node-gyp-build, and the node
 * classes are made without eval; every node's type is still the one tree-sitter's native getter
 * gives. With node-gyp-build's override variables set, tree-sitter loads its own way, and parses alike.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { loadShellParser } from '../../src/parse/shell-parser.js';
import { ROOT } from '../helpers/fixtures.js';

interface Node {
  readonly type: string;
  readonly children: Node[];
}
interface Parser {
  parse(text: string): { rootNode: Node };
}

const SCRIPT = `#!/bin/sh
set -e
NAME=\${1:-app}
docker build -t "$NAME:build" . -f Dockerfile.build
if [ $? != 0 ]; then echo failed >&2; exit 1; fi
id=$(docker create "$NAME:build")
for f in app lib; do docker cp "$id":/src/$f ./$f || exit 1; done
case "$2" in arm*) echo arm ;; *) : ;; esac
cat <<EOF > out.txt
x \${NAME}
EOF
f() { local a=$(( 1 + 2 )); echo "\${a}" "\`date\`" $'\\t' > /dev/null 2>&1; }
docker rm -f "$id" && rm -rf ./app
`;

const require = createRequire(import.meta.url);
/** tree-sitter's own `type` getter, which asks the native tree (tree-sitter loaded by loadShellParser first). */
function nativeType(node: Node): string {
  const { SyntaxNode } = require('tree-sitter') as { SyntaxNode: { prototype: object } };
  return (Object.getOwnPropertyDescriptor(SyntaxNode.prototype, 'type') as { get: (this: Node) => string }).get.call(
    node,
  );
}

function nodes(root: Node): Node[] {
  return [root, ...root.children.flatMap(nodes)];
}

test('every node has the type the native getter gives, named types from their class', (t) => {
  const all = nodes(loadShellParser<Parser>().parse(SCRIPT).rootNode);
  t.true(all.length > 100);
  t.deepEqual(
    all.map((n) => n.type),
    all.map(nativeType),
  );
  const fromClass = all.filter((n) => Object.prototype.hasOwnProperty.call(Object.getPrototypeOf(n), 'type'));
  t.true(fromClass.some((n) => n.type === 'command'));
  t.true(fromClass.some((n) => n.type === 'heredoc_body'));
});

test('neither node-gyp-build nor tree-sitter’s class generation runs', (t) => {
  const all = nodes(loadShellParser<Parser>().parse(SCRIPT).rootNode);
  // tree-sitter's generated classes carry the names of their field getters as \`fields\`.
  t.deepEqual(
    all.filter((n) => Object.prototype.hasOwnProperty.call(Object.getPrototypeOf(n), 'fields')).map((n) => n.type),
    [],
  );
  t.deepEqual(
    Object.keys(require.cache).filter((f) => f.includes(`${path.sep}node-gyp-build${path.sep}`)),
    [],
  );
});

test('with node-gyp-build’s override variables tree-sitter loads its own way and parses alike', (t) => {
  const bash = path.dirname(path.dirname(path.dirname(require.resolve('tree-sitter-bash'))));
  const code = `
    const { loadShellParser } = await import(${JSON.stringify(path.join(ROOT, 'src', 'parse', 'shell-parser.ts'))});
    const { createRequire } = await import('node:module');
    const tree = loadShellParser().parse(${JSON.stringify(SCRIPT)});
    const walk = (n) => [n.type, ...n.children.flatMap(walk)];
    const finder = Object.keys(createRequire(import.meta.url).cache).some((f) => f.includes('node-gyp-build'));
    console.log(JSON.stringify({ types: walk(tree.rootNode), finder }));`;
  const r = spawnSync(process.execPath, ['--import=tsx', '--input-type=module', '-e', code], {
    cwd: ROOT,
    env: { ...process.env, TREE_SITTER_BASH_PREBUILD: bash },
    encoding: 'utf8',
  });
  t.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { types: string[]; finder: boolean };
  t.true(out.finder, 'node-gyp-build found the addons');
  t.deepEqual(
    out.types,
    nodes(loadShellParser<Parser>().parse(SCRIPT).rootNode).map((n) => n.type),
  );
});
