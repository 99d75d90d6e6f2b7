/**
 * Where the extracted artifacts lie on the host as the script goes: each `docker cp` places one,
 * and the host commands restage models move, copy, remove and chmod them with the steps of the
 * shared model (src/shared/host-ops.ts), the same steps verify's replay applies. Also what a path
 * is at that point: an artifact (a file, or a directory for `c:/d/.`), a directory made or
 * holding artifacts, gone when removed, else what it was before the script ran (the HostSnapshot).
 */
import path from 'node:path';
import { diagnostic, type Diagnostic, type Location } from '../model/diagnostic.js';
import type { Artifact, HostSnapshot } from '../model/analysis.js';
import type { HostOperation } from '../model/flow.js';
import { hostSteps, MODELLED_OPS, type HostStep } from '../shared/host-ops.js';
import { isWithin } from '../shared/paths.js';
import { kindBefore } from './host-snapshot.js';

/**
 * An artifact where it lies on the host. `merged`: `docker cp c:/d/. ./x` into an x that already
 * held files, so x holds context files and the artifact's content side by side.
 */
export interface Placed {
  artifact: Artifact;
  hostPath: string;
  containerPath: string;
  merged: boolean;
}

export class Placement {
  placed: Placed[] = [];
  /** Directories the script made with mkdir. */
  readonly madeDirs = new Set<string>();
  private readonly removed: string[] = [];

  constructor(
    private readonly host: HostSnapshot,
    private readonly display: (absolutePath: string) => string,
  ) {}

  /** What the path is now, or null when the script removed it. */
  kindOf(p: string): 'file' | 'dir' | null {
    const hit = this.placed.find((x) => x.hostPath === p);
    if (hit) return hit.artifact.contentOnly ? 'dir' : 'file';
    if (this.placed.some((x) => isWithin(x.hostPath, p) && x.hostPath !== p) || this.madeDirs.has(p)) return 'dir';
    if (this.removed.some((r) => isWithin(p, r))) return null;
    return kindBefore(this.host, p);
  }

  /** A `docker cp` put an artifact here: it replaces whatever artifacts lay at or below it. */
  place(x: Placed): void {
    this.placed = this.placed.filter((other) => !isWithin(other.hostPath, x.hostPath));
    this.placed.push(x);
  }

  /** The host op's steps from the shared model (src/shared/host-ops.ts), applied to where the artifacts lie. */
  applyHost(event: HostOperation): Diagnostic[] {
    const diagnostics: Diagnostic[] = [];
    for (const u of event.undecidable) {
      diagnostics.push(
        diagnostic(
          'RS309',
          u.at,
          `the path \`${u.written}\` of \`${event.command}\` depends on ${u.reason}; restage cannot tell which files this ${event.op === 'rm' ? 'removes' : 'changes'} and does not guess (verify refuses to replay it): ${u.fix}, and run restage again`,
        ),
      );
    }
    if (!MODELLED_OPS.has(event.op)) {
      const touched = event.paths.filter((p) =>
        this.placed.some((x) => isWithin(p, x.hostPath) || (event.recursive && isWithin(x.hostPath, p))),
      );
      if (touched.length > 0) {
        diagnostics.push(
          diagnostic(
            'RS308',
            event.at,
            `\`${event.command}\` changes the extracted artifact ${touched.map(this.display).join(', ')} on the host, which restage does not model; the migrated Dockerfile copies the artifact straight from the builder stage without this change (and verify refuses to replay it): do the change in the builder's Dockerfile (a RUN step), drop it from the script, and run restage again`,
          ),
        );
      }
      return diagnostics;
    }
    for (const step of hostSteps(event, (p) => this.kindOf(p) === 'dir')) this.applyStep(step, event.at);
    return diagnostics;
  }

  private applyStep(step: HostStep, at: Location): void {
    switch (step.kind) {
      case 'mkdir':
        this.madeDirs.add(step.path);
        return;
      case 'remove':
        this.removed.push(step.path);
        this.placed = this.placed.filter((x) => !isWithin(x.hostPath, step.path));
        return;
      case 'move':
      case 'copy': {
        const { from, to } = step;
        const moved = this.placed.filter((x) => isWithin(x.hostPath, from));
        const copies = moved.map((x) => ({
          ...x,
          hostPath: to + x.hostPath.slice(from.length),
          artifact: { ...x.artifact, hostPath: to + x.hostPath.slice(from.length) },
        }));
        if (step.kind === 'move') this.placed = this.placed.filter((x) => !isWithin(x.hostPath, from));
        this.placed.push(...copies);
        return;
      }
      case 'chmod':
        this.placed = this.placed.map((x) => {
          const inside = isWithin(step.path, x.hostPath);
          if (!inside && !(step.recursive && isWithin(x.hostPath, step.path))) return x;
          const containerPath = inside
            ? path.posix.join(x.containerPath, step.path.slice(x.hostPath.length))
            : x.containerPath;
          return {
            ...x,
            artifact: {
              ...x.artifact,
              modes: [
                ...x.artifact.modes,
                { at, origin: 'chmod', mode: step.mode, recursive: step.recursive, containerPath },
              ],
            },
          };
        });
    }
  }
}
