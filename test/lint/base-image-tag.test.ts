/** RS207: a base image without a tag or with :latest, at the image in its FROM. */
import test from 'ava';
import { imageTag, lintBaseImageTag } from '../../src/lint/base-image-tag.js';
import { parseDockerfile } from '../../src/parse/dockerfile.js';

const lint = (text: string) => lintBaseImageTag(parseDockerfile('Dockerfile', text).dockerfile);

const cases: [name: string, text: string, expected: [line: number, column: number, message: RegExp][]][] = [
  ['a version tag', 'FROM golang:1.22\n', []],
  [
    'no tag',
    'FROM golang\n',
    [[1, 6, /^FROM golang has no tag, so Docker uses :latest.*\(golang:<version>\).*golang@sha256/]],
  ],
  ['the latest tag', 'FROM busybox:latest AS b\n', [[1, 6, /^FROM busybox:latest uses :latest.*busybox@sha256/]]],
  ['after --platform', 'FROM --platform=linux/amd64 alpine\n', [[1, 29, /^FROM alpine has no tag/]]],
  ['a registry port is no tag', 'FROM registry:5000/team/app\n', [[1, 6, /^FROM registry:5000\/team\/app has no tag/]]],
  ['a registry port and a tag', 'FROM registry:5000/team/app:2\n', []],
  ['a digest pins it', 'FROM alpine@sha256:0123456789abcdef\n', []],
  ['scratch', 'FROM scratch\n', []],
  ['an earlier stage, in any case', 'FROM golang:1.22 AS build\nFROM BUILD\n', []],
  ['a later stage is an image', 'FROM build\nFROM golang:1.22 AS build\n', [[1, 6, /^FROM build has no tag/]]],
  ['a variable is the build’s', 'ARG BASE=alpine\nFROM ${BASE}\nFROM alpine:$V\n', []],
  [
    'each stage',
    'FROM a:latest\nFROM b:1\nFROM c\n',
    [
      [1, 6, /a:latest/],
      [3, 6, /FROM c /],
    ],
  ],
];
for (const [name, text, expected] of cases) {
  test(name, (t) => {
    const found = lint(text);
    t.deepEqual(
      found.map((d) => [d.code, d.severity, d.line, d.column]),
      expected.map(([line, column]) => ['RS207', 'info', line, column]),
    );
    expected.forEach(([, , message], i) => t.regex(found[i]!.message, message));
  });
}

test('imageTag', (t) => {
  t.is(imageTag('alpine'), null);
  t.is(imageTag('alpine:3.19'), '3.19');
  t.is(imageTag('localhost:5000/alpine'), null);
  t.is(imageTag('localhost:5000/alpine:edge'), 'edge');
});
