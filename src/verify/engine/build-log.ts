/**
 * The images a build's log names as its steps' results. The classic builder and podman keep an image
 * per step, and a failed build (or a stage that is not the final image) leaves them untagged. The
 * id printed after each step is read, skipping the one printed for a FROM step: that one is the base
 * image (or an earlier stage), not the step's. Classic: `Step 2/4 : RUN …` then ` ---> 3f2a…`;
 * podman: `[1/2] STEP 2/2: RUN …` then `--> 74d8a1b3e25`. BuildKit keeps no step images and prints
 * no such line. test/verify/engine/build-log.test.ts holds real logs of both.
 */

/** A line-by-line reader of one build's log that hands each step image id to `onImage`. */
export function stepImageReader(onImage: (id: string) => void): (line: string) => void {
  let afterFrom = false;
  return (line) => {
    if (/^(\[\d+\/\d+\] )?step \d+\/\d+ ?: /i.test(line)) afterFrom = /: FROM\s/i.test(line);
    const id = /^ ?--?-> ([0-9a-f]{11,64})$/.exec(line)?.[1];
    if (id && !afterFrom) onImage(id);
  };
}

/** The step image ids of a whole log, in order. */
export function stepImages(log: string): string[] {
  const ids: string[] = [];
  const read = stepImageReader((id) => ids.push(id));
  for (const line of log.split(/\r?\n/)) read(line);
  return ids;
}
