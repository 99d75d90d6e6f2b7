/**
 * A failure of restage itself — a bug, or a broken installation (a native module that does not
 * load) — as opposed to a problem with the user's input or the container engine. The CLI reports it
 * in one line and exits 70 (`--debug` prints the stack); the library never turns it into a
 * diagnostic about the user's files.
 */
export class InternalError extends Error {
  override readonly name = 'InternalError';
}
