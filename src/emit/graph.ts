/**
 * The artifact flow of a migration, drawn: the stages, each artifact, and the instruction that
 * uses it, with the legacy round trip through the host (the builder's file taken out — `docker
 * cp`, its output, a tar stream, a bind mount — to a host path, then COPY from the build context)
 * beside the `COPY --from` that replaces it. `migrate --graph mermaid|dot` prints it for every
 * pattern; the text report shows the same flow as an indented tree (`flowTree`).
 *
 * Contract: pure; every label is escaped for its language, and node ids are generated (`s0`,
 * `a0_0`…), never taken from paths, so any path draws.
 */
import type { ArtifactSummary, MigrationResult } from '../model/result.js';

export type GraphKind = 'mermaid' | 'dot';

const ROUTE = { stdout: 'stdout', tar: 'tar stream, tar -x', archive: 'tar archive, ADD', bind: 'bind mount' } as const;

/** How the artifact left the builder in the legacy flow, in words. */
export function legacyRoute(a: ArtifactSummary): string {
  return a.via ? ROUTE[a.via] : 'docker cp';
}

interface Node {
  readonly id: string;
  readonly label: string;
  readonly shape: 'stage' | 'host' | 'use';
}
interface Edge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  /** `part`: the use belongs to the stage (the last stage of the file it is written in). */
  readonly kind: 'legacy' | 'new' | 'part';
}
interface Flow {
  readonly title: string;
  readonly nodes: readonly Node[];
  readonly edges: readonly Edge[];
}

/** The flow of one result, with ids unique under `prefix`. */
function flowOf(result: MigrationResult, prefix: string): Flow {
  const nodes: Node[] = [];
  const edges: Edge[] = [];
  const stageIds = new Map<string, string>();
  const stage = (name: string): string => {
    let id = stageIds.get(name);
    if (id === undefined) {
      id = `${prefix}s${stageIds.size}`;
      stageIds.set(name, id);
      const s = result.stages.find((x) => x.name === name);
      nodes.push({ id, label: s ? `${name}\nFROM ${s.from}\n${s.source}` : name, shape: 'stage' });
    }
    return id;
  };
  for (const s of result.stages) stage(s.name);
  result.artifacts.forEach((a, i) => {
    const from = stage(a.stage);
    const host = `${prefix}h${i}`;
    nodes.push({ id: host, label: `host: ${a.hostPath}`, shape: 'host' });
    edges.push({ from, to: host, label: `${legacyRoute(a)} ${a.path}`, kind: 'legacy' });
    a.consumers.forEach((c, j) => {
      const use = `${prefix}u${i}_${j}`;
      nodes.push({ id: use, label: `${c.file}:${c.line}\n${c.instruction.split('\n')[0]}`, shape: 'use' });
      edges.push({ from: host, to: use, label: 'COPY from the context', kind: 'legacy' });
      edges.push({ from, to: use, label: `COPY --from=${a.stage} ${a.path} ${c.dest}`, kind: 'new' });
      const owner = result.stages.filter((x) => x.source === c.file).at(-1);
      if (owner) edges.push({ from: use, to: stage(owner.name), label: 'in', kind: 'part' });
    });
  });
  return { title: result.directory, nodes, edges };
}

const mermaidText = (s: string): string => `"${s.replace(/"/g, '#quot;').replace(/\n/g, '<br/>')}"`;

function mermaid(flows: readonly Flow[]): string {
  const out = ['flowchart LR'];
  flows.forEach((f, k) => {
    const indent = flows.length > 1 ? '    ' : '  ';
    if (flows.length > 1) out.push(`  subgraph p${k}[${mermaidText(f.title)}]`);
    for (const n of f.nodes) {
      const [open, close] = n.shape === 'stage' ? ['[', ']'] : n.shape === 'host' ? ['[/', '/]'] : ['(', ')'];
      out.push(`${indent}${n.id}${open}${mermaidText(n.label)}${close}`);
    }
    for (const e of f.edges) {
      const [a, b] = e.kind === 'new' ? ['==', '==>'] : e.kind === 'legacy' ? ['-.', '.->'] : ['--', '---'];
      out.push(`${indent}${e.from} ${a} ${mermaidText(e.label)} ${b} ${e.to}`);
    }
    if (flows.length > 1) out.push('  end');
  });
  return `${out.join('\n')}\n`;
}

const dotText = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

function dot(flows: readonly Flow[]): string {
  const out = [
    'digraph restage {',
    '  rankdir=LR;',
    '  node [fontname="sans-serif"];',
    '  edge [fontname="sans-serif"];',
  ];
  flows.forEach((f, k) => {
    const indent = flows.length > 1 ? '    ' : '  ';
    if (flows.length > 1) out.push(`  subgraph cluster_${k} {`, `    label=${dotText(f.title)};`);
    for (const n of f.nodes) {
      const shape = n.shape === 'stage' ? 'box' : n.shape === 'host' ? 'parallelogram' : 'ellipse';
      out.push(`${indent}${n.id} [shape=${shape}, label=${dotText(n.label)}];`);
    }
    for (const e of f.edges)
      out.push(
        `${indent}${e.from} -> ${e.to} [label=${dotText(e.label)}${{ new: ', style=bold', legacy: ', style=dashed', part: ', arrowhead=none' }[e.kind]}];`,
      );
    if (flows.length > 1) out.push('  }');
  });
  out.push('}');
  return `${out.join('\n')}\n`;
}

/** The flow of every result as one graph (a cluster per pattern when there are several). */
export function renderGraph(results: readonly MigrationResult[], kind: GraphKind): string {
  const flows = results.map((r, k) => flowOf(r, results.length > 1 ? `p${k}` : ''));
  return kind === 'mermaid' ? mermaid(flows) : dot(flows);
}

/**
 * The text report's flow: per stage that artifacts come from, each artifact with its legacy
 * round trip and the COPY --from that replaces it, one line per use.
 */
export function flowTree(result: MigrationResult): string[] {
  const lines: string[] = [];
  for (const name of new Set(result.artifacts.map((a) => a.stage))) {
    const s = result.stages.find((x) => x.name === name);
    lines.push(`  ${name}${s ? `  FROM ${s.from}  (${s.source})` : ''}`);
    for (const a of result.artifacts.filter((x) => x.stage === name)) {
      lines.push(`    ${a.path}`);
      const uses = a.consumers.map((c) => `${c.file}:${c.line} ${c.instruction.split('\n')[0]}`);
      lines.push(
        `      legacy: ${legacyRoute(a)} → ${a.hostPath} → ${uses.length > 0 ? uses.join('; ') : '(not consumed)'}`,
      );
      for (const c of a.consumers)
        lines.push(`      now:    COPY --from=${name} ${a.path} ${c.dest}  (${c.file}:${c.line})`);
    }
  }
  return lines;
}
