/** The commands restage takes, their options and examples: what parseArgs checks and help shows. */
import type { CommandSpec } from './args.js';

const JSON_OPTION = {
  name: 'json',
  kind: 'flag',
  describe: 'short for --format json',
} as const;

const FORMAT_OPTION = {
  name: 'format',
  kind: 'string',
  value: 'FORMAT',
  choices: ['text', 'json', 'sarif'],
  describe:
    'the report as text (default), one JSON object (schema/restage-result.schema.json) or a SARIF 2.1.0 log for code scanning; usage errors too',
} as const;

export const MIGRATE: CommandSpec = {
  name: 'migrate',
  positional: {
    name: 'DIR',
    describe: 'directory holding the Dockerfiles and the build script, or a tree: every builder pattern under it',
  },
  summary: 'turn a builder pattern (Dockerfile.build + Dockerfile + build.sh) into one multi-stage Dockerfile',
  options: [
    {
      name: 'env',
      kind: 'list',
      value: 'NAME=VALUE',
      describe: 'an environment variable the build script reads (repeatable)',
    },
    {
      name: 'force',
      kind: 'flag',
      describe: 'with --write/--out: overwrite a file git cannot restore, keeping the original as NAME.orig',
    },
    JSON_OPTION,
    FORMAT_OPTION,
    { name: 'out', kind: 'string', value: 'FILE', describe: 'write the migrated Dockerfile to FILE' },
    {
      name: 'build-dockerfile',
      kind: 'string',
      value: 'FILE',
      describe: 'the builder Dockerfile, relative to DIR: migrate the pattern that builds its builder image from it',
    },
    {
      name: 'runtime-dockerfile',
      kind: 'string',
      value: 'FILE',
      describe: 'the runtime Dockerfile, relative to DIR: migrate the pattern that builds its runtime image from it',
    },
    {
      name: 'make-target',
      kind: 'string',
      value: 'TARGET',
      describe: 'the target of a Makefile orchestrator to follow (default: the one that builds the runtime image)',
    },
    {
      name: 'script',
      kind: 'string',
      value: 'FILE',
      describe: 'the build script to migrate, relative to DIR (when several scripts are candidate pipelines)',
    },
    {
      name: 'script-arg',
      kind: 'list',
      value: 'VALUE',
      describe: 'an argument the build script receives ($1, $2… in order; repeatable)',
    },
    {
      name: 'remove-legacy',
      kind: 'flag',
      describe:
        'with --write: also remove the legacy build Dockerfiles the migration made obsolete, when nothing else uses them',
    },
    {
      name: 'write',
      kind: 'flag',
      describe:
        'replace the runtime Dockerfile in place and rewrite the build script or Makefile to the one build (all or nothing)',
    },
    {
      name: 'diff',
      kind: 'flag',
      describe:
        'print the unified diff --write would apply (the runtime Dockerfile, the script, .dockerignore; with --remove-legacy the removals) instead of the Dockerfile; writes nothing',
    },
    {
      name: 'graph',
      kind: 'string',
      value: 'KIND',
      choices: ['mermaid', 'dot'],
      describe: 'print the artifact flow as a Mermaid or Graphviz graph on stdout, instead of the Dockerfile',
    },
  ],
  conflicts: [
    ['out', 'write'],
    ['graph', 'json'],
    ['diff', 'write'],
    ['diff', 'out'],
    ['diff', 'graph'],
    ['diff', 'json'],
  ],
  examples: [
    ['migrate samples/href-counter', 'print the migrated Dockerfile (stdout) and the report (stderr)'],
    ['migrate . --write', 'replace the runtime Dockerfile and rewrite the build script, when git can restore them'],
    ['migrate . --write --remove-legacy', 'the same, and remove the obsolete build Dockerfile'],
    ['migrate . --out Dockerfile.multistage --json', 'write a new file and print the report as JSON'],
    ['migrate . --script build.arm.sh --script-arg arm', 'migrate one of several build scripts, given its $1'],
    ['migrate . --runtime-dockerfile api/Dockerfile', 'migrate the one pattern of a tree that builds it'],
    [
      'migrate . --diff > migrate.patch',
      'the change --write would make, as a patch to review (git apply migrate.patch)',
    ],
    ['migrate . --graph dot | dot -Tsvg > flow.svg', 'draw the artifact flow, legacy round trip beside COPY --from'],
  ],
};

