/**
 * One call being rewritten: its words, the names it maps and records, its notes and files. A
 * verb's rewriter edits the words after the verb in place (`set`, `drop`), adds options right
 * after the verb (where every docker verb takes them), and ends with `run()`, or throws through
 * `refuse()` / `skip()`.
 */
import { imageKey } from '../../../shared/image-ref.js';
import type { OptionSpec, OptionWord, ParsedOption } from '../../../shared/docker-options.js';
import { mapImage } from '../../scratch.js';
import { ownId, prefixedName, prefixedTag } from './names.js';
import { Refusal, Skip, type ShimContext, type ShimDecision, type ShimIo, type ShimState } from './types.js';

/** A word of the call after the verb, with its position there. */
export interface Arg extends OptionWord {
  readonly index: number;
}

export type Option = ParsedOption<Arg>;

/** The analysis's spec of a verb with the options it does not list (podman's, newer docker's), so no value is taken for a positional. */
export function widen(base: OptionSpec, more: OptionSpec): OptionSpec {
  return { valued: { ...more.valued, ...base.valued }, flags: { ...more.flags, ...base.flags } };
}

export class Call {
  readonly args: readonly Arg[];
  private readonly out: (string | null)[];
  private readonly added: string[] = [];
  private readonly images: Record<string, string>;
  private readonly containers: Record<string, string>;
  readonly notes: string[] = [];
  readonly files: { path: string; text: string }[] = [];
  /** Files among `files` to remove once the call is done (a rewritten Dockerfile inside the repository copy). */
  readonly temporary: string[] = [];
  stdin: string | Buffer | undefined;

  /** `head`: the global options kept and the verb words as written; `verb`: the verb as messages name it. */
  constructor(
    readonly ctx: ShimContext,
    readonly state: ShimState,
    readonly io: ShimIo,
    readonly head: readonly string[],
    readonly verb: string,
    words: readonly string[],
  ) {
    this.args = words.map((text, index) => ({ text, index }));
    this.out = [...words];
    this.images = { ...state.images };
    this.containers = { ...state.containers };
  }

  /** `docker run`, `podman build`: the command as the user knows it. */
  get command(): string {
    return `${this.ctx.client} ${this.verb}`;
  }

  get labelOption(): string {
    return `--label=${this.ctx.label}=${this.ctx.runId}`;
  }

  refuse(what: string, why: string, fix: string): never {
    throw new Refusal(`restage verify refused \`${this.command}\`${what ? ` ${what}` : ''}: ${why}. ${fix}.`);
  }

  skip(note: string, stdout = ''): never {
    throw new Skip(note, stdout);
  }

  set(arg: Arg, text: string): void {
    this.out[arg.index] = text;
  }

  drop(arg: Arg): void {
    this.out[arg.index] = null;
  }

  /** Replaces an option's value, whether it was its own word (`-t x`) or in the option's (`--tag=x`, `-tx`). */
  setValue(option: Option, text: string): void {
    const value = option.value!;
    const first = option.words[0]!;
    if (option.words.length > 1) this.set(value, text);
    else this.set(first, first.text.slice(0, first.text.length - value.text.length) + text);
  }

  add(...words: string[]): void {
    this.added.push(...words);
  }

  /** The image a tag the script wrote names now: the run's own tag, else the image-mapped one, else itself. */
  image(text: string): string {
    return this.madeImage(text) ?? mapImage(text, this.ctx.imageMap);
  }

  /** The prefixed tag when the run made `text`, else null. */
  madeImage(text: string): string | null {
    return this.images[imageKey(text)] ?? null;
  }

  /** A new tag the script gives an image (`build -t`, `tag`, `commit`): prefixed and recorded. */
  newTag(text: string): string {
    const tag = prefixedTag(this.ctx.runId, text);
    if (tag === null)
      this.refuse(
        `with the tag \`${text}\``,
        'it is no valid image tag, so the run cannot give it its own prefix',
        'Fix the tag in the script',
      );
    this.images[imageKey(text)] = tag;
    return tag;
  }

  /** The prefixed name or full id when the run created the container `text` names, else null. */
  container(text: string): string | null {
    const bare = text.startsWith('/') ? text.slice(1) : text;
    return this.containers[bare] ?? ownId(this.state.ids, text);
  }

  /** A new container name (`--name`, `rename`): prefixed and recorded. */
  newContainer(text: string): string {
    const name = prefixedName(this.ctx.runId, text);
    if (name === null)
      this.refuse(
        `with the container name \`${text}\``,
        'it is no valid container name, so the run cannot give it its own prefix',
        'Fix the name in the script',
      );
    this.containers[text.startsWith('/') ? text.slice(1) : text] = name;
    return name;
  }

  /** A named volume: always the run's own (`<runId>_<name>`), never the user's volume of that name. */
  volume(text: string): string {
    const name = prefixedName(this.ctx.runId, text);
    if (name === null)
      this.refuse(
        `with the volume \`${text}\``,
        'it is no valid volume name, so the run cannot give it its own prefix',
        'Fix the volume name in the script',
      );
    return name;
  }

  /** The decision to run the rewritten call; `capture` says which of its output the server reads. */
  run(capture: 'id' | 'log' | null = null): ShimDecision {
    const rest = this.out.filter((w): w is string => w !== null);
    return {
      kind: 'run',
      argv: [...this.head, ...this.added, ...rest],
      state: { ...this.state, images: this.images, containers: this.containers },
      files: this.files,
      ...(this.temporary.length > 0 ? { temporary: this.temporary } : {}),
      ...(this.stdin === undefined ? {} : { stdin: this.stdin }),
      capturesId: capture === 'id',
      ...(capture === 'log' ? { capturesLog: true } : {}),
      notes: this.notes,
    };
  }
}
