/**
 * dockerfile-ast recomputes an instruction's arguments from its text on every `getArguments()` call,
 * one character at a time, and it and dockerfile-utils' validator call it dozens of times per
 * instruction: a 1 MB `RUN` line cost seconds of garbage collection. The arguments of a parsed
 * instruction never change here (restage never edits the AST; edits are spliced into the text), so
 * the first result is kept per instruction and every caller gets its own copy of the array.
 * test/parse/argument-memo.test.ts shows the results are the library's own; `npm run bench` times
 * the 1 MB line.
 */
import { Instruction, type Argument } from 'dockerfile-ast';

type Args = Argument[];

/** `getRawArguments` is private in the library's types; `getArguments` and the validator go through it. */
const prototype = Instruction.prototype as unknown as { getRawArguments: (this: Instruction) => Args };
const computed = new WeakMap<Instruction, Args>();
const original = prototype.getRawArguments;

/** The library's own computation, for tests. */
export function uncachedArguments(instruction: Instruction): Args {
  return original.call(instruction);
}

prototype.getRawArguments = function (this: Instruction): Args {
  let args = computed.get(this);
  if (args === undefined) {
    args = original.call(this);
    computed.set(this, args);
  }
  return args.slice();
};
