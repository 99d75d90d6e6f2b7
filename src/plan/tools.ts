/**
 * Whether a builder stage can run a host tool restage replays in the post-processing stage
 * (src/plan/modes.ts): `strip` comes with binutils. restage never runs the image to find out, so
 * the tool counts as present only when the stage (or a stage it derives from) installs a package
 * that brings it, or its base image is one known to ship it: the official `gcc` and full
 * `buildpack-deps` images do (testbase/gcc, their stand-in on the test engine, has
 * /usr/bin/strip; busybox has no strip applet: test/e2e/routes-shapes.test.ts). Anything else is
 * unknown, never assumed.
 *
 * The unpack tools (src/analyze/unpack.ts): tar and gzip are Essential Debian packages, in every
 * Debian-based image; busybox has tar, gunzip, unzip, xz, unxz, bunzip2 and bzip2 applets; a
 * Debian slim image has no unzip, xz or bzip2 unless a step installs them (testbase/busybox and
 * testbase/debian-slim show it: test/e2e/routes-archive.test.ts). A tool counts as lacking only there.
 */
import type { ParsedDockerfile, Stage } from '../model/dockerfile.js';

/** Packages (apt, apk, dnf/yum) that install each tool. */
const PACKAGES: Readonly<Record<string, readonly string[]>> = {
  strip: ['binutils', 'gcc', 'g++', 'build-essential', 'build-base', 'gcc-c++', 'clang-tools'],
  tar: ['tar'],
  gunzip: ['gzip'],
  gzip: ['gzip'],
  unzip: ['unzip'],
  xz: ['xz-utils', 'xz'],
  unxz: ['xz-utils', 'xz'],
  bunzip2: ['bzip2'],
  bzip2: ['bzip2'],
};

const DEBIAN = ['debian', 'debian-slim', 'ubuntu', 'buildpack-deps', 'gcc', 'golang'];
const BUSYBOX = ['busybox'];

/** Official images whose every tag ships each tool. */
const BASES: Readonly<Record<string, readonly string[]>> = {
  strip: ['gcc', 'buildpack-deps'],
  tar: [...DEBIAN, ...BUSYBOX],
  gunzip: [...DEBIAN, ...BUSYBOX],
  gzip: [...DEBIAN, ...BUSYBOX],
  unzip: BUSYBOX,
  xz: BUSYBOX,
  unxz: BUSYBOX,
  bunzip2: BUSYBOX,
  bzip2: BUSYBOX,
};

/** Images known to lack each tool (unless a step installs it): a Debian slim image. */
const LACKING: Readonly<Record<string, (name: string, tag: string) => boolean>> = Object.fromEntries(
  ['unzip', 'xz', 'unxz', 'bunzip2', 'bzip2'].map((t) => [
    t,
    (name: string, tag: string) => name === 'debian-slim' || (name === 'debian' && tag.includes('slim')),
  ]),
);

const INSTALL = /\b(apt-get|apt|apk|dnf|yum|microdnf)\s+([^;&|]*\s)?(install|add)\s+([^;&|]*)/g;

/** Why the stage has the tool (for the report), or null when restage cannot tell. */
export function toolInStage(tool: string, file: ParsedDockerfile, stage: Stage): string | null {
  const base = baseOf(tool, file, stage);
  if (typeof base === 'string') return base;
  if (base === null) return null;
  if ((BASES[tool] ?? []).includes(imageName(base.image)) && !(tool === 'strip' && /-(scm|curl)$/.test(base.image)))
    return `its base image ${base.image} ships ${tool}`;
  return null;
}

/** Why the stage lacks the tool (for the report), or null when restage cannot tell (or it has it). */
export function toolLackedInStage(tool: string, file: ParsedDockerfile, stage: Stage): string | null {
  const base = baseOf(tool, file, stage);
  if (base === null || typeof base === 'string') return null;
  const tag = base.image.split('@')[0]!.split('/').pop()!.split(':')[1] ?? '';
  return LACKING[tool]?.(imageName(base.image), tag)
    ? `its base image ${base.image} is a Debian slim image, without ${tool}, and no step of the stage installs ${(PACKAGES[tool] ?? [tool])[0]}`
    : null;
}

/**
 * The stage's chain down to its base image: why it has the tool when a step installs a package
 * that brings it, else the first stage that starts FROM an image (null past 32 hops).
 */
function baseOf(tool: string, file: ParsedDockerfile, stage: Stage): string | Stage | null {
  const packages = PACKAGES[tool] ?? [];
  for (let s: Stage | undefined = stage, hops = 0; s && hops < 32; hops++) {
    for (const inst of s.instructions) {
      if (inst.keyword !== 'RUN') continue;
      const text = file.text.slice(inst.start, inst.end);
      for (const m of text.matchAll(INSTALL)) {
        const words = m[4]!.split(/[\s\\]+/).map((w) => w.replace(/[=:].*$/, ''));
        const pkg = words.find((w) => packages.includes(w));
        if (pkg) return `${file.file}:${inst.line} installs ${pkg}`;
      }
    }
    const parent = file.stages.find((p) => p.index < s!.index && p.name !== null && p.name === s!.image.toLowerCase());
    if (parent) {
      s = parent;
      continue;
    }
    return s;
  }
  return null;
}

/** The repository's last path component without tag or digest (`docker.io/library/gcc:13` → `gcc`). */
function imageName(image: string): string {
  const name = image.split('@')[0]!;
  const last = name.slice(name.lastIndexOf('/') + 1);
  return last.split(':')[0]!.toLowerCase();
}
