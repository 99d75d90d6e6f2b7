/**
 * The host as the analysis sees it: a HostSnapshot (src/model/analysis.ts) the runner reads once,
 * before matching, for exactly the paths named here. The analysis asks what a path is only for
 * a build's context and Dockerfile, a `docker cp` destination, a `mv`/`cp` destination (is it a
 * directory?) and a context COPY/ADD source; `hostPathsAsked` names every such path, and
 * test/analyze/host-snapshot.test.ts checks that the matching asks about no other.
 */
import path from 'node:path';
import type { DockerignoreRule, HostKind, HostSnapshot } from '../model/analysis.js';
import type { Instruction, ParsedDockerfile, Token } from '../model/dockerfile.js';
import type { BuildFlow, ImageBuild } from '../model/flow.js';
import { isContextSource, readsContext } from '../shared/context-copy.js';
import { ignoredBy } from './dockerignore.js';

/** A COPY/ADD source as the build reads it (src/parse/dockerfile-word.ts); as written when Docker fails on it. */
export function sourceText(inst: Instruction, token: Token): string {
  return token.value ?? (inst.jsonForm ? token.raw : token.raw.replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1'));
}

/** The host path a context source of a COPY/ADD names (a trailing '/' kept). */
export function contextSourcePath(context: string, inst: Instruction, token: Token): string {
  return path.join(context, sourceText(inst, token));
}

/** Every host path the analysis of this flow may ask about, each once, without a trailing '/'. */
export function hostPathsAsked(flow: BuildFlow, dockerfiles: ReadonlyMap<string, ParsedDockerfile>): string[] {
  const asked = new Set<string>();
  const add = (p: string) => asked.add(path.resolve(p));
  for (const e of flow.events) {
    switch (e.kind) {
      case 'build': {
        add(e.context);
        add(e.dockerfile);
        const file = dockerfiles.get(e.dockerfile);
        for (const inst of file?.instructions ?? []) {
          if (!readsContext(inst)) continue;
          for (const token of inst.args.slice(0, -1))
            if (isContextSource(sourceText(inst, token))) add(contextSourcePath(e.context, inst, token));
        }
        break;
      }
      case 'copy-out':
        add(e.hostPath);
        if (e.extractedInto !== undefined) add(e.extractedInto);
        break;
      case 'host':
        e.paths.forEach(add);
        break;
    }
  }
  return [...asked];
}

/** The `--env-file`s the flow's runs and execs name, each once: whose text the snapshot holds. */
export function envFilesAsked(flow: BuildFlow): string[] {
  const specs = flow.events.flatMap((e) =>
    e.kind === 'create' && e.run ? [e.run] : e.kind === 'container' && e.exec ? [e.exec] : [],
  );
  return [...new Set(specs.flatMap((s) => (s.envFiles ?? []).map((f) => f.path)))];
}

/** The build contexts of the flow, each once: whose .dockerignore the snapshot holds. */
export function buildContexts(flow: BuildFlow): string[] {
  return [...new Set(flow.events.flatMap((e) => (e.kind === 'build' ? [e.context] : [])))];
}

/** What the path was before the script ran; null when it did not exist or restage does not look at it. */
export function kindBefore(host: HostSnapshot, p: string): 'file' | 'dir' | null {
  const kind = lookup(host, p);
  return kind === 'refused' ? null : kind;
}

/** restage does not look at the path (RS120-RS122): whether it exists is unknown. */
export function refusedBefore(host: HostSnapshot, p: string): boolean {
  return lookup(host, p) === 'refused';
}

/** The rules the build's context was filtered by (src/analyze/build-ignore.ts), else its context's `.dockerignore`. */
export function ignoreRules(host: HostSnapshot, build: Pick<ImageBuild, 'context'>): readonly DockerignoreRule[] {
  return host.buildIgnores?.get(build as ImageBuild)?.rules ?? host.dockerignores.get(build.context) ?? [];
}

/** Whether the ignore file the build read leaves the path out of its context. */
export function ignoredIn(host: HostSnapshot, build: Pick<ImageBuild, 'context'>, p: string): boolean {
  return ignoredBy(ignoreRules(host, build), path.relative(build.context, p));
}

function lookup(host: HostSnapshot, p: string): HostKind | null {
  return host.kinds.get(path.resolve(p)) ?? null;
}
