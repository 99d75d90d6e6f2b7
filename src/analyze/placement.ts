/**
 * Where the extracted artifacts lie on the host as the script goes: each `docker cp` places one,
 * and the host commands restage models move, copy, remove and chmod them with the steps of the
 * shared model (src/shared/host-ops.ts), the same steps verify's replay applies. Also what a path
 * is at that point: an artifact (a file, or a directory for `c:/d/.`), a directory made or
 * holding artifacts, gone when removed, else what it was before the script ran (the HostSnapshot).
 */
import path from 'node:path';
import { diagnostic, type Diagnostic, type Location } from '../model/diagnostic.js';
import type { Artifact, HostSnapshot, ModeChange, PathChange } from '../model/analysis.js';
import type { HostOperation } from '../model/flow.js';
import { hostSteps, MODELLED_OPS, type HostStep } from '../shared/host-ops.js';
import { isWithin } from '../shared/paths.js';
import { kindBefore } from './host-snapshot.js';
import { keepsArchive, unpackInImage } from './unpack.js';

/**
 * The scratch directories unpacks are replayed into in the post-processing stage: directly
 * under `/`, named for restage, numbered in the script's order. A builder image that already has
 * one makes the replay's `mkdir` fail the build rather than merge into it.
 */
export const UNPACK_SCRATCH = '/.restage-unpack-';

/**
 * An artifact where it lies on the host. `merged`: `docker cp c:/d/. ./x` into an x that already
 * held files, so x holds context files and the artifact's content side by side.
 */
export interface Placed {
  artifact: Artifact;
  hostPath: string;
  containerPath: string;
  merged: boolean;
  /**
   * A symlink the script made on the host (`ln -s app tool`) to this artifact: a COPY that names
   * it follows it (a top-level source symlink is copied as its target), a COPY of a directory
   * holding it copies the link itself.
   */
  link?: boolean;
  /** The directory (or file) an unpack of an extracted archive made: the unpack. */
  unpackedBy?: HostOperation;
}

