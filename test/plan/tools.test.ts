/** Whether a builder stage can run a host tool: only when it installs it or its base is known to ship it. */
import test from 'ava';
import { parseDockerfile } from '../../src/parse/dockerfile.js';
import { toolInStage, toolLackedInStage } from '../../src/plan/tools.js';

const last = (text: string) => {
  const file = parseDockerfile('Dockerfile.build', text).dockerfile;
  return { file, stage: file.stages[file.stages.length - 1]! };
};

const macro = test.macro((t, text: string, expected: string | null) => {
  const { file, stage } = last(text);
  t.is(toolInStage('strip', file, stage), expected);
});

test('gcc base ships strip', macro, 'FROM gcc:13\nRUN make\n', 'its base image gcc:13 ships strip');
test('full buildpack-deps ships it, -scm does not', macro, 'FROM buildpack-deps:bookworm-scm\n', null);
test('busybox: unknown', macro, 'FROM busybox:latest\nRUN true\n', null);
test('golang: unknown (not assumed)', macro, 'FROM golang:1.22\n', null);
test(
  'apt-get install binutils in the stage',
  macro,
  'FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends \\\n  make binutils\n',
  'Dockerfile.build:2 installs binutils',
);
test(
  'apk add build-base',
  macro,
  'FROM alpine:3.20\nRUN apk add --no-cache build-base\n',
  'Dockerfile.build:2 installs build-base',
);
test(
  'installed in a parent stage',
  macro,
  'FROM alpine:3.20 AS tools\nRUN apk add binutils\nFROM tools\nRUN true\n',
  'Dockerfile.build:2 installs binutils',
);
test('a package that only contains the name', macro, 'FROM debian\nRUN apt-get install -y binutils-doc\n', null);

const unpackTool = test.macro((t, tool: string, text: string, has: string | null, lacks: string | null) => {
  const { file, stage } = last(text);
  t.is(toolInStage(tool, file, stage), has);
  t.is(toolLackedInStage(tool, file, stage), lacks);
});

test(
  'busybox ships the unpack tools',
  unpackTool,
  'unzip',
  'FROM busybox:1.36\n',
  'its base image busybox:1.36 ships unzip',
  null,
);
test(
  'a Debian image ships tar',
  unpackTool,
  'tar',
  'FROM debian:bookworm-slim\n',
  'its base image debian:bookworm-slim ships tar',
  null,
);
test(
  'a Debian slim image lacks unzip',
  unpackTool,
  'unzip',
  'FROM debian:bookworm-slim\nRUN true\n',
  null,
  'its base image debian:bookworm-slim is a Debian slim image, without unzip, and no step of the stage installs unzip',
);
test(
  'a Debian slim image that installs xz-utils has xz',
  unpackTool,
  'xz',
  'FROM debian:bookworm-slim\nRUN apt-get install -y xz-utils\n',
  'Dockerfile.build:2 installs xz-utils',
  null,
);
test('alpine: unzip unknown, neither had nor lacked', unpackTool, 'unzip', 'FROM alpine:3.20\n', null, null);
test('full debian: xz unknown', unpackTool, 'xz', 'FROM debian:bookworm\n', null, null);
