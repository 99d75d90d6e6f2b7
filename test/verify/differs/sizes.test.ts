import test from 'ava';
import { differ } from '../../../src/verify/differs/sizes.js';
import { defaultCompareOptions, type Difference } from '../../../src/verify/model.js';
import { file, side, type SideSpec } from '../helpers/facts.js';

const sizes = test.macro((t, legacy: SideSpec, migrated: SideSpec, expected: readonly Partial<Difference>[]) => {
  const found = differ.compare(side(legacy), side(migrated), defaultCompareOptions);
  t.true(
    found.every((d) => d.kind === 'info' && d.aspect === 'sizes'),
    'a size is never a difference',
  );
  t.is(found.length, expected.length);
  expected.forEach((want, i) => t.like(found[i], want));
});

test(
  'runtime images side by side with their ratio; no builder image',
  sizes,
  { size: 2_000_000 },
  { size: 1_500_000 },
  [
    {
      subject: 'image',
      legacy: 2_000_000,
      migrated: 1_500_000,
      message: 'image size: 1.5 MB in the migrated image, 2.0 MB in the legacy one (0.75×)',
    },
    {
      subject: 'content',
      legacy: 0,
      migrated: 0,
      message: 'file content: 0 B in the migrated image, 0 B in the legacy one (n/a)',
    },
  ],
);

test(
  'file content is counted once per hard-link group, and the builder image is named',
  sizes,
  { size: 27e6, entries: [file('/a', 'x'.repeat(1500))], builderImageSize: 219_300_000 },
  { size: 27e6, entries: [file('/a', 'x'.repeat(1500)), file('/b', 'x'.repeat(500))] },
  [
    { subject: 'image', message: 'image size: 27.0 MB in the migrated image, 27.0 MB in the legacy one (1.00×)' },
    {
      subject: 'content',
      legacy: 1500,
      migrated: 2000,
      message: 'file content: 2.0 kB in the migrated image, 1.5 kB in the legacy one (1.33×)',
    },
    {
      subject: 'builder image',
      legacy: 219_300_000,
      migrated: null,
      message: 'the legacy flow leaves a 219.3 MB builder image behind; the multi-stage build tags none',
    },
  ],
);

test(
  'a script that removed its builder images (`docker rmi`) leaves none behind: no builder line',
  sizes,
  { size: 2_000_000, builderImageSize: 0 },
  { size: 2_000_000 },
  [{ subject: 'image' }, { subject: 'content' }],
);
