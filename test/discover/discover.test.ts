/** discover: which top-level files are Dockerfiles, docker-running scripts, other orchestrators, inert Makefiles. */
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { discover, type Discovery } from '../../src/discover/discover.js';

function tree(t: { teardown: (f: () => void) => void }, files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restage-discover-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

type Expected = Partial<
  Pick<
    Discovery,
    | 'dockerfiles'
    | 'nestedDockerfiles'
    | 'scripts'
    | 'makefiles'
    | 'packages'
    | 'otherOrchestrators'
    | 'inertMakefiles'
    | 'inertScripts'
    | 'inertPackages'
  >
>;
const cases: [name: string, files: Record<string, string>, expected: Expected][] = [
  [
    'the names users give Dockerfiles, builder and runtime alike; other files with Dockerfile in the name are not',
    {
      Dockerfile: '',
      'Dockerfile.build': '',
      'Dockerfile.builder': '',
      'Dockerfile-build': '',
      Dockerfile_build: '',
      DockerfileBuild: '',
      'Dockerfile.dev': '',
      'build.Dockerfile': '',
      'app.dockerfile': '',
      Containerfile: '',
      'Dockerfile.md': '',
      'Dockerfiles.txt': '',
      'my-Dockerfile.txt': '',
      Dockerfilebuild: '',
    },
    {
      dockerfiles: [
        'Containerfile',
        'Dockerfile',
        'Dockerfile-build',
        'Dockerfile.build',
        'Dockerfile.builder',
        'Dockerfile.dev',
        'DockerfileBuild',
        'Dockerfile_build',
        'app.dockerfile',
        'build.Dockerfile',
      ],
    },
  ],
  [
    'scripts and Dockerfiles in ci/, scripts/, docker/… (one level), after the top level; other folders are not looked in',
    {
      'z.sh': 'docker build .\n',
      'ci/build.sh': '#!/bin/sh\ndocker build -f docker/Dockerfile.build .\n',
      'ci/notes.sh': 'echo hi\n',
      'scripts/image': '#!/bin/bash\ndocker build .\n',
      'docker/Dockerfile.build': '',
      'docker/deep/build.sh': 'docker build .\n',
      'src/build.sh': 'docker build .\n',
    },
    {
      scripts: ['z.sh', 'ci/build.sh', 'scripts/image'],
      nestedDockerfiles: ['docker/Dockerfile.build'],
      dockerfiles: [],
    },
  ],
  [
    'Dockerfile and Containerfile name patterns, at the top level only',
    {
      Dockerfile: '',
      'Dockerfile.build': '',
      'Dockerfile-armhf': '',
      'api.Dockerfile': '',
      Containerfile: '',
      'Dockerfiles.txt': '',
      'sub/Dockerfile': '',
    },
    { dockerfiles: ['Containerfile', 'Dockerfile', 'Dockerfile-armhf', 'Dockerfile.build', 'api.Dockerfile'] },
  ],
  [
    'scripts that run docker or podman, in name order; a mention in a comment or word is not a run',
    {
      'b.sh': 'docker build -t x .\n',
      'a.bash': 'set -e\nsudo podman build .\n',
      'c.sh': '# docker build -t x .\necho done\n',
      'd.sh': 'echo mydocker build\n',
      build: '#!/bin/bash\ndocker build .\n',
      notes: 'docker build .\n',
    },
    { scripts: ['a.bash', 'b.sh', 'build'] },
  ],
  [
    'Makefiles: orchestrators when they run docker, inert otherwise; package.json scripts',
    {
      Makefile: 'image:\n\tdocker build -t x .\n',
      'docker.mk': 'push:\n\tdocker push x\n',
      'rules.mk': 'all:\n\tcc -o app app.c\n',
      'package.json': '{"scripts": {"image": "docker build -t x ."}}',
    },
    {
      makefiles: ['Makefile'],
      packages: ['package.json'],
      otherOrchestrators: ['docker.mk'],
      inertMakefiles: ['rules.mk'],
    },
  ],
  [
    'package.json runs docker through a JS/TS build script it runs (node, tsx, with options and arguments)',
    {
      'package.json': '{"scripts": {"lint": "eslint .", "image": "node --import tsx ./ci/build.ts --prod"}}',
      'ci/build.ts': "import { execSync } from 'node:child_process';\nexecSync('docker build -t x .');\n",
      'ci/check.sh': '#!/bin/sh\nshellcheck ci/*.sh\n',
    },
    { packages: ['package.json'], scripts: ['ci/build.ts'], inertScripts: ['ci/check.sh'], inertPackages: [] },
  ],
  [
    'what runs no docker is listed by kind, for the report: shell and JS/TS scripts, package.json',
    {
      'package.json': '{"scripts": {"build": "node scripts/gen.mjs", "test": "node --test"}}',
      'scripts/gen.mjs': "import { writeFileSync } from 'node:fs';\nwriteFileSync('v.txt', '1');\n",
      'eslint.config.js': 'export default [];\n',
      'test.sh': 'go test ./...\n',
    },
    {
      packages: [],
      scripts: [],
      inertPackages: ['package.json'],
      inertScripts: ['eslint.config.js', 'test.sh', 'scripts/gen.mjs'],
    },
  ],
  [
    'a build script package.json names outside the directory is not read',
    {
      'package.json': '{"scripts": {"image": "node ../build.mjs"}}',
    },
    { packages: [], inertPackages: ['package.json'] },
  ],
  [
    'a Makefile whose recipe runs a docker script (./ci/build.sh) is a candidate; one that only names it is not',
    {
      Makefile: '# see ci/build.sh\nrelease:\n\t./ci/build.sh release\nclean:\n\trm -f ci/build.sh.log\n',
      'build.sh': '#!/bin/sh\ndocker build -t y .\n',
      'ci/build.sh': '#!/bin/sh\ndocker build -t x .\n',
      GNUmakefile: 'all:\n\techo ./ci/build.sh.bak; cat ci/build.shx\n',
    },
    { makefiles: ['Makefile'], inertMakefiles: ['GNUmakefile'] },
  ],
];
const dockerScript = JSON.stringify({ scripts: { image: 'docker build -t x -f ../Dockerfile.build ..' } });
const quiet = JSON.stringify({ scripts: { lint: 'eslint .' } });
cases.push(
  [
    'package.json files below the top (two levels deep) whose scripts run docker, themselves, through ./x.sh or node x.mjs',
    {
      Dockerfile: '',
      'web/package.json': dockerScript,
      'apps/api/package.json': JSON.stringify({ scripts: { image: './build-image.sh' } }),
      'apps/api/build-image.sh': 'docker build ..\n',
      'apps/ui/package.json': JSON.stringify({ scripts: { image: 'node scripts/image.mjs' } }),
      'apps/ui/scripts/image.mjs': "import { execSync } from 'node:child_process';\nexecSync('docker build ..');\n",
      'docs/package.json': quiet,
      'a/b/c/package.json': dockerScript,
      'node_modules/x/package.json': dockerScript,
      '.cache/package.json': dockerScript,
    },
    {
      packages: ['apps/api/package.json', 'apps/ui/package.json', 'web/package.json'],
      inertPackages: ['docs/package.json'],
    },
  ],
  [
    "a sub-directory holding a Dockerfile is a pattern of its own: its package.json is not this directory's",
    { Dockerfile: '', 'svc/Dockerfile': '', 'svc/package.json': dockerScript },
    { packages: [], inertPackages: [] },
  ],
  [
    "a Makefile, script or package.json that runs another package's script is a candidate when a package runs docker",
    {
      Dockerfile: '',
      Makefile: 'image:\n\t(cd web; npm run image)\n',
      'build.sh': '#!/bin/sh\nnpm --prefix web run image\n',
      'package.json': JSON.stringify({ scripts: { image: 'npm -C web run image' } }),
      'web/package.json': dockerScript,
    },
    {
      makefiles: ['Makefile'],
      scripts: ['build.sh'],
      packages: ['web/package.json', 'package.json'],
      inertMakefiles: [],
      inertScripts: [],
      inertPackages: [],
    },
  ],
  [
    'npm runs stay inert when no package runs docker',
    { Dockerfile: '', Makefile: 'lint:\n\tcd web && npm run lint\n', 'web/package.json': quiet },
    { makefiles: [], inertMakefiles: ['Makefile'], packages: [], inertPackages: ['web/package.json'] },
  ],
);

for (const [name, files, expected] of cases) {
  test(`discover: ${name}`, (t) => {
    const found = discover(tree(t, files));
    for (const key of Object.keys(expected) as (keyof Expected)[]) t.deepEqual(found[key], expected[key], key);
    t.deepEqual(
      found.entries,
      Object.keys(files)
        .filter((f) => !f.includes('/'))
        .sort(),
    );
  });
}

test('discover: a candidate linked from outside is refused by name; an unrelated link is ignored', (t) => {
  const outside = tree(t, { 'Dockerfile.secret': 'FROM x\n', LICENSE: 'MIT\n' });
  const dir = tree(t, { Dockerfile: 'FROM alpine\n' });
  fs.symlinkSync(path.join(outside, 'Dockerfile.secret'), path.join(dir, 'Dockerfile.build'));
  fs.symlinkSync(path.join(outside, 'LICENSE'), path.join(dir, 'LICENSE'));
  const found = discover(dir);
  t.deepEqual(found.dockerfiles, ['Dockerfile']);
  t.deepEqual(found.refused, [{ name: 'Dockerfile.build', reason: 'link-outside' }]);
});
