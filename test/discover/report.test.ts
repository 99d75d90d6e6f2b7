/** What discovery reports from a listing: file roles and the diagnostics that stop before any script is read. */
import test from 'ava';
import { noOrchestrator, notADirectory, reportDiscovery } from '../../src/discover/report.js';
import type { Discovery } from '../../src/discover/discover.js';

const listing = (over: Partial<Discovery>): Discovery => ({
  root: '/proj',
  dockerfiles: [],
  scripts: [],
  nestedDockerfiles: [],
  makefiles: [],
  packages: [],
  otherOrchestrators: [],
  inertMakefiles: [],
  inertScripts: [],
  inertPackages: [],
  entries: [],
  refused: [],
  ...over,
});
const shown = (name: string) => `d/${name}`;

const cases: [name: string, found: Partial<Discovery>, files: string[], codes: string[], stop: boolean][] = [
  [
    'a builder pattern',
    { dockerfiles: ['Dockerfile'], scripts: ['build.sh'], entries: ['Dockerfile', 'build.sh'] },
    [],
    [],
    false,
  ],
  ['an empty directory', {}, [], ['RS102'], true],
  [
    'scripts but no Dockerfile',
    { scripts: ['build.sh'], entries: ['build.sh'] },
    ['d/build.sh:orchestrator'],
    ['RS102'],
    true,
  ],
  [
    'an included .mk drives docker, no script, Makefile or package.json',
    { dockerfiles: ['Dockerfile'], otherOrchestrators: ['docker.mk'], entries: ['Dockerfile', 'docker.mk'] },
    ['d/docker.mk:other-orchestrator'],
    ['RS105'],
    false,
  ],
  [
    'package.json drives docker beside an included .mk: the runner follows it, not RS105',
    {
      dockerfiles: ['Dockerfile'],
      packages: ['package.json'],
      otherOrchestrators: ['docker.mk'],
      entries: ['Dockerfile', 'docker.mk', 'package.json'],
    },
    ['d/docker.mk:other-orchestrator'],
    [],
    false,
  ],
  [
    'a Makefile drives docker, no script: the runner follows it, not RS105',
    {
      dockerfiles: ['Dockerfile'],
      makefiles: ['Makefile'],
      otherOrchestrators: ['package.json'],
      entries: ['Dockerfile', 'Makefile', 'package.json'],
    },
    ['d/package.json:other-orchestrator'],
    [],
    false,
  ],
  [
    'Dockerfiles only in docker/, a script in scripts/: analysed, no RS102',
    { nestedDockerfiles: ['docker/Dockerfile'], scripts: ['scripts/build.sh'], entries: ['README'] },
    [],
    [],
    false,
  ],
  [
    'Dockerfiles only in docker/, no script: RS102',
    { nestedDockerfiles: ['docker/Dockerfile'], entries: ['README'] },
    [],
    ['RS102'],
    true,
  ],
  [
    'a Makefile but no Dockerfile: listed as an orchestrator with RS102',
    { makefiles: ['Makefile'], entries: ['Makefile'] },
    ['d/Makefile:orchestrator'],
    ['RS102'],
    true,
  ],
  [
    'package.json drives docker beside a script: listed, not RS105',
    {
      dockerfiles: ['Dockerfile'],
      scripts: ['build.sh'],
      otherOrchestrators: ['package.json'],
      inertMakefiles: ['src.mk'],
    },
    ['d/package.json:other-orchestrator', 'd/src.mk:makefile'],
    [],
    false,
  ],
  [
    'refused candidates',
    {
      dockerfiles: ['Dockerfile'],
      refused: [
        { name: 'build.sh', reason: 'link-outside' },
        { name: 'Dockerfile.build', reason: 'special' },
      ],
    },
    [],
    ['RS121', 'RS122'],
    false,
  ],
];
for (const [name, found, files, codes, stop] of cases) {
  test(`reportDiscovery: ${name}`, (t) => {
    const r = reportDiscovery(listing(found), shown, 'd');
    t.deepEqual(
      r.files.map((f) => `${f.path}:${f.role}`),
      files,
    );
    t.deepEqual(
      r.diagnostics.map((d) => d.code),
      codes,
    );
    t.is(r.noDockerfile, stop);
  });
}

