import { readdirSync } from 'node:fs';
import test from 'ava';
import { compareImages, differs } from '../../../src/verify/differs/index.js';
import type { Differ } from '../../../src/verify/model.js';
import { file, side } from '../helpers/facts.js';

const folder = new URL('../../../src/verify/differs/', import.meta.url);
const differFiles = readdirSync(folder, { withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && entry.name !== 'index.ts')
  .map((entry) => entry.name.slice(0, -'.ts'.length));

test('the registry lists exactly the differ files of src/verify/differs/', (t) => {
  t.deepEqual([...differs.map((differ) => differ.id)].sort(), [...differFiles].sort());
  t.is(new Set(differs.map((differ) => differ.id)).size, differs.length, 'each differ is listed once');
});

test("each differ file exports the registry's differ under its own file name", async (t) => {
  for (const name of differFiles) {
    const module = (await import(new URL(`${name}.js`, folder).href)) as { differ?: Differ };
    t.is<string | undefined, string>(module.differ?.id, name, `${name}.ts`);
    t.true(differs.includes(module.differ as Differ), `${name}.ts is the registered one`);
  }
});

test('the registry is in report order', (t) => {
  t.deepEqual(
    differs.map((differ) => differ.id),
    ['files', 'config', 'history', 'sizes', 'run', 'time'],
  );
});

const base = {
  entries: [file('/app/hello', 'hi')],
  config: { Cmd: ['/app/hello'] },
  size: 100,
  run: { exitCode: 0, stdout: 'hi\n', stderr: '', timedOut: false },
};

test('only information: equivalent', (t) => {
  const result = compareImages(
    side({ ...base, buildSeconds: 2, builderImageSize: 5000 }),
    side({ ...base, size: 90, buildSeconds: 1 }),
  );
  t.is(result.verdict, 'equivalent');
  t.deepEqual(result.differences, []);
  t.deepEqual([...new Set(result.info.map((d) => d.aspect))], ['history', 'sizes', 'time']);
});

test('one difference makes the images different, findings in registry order', (t) => {
  const result = compareImages(
    side(base),
    side({ ...base, entries: [file('/app/hello', 'hi', { uid: 1000 })], config: { Cmd: ['/app/hi'] } }),
  );
  t.is(result.verdict, 'different');
  t.deepEqual(
    result.differences.map((d) => `${d.aspect}:${d.subject}:${d.field ?? ''}`),
    ['files:/app/hello:owner', 'config:Cmd:'],
  );
  t.true(result.info.every((d) => d.kind === 'info'));
});

test('options reach the differs, defaults fill the rest', (t) => {
  const legacy = side({ entries: [file('/x', 'x', { mtime: 1 }), file('/tmp/a', 'a')] });
  const migrated = side({ entries: [file('/x', 'x', { mtime: 2 }), file('/tmp/b', 'b')] });
  t.is(compareImages(legacy, migrated, { ignore: ['/tmp/**'] }).verdict, 'equivalent');
  t.deepEqual(
    compareImages(legacy, migrated, { ignore: ['/tmp/**'], strictMtime: true }).differences.map((d) => d.field),
    ['mtime'],
  );
  t.is(compareImages(legacy, migrated).verdict, 'different');
});
