/**
 * A unified diff of two texts, as `diff -u` and `git diff` print it: `---`/`+++` headers, hunks of
 * changed lines with three lines of context, `\ No newline at end of file` after a last line that
 * has none; `git apply` and `patch -p1` take it (test/shared/unified-diff.test.ts). A text of null
 * is a file that does not exist (created or removed: its name is /dev/null). Two equal texts give ''.
 */

interface Line {
  readonly text: string;
  /** Ends with a newline (only a file's last line may not). */
  readonly eol: boolean;
}

/** Above this many cells the middle is shown as one replacement instead of its shortest edit. */
const MAX_CELLS = 4_000_000;

export function unifiedDiff(
  before: string | null,
  after: string | null,
  names: { readonly from: string; readonly to: string },
  context = 3,
): string {
  if (before === after) return '';
  const a = lines(before ?? '');
  const b = lines(after ?? '');
  const ops = edits(a, b);
  if (!ops.some((o) => o.kind !== ' ')) return '';
  const out = [`--- ${before === null ? '/dev/null' : names.from}`, `+++ ${after === null ? '/dev/null' : names.to}`];
  // Hunks: runs of changes, joined when fewer than 2 * context equal lines lie between them.
  let i = 0;
  while (i < ops.length) {
    if (ops[i]!.kind === ' ') {
      i++;
      continue;
    }
    const start = Math.max(0, i - context);
    let end = i;
    for (let j = i; j < ops.length; j++) {
      if (ops[j]!.kind === ' ') continue;
      if (j - end - 1 > 2 * context) break;
      end = j;
    }
    const stop = Math.min(ops.length, end + 1 + context);
    const hunk = ops.slice(start, stop);
    const first = ops[start]!;
    const oldCount = hunk.filter((o) => o.kind !== '+').length;
    const newCount = hunk.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${range(first.a, oldCount)} +${range(first.b, newCount)} @@`);
    for (const o of hunk) {
      out.push(`${o.kind}${o.line.text}`);
      if (!o.line.eol) out.push('\\ No newline at end of file');
    }
    i = stop;
  }
  return `${out.join('\n')}\n`;
}

/** `start,count` as diff -u writes it: a hunk of no lines starts at the line before it. */
function range(index: number, count: number): string {
  const start = count === 0 ? index : index + 1;
  return count === 1 ? `${start}` : `${start},${count}`;
}

function lines(text: string): Line[] {
  if (text === '') return [];
  const parts = text.split('\n');
  const last = parts.pop()!;
  const out: Line[] = parts.map((t) => ({ text: t, eol: true }));
  if (last !== '') out.push({ text: last, eol: false });
  return out;
}

interface Op {
  readonly kind: ' ' | '-' | '+';
  readonly line: Line;
  /** The index, in the old and new texts, of the next line of each (where an insertion or deletion sits). */
  readonly a: number;
  readonly b: number;
}

const same = (x: Line, y: Line) => x.text === y.text && x.eol === y.eol;

/** The edit script: common prefix and suffix kept, the middle by a longest common subsequence. */
function edits(a: readonly Line[], b: readonly Line[]): Op[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && same(a[pre]!, b[pre]!)) pre++;
  let post = 0;
  while (post < a.length - pre && post < b.length - pre && same(a[a.length - 1 - post]!, b[b.length - 1 - post]!))
    post++;
  const ops: Op[] = [];
  for (let k = 0; k < pre; k++) ops.push({ kind: ' ', line: a[k]!, a: k, b: k });
  const n = a.length - pre - post;
  const m = b.length - pre - post;
  let ai = pre;
  let bi = pre;
  const del = () => ops.push({ kind: '-', line: a[ai]!, a: ai++, b: bi });
  const add = () => ops.push({ kind: '+', line: b[bi]!, a: ai, b: bi++ });
  if ((n + 1) * (m + 1) > MAX_CELLS) {
    for (let k = 0; k < n; k++) del();
    for (let k = 0; k < m; k++) add();
  } else {
    // lcs[i][j]: the longest common subsequence of a's middle from i and b's middle from j.
    const width = m + 1;
    const lcs = new Uint32Array((n + 1) * width);
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--)
        lcs[i * width + j] = same(a[pre + i]!, b[pre + j]!)
          ? lcs[(i + 1) * width + j + 1]! + 1
          : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && same(a[pre + i]!, b[pre + j]!)) {
        ops.push({ kind: ' ', line: a[ai]!, a: ai++, b: bi++ });
        i++;
        j++;
      } else if (i < n && (j === m || lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!)) {
        // Deletions before insertions within a change, as diff -u prints them.
        del();
        i++;
      } else {
        add();
        j++;
      }
    }
  }
  for (let k = 0; k < post; k++) {
    const x = a.length - post + k;
    const y = b.length - post + k;
    ops.push({ kind: ' ', line: a[x]!, a: x, b: y });
  }
  return ops;
}
