/**
 * Progress on stderr. Builds take minutes on real projects: on a terminal each step shows a live
 * elapsed time; without one, one plain line per step when it ends; `quiet` prints nothing.
 */
export interface Progress {
  step<T>(label: string, work: () => Promise<T>): Promise<T>;
}

export function createProgress(
  mode: 'tty' | 'plain' | 'quiet',
  write: (text: string) => void = (t) => process.stderr.write(t),
): Progress {
  return {
    async step(label, work) {
      const started = performance.now();
      const elapsed = () => ((performance.now() - started) / 1000).toFixed(1);
      let timer: NodeJS.Timeout | undefined;
      if (mode === 'tty') {
        write(`  ${label} …`);
        timer = setInterval(() => write(`\r\x1b[K  ${label} … ${elapsed()}s`), 200);
      }
      try {
        const result = await work();
        if (mode === 'tty') write(`\r\x1b[K  ${label} ✓ ${elapsed()}s\n`);
        if (mode === 'plain') write(`restage: ${label}: done in ${elapsed()}s\n`);
        return result;
      } catch (error) {
        if (mode === 'tty') write(`\r\x1b[K  ${label} ✗ ${elapsed()}s\n`);
        if (mode === 'plain') write(`restage: ${label}: failed after ${elapsed()}s\n`);
        throw error;
      } finally {
        if (timer) clearInterval(timer);
      }
    },
  };
}
