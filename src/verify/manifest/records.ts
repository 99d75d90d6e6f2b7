/**
 * The fields of a manifest's entries as fixed 64-byte records, by row, in chunks of 16,384 rows
 * (1 MiB each, allocated as rows arrive: nothing is copied as the table grows). Fields that few
 * entries have (symlink target, hard-link group, device numbers) are kept by row in maps beside
 * the records, and so is, whole, an entry whose values do not fit the record (a sha256 that is not
 * 64 lowercase hex digits, a mode over 16 bits, an owner id over 32 bits, an unknown type).
 *
 * Record: sha256 as 32 raw bytes (0–31), size (32, float64), mtime (40, float64), uid (48,
 * uint32), gid (52, uint32), mode (56, uint16), type (58), flags (59), zero (60–63). Two rows
 * hold equal entries exactly when their records are equal byte for byte and so are their side values.
 */
import type { FileEntry, FileType } from '../model.js';

const RECORD = 64;
const CHUNK_SHIFT = 14;
const CHUNK_ROWS = 1 << CHUNK_SHIFT;
const TYPES: readonly FileType[] = ['file', 'dir', 'symlink', 'hardlink', 'char', 'block', 'fifo'];
const TYPE_CODES = new Map<string, number>(TYPES.map((type, code) => [type, code]));
const FILE_TYPE = 0;

const SHA = 1;
const LINK_TARGET = 2;
const HARDLINK_TO = 4;
const DEVICE = 8;
/** The entry is kept whole in `odd`; the rest of its record is zero. */
const ODD = 16;

const SHA_HEX = /^[0-9a-f]{64}$/;
const isInt = (value: number, max: number): boolean => Number.isInteger(value) && value >= 0 && value <= max;

/** Views of one chunk's memory. */
interface Chunk {
  readonly bytes: Buffer;
  readonly f64: Float64Array;
  readonly u32: Uint32Array;
  readonly u16: Uint16Array;
}

function makeChunk(rows: number): Chunk {
  const bytes = Buffer.alloc(rows * RECORD);
  const { buffer, byteOffset } = bytes;
  return {
    bytes,
    f64: new Float64Array(buffer, byteOffset, rows * (RECORD / 8)),
    u32: new Uint32Array(buffer, byteOffset, rows * (RECORD / 4)),
    u16: new Uint16Array(buffer, byteOffset, rows * (RECORD / 2)),
  };
}

/** Whether two entries hold the same values in every field (whichever image they come from). */
export function sameEntry(a: FileEntry, b: FileEntry): boolean {
  return (
    a.path === b.path &&
    a.type === b.type &&
    a.mode === b.mode &&
    a.uid === b.uid &&
    a.gid === b.gid &&
    a.size === b.size &&
    a.mtime === b.mtime &&
    a.sha256 === b.sha256 &&
    a.linkTarget === b.linkTarget &&
    a.hardlinkTo === b.hardlinkTo &&
    a.device?.major === b.device?.major &&
    a.device?.minor === b.device?.minor
  );
}

/** One record, for comparing an entry not stored with stored ones. */
const probe = makeChunk(1);

export class Records {
  private readonly chunks: Chunk[] = [];
  private readonly linkTargets = new Map<number, string>();
  private readonly hardlinkTos = new Map<number, string>();
  private readonly devices = new Map<number, { readonly major: number; readonly minor: number }>();
  private readonly odd = new Map<number, FileEntry>();

  /** Stores `entry` (whose path is the caller's business) at `row`, replacing what the row held. */
  set(row: number, entry: FileEntry): void {
    const chunk = row >>> CHUNK_SHIFT;
    while (this.chunks.length <= chunk) this.chunks.push(makeChunk(CHUNK_ROWS));
    const at = row & (CHUNK_ROWS - 1);
    const target = this.chunks[chunk] as Chunk;
    if ((target.bytes[at * RECORD + 59] as number) !== 0) {
      this.linkTargets.delete(row);
      this.hardlinkTos.delete(row);
      this.devices.delete(row);
      this.odd.delete(row);
    }
    const flags = write(target, at, entry);
    if (flags & ODD) this.odd.set(row, entry);
    if (flags & LINK_TARGET) this.linkTargets.set(row, entry.linkTarget as string);
    if (flags & HARDLINK_TO) this.hardlinkTos.set(row, entry.hardlinkTo as string);
    if (flags & DEVICE) this.devices.set(row, entry.device as { major: number; minor: number });
  }

  /** The entry at `row`, made anew, named `path`. */
  get(row: number, path: string): FileEntry {
    const { bytes, f64, u32, u16 } = this.chunk(row);
    const at = row & (CHUNK_ROWS - 1);
    const flags = bytes[at * RECORD + 59] as number;
    if (flags & ODD) return { ...(this.odd.get(row) as FileEntry), path };
    const entry: { -readonly [K in keyof FileEntry]: FileEntry[K] } = {
      path,
      type: TYPES[bytes[at * RECORD + 58] as number] as FileType,
      mode: u16[at * 32 + 28] as number,
      uid: u32[at * 16 + 12] as number,
      gid: u32[at * 16 + 13] as number,
      mtime: f64[at * 8 + 5] as number,
      size: f64[at * 8 + 4] as number,
    };
    if (flags & SHA) entry.sha256 = bytes.toString('hex', at * RECORD, at * RECORD + 32);
    if (flags & LINK_TARGET) entry.linkTarget = this.linkTargets.get(row);
    if (flags & HARDLINK_TO) entry.hardlinkTo = this.hardlinkTos.get(row);
    if (flags & DEVICE) entry.device = this.devices.get(row);
    return entry;
  }

