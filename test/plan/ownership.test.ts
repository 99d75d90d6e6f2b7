/** Ownership: which builder stages are known to write as root, and where RS501 points. */
import test from 'ava';
import { baseImageIsRoot, pinnedOwnership, stageUser } from '../../src/plan/ownership.js';
import { parseDockerfile } from '../../src/parse/dockerfile.js';

const images: [image: string, root: boolean][] = [
  ['golang', true],
  ['golang:1.22-bookworm', true],
  ['docker.io/library/alpine:3.19', true],
  ['arm64v8/debian@sha256:0123', true],
  ['localhost:5000/golang', false],
  ['bitnami/golang:1.22', false],
  ['node', true],
  ['gcr.io/distroless/static:nonroot', false],
  ['$BASE', false],
  ['golang:$VERSION', true],
];
for (const [image, root] of images) {
  test(`baseImageIsRoot ${image} → ${root}`, (t) => t.is(baseImageIsRoot(image), root));
}

const stages: [name: string, text: string, expected: { root: boolean; line?: number; reason?: RegExp }][] = [
  ['a root image', 'FROM golang:1.22\nRUN go build\n', { root: true }],
  ['USER root:0 stays root', 'FROM golang\nUSER root:0\n', { root: true }],
  [
    'USER 1000',
    'FROM golang\nRUN true\nUSER 1000\n',
    { root: false, line: 3, reason: /switches to USER 1000 at line 3$/ },
  ],
  [
    'an unknown base',
    'FROM acme/toolchain\n',
    { root: false, line: 1, reason: /the base image acme\/toolchain is not known/ },
  ],
  ['a USER in the parent stage', 'FROM golang AS base\nUSER app\nFROM base\nRUN true\n', { root: false, line: 2 }],
  ['a root parent stage', 'FROM golang AS base\nFROM base\n', { root: true }],
];
for (const [name, text, expected] of stages) {
  test(`stageUser: ${name}`, (t) => {
    const f = parseDockerfile('Dockerfile.build', text).dockerfile;
    const verdict = stageUser(f, f.stages[f.stages.length - 1]!);
    t.is(verdict.root, expected.root);
    if (verdict.root) return;
    if (expected.line !== undefined) t.is(verdict.line, expected.line);
    if (expected.reason) t.regex(verdict.reason, expected.reason);
  });
}

test('pinnedOwnership points at FROM for a root stage and at the USER otherwise', (t) => {
  const root = parseDockerfile('Dockerfile.build', 'FROM golang\nRUN true\n').dockerfile;
  t.is(pinnedOwnership(root, root.stages[0]!).line, 1);
  const user = parseDockerfile('Dockerfile.build', 'FROM golang\nRUN true\nUSER 1000:1000\n').dockerfile;
  const pinned = pinnedOwnership(user, user.stages[0]!);
  t.is(pinned.line, 3);
  t.regex(pinned.message, /USER 1000:1000 at line 3, so the builder stage may write them as another user/);
});
