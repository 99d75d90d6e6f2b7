/**
 * One verify run's resources. Every container, image and scratch directory verify makes is named
 * `restage-<run id>-…` and recorded here the moment it is asked for, and every build, create and
 * run through `labelled(engine)` carries the label `restage.session=<run id>`, so cleanup can remove
 * all of it — on success, on failure and on SIGINT/SIGTERM at any step, also what a cancelled
 * client made after restage stopped listening — unless the user keeps it. What it cannot remove
 * is reported with the command that removes it.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Engine } from './engine/engine.js';
import type { Leftover } from './result.js';
import { shellQuote } from '../shared/shell-quote.js';

export interface CleanupReport {
  readonly removed: string[];
  readonly kept: string[];
  readonly failed: Leftover[];
}

/** The label every build, container and run of a session carries. */
export const SESSION_LABEL = 'restage.session';

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

  get labels(): Readonly<Record<string, string>> {
    return { [SESSION_LABEL]: this.id };
  }

  /** `engine`, with the session's label added to every build, create and run. */
  labelled(engine: Engine): Engine {
    const labels = this.labels;
    // Inherits every other method and field of `engine`, so the client's own `this` still works.
    const wrapped = Object.create(engine) as Engine;
    return Object.assign(wrapped, {
      build: (o: Parameters<Engine['build']>[0]) => engine.build({ ...o, labels: { ...o.labels, ...labels } }),
      create: (o: Parameters<Engine['create']>[0]) => engine.create({ ...o, labels: { ...o.labels, ...labels } }),
      run: (o: Parameters<Engine['run']>[0]) => engine.run({ ...o, labels: { ...o.labels, ...labels } }),
    });
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

  /** A container the legacy run made under its own (prefixed) name or id, removed at cleanup. */
  adoptContainer(name: string): void {
    this.containers.add(name);
  }

  /** An image tag the legacy run made (prefixed with the session id), removed at cleanup. */
  adoptImage(tag: string): void {
    this.images.add(tag);
  }

  forgetContainer(name: string): void {
    this.containers.delete(name);
  }

  /**
   * Removes everything recorded and everything labelled with the session, or lists what was
   * recorded when kept — in an order that removes cleanly: containers (they hold their images),
   * tagged images, then untagged ones newest first, then the scratch directories.
   */
  async cleanup(engine: Engine | null, keep: boolean): Promise<CleanupReport> {
    const all = [
      ...[...this.containers].map((c) => `container ${c}`),
      ...[...this.images].map((i) => `image ${i}`),
      ...[...this.intermediates].reverse().map((i) => `image ${i}`),
      ...[...this.dirs].map((d) => `directory ${d}`),
    ];
    if (keep) return { removed: [], kept: all, failed: [] };
    const removed: string[] = [];
    const failed: Leftover[] = [];
    const client = engine?.client ?? 'docker';
    const attempt = async (what: string, command: string, action: () => Promise<void> | void) => {
      try {
        await action();
        removed.push(what);
      } catch {
        failed.push({ what, command });
      }
    };
    const labelled = engine ? await engine.labelled(SESSION_LABEL, this.id).catch(() => null) : null;
    if (engine && !labelled)
      failed.push({
        what: `whatever carries the label ${SESSION_LABEL}=${this.id}`,
        command: `${client} rm --force --volumes $(${client} ps --all --quiet --filter label=${SESSION_LABEL}=${this.id}); ${client} rmi --force $(${client} images --all --quiet --filter label=${SESSION_LABEL}=${this.id})`,
      });
    if (engine) {
      const containers = [...this.containers, ...(labelled?.containers ?? [])];
      for (const c of containers)
        await attempt(`container ${c}`, `${client} rm --force --volumes ${c}`, () =>
          engine.rm({ container: c, force: true, missingOk: true }),
        );
      for (const v of labelled?.volumes ?? [])
        await attempt(`volume ${v}`, `${client} volume rm --force ${v}`, () => engine.rmVolume(v));
      for (const i of [...this.images, ...(labelled?.images ?? [])])
        await attempt(`image ${i}`, `${client} rmi --force ${i}`, () =>
          engine.rmi({ image: i, force: true, missingOk: true }),
        );
      // Newest first: a step's image is the parent of the next one. Without force: an image that
      // something else still uses (another tag, a container) is not verify's to remove.
      for (const id of [...this.intermediates].reverse())
        await engine.rmi({ image: id, missingOk: true }).then(
          () => removed.push(`image ${id}`),
          () => undefined,
        );
    }
    for (const d of this.dirs)
      await attempt(`directory ${d}`, `rm -rf ${shellQuote(d)}`, () => fs.rmSync(d, { recursive: true, force: true }));
    this.containers.clear();
    this.images.clear();
    this.dirs.clear();
    this.intermediates.length = 0;
    return { removed, kept: [], failed };
  }
}
