/**
 * The docker shim's rewriting: one call of the legacy script's `docker`/`podman` (its words after
 * the client's name) becomes the call to run, a call not to run (the script sees success, the
 * report a note), or a refusal. Pure: files and standard input are read through `io`, state comes
 * in and goes out. Global options come before the verb; one naming another engine (`-H`,
 * `--context`, podman's `--connection`/`--url`/`--remote`) is refused, as the run must use the
 * engine verify was given. Verbs and their `image`/`container`/`buildx` spellings are one table.
 */
import { globalOptions } from '../../../shared/docker-cli.js';
import { rewriteBuild } from './build.js';
import { Call } from './call.js';
import { rewriteCompose } from './compose.js';
import { rewriteContainer } from './container.js';
import {
  CONTAINER_VERBS,
  rewriteCommit,
  rewriteContainerVerb,
  rewriteCp,
  rewritePs,
  rewriteRename,
} from './containers.js';
import {
  refuseLoad,
  rewriteImageRead,
  rewriteImages,
  rewriteImport,
  rewriteInspect,
  rewritePull,
  rewriteRmi,
  rewriteTag,
  rewriteVolume,
} from './images.js';
import { Refusal, Skip, type ShimContext, type ShimDecision, type ShimIo, type ShimState } from './types.js';

export { EMPTY_STATE } from './types.js';
export type { ShimContext, ShimDecision, ShimIo, ShimState } from './types.js';

type Handler = (call: Call) => ShimDecision;

const containerVerb =
  (verb: string): Handler =>
  (call) =>
    rewriteContainerVerb(call, verb);
const pass: Handler = (call) => call.run();
const skip =
  (why: string): Handler =>
  (call) =>
    call.skip(`${call.command}: not executed (${why})`);
const refuseVerb =
  (why: string): Handler =>
  (call) =>
    call.refuse('', why, 'Run these steps outside `restage verify`, or verify the images they build by hand');

const PUBLISH = 'verify never publishes or logs in to a registry';
const PRUNE = "it would remove the user's own images, containers or volumes, not only the run's";
const ORCHESTRATION = 'it builds and runs with names and mounts the docker shim cannot rewrite';

/** Verb paths (as the user writes them) to their rewriting; the longest matching path wins. */
const VERBS: readonly (readonly [string, Handler])[] = [
  ...['build', 'image build', 'buildx build', 'builder build', 'buildx b'].map((v) => [v, rewriteBuild] as const),
  ...['create', 'container create'].map((v) => [v, (c: Call) => rewriteContainer(c, 'create')] as const),
  ...['run', 'container run'].map((v) => [v, (c: Call) => rewriteContainer(c, 'run')] as const),
  ...['cp', 'container cp'].map((v) => [v, rewriteCp] as const),
  ...['tag', 'image tag'].map((v) => [v, rewriteTag] as const),
  ...['rmi', 'image rm', 'image remove'].map((v) => [v, rewriteRmi] as const),
  ...Object.keys(CONTAINER_VERBS).flatMap((v) => [
    [v, containerVerb(v)] as const,
    [`container ${v}`, containerVerb(v)] as const,
  ]),
  ['container remove', containerVerb('rm')],
  ...['rename', 'container rename'].map((v) => [v, rewriteRename] as const),
  ...['commit', 'container commit'].map((v) => [v, rewriteCommit] as const),
  ...['inspect', 'container inspect', 'image inspect'].map((v) => [v, rewriteInspect] as const),
  ...['ps', 'container ls', 'container list', 'container ps'].map((v) => [v, rewritePs] as const),
  ...['images', 'image ls', 'image list'].map((v) => [v, rewriteImages] as const),
  ...['pull', 'image pull'].map((v) => [v, rewritePull] as const),
  ...['save', 'image save', 'history', 'image history'].map((v) => [v, rewriteImageRead] as const),
  ...['import', 'image import'].map((v) => [v, rewriteImport] as const),
  ...['load', 'image load'].map((v) => [v, refuseLoad] as const),
  ...['create', 'rm', 'remove', 'inspect'].map((s) => [`volume ${s}`, (c: Call) => rewriteVolume(c, s)] as const),
  ...['push', 'image push', 'manifest push', 'login', 'logout', 'context'].map((v) => [v, skip(PUBLISH)] as const),
  ...[
    'system prune',
    'image prune',
    'container prune',
    'volume prune',
    'network prune',
    'builder prune',
    'buildx prune',
  ].map((v) => [v, skip(PRUNE)] as const),
  [
    'compose',
    (c: Call) =>
      rewriteCompose(
        c.args.map((a) => a.text),
        2,
        c.ctx,
        c.state,
        c.io,
      ),
  ],
  ...['buildx bake', 'stack', 'service', 'swarm', 'plugin'].map((v) => [v, refuseVerb(ORCHESTRATION)] as const),
  ...[
    'version',
    'info',
    'help',
    'system info',
    'system df',
    'volume ls',
    'volume list',
    'search',
    'buildx version',
  ].map((v) => [v, pass] as const),
];
const TABLE = VERBS.map(([verb, handler]) => ({ words: verb.split(' '), handler })).sort(
  (a, b) => b.words.length - a.words.length,
);

/** Global options that name another engine than the one verify was given. */
const OTHER_ENGINE = new Set(['H', 'host', 'c', 'context', 'connection', 'url', 'identity', 'r', 'remote']);

export function rewriteCall(argv: readonly string[], ctx: ShimContext, state: ShimState, io: ShimIo): ShimDecision {
  try {
    if (ctx.client === 'docker-compose') return rewriteCompose(argv, 1, ctx, state, io);
    const { options, verbAt: i } = globalOptions(argv);
    for (const option of options) {
      const word = option.words[0]!;
      if (OTHER_ENGINE.has(option.name))
        throw new Refusal(
          `restage verify refused \`${ctx.client} ${word}\`: the legacy build must run on the engine verify was given, not another one. Remove ${word} from the script and give verify the engine to use instead.`,
        );
      if (option.unknown)
        throw new Refusal(
          `restage verify refused \`${ctx.client} ${word}\`: restage does not know that global option, so it cannot tell the command from its value. Write it as \`${word}=VALUE\` if it takes a value, or report the option to restage.`,
        );
    }
    const rest = argv.slice(i);
    const entry = TABLE.find((e) => e.words.every((w, k) => rest[k] === w));
    const verbWords = entry ? entry.words.length : Math.min(rest.length, 1);
    const verb = rest.slice(0, verbWords).join(' ');
    const call = new Call(ctx, state, io, argv.slice(0, i + verbWords), verb, rest.slice(verbWords));
    if (entry) return entry.handler(call);
    if (rest.length > 0)
      call.notes.push(`${call.command}: passed through unchanged (restage does not know this command)`);
    return call.run();
  } catch (e) {
    if (e instanceof Refusal) return { kind: 'refuse', message: e.message };
    if (e instanceof Skip) return { kind: 'skip', note: e.note, stdout: e.stdout };
    throw e;
  }
}
