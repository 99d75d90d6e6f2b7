/** The docker shim's tests: one context (a repository at /home/u/proj, its copy elsewhere), files in memory. */
import {
  EMPTY_STATE,
  rewriteCall,
  type ShimContext,
  type ShimDecision,
  type ShimState,
} from '../../../src/verify/legacy/shim/rewrite.js';

export const RUN = 'restage-1a2b3c4d';
export const LABEL = `--label=restage.session=${RUN}`;

export const ctx: ShimContext = {
  runId: RUN,
  label: 'restage.session',
  client: 'docker',
  repo: '/home/u/proj',
  copy: '/var/tmp/restage/copy',
  cwd: '/home/u/proj',
  network: 'none',
  imageMap: new Map([['golang', 'testbase/golang:latest']]),
  scratchDir: '/var/tmp/restage/shim',
  bin: '/var/tmp/restage/run/bin',
};

export interface Setup {
  readonly state?: ShimState;
  readonly files?: Readonly<Record<string, string>>;
  /** Symbolic links: path -> target as the link holds it. */
  readonly links?: Readonly<Record<string, string>>;
  readonly stdin?: string | Buffer;
  /** The call's environment (asked for by a compose call). */
  readonly env?: Readonly<Record<string, string>>;
  readonly ctx?: Partial<ShimContext>;
}

/** The decision for one call; `stdinRead` counts the reads of standard input. */
export function decide(argv: readonly string[], setup: Setup = {}): ShimDecision & { stdinRead?: number } {
  let reads = 0;
  const io = {
    readFile: (p: string) => setup.files?.[p] ?? null,
    readlink: (p: string) => setup.links?.[p] ?? null,
    stdin: () => {
      reads++;
      return Buffer.from(setup.stdin ?? '');
    },
    environment: () => setup.env ?? {},
  };
  const decision = rewriteCall(argv, { ...ctx, ...setup.ctx }, setup.state ?? EMPTY_STATE, io);
  return Object.assign(decision, { stdinRead: reads });
}

/** The run decision's argv, or a marker naming the other kind (so a table row fails readably). */
export function argvOf(decision: ShimDecision): readonly string[] | string {
  if (decision.kind === 'run') return decision.argv;
  return decision.kind === 'skip' ? `skip: ${decision.note}` : `refuse: ${decision.message}`;
}

/** Runs calls in order, threading the state as the shim's executable does; returns every decision. */
export function script(calls: readonly (readonly string[])[], setup: Setup = {}): ShimDecision[] {
  let state = setup.state ?? EMPTY_STATE;
  return calls.map((argv) => {
    const decision = decide(argv, { ...setup, state });
    if (decision.kind === 'run') state = decision.state;
    return decision;
  });
}

export const stateWith = (
  images: Record<string, string>,
  containers: Record<string, string> = {},
  ids: string[] = [],
): ShimState => ({
  images,
  containers,
  ids,
  intermediates: [],
});

/** The state after `build -t builder` and `create --name extract`. */
export const BUILT = stateWith(
  { 'docker.io/library/builder:latest': `${RUN}/docker.io/library/builder:latest` },
  { extract: `${RUN}_extract` },
  ['0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'],
);
