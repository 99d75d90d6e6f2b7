/**
 * What verify's replay cannot do inside its scratch area, found before anything runs (RS310, RS702),
 * and which builds the replay needs. Pure: reads the analysis only.
 */
import type { Analysis } from '../model/analysis.js';
import { diagnostic, type Diagnostic, type Location } from '../model/diagnostic.js';
import type { ContainerCreate, CopyOut, HostOperation, ImageBuild } from '../model/flow.js';
import { hostPaths, MODELLED_OPS } from '../shared/host-ops.js';
import { isWithin } from '../shared/paths.js';
import { imageKey } from '../shared/image-ref.js';
import { imageReferences } from './scratch.js';

/** The builds the replay runs: the runtime, the builders of its artifacts, and the builds of the images those start FROM. */
export function neededBuilds(analysis: Analysis): Set<ImageBuild> {
  const needed = new Set<ImageBuild>([
    analysis.runtime!,
    ...analysis.artifacts.flatMap((a) => (a.source.kind === 'build' ? [a.source.build] : [])),
  ]);
  // A needed build's Dockerfile that starts FROM (or copies from) an image an earlier build made needs that build too.
  const events = analysis.flow.events;
  for (let grew = true; grew;) {
    grew = false;
    for (const build of [...needed]) {
      const parsed = analysis.dockerfiles.get(build.dockerfile);
      if (!parsed) continue;
      const images = new Set(imageReferences(parsed).map((r) => imageKey(r.image)));
      const earlier = events.slice(0, events.indexOf(build));
      for (const image of images) {
        const made = earlier
          .filter((e): e is ImageBuild => e.kind === 'build' && e.tags.some((t) => imageKey(t) === image))
          .pop();
        if (made && !needed.has(made)) {
          needed.add(made);
          grew = true;
        }
      }
    }
  }
  return needed;
}

/**
 * Why the replay cannot run the flow inside a scratch area that copies `area` (RS310 errors,
 * located on the script line), checked before anything runs; empty when it can. Only the events
 * up to the runtime build count: the replay stops there.
 */
