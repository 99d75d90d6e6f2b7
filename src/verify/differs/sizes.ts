/**
 * Sizes: never a difference. An image's size depends on how its builder lays out layers, not
 * only on the files it holds, so it is context: the runtime images side by side with their ratio,
 * the content their files hold, and the builder image the legacy flow leaves tagged behind.
 */
import type { Difference, Differ } from '../model.js';
import { stamp } from './support/finding.js';
import { bytes, contrast, ratio } from './support/format.js';

const info = stamp('sizes', 'info');

function sideBySide(subject: string, what: string, legacy: number, migrated: number): Difference {
  return info({
    subject,
    field: 'bytes',
    legacy,
    migrated,
    message: `${what}: ${contrast(bytes(migrated), bytes(legacy))} (${ratio(migrated, legacy)})`,
  });
}

export const differ: Differ = {
  id: 'sizes',
  title: 'Sizes',
  compare(legacy, migrated) {
    const found = [
      sideBySide('image', 'image size', legacy.image.size, migrated.image.size),
      sideBySide('content', 'file content', legacy.manifest.totalSize, migrated.manifest.totalSize),
    ];
    // 0: the script removed its builder images (`docker rmi`), so none is left behind.
    if (legacy.builderImageSize !== undefined && legacy.builderImageSize > 0) {
      const size = legacy.builderImageSize;
      found.push(
        info({
          subject: 'builder image',
          field: 'bytes',
          legacy: size,
          migrated: null,
          message: `the legacy flow leaves a ${bytes(size)} builder image behind; the multi-stage build tags none`,
        }),
      );
    }
    return found;
  },
};
