/**
 * `image history` rows into HistoryEntry, for both clients: docker prints one JSON array per row
 * with the format docker.ts asks for; podman's `--format json` prints one array of objects (its
 * `--format` renders Size human-readable whatever --human says).
 */
import type { HistoryEntry } from './engine.js';

const text = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';

/** An image id, or undefined for a step whose image is not in the local store ("<missing>"). */
function stepId(v: unknown): string | undefined {
  const id = text(v);
  return id === '' || id === '<missing>' ? undefined : id;
}

function bytes(v: unknown): number {
  const size = typeof v === 'number' ? v : Number.parseInt(text(v), 10);
  return Number.isFinite(size) && size >= 0 ? size : 0;
}

/** The `--format` docker.ts passes: one JSON array per row, portable across client versions. */
export const DOCKER_HISTORY_FORMAT =
  '[{{json .ID}},{{json .CreatedAt}},{{json .CreatedBy}},{{json .Size}},{{json .Comment}}]';

/** One row of `docker image history --no-trunc --human=false --format DOCKER_HISTORY_FORMAT`. */
export function parseDockerRow(row: string): HistoryEntry {
  const [id, createdAt, createdBy, size, comment] = JSON.parse(row) as unknown[];
  return {
    id: stepId(id),
    createdAt: text(createdAt),
    createdBy: text(createdBy),
    sizeBytes: bytes(size),
    comment: text(comment),
  };
}

/** The output of `podman image history --no-trunc --format json`. */
export function parsePodmanHistory(stdout: string, client: string): HistoryEntry[] {
  const parsed: unknown = JSON.parse(stdout || '[]');
  if (!Array.isArray(parsed)) throw new TypeError(`${client} image history: expected a JSON array`);
  return parsed.map((row: unknown): HistoryEntry => {
    const r = (typeof row === 'object' && row !== null ? row : {}) as Record<string, unknown>;
    return {
      id: stepId(r.id),
      createdAt: isoSeconds(text(r.created ?? r.Created)),
      createdBy: text(r.CreatedBy ?? r.createdBy),
      sizeBytes: bytes(r.size),
      comment: text(r.comment ?? r.Comment),
    };
  });
}

/** RFC 3339 in UTC to the second, as docker's `--human=false` prints it. */
function isoSeconds(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString().replace(/\.\d+Z$/, 'Z');
}