  /** The content length of a regular file at `row`; 0 for any other type. */
  fileSize(row: number): number {
    const { bytes, f64 } = this.chunk(row);
    const at = row & (CHUNK_ROWS - 1);
    if ((bytes[at * RECORD + 59] as number) & ODD) {
      const entry = this.odd.get(row) as FileEntry;
      return entry.type === 'file' ? entry.size : 0;
    }
    return bytes[at * RECORD + 58] === FILE_TYPE ? (f64[at * 8 + 4] as number) : 0;
  }

  /** Rows naming a hard-link group, with the group's first member. */
  hardlinks(): IterableIterator<[number, string]> {
    return this.hardlinkTos.entries();
  }

  /** Whether `row` holds an entry equal to `entry` in every field but the path. */
  matches(row: number, entry: FileEntry): boolean {
    const flags = write(probe, 0, entry);
    if (!this.sameRecord(row, probe.bytes, 0)) return false;
    if (flags & ODD) return sameEntry({ ...(this.odd.get(row) as FileEntry), path: entry.path }, entry);
    return this.sameSides(row, flags, entry.linkTarget, entry.hardlinkTo, entry.device);
  }

  /** Whether `row` here and `otherRow` of `other` hold equal entries (paths aside). */
  equals(row: number, other: Records, otherRow: number): boolean {
    if (other === this && row === otherRow) return true;
    const { bytes } = other.chunk(otherRow);
    const at = (otherRow & (CHUNK_ROWS - 1)) * RECORD;
    if (!this.sameRecord(row, bytes, at)) return false;
    const flags = bytes[at + 59] as number;
    if (flags & ODD) return sameEntry(this.get(row, ''), other.get(otherRow, ''));
    return this.sameSides(
      row,
      flags,
      other.linkTargets.get(otherRow),
      other.hardlinkTos.get(otherRow),
      other.devices.get(otherRow),
    );
  }

  private chunk(row: number): Chunk {
    return this.chunks[row >>> CHUNK_SHIFT] as Chunk;
  }

  private sameRecord(row: number, bytes: Buffer, at: number): boolean {
    const mine = this.chunk(row).bytes;
    const start = (row & (CHUNK_ROWS - 1)) * RECORD;
    for (let i = 0; i < RECORD; i += 1) if (mine[start + i] !== bytes[at + i]) return false;
    return true;
  }

  /** Side values of `row` against another entry's; `flags` are equal on both sides. */
  private sameSides(
    row: number,
    flags: number,
    linkTarget: string | undefined,
    hardlinkTo: string | undefined,
    device: FileEntry['device'],
  ): boolean {
    if (flags & LINK_TARGET && this.linkTargets.get(row) !== linkTarget) return false;
    if (flags & HARDLINK_TO && this.hardlinkTos.get(row) !== hardlinkTo) return false;
    if (flags & DEVICE) {
      const mine = this.devices.get(row);
      if (mine?.major !== device?.major || mine?.minor !== device?.minor) return false;
    }
    return true;
  }
}

/** Writes the record of `entry` at row `at` of `chunk`; its flags. */
function write(chunk: Chunk, at: number, entry: FileEntry): number {
  const { bytes, f64, u32, u16 } = chunk;
  const start = at * RECORD;
  const type = TYPE_CODES.get(entry.type);
  const sha = entry.sha256;
  if (
    type === undefined ||
    !isInt(entry.mode, 0xffff) ||
    !isInt(entry.uid, 0xffffffff) ||
    !isInt(entry.gid, 0xffffffff) ||
    (sha !== undefined && !SHA_HEX.test(sha))
  ) {
    bytes.fill(0, start, start + RECORD);
    bytes[start + 59] = ODD;
    return ODD;
  }
  let flags = 0;
  if (sha !== undefined) {
    bytes.write(sha, start, 32, 'hex');
    flags |= SHA;
  } else {
    bytes.fill(0, start, start + 32);
  }
  f64[at * 8 + 4] = entry.size;
  f64[at * 8 + 5] = entry.mtime;
  u32[at * 16 + 12] = entry.uid;
  u32[at * 16 + 13] = entry.gid;
  u32[at * 16 + 15] = 0;
  u16[at * 32 + 28] = entry.mode;
  bytes[start + 58] = type;
  if (entry.linkTarget !== undefined) flags |= LINK_TARGET;
  if (entry.hardlinkTo !== undefined) flags |= HARDLINK_TO;
  if (entry.device !== undefined) flags |= DEVICE;
  bytes[start + 59] = flags;
  return flags;
}
