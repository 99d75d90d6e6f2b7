/**
 * The orchestrator kinds restage reads, by file: the first kind whose `matches` accepts a file is
 * its kind (the shell script last: it accepts any file discovery found).
 */
import type { OrchestratorKind } from './kind.js';
export { isTargetKind } from './kind.js';
import { makefile } from './make.js';
import { packageJson } from './npm.js';
import { jsScript } from './js.js';
import { shellScript } from './script.js';

export type {
  GivenTarget,
  NeededPackage,
  Orchestration,
  OrchestratorContext,
  OrchestratorKind,
  TargetKind,
} from './kind.js';
export { makeArguments } from './make.js';

const KINDS: readonly OrchestratorKind[] = [makefile, packageJson, jsScript, shellScript];

/** The kind of an orchestrator discovery found (`name` relative to the migrated directory). */
export function orchestratorKind(name: string): OrchestratorKind {
  return KINDS.find((k) => k.matches(name)) ?? shellScript;
}
