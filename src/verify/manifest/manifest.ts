/**
 * A manifest held as columns: its paths in a PathTable, their fields in Records, and, for a
 * manifest read with another as `fold`, one bit per path of that other manifest marking the
 * entries both hold equal in every field (stored once, in the other). About 100 bytes a path where
 * FileEntry objects in a Map took about 300, and 1 bit for a path a folded pair shares.
 *
 * Contract:
 * - a path given twice keeps its last entry and its first position, as a Map would;
 * - `entries` iterates the manifest's own entries in order of first arrival, then the ones it
 *   shares with its fold, in that manifest's order;
 * - every `entries.get` makes a new FileEntry: compare entries by value (sameEntry), or with
 *   `equalAt`, which makes none.
 */
import type { FileEntry, Manifest } from '../model.js';
import { PathTable } from './path-table.js';
import { Records, sameEntry } from './records.js';

export { sameEntry } from './records.js';

/** Where a path's entry is: own row r ≥ 0, the fold's row b as -2 - b, or -1 for nowhere. */
type Place = number;
const ABSENT = -1;

export class ColumnManifest implements Manifest {
  private readonly paths = new PathTable();
  private readonly records = new Records();
  private readonly base: ColumnManifest | undefined;
  /** Bit per own row of `base`: this manifest holds that entry too. */
  private readonly twins: Uint8Array;
  private twinCount = 0;
  private total: number | undefined;
  readonly entries: ReadonlyMap<string, FileEntry> = new EntryView(this);

  /** `fold`: a manifest complete before this one is filled (entries it gains later are not shared). */
  constructor(fold?: Manifest) {
    this.base = fold instanceof ColumnManifest ? fold : undefined;
    this.twins = new Uint8Array(this.base ? (this.base.paths.size + 7) >>> 3 : 0);
  }

  get count(): number {
    return this.paths.size + this.twinCount;
  }

  /** How many of its entries are held by the fold's records, not its own. */
  get shared(): number {
    return this.twinCount;
  }

  get totalSize(): number {
    if (this.total === undefined) {
      let total = 0;
      for (let row = 0; row < this.paths.size; row += 1) total += this.records.fileSize(row);
      if (this.base) for (const row of this.twinRows()) total += this.base.records.fileSize(row);
      this.total = total;
    }
    return this.total;
  }

  /** Adds `entry`, or replaces the entry at its path. */
  set(entry: FileEntry): void {
    this.total = undefined;
    const own = this.paths.find(entry.path);
    if (own >= 0) {
      this.records.set(own, entry);
      return;
    }
    const shared = this.base ? this.base.paths.find(entry.path) : ABSENT;
    if (shared >= 0 && shared < this.twins.length * 8) {
      const equal = (this.base as ColumnManifest).records.matches(shared, entry);
      if (equal !== this.isTwin(shared)) {
        this.twins[shared >>> 3] = (this.twins[shared >>> 3] as number) ^ (1 << (shared & 7));
        this.twinCount += equal ? 1 : -1;
      }
      if (equal) return;
    }
    this.records.set(this.paths.add(entry.path), entry);
  }

  get(path: string): FileEntry | undefined {
    const place = this.place(path);
    if (place >= 0) return this.records.get(place, path);
    if (place === ABSENT) return undefined;
    return (this.base as ColumnManifest).records.get(-2 - place, path);
  }

  has(path: string): boolean {
    return this.place(path) !== ABSENT;
  }

  equalAt(other: Manifest, path: string): boolean {
    if (!(other instanceof ColumnManifest)) {
      const [mine, theirs] = [this.get(path), other.entries.get(path)];
      return mine !== undefined && theirs !== undefined && sameEntry(mine, theirs);
    }
    const [mine, theirs] = [this.place(path), other.place(path)];
    if (mine === ABSENT || theirs === ABSENT) return false;
    const [a, rowA] = mine >= 0 ? [this.records, mine] : [(this.base as ColumnManifest).records, -2 - mine];
    const [b, rowB] = theirs >= 0 ? [other.records, theirs] : [(other.base as ColumnManifest).records, -2 - theirs];
    return a.equals(rowA, b, rowB);
  }

  *hardlinks(): IterableIterator<readonly [string, string]> {
    for (const [row, to] of this.records.hardlinks()) yield [this.paths.path(row), to];
    const base = this.base;
    if (base === undefined) return;
    for (const [row, to] of base.records.hardlinks()) if (this.isTwin(row)) yield [base.paths.path(row), to];
  }

  *pairs(): IterableIterator<[string, FileEntry]> {
    for (let row = 0; row < this.paths.size; row += 1) {
      const path = this.paths.path(row);
      yield [path, this.records.get(row, path)];
    }
    const base = this.base;
    if (base === undefined) return;
    for (const row of this.twinRows()) {
      const path = base.paths.path(row);
      yield [path, base.records.get(row, path)];
    }
  }

  *keys(): IterableIterator<string> {
    for (let row = 0; row < this.paths.size; row += 1) yield this.paths.path(row);
    const base = this.base;
    if (base === undefined) return;
    for (const row of this.twinRows()) yield base.paths.path(row);
  }

  private place(path: string): Place {
    const own = this.paths.find(path);
    if (own >= 0 || this.base === undefined) return own;
    const shared = this.base.paths.find(path);
    return shared >= 0 && this.isTwin(shared) ? -2 - shared : ABSENT;
  }

  private isTwin(row: number): boolean {
    return ((this.twins[row >>> 3] ?? 0) & (1 << (row & 7))) !== 0;
  }

  private *twinRows(): IterableIterator<number> {
    for (let byte = 0; byte < this.twins.length; byte += 1) {
      const bits = this.twins[byte] as number;
      if (bits === 0) continue;
      for (let bit = 0; bit < 8; bit += 1) if (bits & (1 << bit)) yield byte * 8 + bit;
    }
  }
}

/** The manifest's entries as a read-only Map (what the differs and tests read). */
class EntryView implements ReadonlyMap<string, FileEntry> {
  constructor(private readonly manifest: ColumnManifest) {}

  get size(): number {
    return this.manifest.count;
  }
  get(path: string): FileEntry | undefined {
    return this.manifest.get(path);
  }
  has(path: string): boolean {
    return this.manifest.has(path);
  }
  keys(): IterableIterator<string> {
    return this.manifest.keys();
  }
  *values(): IterableIterator<FileEntry> {
    for (const [, entry] of this.manifest.pairs()) yield entry;
  }
  entries(): IterableIterator<[string, FileEntry]> {
    return this.manifest.pairs();
  }
  [Symbol.iterator](): IterableIterator<[string, FileEntry]> {
    return this.manifest.pairs();
  }
  forEach(
    callback: (value: FileEntry, key: string, map: ReadonlyMap<string, FileEntry>) => void,
    self?: unknown,
  ): void {
    for (const [path, entry] of this.manifest.pairs()) callback.call(self, entry, path, this);
  }
}

/** A manifest from entries; a path given twice keeps its last entry, as extracting a tar would. */
export function makeManifest(entries: Iterable<FileEntry>, fold?: Manifest): Manifest {
  const manifest = new ColumnManifest(fold);
  for (const entry of entries) manifest.set(entry);
  return manifest;
}
