/**
 * Whether a builder stage can run a host tool restage replays in the post-processing stage
 * (src/plan/modes.ts): `strip` comes with binutils. restage never runs the image to find out, so
 * the tool counts as present only when the stage (or a stage it derives from) installs a package
 * that brings it, or its base image is one known to ship it: the official `gcc` and full
 * `buildpack-deps` images do (testbase/gcc, their stand-in on the test engine, has
 * /usr/bin/strip; busybox has no strip applet: test/e2e/routes-shapes.test.ts). Anything else is
 * unknown, never assumed.
 */
import type { ParsedDockerfile, Stage } from '../model/dockerfile.js';

/** Packages (apt, apk, dnf/yum) that install each tool. */
const PACKAGES: Readonly<Record<string, readonly string[]>> = {
  strip: ['binutils', 'gcc', 'g++', 'build-essential', 'build-base', 'gcc-c++', 'clang-tools'],
};

/** Official images whose every tag ships each tool. */
const BASES: Readonly<Record<string, readonly string[]>> = {
  strip: ['gcc', 'buildpack-deps'],
};

const INSTALL = /\b(apt-get|apt|apk|dnf|yum|microdnf)\s+([^;&|]*\s)?(install|add)\s+([^;&|]*)/g;

/** Why the stage has the tool (for the report), or null when restage cannot tell. */
export function toolInStage(tool: string, file: ParsedDockerfile, stage: Stage): string | null {
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
    if ((BASES[tool] ?? []).includes(imageName(s.image)) && !/-(scm|curl)$/.test(s.image))
      return `its base image ${s.image} ships ${tool}`;
    return null;
  }
  return null;
}

/** The repository's last path component without tag or digest (`docker.io/library/gcc:13` → `gcc`). */
function imageName(image: string): string {
  const name = image.split('@')[0]!;
  const last = name.slice(name.lastIndexOf('/') + 1);
  return last.split(':')[0]!.toLowerCase();
}
