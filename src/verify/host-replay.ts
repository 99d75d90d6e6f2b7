/**
 * The script's host commands (`mkdir`, `rm`, `mv`, `cp`, `chmod`) done in verify's scratch area, with
 * the steps of the shared model (src/shared/host-ops.ts) that the analysis used too. Every path is
 * mapped into the scratch area and every write is checked by `ScratchTree.writable`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { HostOperation } from '../model/flow.js';
import { applyMode, hostSteps, MODELLED_OPS, type HostStep } from '../shared/host-ops.js';
import type { ScratchTree } from './scratch.js';

/** A host command of the script, done in the scratch area with the steps of the shared model. */
export function applyHost(event: HostOperation, tree: ScratchTree): void {
  if (!MODELLED_OPS.has(event.op) || event.undecidable.length > 0) return;
  const isDir = (p: string) => fs.statSync(tree.map(p), { throwIfNoEntry: false })?.isDirectory() ?? false;
  for (const step of hostSteps(event, isDir)) applyStep(step, tree);
}

function applyStep(step: HostStep, tree: ScratchTree): void {
  switch (step.kind) {
    case 'mkdir':
      fs.mkdirSync(tree.writable(tree.map(step.path), 'create the directory'), { recursive: true });
      return;
    case 'remove':
      fs.rmSync(tree.writable(tree.map(step.path), 'remove', true), { recursive: true, force: true });
      return;
    case 'move':
    case 'copy': {
      const from = tree.map(step.from);
      if (!fs.existsSync(from)) return;
      const to = tree.writable(tree.map(step.to), step.kind === 'move' ? 'move to' : 'copy to');
      if (step.kind === 'move') fs.renameSync(tree.writable(from, 'move', true), to);
      else fs.cpSync(from, to, { recursive: true, verbatimSymlinks: true });
      return;
    }
    case 'chmod':
      chmodTree(tree.writable(tree.map(step.path), 'chmod'), step.mode, step.recursive, true);
  }
}

/** `chmod [-R] MODE path`: like chmod(1), a symlink met while recursing is left alone (its mode means nothing). */
function chmodTree(p: string, mode: string, recursive: boolean, top: boolean): void {
  const stat = top ? fs.statSync(p) : fs.lstatSync(p);
  if (stat.isSymbolicLink()) return;
  fs.chmodSync(p, applyMode(mode, stat.mode, stat.isDirectory()));
  if (recursive && stat.isDirectory())
    for (const name of fs.readdirSync(p)) chmodTree(path.join(p, name), mode, true, false);
}
