/**
 * Verbs on images and volumes. A tag the run made is named by its prefixed tag; a new tag
 * (`tag`, `import`) gets the prefix and is recorded. `rmi` of an image the run did not tag is not
 * executed, nor is a pull of what the run made or the image map replaces (those are local);
 * `load` is refused, as it would tag images under the archive's names, the user's own among them.
 * Named volumes are always the run's own (mounts.ts).
 */
import { hasFlag, lastValue, parseWords, spec } from '../../../shared/docker-options.js';
import { mapImage } from '../../scratch.js';
import type { Arg, Call } from './call.js';
import { refuseUnknown } from './container.js';
import { runPattern } from './references.js';
import type { ShimDecision } from './types.js';

const NONE = spec([], []);

/** `tag SOURCE TARGET`. */
export function rewriteTag(call: Call): ShimDecision {
  const parsed = parseWords(call.args, NONE);
  refuseUnknown(call, parsed.unknown);
  const [source, ...targets] = parsed.positionals;
  if (source) call.set(source, call.image(source.text));
  // podman takes several targets.
  for (const target of targets) call.set(target, call.newTag(target.text));
  return call.run();
}

/** `rmi IMAGE...`: only the run's tags; an id or another tag is the user's. */
export function rewriteRmi(call: Call): ShimDecision {
  const parsed = parseWords(call.args, spec([], ['f|force', 'no-prune', 'a|all', 'i|ignore']));
  refuseUnknown(call, parsed.unknown);
  if (hasFlag(parsed, 'all'))
    call.skip(`${call.command} --all: not executed (it removes the user's images, not only the run's)`);
  const foreign: Arg[] = [];
  for (const arg of parsed.positionals) {
    const own = call.madeImage(arg.text);
    if (own !== null) call.set(arg, own);
    else foreign.push(arg);
  }
  if (foreign.length > 0) {
    const note = `${call.command} ${foreign.map((a) => a.text).join(', ')}: not executed (no image this run tagged)`;
    if (foreign.length === parsed.positionals.length)
      call.skip(note, foreign.map((a) => `Untagged: ${a.text}\n`).join(''));
    foreign.forEach((a) => call.drop(a));
    call.notes.push(note);
  }
  return call.run();
}

/**
 * `images [REPOSITORY[:TAG]]`: a pattern naming tags the run made (the argument, `--filter
 * reference=`) lists them under their prefixed names (references.ts); `before=`/`since=` name the
 * run's image by its prefixed tag. Base images stay visible.
 */
export function rewriteImages(call: Call): ShimDecision {
  const parsed = parseWords(
    call.args,
    spec(['f|filter', 'format'], ['a|all', 'q|quiet', 'digests', 'no-trunc', 'tree', 'n|noheading', 'history']),
  );
  refuseUnknown(call, parsed.unknown);
  const made = Object.values(call.state.images);
  const name = parsed.positionals[0];
  if (name) call.set(name, runPattern(call.ctx.runId, made, name.text));
  for (const option of parsed.options) {
    const m = option.name === 'filter' ? /^(reference|before|since)=(.*)$/.exec(option.value?.text ?? '') : null;
    if (!m) continue;
    const value = m[1] === 'reference' ? runPattern(call.ctx.runId, made, m[2]!) : (call.madeImage(m[2]!) ?? m[2]!);
    if (value !== m[2]) call.setValue(option, `${m[1]}=${value}`);
  }
  return call.run();
}

/** `pull IMAGE`: what the run made, or what the image map replaces, is local and not pulled. */
export function rewritePull(call: Call): ShimDecision {
  const parsed = parseWords(
    call.args,
    spec(
      ['platform', 'arch', 'os', 'variant', 'authfile', 'creds', 'cert-dir', 'decryption-key', 'retry', 'retry-delay'],
      ['a|all-tags', 'q|quiet', 'disable-content-trust', 'tls-verify'],
    ),
  );
  refuseUnknown(call, parsed.unknown);
  const image = parsed.positionals[0];
  if (image && call.madeImage(image.text) !== null)
    call.skip(`${call.command} ${image.text}: not executed (the run built that image itself)`);
  const mapped = image && mapImage(image.text, call.ctx.imageMap);
  if (image && mapped !== image.text)
    call.skip(`${call.command} ${image.text}: not executed (the image map replaces it with ${mapped}, a local image)`);
  return call.run();
}

/** `save IMAGE...`, `history IMAGE`: the run's tags mapped; a `save -o` archive is written by the client, inside the sandbox. */
export function rewriteImageRead(call: Call): ShimDecision {
  const parsed = parseWords(
    call.args,
    spec(
      ['o|output', 'platform', 'format'],
      ['m|multi-image-archive', 'compress', 'q|quiet', 'uncompressed', 'H|human', 'no-trunc'],
    ),
  );
  refuseUnknown(call, parsed.unknown);
  for (const arg of parsed.positionals) call.set(arg, call.image(arg.text));
  return call.run();
}

/** `inspect NAME...`: a container the run created, else an image it tagged, by its run name (`--type` narrows). */
export function rewriteInspect(call: Call): ShimDecision {
  const parsed = parseWords(call.args, spec(['f|format', 'type'], ['s|size', 'l|latest']));
  refuseUnknown(call, parsed.unknown);
  const type = call.verb.startsWith('image')
    ? 'image'
    : call.verb.startsWith('container')
      ? 'container'
      : lastValue(parsed, 'type')?.text;
  for (const arg of parsed.positionals) {
    const container = type === 'image' ? null : call.container(arg.text);
    const image = type === 'container' ? null : call.madeImage(arg.text);
    const own = container ?? image;
    if (own !== null) call.set(arg, own);
  }
  return call.run();
}

/** `import FILE|URL|- [REPOSITORY[:TAG]]`: the new tag prefixed. */
export function rewriteImport(call: Call): ShimDecision {
  const parsed = parseWords(
    call.args,
    spec(['c|change', 'm|message', 'platform', 'arch', 'os', 'variant'], ['q|quiet']),
  );
  refuseUnknown(call, parsed.unknown);
  const target = parsed.positionals[1];
  if (target) call.set(target, call.newTag(target.text));
  return call.run();
}

export function refuseLoad(call: Call): never {
  call.refuse(
    '',
    "loading an archive tags its images under the names inside it, which may replace the user's own images",
    'Build the image in the script instead, or load it before running `restage verify`',
  );
}

/** `volume create|rm|inspect NAME`: the run's own volume of that name; `volume create` gets the run's label. */
export function rewriteVolume(call: Call, sub: string): ShimDecision {
  const options =
    sub === 'create'
      ? spec(['d|driver', 'o|opt', 'label', 'uid', 'gid'], ['ignore'])
      : sub === 'inspect'
        ? spec(['f|format'], ['a|all'])
        : spec(['t|time'], ['f|force', 'a|all']);
  const parsed = parseWords(call.args, options);
  refuseUnknown(call, parsed.unknown);
  if (sub === 'create') call.add(call.labelOption);
  if (hasFlag(parsed, 'all'))
    call.skip(`${call.command} --all: not executed (it acts on the user's volumes, not only the run's)`);
  for (const arg of parsed.positionals) call.set(arg, call.volume(arg.text));
  return call.run();
}