export const VERIFY: CommandSpec = {
  name: 'verify',
  positional: { name: 'DIR', describe: 'directory holding the builder pattern' },
  summary: 'build the legacy pipeline and the multi-stage Dockerfile on a real engine and compare the two images',
  options: [
    {
      name: 'backend',
      kind: 'string',
      value: 'NAME',
      choices: ['buildkit', 'classic'],
      describe: 'builder (default: what the engine uses; DOCKER_BUILDKIT decides when set)',
    },
    { name: 'build-arg', kind: 'list', value: 'NAME=VALUE', describe: 'passed to every build (repeatable)' },
    {
      name: 'dockerfile',
      kind: 'string',
      value: 'FILE',
      describe: "verify this hand-written Dockerfile instead of restage's own migration",
    },
    {
      name: 'context',
      kind: 'string',
      value: 'DIR',
      describe: 'the build context of the --dockerfile build (default: DIR)',
    },
    {
      name: 'engine',
      kind: 'string',
      value: 'NAME',
      choices: ['docker', 'podman'],
      describe:
        'container engine CLI (default: the one the script builds with; client from $RESTAGE_DOCKER / $RESTAGE_PODMAN or PATH)',
    },
    {
      name: 'env',
      kind: 'list',
      value: 'NAME=VALUE',
      describe: 'an environment variable the build script reads, for the analysis and the replay (repeatable)',
    },
    {
      name: 'ignore',
      kind: 'list',
      value: 'GLOB',
      describe: 'paths to leave out of the file comparison (repeatable)',
    },
    {
      name: 'image-map',
      kind: 'list',
      value: 'FROM=TO',
      describe: 'substitute a base image on both sides (repeatable)',
    },
    JSON_OPTION,
    FORMAT_OPTION,
    {
      name: 'keep',
      kind: 'flag',
      describe: 'keep the containers, images and scratch directories verify made (and list them)',
    },
    {
      name: 'legacy',
      kind: 'string',
      value: 'MODE',
      choices: ['auto', 'run', 'replay'],
      describe:
        "how to get the legacy image: run the pipeline for real in a bubblewrap sandbox, or replay restage's analysis of it (default: $RESTAGE_LEGACY, else auto: run when bubblewrap works)",
    },
    {
      name: 'legacy-cmd',
      kind: 'string',
      value: 'COMMAND',
      describe:
        "the legacy pipeline's exact command, run with sh -c (default: the build script through its interpreter)",
    },
    {
      name: 'legacy-cwd',
      kind: 'string',
      value: 'DIR',
      describe: 'the directory the legacy command runs in (default: DIR)',
    },
    {
      name: 'legacy-image',
      kind: 'string',
      value: 'TAG',
      describe: 'the legacy image, by the tag the pipeline gives it (default: the runtime image, else the last built)',
    },
    {
      name: 'network',
      kind: 'string',
      value: 'NAME',
      choices: ['none', 'default'],
      default: 'none',
      describe: 'network for RUN steps of both builds',
    },
    { name: 'quiet', kind: 'flag', describe: 'no progress on stderr' },
    {
      name: 'run',
      kind: 'flag',
      default: true,
      negatable: true,
      describe: 'do not run the images (by default both run and what they do is compared)',
    },
    { name: 'run-args', kind: 'list', value: 'ARG', describe: 'an argument for running both images (repeatable)' },
    { name: 'run-timeout', kind: 'number', value: 'SECONDS', default: 30, describe: 'seconds before a run is stopped' },
    { name: 'run-user', kind: 'string', value: 'USER', describe: 'user to run both images as' },
    {
      name: 'make-target',
      kind: 'string',
      value: 'TARGET',
      describe: 'the target of a Makefile orchestrator to follow (default: the one that builds the runtime image)',
    },
    {
      name: 'script',
      kind: 'string',
      value: 'FILE',
      describe:
        'the build script to replay and migrate, relative to DIR (when several scripts are candidate pipelines)',
    },
    {
      name: 'script-arg',
      kind: 'list',
      value: 'VALUE',
      describe: 'an argument the build script receives, for the analysis and the replay ($1, $2… in order; repeatable)',
    },
    { name: 'strict-mtime', kind: 'flag', describe: 'also compare modification times' },
    {
      name: 'timeout',
      kind: 'number',
      value: 'SECONDS',
      default: 1800,
      describe: 'seconds before the sandboxed legacy run is stopped',
    },
  ],
  examples: [
    ['verify samples/href-counter', "build both pipelines and compare the images, with restage's migration"],
    ['verify . --dockerfile Dockerfile.multi', 'judge a hand-written multi-stage Dockerfile instead'],
    ['verify . --dockerfile F --legacy-cmd make', 'judge F against a Makefile pipeline, run for real'],
    ['verify . --image-map gcc=gcc:13 --no-run --json', 'use a local base image, skip running, print JSON'],
  ],
};

export const SCAN: CommandSpec = {
  name: 'scan',
  positional: { name: 'ROOT', describe: 'the root of the tree to search' },
  summary: 'find every builder pattern under a tree and say which restage can migrate',
  options: [JSON_OPTION, FORMAT_OPTION],
  examples: [
    ['scan .', 'a table of the builder patterns under the current directory (stdout), a summary (stderr)'],
    ['scan ~/src --json', 'the same as one JSON object'],
  ],
};

export const CHECK: CommandSpec = {
  name: 'check',
  positional: {
    name: '[PATHS…]',
    describe:
      'files (pre-commit passes the staged ones: the patterns they belong to) or directories (every pattern under them); default: .',
    variadic: true,
  },
  summary:
    'for pre-commit and CI: suggest migrating the builder patterns these files belong to, with the diff (exit 1)',
  options: [
    {
      name: 'json',
      kind: 'flag',
      describe: 'print a JSON array of suggestions (see README) instead of the text; usage errors are one JSON object',
    },
    FORMAT_OPTION,
    { name: 'warn-only', kind: 'flag', describe: 'print the suggestions but exit 0' },
  ],
  examples: [
    ['check ci/build.sh Dockerfile.build', 'the patterns these files belong to (what the pre-commit hook runs)'],
    ['check .', 'every builder pattern under the current directory: a suggestion and the diff of migrate --write'],
    ['check . --warn-only --json', 'the suggestions as JSON, exit 0 whatever they are'],
  ],
};

export const COMMANDS: readonly CommandSpec[] = [MIGRATE, VERIFY, SCAN, CHECK];
