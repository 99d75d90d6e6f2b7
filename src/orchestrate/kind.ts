/**
 * An orchestrator: the file whose run is the legacy pipeline (a shell script, a Makefile), read as
 * the shell script the analysis takes. One kind per file of this folder; `index.ts` is the registry.
 */
import type { Diagnostic, Location } from '../model/diagnostic.js';
import type { ShellParse } from '../parse/shell.js';

/** What a kind needs from the runner: reads confined to the migrated directory, and the user's options. */
export interface OrchestratorContext {
  /** Absolute path of the migrated directory. */
  readonly root: string;
  /** A file's text, or null when it is missing or refused by the confinement. */
  readonly readText: (abs: string) => string | null;
  /** How diagnostics show an absolute path. */
  readonly display: (abs: string) => string;
  /** `--script-arg`, in order, when given. */
  readonly scriptArgs: readonly string[] | undefined;
  /** `--env NAME=VALUE`, when given. */
  readonly env: Readonly<Record<string, string>> | undefined;
  /** `--make-target`, when given. */
  readonly makeTarget: string | undefined;
}

/** An orchestrator run as a shell script. */
export interface Orchestration {
  /** The script the analysis reads; null when the file cannot be read. */
  readonly shell: ShellParse | null;
  /** How much the run does (lines of the script): a target's size when targets are compared. */
  readonly lines: number;
  /** Diagnostics of reading the file, already on its own lines. */
  readonly diagnostics: readonly Diagnostic[];
  /**
   * Moves, in place, every location in `value` that is in a generated script back to the file it
   * came from (a script read as it is has nothing to move).
   */
  readonly relocate: (value: unknown) => void;
  /** Absolute paths of other files the run reads as part of it (a JS build script an npm script runs). */
  readonly included?: readonly string[];
  /** Packages the run needs from the tree's node_modules besides node (`tsx`, `ts-node`). */
  readonly packages?: readonly NeededPackage[];
}

/** A package a run needs besides node (`tsx` for `tsx build.ts`), and where it is first run. */
export interface NeededPackage {
  readonly name: string;
  readonly at: Location;
}

/** A target the user named, and how (for the report). */
export interface GivenTarget {
  readonly target: string;
  readonly why: string;
}

/** The targets of a file run with a target (`make GOAL`, `npm run NAME`). */
export interface TargetList {
  /** The target run when none is named, or null when the tool has none. */
  readonly defaultTarget: string | null;
  readonly targets: readonly string[];
}

interface Common {
  /** Whether a file found by discovery (relative to the migrated directory) is of this kind. */
  readonly matches: (name: string) => boolean;
}

/** A script run as it is: a shell script (`--script-arg` words are its `$1`, `$2`…), or a JS/TS build script. */
export interface ScriptKind extends Common {
  readonly kind: 'script' | 'js';
  readonly read: (context: OrchestratorContext, name: string) => Orchestration;
}

/** A file run with a target (`make GOAL`, `npm run NAME`): the script is what running that target does. */
export interface TargetKind extends Common {
  readonly kind: 'make' | 'npm';
  /** The target named on the command line, or null. */
  readonly given: (context: OrchestratorContext) => GivenTarget | null;
  /** The file's targets, or null when it cannot be read. */
  readonly targets: (context: OrchestratorContext, name: string) => TargetList | null;
  readonly read: (context: OrchestratorContext, name: string, target: string | null) => Orchestration;
  /** Where a target is defined, for the report (null: unknown). */
  readonly targetAt: (context: OrchestratorContext, name: string, target: string) => Location | null;
  /** The command line run, as the report shows it (`make all`). */
  readonly commandLine: (context: OrchestratorContext, target: string) => string;
  /** What the tool calls a target, for the report (a package.json has scripts). */
  readonly noun: 'target' | 'script';
  /** The info diagnostic that says which target restage followed. */
  readonly followedCode: 'RS363' | 'RS383';
  /** How the user names another target. */
  readonly otherTarget: string;
}

export type OrchestratorKind = ScriptKind | TargetKind;

/** Whether a kind is run with a target. */
export const isTargetKind = (kind: OrchestratorKind): kind is TargetKind => kind.kind === 'make' || kind.kind === 'npm';