test('RS102 says whether the directory is empty or names the scripts that run docker', (t) => {
  const [empty] = reportDiscovery(listing({}), shown, 'd').diagnostics;
  t.deepEqual([empty?.file, empty?.line, empty?.column], ['d', 1, 1]);
  t.regex(empty?.message ?? '', /^the directory is empty/);
  const [scripts] = reportDiscovery(
    listing({ scripts: ['a.sh', 'b.sh'], entries: ['a.sh', 'b.sh'] }),
    shown,
    'd',
  ).diagnostics;
  t.regex(scripts?.message ?? '', /\(a\.sh, b\.sh runs docker, but the Dockerfiles it builds are not here\)/);
});

test('a refused file is located at its own name', (t) => {
  const [d] = reportDiscovery(
    listing({ dockerfiles: ['Dockerfile'], refused: [{ name: 'x.sh', reason: 'outside' }] }),
    shown,
    'd',
  ).diagnostics;
  t.deepEqual([d?.code, d?.file, d?.line], ['RS120', 'd/x.sh', 1]);
  t.regex(d?.message ?? '', /^x\.sh lies outside the directory/);
});

test('notADirectory: RS101 says a file is no directory, or that there is none', (t) => {
  const at = { file: 'x', line: 1, column: 1 };
  t.is(notADirectory(false, at).message, 'no such directory');
  t.regex(notADirectory(true, at).message, /^this is a file, not a directory/);
  t.is(notADirectory(true, at).code, 'RS101');
});

test('noOrchestrator (RS113): at a builder-named Dockerfile, with --script as the way out', (t) => {
  const builder = noOrchestrator(listing({ dockerfiles: ['Dockerfile', 'Dockerfile.build'] }), shown, 'd');
  t.is(builder.code, 'RS113');
  t.is(builder.file, 'd/Dockerfile.build');
  t.regex(
    builder.message,
    /^Dockerfile\.build looks like a builder's Dockerfile, but nothing in d, its ci\/, .* folders and the package\.json files of its sub-directories \(2 levels deep\) runs docker to build it: there is no shell script, Makefile, package\.json or JS\/TS build script there .*; if a script elsewhere drives it, name it with --script FILE \(relative to d\)$/,
  );
});

test('noOrchestrator (RS113): the files restage read, by kind, and that none runs docker', (t) => {
  const plain = noOrchestrator(
    listing({
      dockerfiles: ['Dockerfile'],
      inertScripts: ['test.sh', 'eslint.config.js', 'ci/lint.sh', 'scripts/gen.mjs'],
      inertMakefiles: ['Makefile'],
      inertPackages: ['package.json', 'web/package.json'],
      otherOrchestrators: ['docker.mk'],
    }),
    shown,
    'd',
  );
  t.is(plain.file, 'd');
  t.is(
    plain.message,
    'restage found d/Dockerfile and nothing in d, its ci/, .ci/, scripts/, script/, build/, docker/, hack/, tools/ folders and the package.json files of its sub-directories (2 levels deep) that builds it: ' +
      'restage read shell scripts: d/test.sh, d/ci/lint.sh; Makefiles: d/Makefile; package.json scripts: d/package.json, d/web/package.json; JS/TS build scripts: d/eslint.config.js, d/scripts/gen.mjs, ' +
      'and none of them runs docker (a package.json script counts when it runs docker itself or through a JS/TS build script it runs (below the top, a shell script of its package too); a Compose file is read when one of those runs `docker compose`)' +
      '; d/docker.mk runs docker, but restage does not read it; there is no builder pattern here — if another file builds these images, name it with --script FILE (relative to d)',
  );
  // Only the kinds found are named; the package.json clause only with a package.json.
  const some = noOrchestrator(listing({ dockerfiles: ['Dockerfile'], inertScripts: ['test.sh'] }), shown, 'd');
  t.regex(some.message, /restage read shell scripts: d\/test\.sh, and none of them runs docker \(a Compose file/);
  t.notRegex(some.message, /Makefiles|package\.json scripts:/);
});
