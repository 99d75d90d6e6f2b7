/**
 * One verify run's resources. Every container, image and scratch directory verify makes is named
 * `restage-<run id>-…` and recorded here the moment it is asked for, so cleanup can remove all of
 * it — on success, on failure and on SIGINT/SIGTERM at any step — unless the user keeps it.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Engine } from './engine/engine.js';

export interface CleanupReport {
  readonly removed: string[];
  readonly kept: string[];
  readonly failed: string[];
}

export class Session {
  readonly id: string;
  private readonly containers = new Set<string>();
  private readonly images = new Set<string>();
  private readonly dirs = new Set<string>();
  /** Untagged images a build left (the steps of a stage that is not the final image), newest last. */
  private readonly intermediates: string[] = [];
  private counter = 0;

  constructor(id = `restage-${randomBytes(4).toString('hex')}`) {
    this.id = id;
  }

  /** A fresh container name, recorded for cleanup. */
  container(role: string): string {
    const name = `${this.id}-${role}-${++this.counter}`;
    this.containers.add(name);
    return name;
  }

  /** A fresh image tag (lower case, as Docker requires), recorded for cleanup. */
  image(role: string): string {
    const tag = `${this.id}-${role}-${++this.counter}:verify`;
    this.images.add(tag);
    return tag;
  }

  /** A fresh scratch directory, recorded for cleanup. */
  scratch(role: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${this.id}-${role}-`));
    this.dirs.add(dir);
    return dir;
  }

  /** An image id a build made along the way, removed at cleanup if nothing else uses it. */
  intermediate(id: string): void {
    if (!this.intermediates.includes(id)) this.intermediates.push(id);
  }

  forgetContainer(name: string): void {
    this.containers.delete(name);
  }

  /**
   * Removes everything recorded, or lists it when kept — in an order that removes cleanly:
   * containers (they hold their images), tagged images, then untagged ones newest first.
   */
  async cleanup(engine: Engine | null, keep: boolean): Promise<CleanupReport> {
    const all = [...[...this.containers].map((c) => `container ${c}`), ...[...this.images].map((i) => `image ${i}`),
      ...[...this.intermediates].reverse().map((i) => `image ${i}`), ...[...this.dirs].map((d) => `directory ${d}`)];
    if (keep) return { removed: [], kept: all, failed: [] };
    const removed: string[] = [];
    const failed: string[] = [];
    const attempt = async (label: string, action: () => Promise<void> | void) => {
      try { await action(); removed.push(label); } catch { failed.push(label); }
    };
    for (const c of this.containers) if (engine) await attempt(`container ${c}`, () => engine.rm({ container: c, force: true, missingOk: true }));
    for (const i of this.images) if (engine) await attempt(`image ${i}`, () => engine.rmi({ image: i, force: true, missingOk: true }));
    // Newest first: a step's image is the parent of the next one. Without force: an image that
    // something else still uses (another tag, a container) is not verify's to remove.
    for (const id of [...this.intermediates].reverse()) if (engine) await engine.rmi({ image: id, missingOk: true }).then(() => removed.push(`image ${id}`), () => undefined);
    for (const d of this.dirs) await attempt(`directory ${d}`, () => fs.rmSync(d, { recursive: true, force: true }));
    this.containers.clear();
    this.images.clear();
    this.dirs.clear();
    this.intermediates.length = 0;
    return { removed, kept: [], failed };
  }
}