export function replayRefusals(analysis: Analysis, area: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const needed = neededBuilds(analysis);
  const produced: string[] = [];
  const available = (p: string) => isWithin(p, area) || produced.some((d) => isWithin(p, d));
  const needs = (at: Location, p: string, what: string) => {
    if (!available(p))
      out.push(
        diagnostic(
          'RS310',
          at,
          `the replay needs ${what} ${p}, which is outside the area verify copies (${area}) and is not made by the script before this line; verify never reads or writes outside its scratch area: keep what the build needs in the repository (or make the script create it), then run verify again`,
        ),
      );
  };
  const containers = new Map<string, ContainerCreate>();
  for (const event of analysis.flow.events) {
    if (event.kind === 'create') containers.set(event.handle, event);
    if (event.kind === 'copy-out' && event.reader?.runsCommand)
      out.push(
        diagnostic(
          'RS310',
          event.at,
          `verify's replay runs no container command, so it cannot re-enact the output of \`${event.reader.command}\` redirected into ${event.reader.target}; run the real script instead: \`restage verify --legacy=run\` (bubblewrap), which the migration of this route is checked with`,
        ),
      );
    else if (event.kind === 'copy-out') refuseStarted(event);
    const streamedInto =
      event.kind === 'copy-out' && event.via === 'tar'
        ? analysis.flow.events.find(
            (e) => e.kind === 'build' && e.streamed && !e.streamed.members && isWithin(event.hostPath, e.context),
          )
        : undefined;
    if (streamedInto?.kind === 'build' && !out.some((d) => d.line === event.at.line))
      out.push(
        diagnostic(
          'RS310',
          event.at,
          `verify's replay does not re-enact a tar stream that \`docker build -\` reads as its context (line ${streamedInto.at.line}); run the real script instead: \`restage verify --legacy=run\` (bubblewrap), which the migration of this route is checked with`,
        ),
      );
    if (event.kind === 'build' && event.streamed?.members && needed.has(event))
      out.push(
        diagnostic(
          'RS310',
          event.streamed.at,
          `verify's replay builds from directories, and this build reads the host tar stream of some members of ${event.context} (which no .dockerignore filters); run the real script instead: \`restage verify --legacy=run\` (bubblewrap), which the migration of this route is checked with`,
        ),
      );
    if (event.kind === 'copy-out' && event.via === 'tar' && !out.some((d) => d.line === event.at.line))
      out.push(
        diagnostic(
          'RS310',
          event.at,
          `verify's replay does not re-enact a tar stream unpacked on the host (\`tar -x\` of \`docker run … tar -c\`, \`docker cp … -\` or \`docker export\`); run the real script instead: \`restage verify --legacy=run\` (bubblewrap), which the migration of this route is checked with`,
        ),
      );
    if (event.kind === 'build') {
      if (!needed.has(event)) continue;
      needs(event.dockerfileAt, event.dockerfile, 'the Dockerfile');
      needs(event.at, event.context, 'the build context');
      if (event === analysis.runtime) break;
    } else if (event.kind === 'copy-out') produced.push(event.hostPath);
    else if (event.kind === 'host') refuseHost(event);
  }
  return out;

  /** The replay creates containers and never runs them: a copy from one the script ran (a run stage in the migration) would read the image as built, not what its command left. */
  function refuseStarted(event: CopyOut): void {
    const started = containers.get(event.container)?.started;
    // A reader on stdout is the run itself: it reads the image as built, which the replay copies from.
    if (!started || event.reader !== null) return;
    if (event.via === 'bind') {
      out.push(
        diagnostic(
          'RS702',
          event.at,
          `verify cannot replay this bind mount: the replay only creates containers and never runs their commands, so ${event.containerPath.replace(/\/\.$/, '')} would hold nothing the command writes; run verify with \`--legacy=run\` (the script itself, in the sandbox)`,
        ),
      );
      return;
    }
    out.push(
      diagnostic(
        'RS702',
        started.at,
        `verify cannot replay the legacy flow: the script ${started.how === 'exec' ? 'runs a command in' : 'starts'} this container before \`docker cp\` reads ${event.containerPath} from it (line ${event.at.line}), and the replay only creates containers; comparing would judge the image as built, not what its command left. Run verify with \`--legacy=run\` (the script itself, in the sandbox)`,
      ),
    );
  }

  function refuseHost(event: HostOperation): void {
    for (const u of event.undecidable) {
      out.push(
        diagnostic(
          'RS310',
          u.at,
          `verify does not run \`${event.command}\`: the path \`${u.written}\` depends on ${u.reason}, so which real path it names is unknown and the replay does not guess; ${u.fix}, and run verify again`,
        ),
      );
    }
    if (event.op === 'strip' || event.op === 'ln' || event.op === 'unpack') {
      out.push(
        diagnostic(
          'RS310',
          event.at,
          `verify's replay does not run \`${event.command}\`: it re-enacts only the host commands restage models as file operations (mv, cp, rm, mkdir, chmod), and without this one the replayed legacy image would not be the script's; run the script itself with --legacy=run`,
        ),
      );
      return;
    }
    if (!MODELLED_OPS.has(event.op)) {
      if (
        analysis.diagnostics.some(
          (d) =>
            d.code === 'RS308' && d.line === event.at.line && d.column === event.at.column && d.file === event.at.file,
        )
      ) {
        out.push(
          diagnostic(
            'RS310',
            event.at,
            `verify does not replay \`${event.command}\`: it changes an extracted artifact in a way restage does not model (RS308), so the replayed legacy image would not be the script's; move the change into the builder's Dockerfile and run verify again`,
          ),
        );
      }
      return;
    }
    if (event.undecidable.length > 0) return;
    const { reads, makes } = hostPaths(event);
    for (const p of reads) needs(event.at, p, `\`${event.command}\` to read`);
    produced.push(...makes);
  }
}
