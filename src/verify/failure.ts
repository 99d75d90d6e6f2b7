/** A step the engine could not do (a build failed, a copy failed): verify exits 3 with its last log lines. */
export class EngineFailure extends Error {
  override readonly name = 'EngineFailure';
  constructor(readonly step: string, message: string, readonly logTail: readonly string[] = []) {
    super(message);
  }
}