export class Placement {
  placed: Placed[] = [];
  /** Directories the script made with mkdir. */
  readonly madeDirs = new Set<string>();
  private readonly removed: string[] = [];
  private unpacks = 0;
  /** Artifacts whose unpack was declined (RS358): used by the script, not unused (RS402). */
  readonly declinedUnpacks = new Set<number>();

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
    if (event.op === 'strip') {
      for (const p of event.paths) this.change(p, event, (c) => ['strip', ...(event.written ?? []), c]);
      return diagnostics;
    }
    if (event.op === 'ln') return this.symlink(event);
    const unpacked = event.op === 'unpack' ? this.unpack(event) : null;
    if (unpacked !== null) return [...diagnostics, ...unpacked];
    if (!MODELLED_OPS.has(event.op)) {
      // An unpack of an archive that is no artifact writes its members below the directory only.
      const written = event.unpack ? [event.unpack.into] : event.paths;
      const touched = written.filter((p) =>
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
    const rest = this.insideArtifacts(event, diagnostics);
    if (rest === null) return diagnostics;
    for (const step of hostSteps(rest, (p) => this.kindOf(p) === 'dir')) this.applyStep(step, event.at);
    return diagnostics;
  }

  /** The artifact directory `p` lies strictly inside, if any. */
  private holder(p: string): Placed | undefined {
    return this.placed.find((x) => p !== x.hostPath && isWithin(p, x.hostPath));
  }

  private static containerPathOf(x: Placed, p: string): string {
    return path.posix.join(x.containerPath, p.slice(x.hostPath.length));
  }

  /** Adds a change to the artifact holding `p` (at or inside it); false when `p` is no artifact's. */
  private change(p: string, event: HostOperation, argv: (containerPath: string) => string[]): boolean {
    const x = this.placed.find((y) => isWithin(p, y.hostPath));
    if (!x) return false;
    const change: PathChange = {
      at: event.at,
      origin: event.op as PathChange['origin'],
      argv: argv(Placement.containerPathOf(x, p)),
      command: event.command,
    };
    this.addChange(x, change);
    return true;
  }

  private addChange(x: Placed, change: PathChange): void {
    this.placed = this.placed.map((y) =>
      y === x ? { ...y, artifact: { ...y.artifact, changes: [...y.artifact.changes, change] } } : y,
    );
  }

  /**
   * `mkdir`, `rm`, `mv`, `cp` on paths strictly inside an extracted directory change what the
   * runtime copies of it: each becomes a change replayed in the image. `mv`/`cp` of a part out of
   * it makes that part an artifact of its own (a `mv` also removes it from the directory). What
   * is left (paths outside every artifact) is returned for the ordinary steps, or null when nothing is.
   */
  private insideArtifacts(event: HostOperation, diagnostics: Diagnostic[]): HostOperation | null {
    if (event.op === 'chmod') return event;
    if (event.op === 'mkdir' || event.op === 'rm') {
      const outside = event.paths.filter(
        (p) =>
          !(
            this.holder(p) &&
            this.change(p, event, (c) =>
              event.op === 'mkdir' ? ['mkdir', '-p', c] : ['rm', event.recursive ? '-rf' : '-f', c],
            )
          ),
      );
      return outside.length === 0 ? null : { ...event, paths: outside };
    }
    const { paths } = event;
    if (paths.length < 2) return event;
    const dest = paths[paths.length - 1]!;
    const sources = paths.slice(0, -1);
    const destArtifact = this.placed.find((y) => y.hostPath === dest);
    const fromHost = sources.filter((p) => !this.placed.some((y) => isWithin(p, y.hostPath)));
    if (destArtifact && fromHost.length > 0) {
      diagnostics.push(
        diagnostic(
          'RS352',
          event.at,
          `\`${event.command}\` puts ${fromHost.map(this.display).join(', ')}, which is no extracted artifact, into or over the extracted artifact ${this.display(dest)} on the host, which restage does not carry (the migrated Dockerfile copies the artifact as the builder left it): make that change in the builder's Dockerfile, or copy the file in the runtime Dockerfile, and run restage again`,
        ),
      );
      return null;
    }
    const destHolder = this.holder(dest);
    if (destHolder) {
      if (sources.every((p) => this.holder(p) === destHolder)) {
        const c = (p: string) => Placement.containerPathOf(destHolder, p);
        this.addChange(destHolder, {
          at: event.at,
          origin: event.op as 'mv' | 'cp',
          argv: [event.op, ...(event.op === 'cp' && event.recursive ? ['-R'] : []), ...paths.map(c)],
          command: event.command,
        });
      } else {
        diagnostics.push(
          diagnostic(
            'RS352',
            event.at,
            `\`${event.command}\` puts a file that is not part of the extracted directory ${this.display(destHolder.hostPath)} into it on the host, which restage does not carry (the migrated Dockerfile copies the directory as the builder left it): make that change in the builder's Dockerfile, or copy the file in the runtime Dockerfile, and run restage again`,
          ),
        );
      }
      return null;
    }
    if (!sources.some((p) => this.holder(p))) return event;
    for (const step of hostSteps(event, (p) => this.kindOf(p) === 'dir')) {
      if (step.kind !== 'move' && step.kind !== 'copy') continue;
      const from = this.holder(step.from);
      if (!from) {
        this.applyStep(step, event.at);
        continue;
      }
      const containerPath = Placement.containerPathOf(from, step.from);
      if (step.kind === 'move') this.change(step.from, event, (c) => ['rm', '-rf', c]);
      this.placed = this.placed.filter((y) => !isWithin(y.hostPath, step.to));
      const holder = this.placed.find((y) => y.artifact.id === from.artifact.id && isWithin(step.from, y.hostPath))!;
      this.placed.push({
        artifact: { ...holder.artifact, hostPath: step.to, modes: from.artifact.modes, changes: from.artifact.changes },
        hostPath: step.to,
        containerPath,
        merged: false,
      });
    }
    return null;
  }

  /**
   * `ln -s TARGET LINK`: a link inside an extracted directory is made there in the image (with the
   * target as written); a link elsewhere to an artifact is that artifact under the link's name
   * for a COPY that names it (COPY follows a top-level symlink, test/e2e/routes-shapes.test.ts).
   * A link that replaces an artifact by a link to something that is no artifact is RS308.
   */
  private symlink(event: HostOperation): Diagnostic[] {
    const written = event.written ?? [];
    const target = written[written.length - 1];
    const given = event.paths[0];
    if (target === undefined || given === undefined) return [];
    const link = this.kindOf(given) === 'dir' ? path.join(given, path.basename(target)) : given;
    if (this.holder(link)) {
      this.change(link, event, (c) => ['ln', ...written, c]);
      return [];
    }
    const resolved = path.resolve(path.dirname(link), target);
    const x = this.placed.find((y) => isWithin(resolved, y.hostPath));
    if (!x) {
      const replaced = this.placed.filter((y) => isWithin(y.hostPath, link));
      return replaced.length === 0
        ? []
        : [
            diagnostic(
              'RS308',
              event.at,
              `\`${event.command}\` replaces the extracted artifact ${replaced.map((y) => this.display(y.hostPath)).join(', ')} on the host by a symlink to ${target}, which is no artifact; restage does not model that: the migrated Dockerfile copies the artifact straight from the builder stage (and verify refuses to replay it): do the change in the builder's Dockerfile (a RUN step), drop it from the script, and run restage again`,
            ),
          ];
    }
    this.placed = this.placed.filter((y) => !isWithin(y.hostPath, link));
    this.placed.push({
      artifact: { ...x.artifact, hostPath: link },
      hostPath: link,
      containerPath: Placement.containerPathOf(x, resolved),
      merged: false,
      link: true,
    });
    return [];
  }

  /**
   * An unpack of an extracted archive (src/analyze/unpack.ts): what it makes on the host is not
   * knowable statically, so the unpack is replayed in the image into a scratch directory, and the
   * directory it unpacks into (or the one decompressed file) becomes an artifact read from there.
   * The members of a tree land in `into` beside what it held: a directory of the tree that held
   * files is `merged` (the COPY of it stays for the context's files). When the archive is no
   * artifact: null, and the unpack is another host command that writes below the directory (RS308
   * over an artifact there; RS403, RS359 where a build copies what it wrote).
   */
  private unpack(event: HostOperation): Diagnostic[] | null {
    const u = event.unpack!;
    const x = this.placed.find(
      (y) => isWithin(u.archive, y.hostPath) && !(y.hostPath === u.archive && y.artifact.contentOnly),
    );
    if (!x) return null;
    const decline = (why: string) => {
      this.declinedUnpacks.add(x.artifact.id);
      return this.declined(event, why);
    };
    if (u.refused !== null) return decline(u.refused);
    if (u.result === 'file' && x.hostPath !== u.archive)
      return decline('it lies inside an extracted directory, which the decompression would change');
    const intoKind = this.kindOf(u.into);
    if (u.result === 'tree' && u.tool === 'tar' && intoKind !== 'dir')
      return decline(
        `tar -C needs the directory ${this.display(u.into) || '.'}, which ${intoKind === 'file' ? 'is a file' : 'does not exist'} at this point, so tar fails and the script stops here as written (make it first: \`mkdir -p\`)`,
      );
    if (u.result === 'tree' && intoKind === 'file')
      return decline(`unzip -d names ${this.display(u.into)}, which is a file at this point`);
    const scratch = `${UNPACK_SCRATCH}${++this.unpacks}`;
    const archiveInImage = Placement.containerPathOf(x, u.archive);
    const { steps, result } = unpackInImage(u, archiveInImage, scratch);
    const change: PathChange = {
      at: event.at,
      origin: 'unpack',
      argv: steps[steps.length - 1]!,
      before: steps.slice(0, -1),
      command: event.command,
      scratch,
    };
    const changes = [...x.artifact.changes, change];
    if (u.result === 'file') {
      if (!keepsArchive(u)) this.placed = this.placed.filter((y) => y !== x);
      this.place({
        artifact: { ...x.artifact, containerPath: result, contentOnly: false, hostPath: u.into, changes },
        hostPath: u.into,
        containerPath: result,
        merged: false,
        unpackedBy: event,
      });
      return [];
    }
    const merged = intoKind === 'dir' && kindBefore(this.host, u.into) === 'dir' && !this.madeDirs.has(u.into);
    // Pushed, not placed: what `into` held stays (the archive itself, when it lies there).
    this.placed.push({
      artifact: { ...x.artifact, containerPath: result, contentOnly: true, hostPath: u.into, modes: [], changes },
      hostPath: u.into,
      containerPath: result,
      merged,
      unpackedBy: event,
    });
    return [];
  }

  /** RS358 for an unpack of an extracted archive that restage does not replay. */
  private declined(event: HostOperation, why: string): Diagnostic[] {
    return [
      diagnostic(
        'RS358',
        event.at,
        `\`${event.command}\` unpacks the extracted artifact ${this.display(event.unpack!.archive)} on the host, and ${why}; restage replays \`tar -x[z|J|j]f FILE [-C DIR]\`, \`unzip [-q] [-o] FILE [-d DIR]\` and \`gunzip\`/\`gzip -d\`/\`xz -d\`/\`unxz\`/\`bunzip2\`/\`bzip2 -d\` of one FILE, with no other option: write it so, or unpack the archive in the builder's Dockerfile and copy the result out instead, and run restage again`,
      ),
    ];
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
          const change: ModeChange = {
            at,
            origin: 'chmod',
            mode: step.mode,
            recursive: step.recursive,
            containerPath,
          };
          return {
            ...x,
            artifact: {
              ...x.artifact,
              modes: [...x.artifact.modes, change],
              changes: [...x.artifact.changes, change],
            },
          };
        });
    }
  }
}
