/** This process's children and their descendants, read from /proc (none where there is no /proc). */
import { readdir, readFile, readlink } from 'node:fs/promises';

/** pid → parent pid of every process visible in /proc (empty where there is no /proc). */
async function parentPids(): Promise<Map<number, number>> {
  const parents = new Map<number, number>();
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return parents;
  }
  await Promise.all(
    entries
      .filter((e) => /^\d+$/.test(e))
      .map(async (e) => {
        try {
          const stat = await readFile(`/proc/${e}/stat`, 'utf8');
          // "pid (comm) state ppid …": comm may hold spaces and parentheses.
          const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
          if (Number.isInteger(ppid)) parents.set(Number(e), ppid);
        } catch {
          // exited meanwhile
        }
      }),
  );
  return parents;
}

/** The pid of a child of this process whose argv matches. */
export async function findChild(matches: (argv: string[]) => boolean): Promise<number | undefined> {
  for (const [pid, ppid] of await parentPids()) {
    if (ppid !== process.pid) continue;
    try {
      const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
      if (matches(argv)) return pid;
    } catch {
      // exited meanwhile
    }
  }
  return undefined;
}

/** Descendants of `root` in another PID namespace than this process: the processes of its containers. */
export async function containerDescendants(root: number): Promise<number[]> {
  const own = await readlink('/proc/self/ns/pid').catch(() => undefined);
  if (own === undefined) return [];
  const parents = await parentPids();
  const found: number[] = [];
  for (const pid of parents.keys()) {
    let ancestor = parents.get(pid);
    while (ancestor !== undefined && ancestor !== root && ancestor > 1) ancestor = parents.get(ancestor);
    if (ancestor !== root) continue;
    const ns = await readlink(`/proc/${pid}/ns/pid`).catch(() => undefined);
    if (ns !== undefined && ns !== own) found.push(pid);
  }
  return found;
}
