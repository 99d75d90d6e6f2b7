/**
 * Wording shared by the differs. Every message names the migrated side first: it is the image
 * under review, the legacy one is the reference.
 */
import type { Shown } from '../../model.js';

/** "X in the migrated image, Y in the legacy one". */
export function contrast(migrated: string, legacy: string): string {
  return `${migrated} in the migrated image, ${legacy} in the legacy one`;
}

/** Permission and special bits as `ls`-style octal, e.g. 0755 or 4755. */
export function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

/** Bytes in SI units, as `docker images` shows sizes. */
export function bytes(count: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = count;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** A ratio such as "0.42×", or "n/a" when the reference is zero. */
export function ratio(value: number, reference: number): string {
  return reference === 0 ? 'n/a' : `${(value / reference).toFixed(2)}×`;
}

/** A value as a report cell renders it in a sentence; null reads "unset". */
export function shown(value: Shown): string {
  return value === null ? 'unset' : typeof value === 'string' ? JSON.stringify(value) : String(value);
}
