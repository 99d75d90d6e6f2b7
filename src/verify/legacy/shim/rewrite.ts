// TEMPORARY stub, replaced by the real rewriting (branch wp-shim) at merge.
export interface ShimContext {
  readonly runId: string;
  readonly label: string;
  readonly client: 'docker' | 'podman';
  readonly repo: string;
  readonly copy: string;
  readonly cwd: string;
  readonly network: string | null;
  readonly imageMap: ReadonlyMap<string, string>;
  readonly scratchDir: string;
}
export interface ShimState {
  readonly images: Readonly<Record<string, string>>;
  readonly containers: Readonly<Record<string, string>>;
  readonly ids: readonly string[];
}
export type ShimDecision =
  | {
      readonly kind: 'run';
      readonly argv: readonly string[];
      readonly state: ShimState;
      readonly files: readonly { path: string; text: string }[];
      readonly stdin?: string;
      readonly capturesId: boolean;
      readonly notes: readonly string[];
    }
  | { readonly kind: 'skip'; readonly note: string; readonly stdout: string }
  | { readonly kind: 'refuse'; readonly message: string };
export const EMPTY_STATE: ShimState = { images: {}, containers: {}, ids: [] };
export function rewriteCall(
  argv: readonly string[],
  ctx: ShimContext,
  state: ShimState,
  _io: { readFile(path: string): string | null; stdin(): string },
): ShimDecision {
  if (argv[0] === 'push') return { kind: 'skip', note: 'push is not executed', stdout: '' };
  if (argv[0] === 'build') {
    const t = argv.indexOf('-t');
    const images = { ...state.images };
    const out = [...argv];
    if (t >= 0) {
      images[argv[t + 1]!] = `${ctx.runId}/${argv[t + 1]!}`;
      out[t + 1] = images[argv[t + 1]!]!;
    }
    out.splice(1, 0, '--no-cache', '--label', `${ctx.label}=${ctx.runId}`, '--network', ctx.network ?? 'default');
    return { kind: 'run', argv: out, state: { ...state, images }, files: [], capturesId: false, notes: [] };
  }
  return { kind: 'run', argv, state, files: [], capturesId: false, notes: [] };
}
