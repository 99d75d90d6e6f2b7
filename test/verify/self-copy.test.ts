/** The image's copy of its own runtime Dockerfile: still a difference, explained. */
import test from 'ava';
import { differ as files } from '../../src/verify/differs/files.js';
import { defaultCompareOptions } from '../../src/verify/model.js';
import { makeManifest } from '../../src/verify/manifest/manifest.js';
import { explainSelfCopy } from '../../src/verify/self-copy.js';
import { file } from './helpers/facts.js';

const LEGACY = 'FROM python:3.12-slim\nCOPY . /srv/app\n';
const MIGRATED = 'FROM python:3.12-slim AS builder\nRUN make\n\nFROM python:3.12-slim AS runtime\nCOPY . /srv/app\n';
const replaced = { inContext: 'Dockerfile', legacy: LEGACY, migrated: MIGRATED };

const differences = (legacy: string, migrated: string, other: [string, string] = ['same', 'same']) => {
  const l = makeManifest([file('/srv/app/Dockerfile', legacy), file('/srv/app/x', other[0])]);
  const m = makeManifest([file('/srv/app/Dockerfile', migrated), file('/srv/app/x', other[1])]);
  const facts = (manifest: typeof l) => ({ manifest }) as unknown as Parameters<typeof files.compare>[0];
  const found = files.compare(facts(l), facts(m), defaultCompareOptions);
  return explainSelfCopy(found, l, m, replaced);
};

test('the legacy Dockerfile against the migrated one: the difference stays, its message says why and what to do', (t) => {
  const [d, ...rest] = differences(LEGACY, MIGRATED);
  t.deepEqual(rest, []);
  t.is(d!.kind, 'difference');
  t.is(d!.field, 'size');
  t.true(d!.message.startsWith('/srv/app/Dockerfile: 92 bytes in the migrated image, 38 in the legacy one: '));
  t.regex(d!.message, /holds its runtime Dockerfile itself/);
  t.regex(d!.message, /Add `Dockerfile` to the context's \.dockerignore/);
  t.regex(d!.message, /restage migrate --out FILE/);
});

test('any other content at that path, and any other file, keeps its plain message', (t) => {
  const [d] = differences(LEGACY, MIGRATED.replace('make', 'true'));
  t.is(d!.message, '/srv/app/Dockerfile: 92 bytes in the migrated image, 38 in the legacy one');
  const [same, other] = differences(LEGACY, MIGRATED, ['a', 'bb']);
  t.regex(same!.message, /holds its runtime Dockerfile itself/);
  t.is(other!.message, '/srv/app/x: 2 bytes in the migrated image, 1 in the legacy one');
});
