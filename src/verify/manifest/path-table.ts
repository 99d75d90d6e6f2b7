/**
 * The paths of one manifest, each numbered by its first arrival (its row): UTF-8 bytes in one
 * growing arena, found through an open-addressing hash index. A path costs its bytes plus about
 * 12 bytes of index, where a string key of a Map costs about 100 (the string, the cons string
 * normalizePath makes, the map's slot), and the table is no object for the garbage collector to walk.
 *
 * Contract: rows are 0, 1, 2… in order of first arrival, and a path never leaves. Paths are
 * well-formed Unicode (decodeName makes them so); `add` refuses any other and `find` finds none.
 */

/** String.prototype.isWellFormed (Node 20; the ES2022 library types lack it). */
const isWellFormed = (text: string): boolean => (text as string & { isWellFormed(): boolean }).isWellFormed();

/** UTF-8 of the path last given to `encode`, its length and its hash. */
let scratch = Buffer.allocUnsafe(4096);
let encoded: string | undefined;
let encodedLength = -1;
let encodedHash = 0;

/**
 * Writes `path` as UTF-8 into `scratch` (unless it is already there: one path is looked up in
 * several tables in a row); its length in bytes, or -1 for a string UTF-8 cannot hold as it is.
 */
function encode(path: string): number {
  if (path === encoded) return encodedLength;
  encoded = path;
  if (!isWellFormed(path)) return (encodedLength = -1);
  if (path.length * 3 > scratch.length) scratch = Buffer.allocUnsafe(path.length * 6);
  encodedLength = scratch.write(path, 0, 'utf8');
  encodedHash = hashBytes(scratch, 0, encodedLength);
  return encodedLength;
}

/** FNV-1a over bytes [start, end). */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i += 1) hash = Math.imul(hash ^ (bytes[i] as number), 0x01000193);
  return hash >>> 0;
}

export class PathTable {
  private arena = Buffer.alloc(64 * 1024);
  private used = 0;
  /** row → offset of its first byte in the arena; a row ends where the next begins. */
  private starts = new Uint32Array(1024);
  private rows = 0;
  /** row + 1 per slot, 0 for an empty one; at most half full. */
  private slots = new Int32Array(2048);

  get size(): number {
    return this.rows;
  }

  /** The row of `path`, or -1. */
  find(path: string): number {
    const length = encode(path);
    if (length < 0) return -1;
    return (this.slots[this.locate(length)] as number) - 1;
  }

  /** The row of `path`, made if the path is new (then it is `size - 1`). */
  add(path: string): number {
    const length = encode(path);
    if (length < 0) throw new Error(`path ${JSON.stringify(path)} is not well-formed Unicode`);
    let slot = this.locate(length);
    const found = this.slots[slot] as number;
    if (found !== 0) return found - 1;
    if (this.used + length > this.arena.length) {
      const grown = Buffer.alloc(Math.max(this.arena.length * 2, this.used + length));
      this.arena.copy(grown, 0, 0, this.used);
      this.arena = grown;
    }
    if (this.rows + 1 >= this.starts.length) this.starts = grow(this.starts);
    scratch.copy(this.arena, this.used, 0, length);
    const row = this.rows;
    this.starts[row] = this.used;
    this.used += length;
    this.rows += 1;
    this.starts[this.rows] = this.used;
    if (this.rows * 2 > this.slots.length) {
      this.rehash();
      slot = this.locateRow(row);
    }
    this.slots[slot] = row + 1;
    return row;
  }

  /** The path of `row` (a new string on every call). */
  path(row: number): string {
    return this.arena.toString('utf8', this.starts[row], this.starts[row + 1]);
  }

  /** The slot holding the `length` bytes of `scratch` (just encoded), or the empty slot where they would go. */
  private locate(length: number): number {
    const mask = this.slots.length - 1;
    let slot = encodedHash & mask;
    for (;;) {
      const held = this.slots[slot] as number;
      if (held === 0 || this.holds(held - 1, length)) return slot;
      slot = (slot + 1) & mask;
    }
  }

  private holds(row: number, length: number): boolean {
    const start = this.starts[row] as number;
    if ((this.starts[row + 1] as number) - start !== length) return false;
    for (let i = 0; i < length; i += 1) if (this.arena[start + i] !== scratch[i]) return false;
    return true;
  }

  /** The empty slot a row not yet in the index goes to. */
  private locateRow(row: number): number {
    const mask = this.slots.length - 1;
    let slot = hashBytes(this.arena, this.starts[row] as number, this.starts[row + 1] as number) & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    return slot;
  }

  /** Doubles the index; the row last added is left out, for its caller to place. */
  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    for (let row = 0; row < this.rows - 1; row += 1) this.slots[this.locateRow(row)] = row + 1;
  }
}

function grow(array: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> {
  const grown = new Uint32Array(array.length * 2);
  grown.set(array);
  return grown;
}
