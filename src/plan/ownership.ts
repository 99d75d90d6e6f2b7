/**
 * Ownership through the host vs through COPY --from: an artifact that went through the host
 * (`docker cp`, then COPY from the build context) is owned 0:0 in the runtime image whatever the
 * builder did, because COPY from the context without --chown gives 0:0. A `COPY --from` keeps the
 * uid/gid the builder stage left (test/e2e/verify.test.ts, dir-artifact.no-chown.Dockerfile: without
 * --chown the migrated image has 1000:1000 where the legacy one has 0:0), and any builder step can
 * change that (USER, a non-root base image, `RUN chown`, a RUN that unpacks an archive with its
 * owners, `COPY --chown` or `COPY --from` in the builder). No reading of the builder can rule all of
 * these out, so the rule that is never wrong is: every `COPY --from` that replaces a host round trip
 * carries `--chown=0:0`, unless the runtime COPY had its own --chown, which then wins.
 * `stageUser` only names, for the report, a reason the builder is known to write as another user.
 */
import type { ParsedDockerfile, Stage } from '../model/dockerfile.js';

/** Official images whose default user is root (tag and registry do not matter). */
const ROOT_IMAGES = new Set([
  'alpine',
  'almalinux',
  'amazoncorretto',
  'amazonlinux',
  'archlinux',
  'buildpack-deps',
  'busybox',
  'centos',
  'clojure',
  'dart',
  'debian',
  'eclipse-temurin',
  'elixir',
  'erlang',
  'fedora',
  'gcc',
  'golang',
  'gradle',
  'haskell',
  'julia',
  'maven',
  'mono',
  'node',
  'openjdk',
  'oraclelinux',
  'perl',
  'php',
  'python',
  'rockylinux',
  'ruby',
  'rust',
  'swift',
  'ubuntu',
  'zig',
]);

/** Namespaces of official images built for one architecture (`arm64v8/golang`). */
const ARCH_NAMESPACES = /^(library|amd64|arm32v5|arm32v6|arm32v7|arm64v8|i386|ppc64le|s390x|riscv64|mips64le)\//;

export type UserVerdict = { root: true } | { root: false; reason: string; line: number };

/** Whether everything the stage (and the stages it derives from) wrote was written as root. */
export function stageUser(file: ParsedDockerfile, stage: Stage): UserVerdict {
  for (let s: Stage | undefined = stage, hops = 0; s && hops < 32; hops++) {
    const users = s.instructions.filter((i) => i.keyword === 'USER');
    const nonRoot = users.find(
      (u) =>
        !/^(root|0)(:(root|0))?$/.test(
          u.args
            .map((a) => a.raw)
            .join(' ')
            .trim(),
        ),
    );
    if (nonRoot)
      return {
        root: false,
        reason: `${file.file} switches to USER ${nonRoot.args.map((a) => a.raw).join(' ')} at line ${nonRoot.line}`,
        line: nonRoot.line,
      };
    const parent = file.stages.find((p) => p.index < s!.index && p.name !== null && p.name === s!.image.toLowerCase());
    if (parent) {
      s = parent;
      continue;
    }
    return baseImageIsRoot(s.image)
      ? { root: true }
      : { root: false, reason: `the base image ${s.image} is not known to run as root`, line: s.from.line };
  }
  return { root: false, reason: 'the stage chain is too deep to follow', line: stage.from.line };
}

export function baseImageIsRoot(image: string): boolean {
  let name = image.split('@')[0]!;
  const lastSlash = name.lastIndexOf('/');
  const colon = name.indexOf(':', lastSlash + 1);
  if (colon >= 0) name = name.slice(0, colon);
  name = name.replace(/^(docker\.io|index\.docker\.io)\//, '').replace(ARCH_NAMESPACES, '');
  return !name.includes('$') && ROOT_IMAGES.has(name);
}

/** The RS501 message for a builder stage whose artifacts restage copies with `--chown=0:0`, and the line it points at. */
export function pinnedOwnership(file: ParsedDockerfile, stage: Stage): { line: number; message: string } {
  const user = stageUser(file, stage);
  const why = user.root
    ? 'and any builder step can change that owner (a RUN chown, an archive unpacked with its owners, COPY --chown)'
    : `and here ${user.reason}, so the builder stage may write them as another user`;
  return {
    line: user.root ? stage.from.line : user.line,
    message: `through the host the artifacts arrived as 0:0 (docker cp, then COPY from the context, which gives 0:0), while COPY --from keeps the owner the builder stage left, ${why}; restage adds --chown=0:0 to each COPY --from from this stage that has no --chown of its own, to keep the ownership the legacy image had`,
  };
}
